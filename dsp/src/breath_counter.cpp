#include "relaxmon/dsp/breath_counter.hpp"

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

void BreathCounter::restart() {
    samples_ = 0;
    extrema_.clear();
}

void BreathCounter::push(double t_s, double y) {
    // y1_ (at t1_s_) is an extremum when it stands above (or below) both neighbours.
    if (++samples_ >= 3) {
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

BreathCounter::Values BreathCounter::values(double now_s) const {
    Values out;
    if (extrema_.size() < 4) return out;
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
    std::vector<double> periods_s, amplitudes;
    double span_s = 0.0;
    std::optional<double> last_breath_t_s;
    for (std::size_t k = e.size(); k >= 3; --k) {
        const Extremum& end = e[k - 1];
        const Extremum& mid = e[k - 2];
        const Extremum& start = e[k - 3];
        if (!end.is_max || mid.is_max || !start.is_max) continue;
        const double period_s = end.t_s - start.t_s;
        if (period_s < p_.min_period_s || period_s > p_.max_period_s) continue;
        if (!last_breath_t_s) {
            if (now_s - end.t_s > 2.0 * p_.max_period_s) return out;  // breathing no longer seen
            last_breath_t_s = end.t_s;
        }
        span_s += period_s;
        periods_s.push_back(period_s);
        amplitudes.push_back(0.5 * ((start.value - mid.value) + (end.value - mid.value)));
        if (span_s >= p_.window_s && periods_s.size() >= p_.min_breaths) break;
    }
    if (periods_s.size() < p_.min_breaths || span_s < p_.window_s) return out;
    out.breaths = periods_s.size();
    out.rate_bpm = 60.0 / median_of(periods_s);
    out.amplitude = median_of(amplitudes);
    out.last_breath_t_s = last_breath_t_s;
    return out;
}

}  // namespace relaxmon::dsp
