#include "relaxmon/dsp/rsa_breaths.hpp"

#include <algorithm>
#include <cmath>

namespace relaxmon::dsp {

namespace {
// The spread of breath lengths read from an RR series, as a fraction of the beat interval: each
// breath's maximum is placed between beats by interpolation, not sampled directly.
constexpr double kExtremumTiming_rr = 0.2;
}  // namespace

void RsaBreaths::restart(double t_s, double rr_ms) {
    s_.highpass = Biquad::highpass(p_.fs_hz, p_.highpass_hz);
    s_.lowpass = Biquad::lowpass(p_.fs_hz, p_.lowpass_hz);
    // Start the high-pass on the current level, not on a step from zero: it settles at once.
    for (int i = 0; i < 4 * static_cast<int>(p_.fs_hz / p_.highpass_hz); ++i)
        s_.lowpass(s_.highpass(rr_ms));
    s_.counter.restart();
    s_.values = {};
    s_.start_t_s = t_s;
    s_.next_sample_t_s = t_s;
    s_.last_t_s = t_s;
    s_.last_rr_ms = rr_ms;
    s_.stand_ins = {};
    before_last_true_.reset();
}

void RsaBreaths::add_point(double t_s, double rr_ms) {
    // The series between the previous point and this one, linearly interpolated on the 4-Hz grid.
    const double t0 = *s_.last_t_s, rr0 = *s_.last_rr_ms;
    const double step_s = 1.0 / p_.fs_hz;
    while (s_.next_sample_t_s <= t_s) {
        const double a = std::clamp((s_.next_sample_t_s - t0) / (t_s - t0), 0.0, 1.0);
        const double y = s_.lowpass(s_.highpass(rr0 + a * (rr_ms - rr0)));
        if (s_.next_sample_t_s - s_.start_t_s >= p_.settle_s)
            s_.counter.push(s_.next_sample_t_s, y);
        s_.next_sample_t_s += step_s;
    }
    s_.last_t_s = t_s;
    s_.last_rr_ms = rr_ms;
}

void RsaBreaths::rebuild_stand_ins() {
    // The sinus rhythm runs on under an artifact (an ectopic beat's compensatory pause completes
    // its cycle; a missed beat hides one), so the stretch from the last true beat to the end of
    // the stand-ins holds a whole number of sinus intervals: as many as the stand-ins' typical
    // length fits, each the stretch's mean, evenly spaced. That keeps the local level of the RSA
    // swing, where the stand-ins' own value (the median of the last beats) would cut a step into
    // it and count as a breath. A stretch that is no whole number of cycles (a premature beat
    // that reset the rhythm, a lone odd interval) is left out: the next true beat bridges it
    // linearly, which makes no extremum either.
    const StandIns& si = s_.stand_ins;
    const double span_ms = (si.end_t_s - *s_.last_t_s) * 1000.0;
    const double typical_ms = si.sum_ms / static_cast<double>(si.beats);
    const int intervals = std::max(1, static_cast<int>(std::lround(span_ms / typical_ms)));
    const bool whole =
        std::abs(span_ms - intervals * typical_ms) <= p_.whole_cycles_tolerance * typical_ms;
    const double rr_ms = span_ms / intervals;
    const double t0 = *s_.last_t_s;
    s_.stand_ins = {};
    if (!whole) return;
    for (int i = 1; i <= intervals; ++i) add_point(t0 + i * rr_ms / 1000.0, rr_ms);
}

void RsaBreaths::push(double t_s, double rr_ms, bool follows_gap, bool stand_in,
                      bool previous_was_stand_in) {
    if (previous_was_stand_in && before_last_true_) {
        s_ = *before_last_true_;
        before_last_true_.reset();
        push_one(last_true_t_s_, last_true_rr_ms_, false, true);
    }
    push_one(t_s, rr_ms, follows_gap, stand_in);
}

void RsaBreaths::push_one(double t_s, double rr_ms, bool follows_gap, bool stand_in) {
    if (!(rr_ms > 0.0)) return;
    if (follows_gap || !s_.last_t_s || t_s <= *s_.last_t_s ||
        t_s - *s_.last_t_s > p_.max_bridge_s) {
        restart(t_s, rr_ms);  // a stretch of stand-ins too long to rebuild is a gap too
        return;
    }
    if (stand_in) {
        s_.stand_ins.beats += 1;
        s_.stand_ins.sum_ms += rr_ms;
        s_.stand_ins.end_t_s = t_s;
        return;
    }
    before_last_true_ = s_;
    last_true_t_s_ = t_s;
    last_true_rr_ms_ = rr_ms;
    if (s_.stand_ins.beats > 0) rebuild_stand_ins();
    add_point(t_s, rr_ms);
    // A breath's peak or trough lies between beats, known to about a fifth of a beat.
    const auto c = s_.counter.values(t_s, kExtremumTiming_rr * rr_ms / 1000.0);
    s_.values = {c.rate_bpm,  c.rate_confident, c.recent_rate_bpm,
                 c.amplitude, c.breaths,        c.last_breath_t_s};
}

}  // namespace relaxmon::dsp
