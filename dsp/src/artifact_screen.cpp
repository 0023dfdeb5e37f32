#include "relaxmon/dsp/artifact_screen.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace relaxmon::dsp {

std::string_view artifact_name(ArtifactClass c) {
    switch (c) {
        case ArtifactClass::none:
            return "";
        case ArtifactClass::missed:
            return "missed";
        case ArtifactClass::extra:
            return "extra";
        case ArtifactClass::ectopic:
            return "ectopic";
        case ArtifactClass::longer:
            return "long";
        case ArtifactClass::shorter:
            return "short";
        case ArtifactClass::gap:
            return "gap";
    }
    return "";
}

double ArtifactScreen::median() const {
    std::vector<double> v(recent_.begin(), recent_.end());
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (v.size() % 2 == 1) return *mid;
    const double upper = *mid;
    const double lower = *std::max_element(v.begin(), mid);
    return 0.5 * (lower + upper);
}

void ArtifactScreen::accept(double rr_ms) {
    recent_.push_back(rr_ms);
    if (recent_.size() > p_.median_beats) recent_.pop_front();
}

ScreenedBeat ArtifactScreen::push(double rr_ms, bool follows_gap) {
    const bool plausible = std::isfinite(rr_ms) && rr_ms >= p_.min_rr_ms && rr_ms <= p_.max_rr_ms;
    constexpr std::size_t kWarmUpBeats = 5;

    if (recent_.size() < kWarmUpBeats) {
        // No reference yet: only physiological bounds apply.
        if (plausible) accept(rr_ms);
        ScreenedBeat out{follows_gap ? ArtifactClass::gap : ArtifactClass::none, rr_ms};
        if (!plausible)
            out = {rr_ms < p_.min_rr_ms ? ArtifactClass::shorter : ArtifactClass::longer,
                   recent_.empty() ? 0.0 : recent_.back()};
        if (!plausible && recent_.empty()) out.rr_corrected_ms = rr_ms;  // nothing to replace with
        return out;
    }

    const double ref_ms = median();
    const double threshold_ms = p_.threshold_ms_at_60bpm * ref_ms / 1000.0;
    const double dev_ms = rr_ms - ref_ms;

    if (plausible && std::abs(dev_ms) <= threshold_ms) {
        rejected_.clear();
        accept(rr_ms);
        return {follows_gap ? ArtifactClass::gap : ArtifactClass::none, rr_ms};
    }

    // Rejected. If many consecutive rejections agree with each other, the heart rate itself has
    // moved (or the reference was learnt on artifacts): relearn from them.
    if (plausible) {
        rejected_.push_back(rr_ms);
        if (rejected_.size() >= p_.relearn_after) {
            std::vector<double> r(rejected_.begin(), rejected_.end());
            std::sort(r.begin(), r.end());
            const double spread = r.back() - r.front();
            if (spread <= threshold_ms) {
                recent_.assign(rejected_.begin(), rejected_.end());
                rejected_.clear();
                return {follows_gap ? ArtifactClass::gap : ArtifactClass::none, rr_ms};
            }
            rejected_.pop_front();
        }
    }

    ScreenedBeat out;
    if (follows_gap) {
        out = {ArtifactClass::gap, ref_ms};
    } else if (plausible && std::abs(rr_ms - 2.0 * ref_ms) <= threshold_ms) {
        out = {ArtifactClass::missed, 0.5 * rr_ms};
    } else {
        out = {dev_ms > 0 ? ArtifactClass::longer : ArtifactClass::shorter, ref_ms};
    }
    return out;
}

}  // namespace relaxmon::dsp
