#include "relaxmon/dsp/rsa_breaths.hpp"

#include <algorithm>
#include <cmath>

namespace relaxmon::dsp {

void RsaBreaths::restart(double t_s, double rr_ms) {
    highpass_ = Biquad::highpass(p_.fs_hz, p_.highpass_hz);
    lowpass_ = Biquad::lowpass(p_.fs_hz, p_.lowpass_hz);
    // Start the high-pass on the current level, not on a step from zero: it settles at once.
    for (int i = 0; i < 4 * static_cast<int>(p_.fs_hz / p_.highpass_hz); ++i)
        lowpass_(highpass_(rr_ms));
    counter_.restart();
    values_ = {};
    start_t_s_ = t_s;
    next_sample_t_s_ = t_s;
    last_t_s_ = t_s;
    last_rr_ms_ = rr_ms;
    stand_ins_ = {};
}

void RsaBreaths::add_point(double t_s, double rr_ms) {
    // The series between the previous point and this one, linearly interpolated on the 4-Hz grid.
    const double t0 = *last_t_s_, rr0 = *last_rr_ms_;
    const double step_s = 1.0 / p_.fs_hz;
    while (next_sample_t_s_ <= t_s) {
        const double a = std::clamp((next_sample_t_s_ - t0) / (t_s - t0), 0.0, 1.0);
        const double y = lowpass_(highpass_(rr0 + a * (rr_ms - rr0)));
        if (next_sample_t_s_ - start_t_s_ >= p_.settle_s) counter_.push(next_sample_t_s_, y);
        next_sample_t_s_ += step_s;
    }
    last_t_s_ = t_s;
    last_rr_ms_ = rr_ms;
}

void RsaBreaths::rebuild_stand_ins() {
    // The sinus rhythm runs on under an artifact (an ectopic beat's compensatory pause completes
    // its cycle; a missed beat hides one), so the stretch from the last true beat to the end of
    // the stand-ins holds a whole number of sinus intervals: as many as the stand-ins' typical
    // length fits, each the stretch's mean, evenly spaced. That keeps the local level of the RSA
    // swing, where the stand-ins' own value (the median of the last beats) would cut a step into
    // it and count as a breath.
    const double span_ms = (stand_ins_.end_t_s - *last_t_s_) * 1000.0;
    const double typical_ms = stand_ins_.sum_ms / static_cast<double>(stand_ins_.beats);
    const int intervals = std::max(1, static_cast<int>(std::lround(span_ms / typical_ms)));
    const double rr_ms = span_ms / intervals;
    const double t0 = *last_t_s_;
    for (int i = 1; i <= intervals; ++i) add_point(t0 + i * rr_ms / 1000.0, rr_ms);
    stand_ins_ = {};
}

void RsaBreaths::push(double t_s, double rr_ms, bool follows_gap, bool stand_in) {
    if (!(rr_ms > 0.0)) return;
    if (follows_gap || !last_t_s_ || t_s <= *last_t_s_ || t_s - *last_t_s_ > p_.max_bridge_s) {
        restart(t_s, rr_ms);  // a stretch of stand-ins too long to rebuild is a gap too
        return;
    }
    if (stand_in) {
        stand_ins_.beats += 1;
        stand_ins_.sum_ms += rr_ms;
        stand_ins_.end_t_s = t_s;
        return;
    }
    if (stand_ins_.beats > 0) rebuild_stand_ins();
    add_point(t_s, rr_ms);
    const auto c = counter_.values(t_s);
    values_ = {c.rate_bpm, c.amplitude, c.breaths, c.last_breath_t_s};
}

}  // namespace relaxmon::dsp
