#include "relaxmon/dsp/posture_reference.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace relaxmon::dsp {

namespace {
double ln_or_nan(const std::optional<double>& v) {
    return v && *v > 0.0 ? std::log(*v) : std::nan("");
}

double median_finite(std::vector<double> v) {
    std::erase_if(v, [](double x) { return !std::isfinite(x); });
    if (v.empty()) return std::nan("");
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// new - old, or 0 where either is missing; beyond `limit` it is not the posture alone: 0.
double shift_of(double old_v, double new_v, double limit) {
    const double d = new_v - old_v;
    return std::isfinite(d) && std::abs(d) <= limit ? d : 0.0;
}
}  // namespace

PostureReference::Level PostureReference::level_of(const Beat& b) {
    return {b.t_s, b.hr_bpm.value_or(std::nan("")), ln_or_nan(b.rmssd_ms),
            ln_or_nan(b.rsa_amplitude_ms)};
}

std::optional<PostureReference::Level> PostureReference::median_of(
    const std::deque<Level>& levels) const {
    if (levels.empty() || levels.back().t_s - levels.front().t_s < p_.min_span_s)
        return std::nullopt;
    std::vector<double> hr, rmssd, rsa;
    for (const Level& l : levels) {
        hr.push_back(l.hr_bpm);
        rmssd.push_back(l.ln_rmssd);
        rsa.push_back(l.ln_rsa);
    }
    return Level{levels.back().t_s, median_finite(std::move(hr)), median_finite(std::move(rmssd)),
                 median_finite(std::move(rsa))};
}

PostureReference::Step PostureReference::push(const Beat& beat, const Body& body) {
    Step step;
    if (body.moving) {
        if (phase_ == Phase::still) {  // the levels the body had before it moved
            level_before_ = median_of(before_);
            posture_before_ = body.posture;
            turn_s_ = beat.t_s;
        }
        phase_ = Phase::moved;  // (a second movement while measuring: the old levels stand)
        after_.clear();
        step.evidence = false;
        return step;
    }
    const bool settled =
        !body.still_since_s || beat.t_s - *body.still_since_s >= p_.settle_s - 1e-6;
    if (phase_ == Phase::moved) {
        if (!settled) {
            step.evidence = false;
            return step;
        }
        if (body.posture == posture_before_ || !level_before_) {
            phase_ = Phase::still;  // the same posture (or nothing to compare): as before
        } else {
            phase_ = Phase::measuring;
            measuring_since_s_ = beat.t_s;
        }
    }
    if (phase_ == Phase::measuring) {
        if (beat.clean) after_.push_back(level_of(beat));
        if (beat.t_s - measuring_since_s_ < p_.after_s) {
            step.evidence = false;
            return step;
        }
        if (const auto after = median_of(after_)) {
            step.shift = RelaxationDetector::Shift{
                shift_of(level_before_->hr_bpm, after->hr_bpm, p_.max_hr_shift_bpm),
                shift_of(level_before_->ln_rmssd, after->ln_rmssd, p_.max_ln_shift),
                shift_of(level_before_->ln_rsa, after->ln_rsa, p_.max_ln_shift)};
            step.turn_s = turn_s_;
        }
        phase_ = Phase::still;
        before_ = std::move(after_);  // the new posture's minute so far
        after_.clear();
    }
    if (beat.clean) before_.push_back(level_of(beat));
    while (!before_.empty() && before_.front().t_s < beat.t_s - p_.before_s) before_.pop_front();
    return step;
}

}  // namespace relaxmon::dsp
