#include "relaxmon/dsp/rsa_breaths.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace relaxmon::dsp {

namespace {
double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
}  // namespace

RsaBreaths::RsaBreaths(Params p) : p_(p) {}

void RsaBreaths::restart(double t_s, double rr_ms) {
    highpass_ = Biquad::highpass(p_.fs_hz, p_.highpass_hz);
    lowpass_ = Biquad::lowpass(p_.fs_hz, p_.lowpass_hz);
    // Start the high-pass on the current level, not on a step from zero: it settles at once.
    for (int i = 0; i < 4 * static_cast<int>(p_.fs_hz / p_.highpass_hz); ++i)
        lowpass_(highpass_(rr_ms));
    extrema_.clear();
    values_ = {};
    samples_ = 0;
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
        const double a = (next_sample_t_s_ - t0) / (t_s - t0);
        filter_sample(next_sample_t_s_, rr0 + std::clamp(a, 0.0, 1.0) * (rr_ms - rr0));
        next_sample_t_s_ += step_s;
    }
    last_t_s_ = t_s;
    last_rr_ms_ = rr_ms;
    update_values(t_s);
}

void RsaBreaths::filter_sample(double t_s, double rr_ms) {
    const double y = lowpass_(highpass_(rr_ms));
    ++samples_;
    if (samples_ >= 3 && t_s - start_t_s_ >= p_.settle_s) {
        // y1_ (at t1_s_) is an extremum when it stands above (or below) both neighbours.
        if (y1_ > y2_ && y1_ >= y)
            extrema_.push_back({t1_s_, y1_, true});
        else if (y1_ < y2_ && y1_ <= y)
            extrema_.push_back({t1_s_, y1_, false});
    }
    y2_ = y1_;
    y1_ = y;
    t1_s_ = t_s;
    while (!extrema_.empty() && extrema_.front().t_s < t_s - p_.history_s) extrema_.pop_front();
}

void RsaBreaths::update_values(double now_s) {
    values_ = {};
    if (extrema_.size() < 4) return;
    std::vector<Extremum> e(extrema_.begin(), extrema_.end());
    std::vector<double> diffs;
    diffs.reserve(e.size());
    for (std::size_t i = 1; i < e.size(); ++i)
        diffs.push_back(std::abs(e[i].value - e[i - 1].value));
    auto q3 = diffs.begin() + static_cast<std::ptrdiff_t>(diffs.size() * 3 / 4);
    std::nth_element(diffs.begin(), q3, diffs.end());
    const double threshold = p_.prune_fraction * *q3;
    // Drop the closest neighbouring pair while it is a ripple; extrema keep alternating.
    while (e.size() >= 2) {
        std::size_t best = 0;
        double best_d = std::abs(e[1].value - e[0].value);
        for (std::size_t i = 1; i + 1 < e.size(); ++i) {
            const double d = std::abs(e[i + 1].value - e[i].value);
            if (d < best_d) {
                best_d = d;
                best = i;
            }
        }
        if (best_d >= threshold) break;
        e.erase(e.begin() + static_cast<std::ptrdiff_t>(best),
                e.begin() + static_cast<std::ptrdiff_t>(best + 2));
    }
    // Breaths, newest first: maximum, minimum, maximum.
    std::vector<double> periods_s, amplitudes_ms;
    double span_s = 0.0;
    for (std::size_t k = e.size(); k >= 3; --k) {
        const Extremum& end = e[k - 1];
        const Extremum& mid = e[k - 2];
        const Extremum& start = e[k - 3];
        if (!end.is_max || mid.is_max || !start.is_max) continue;
        const double period_s = end.t_s - start.t_s;
        if (period_s < p_.min_period_s || period_s > p_.max_period_s) continue;
        if (!values_.last_breath_t_s) {
            if (now_s - end.t_s > 2.0 * p_.max_period_s) return;  // breathing no longer seen
            values_.last_breath_t_s = end.t_s;
        }
        span_s += period_s;
        periods_s.push_back(period_s);
        amplitudes_ms.push_back(0.5 * ((start.value - mid.value) + (end.value - mid.value)));
        if (span_s >= p_.window_s && periods_s.size() >= p_.min_breaths) break;
    }
    if (periods_s.size() < p_.min_breaths || span_s < p_.window_s) {
        values_.last_breath_t_s.reset();
        return;
    }
    // Medians: one sigh, or two breaths the count merged, must not move the values.
    values_.breaths = periods_s.size();
    values_.rate_bpm = 60.0 / median_of(periods_s);
    values_.rsa_amplitude_ms = median_of(amplitudes_ms);
}

}  // namespace relaxmon::dsp
