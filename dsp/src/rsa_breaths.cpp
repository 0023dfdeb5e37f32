#include "relaxmon/dsp/rsa_breaths.hpp"

#include <algorithm>

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
}

void RsaBreaths::push(double t_s, double rr_ms, bool follows_gap) {
    if (!(rr_ms > 0.0)) return;
    if (follows_gap || !last_t_s_ || t_s <= *last_t_s_) {
        restart(t_s, rr_ms);
        last_t_s_ = t_s;
        last_rr_ms_ = rr_ms;
        return;
    }
    // The series between the previous beat and this one, linearly interpolated on the 4-Hz grid.
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
    const auto c = counter_.values(t_s);
    values_ = {c.rate_bpm, c.amplitude, c.breaths, c.last_breath_t_s};
}

}  // namespace relaxmon::dsp
