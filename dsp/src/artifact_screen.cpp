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

namespace {
// Half the interquartile range.
double quartile_deviation(const std::deque<double>& values) {
    std::vector<double> v(values.begin(), values.end());
    const auto at = [&](double q) {
        auto it = v.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
        std::nth_element(v.begin(), it, v.end());
        return *it;
    };
    return (at(0.75) - at(0.25)) / 2.0;
}
constexpr std::size_t kMinAdaptiveBeats = 30;
}  // namespace

void ArtifactScreen::accept(double rr_ms, double ref_ms, bool follows_accepted) {
    last_accept_added_diff_ = follows_accepted && !recent_.empty();
    if (last_accept_added_diff_) {
        successive_diffs_.push_back(rr_ms - recent_.back());
        if (successive_diffs_.size() > p_.adaptive_beats) successive_diffs_.pop_front();
    }
    previous_accepted_ = true;
    recent_.push_back(rr_ms);
    if (recent_.size() > p_.median_beats) recent_.pop_front();
    last_accept_added_dev_ = ref_ms > 0.0;
    if (last_accept_added_dev_) {
        const double dev = rr_ms - ref_ms;
        weighted_dev_.push_back(dev < 0.0 ? -2.0 * dev : dev);
        if (weighted_dev_.size() > p_.adaptive_beats) weighted_dev_.pop_front();
    }
}

void ArtifactScreen::unaccept_last(double replacement_ms) {
    // The last accepted beat was premature after all: out of the thresholds' statistics, and
    // its place in the median taken by the sinus cycle it hid.
    if (!recent_.empty()) recent_.back() = replacement_ms;
    if (last_accept_added_diff_ && !successive_diffs_.empty()) successive_diffs_.pop_back();
    if (last_accept_added_dev_ && !weighted_dev_.empty()) weighted_dev_.pop_back();
    last_accept_added_diff_ = last_accept_added_dev_ = false;
}

double ArtifactScreen::adaptive_threshold_ms(double ref_ms) const {
    if (weighted_dev_.size() < kMinAdaptiveBeats) return INFINITY;
    return std::max(p_.adaptive_alpha * quartile_deviation(weighted_dev_),
                    3.0 * p_.adaptive_floor * ref_ms);
}

double ArtifactScreen::sudden_drop_threshold_ms(double ref_ms) const {
    if (successive_diffs_.size() < kMinAdaptiveBeats) return INFINITY;
    return std::max(p_.drop_alpha * quartile_deviation(successive_diffs_), p_.sudden_drop * ref_ms);
}

ScreenedBeat ArtifactScreen::push(double rr_ms, bool follows_gap) {
    const bool follows_accepted = previous_accepted_ && !follows_gap;
    previous_accepted_ = false;
    const bool plausible = std::isfinite(rr_ms) && rr_ms >= p_.min_rr_ms && rr_ms <= p_.max_rr_ms;
    constexpr std::size_t kWarmUpBeats = 5;

    if (recent_.size() < kWarmUpBeats) {
        // No reference yet: only physiological bounds apply.
        if (plausible) accept(rr_ms, 0.0, follows_accepted);
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
    // Premature: short against the median by the adaptive threshold (doubled, as the paper
    // weighs short intervals), and a sudden drop from the beat before, which a quickening sinus
    // rhythm (a few per cent a beat) never makes.
    const double drop_ms = last_rr_ms_ > 0.0 ? last_rr_ms_ - rr_ms : 0.0;
    // (The quartiles only when the cheap tests leave it possible.)
    const bool dropped = dev_ms < 0.0 && !follows_gap && drop_ms > p_.premature_drop * ref_ms;
    // A sharp fall to well under the median: premature if the fall is beyond this rhythm's steps
    // now, or if the next beat turns out to be its pause.
    const bool sharp_fall = dropped && -dev_ms > p_.adaptive_floor * ref_ms;
    const bool premature =
        dropped && (-2.0 * dev_ms > adaptive_threshold_ms(ref_ms) ||
                    (follows_accepted && sharp_fall && drop_ms > sudden_drop_threshold_ms(ref_ms)));
    // The pause that completes a premature beat's cycle.
    const bool compensatory =
        last_was_short_ && !follows_gap && dev_ms > 0.0 &&
        std::abs(last_rr_ms_ + rr_ms - 2.0 * ref_ms) <= p_.compensation_tolerance * ref_ms;
    last_was_short_ = false;
    const double previous_rr_ms = last_rr_ms_;
    if (plausible) last_rr_ms_ = rr_ms;
    // A premature beat that passed as sinus shows itself by its pause: the beat before fell
    // sharply and sat well under the median, this one rises as sharply, and the two add up to
    // the two cycles of a full compensatory pause. Both stand in as the pair's mean (they keep
    // its sum): this beat says so, and the beat before is reported premature after the fact for
    // its user to amend (it was passed on as sinus).
    const bool unmasked =
        plausible && follows_accepted && previous_looked_premature_ && dev_ms > 0.0 &&
        rr_ms - previous_rr_ms > p_.premature_drop * ref_ms &&
        std::abs(previous_rr_ms + rr_ms - 2.0 * ref_ms) <= p_.compensation_tolerance * ref_ms;
    previous_looked_premature_ = false;
    if (unmasked) {
        const double pair_mean_ms = 0.5 * (previous_rr_ms + rr_ms);  // the pair's sinus cycle
        unaccept_last(pair_mean_ms);
        rejected_.clear();
        return {ArtifactClass::longer, pair_mean_ms, true, pair_mean_ms};
    }

    // A deep slow breath swings a sinus rhythm far from an 11-beat median (which covers half a
    // breath at 5/min and 100 bpm: the swing's trough, while its crest is 50-70% longer), but
    // step by step: a beat within a small step of the sinus beat before it belongs to the swing
    // (a fall no steeper than a premature beat's). Artifacts jump (a missed beat doubles, an
    // extra one halves).
    const double step_ms = rr_ms - previous_rr_ms;
    const bool gliding = plausible && follows_accepted && step_ms <= p_.glide_step * ref_ms &&
                         -step_ms <= p_.premature_drop * ref_ms &&
                         std::abs(dev_ms) <= p_.max_glide * ref_ms;
    if (plausible && (std::abs(dev_ms) <= threshold_ms || gliding) && !compensatory && !premature) {
        rejected_.clear();
        accept(rr_ms, ref_ms, follows_accepted);
        previous_looked_premature_ = sharp_fall;
        return {follows_gap ? ArtifactClass::gap : ArtifactClass::none, rr_ms};
    }
    // The premature beat stood in as the median for now; the pair spans two sinus cycles, and
    // both stand in as its mean, so the two corrected intervals still add up to the time that
    // passed (heart rate over any window stays exact, beat times stay consistent).
    if (compensatory && plausible) {
        const double pair_mean_ms = 0.5 * (previous_rr_ms + rr_ms);
        return {ArtifactClass::longer, pair_mean_ms, false, pair_mean_ms};
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
                previous_accepted_ = true;  // the rhythm now; the next beat may glide from it
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
        last_was_short_ = plausible && dev_ms < 0;  // (an implausible one has no pause to pair)
    }
    return out;
}

}  // namespace relaxmon::dsp
