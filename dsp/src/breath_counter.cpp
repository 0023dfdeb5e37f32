#include "relaxmon/dsp/breath_counter.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace relaxmon::dsp {

namespace {
double median_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
// The standard error of a median (and of a trimmed mean, nearly) is 1.2533 sigma / sqrt(n).
constexpr double kMedianEfficiency = 1.2533;

// The breath-to-breath spread, from successive differences of breath lengths: sigma =
// median |p[i] - p[i+1]| / (0.6745 sqrt 2), robust to sighs and, unlike a spread about the
// mean, blind to the rate changing over the window.
double successive_sd_of(const std::vector<double>& periods_s) {
    if (periods_s.size() < 2) return 0.0;
    std::vector<double> d;
    d.reserve(periods_s.size() - 1);
    for (std::size_t i = 1; i < periods_s.size(); ++i)
        d.push_back(std::abs(periods_s[i] - periods_s[i - 1]));
    return median_of(std::move(d)) / (0.6745 * std::numbers::sqrt2);
}

// The mean breath length, leaving out lengths far from the median (a sigh, two breaths merged or
// one split by the count): as steady as the median against them, and more precise between them.
double trimmed_mean_of(const std::vector<double>& periods_s) {
    const double median_s = median_of(periods_s);
    double sum_s = 0.0;
    int n = 0;
    for (double p : periods_s) {
        if (p < 0.6 * median_s || p > median_s / 0.6) continue;
        sum_s += p;
        ++n;
    }
    return sum_s / n;
}
}  // namespace

void BreathCounter::restart() {
    samples_ = 0;
    extrema_.clear();
    ++generation_;
}

void BreathCounter::push(double t_s, double y) {
    // y1_ (at t1_s_) is an extremum when it stands above (or below) both neighbours.
    // Its time and value are refined by the parabola through the three samples: at 4 Hz a
    // breath's length is otherwise known to a quarter second, 8% of a breath at 20/min.
    if (++samples_ >= 3) {
        const bool is_max = y1_ > y2_ && y1_ >= y, is_min = y1_ < y2_ && y1_ <= y;
        if (is_max || is_min) {
            const double curvature = y2_ - 2.0 * y1_ + y;
            const double shift =
                curvature != 0.0 ? std::clamp(0.5 * (y2_ - y) / curvature, -0.5, 0.5) : 0.0;
            const double step_s = t_s - t1_s_;
            extrema_.push_back({t1_s_ + shift * step_s, y1_ - 0.25 * (y2_ - y) * shift, is_max});
            ++generation_;
        }
    }
    y2_ = y1_;
    y1_ = y;
    t1_s_ = t_s;
    while (!extrema_.empty() && extrema_.front().t_s < t_s - p_.history_s) {
        extrema_.pop_front();
        ++generation_;
    }
}

std::shared_ptr<const BreathCounter::Breaths> BreathCounter::breaths() const {
    if (breaths_ && breaths_generation_ == generation_) return breaths_;
    auto out = std::make_shared<Breaths>();
    breaths_ = out;
    breaths_generation_ = generation_;
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
    for (std::size_t k = e.size(); k >= 3; --k) {
        const Extremum& end = e[k - 1];
        const Extremum& mid = e[k - 2];
        const Extremum& start = e[k - 3];
        if (!end.is_max || mid.is_max || !start.is_max) continue;
        const double period_s = end.t_s - start.t_s;
        if (period_s < p_.min_period_s || period_s > p_.max_period_s) continue;
        if (!out->newest_end_t_s) out->newest_end_t_s = end.t_s;
        out->periods_s.push_back(period_s);
        out->amplitudes.push_back(0.5 * ((start.value - mid.value) + (end.value - mid.value)));
    }
    out->successive_sd_s = successive_sd_of(out->periods_s);
    return out;
}

BreathCounter::Values BreathCounter::values(double now_s, double timing_sd_s) const {
    Values out;
    const auto counted = breaths();
    const std::vector<double>& periods_s = counted->periods_s;
    const std::vector<double>& amplitudes = counted->amplitudes;
    const std::optional<double> last_breath_t_s = counted->newest_end_t_s;
    if (last_breath_t_s && now_s - *last_breath_t_s > 2.0 * p_.max_period_s)
        return out;  // breathing no longer seen
    // The shortest window of newest breaths: its amplitude, and the least the rate rests on.
    std::size_t n = 0;
    double span_s = 0.0;
    while (n < periods_s.size() && (span_s < p_.window_s || n < p_.min_breaths))
        span_s += periods_s[n++];
    if (n < p_.min_breaths || span_s < p_.window_s) return out;
    out.recent_rate_bpm =
        60.0 / median_of({periods_s.begin(), periods_s.begin() + static_cast<std::ptrdiff_t>(n)});
    out.amplitude =
        median_of({amplitudes.begin(), amplitudes.begin() + static_cast<std::ptrdiff_t>(n)});
    out.last_breath_t_s = last_breath_t_s;
    // The rate takes older breaths while it is unsure. The spread of breath lengths comes from
    // every breath kept: a handful may agree by chance.
    const double sigma_s = std::max(counted->successive_sd_s, timing_sd_s);
    auto se_bpm = [&](std::size_t count) {
        const double mean_s = span_s / static_cast<double>(count);
        return 60.0 * kMedianEfficiency * sigma_s / std::sqrt(static_cast<double>(count)) /
               (mean_s * mean_s);
    };
    while (se_bpm(n) > p_.max_rate_se_bpm && n < periods_s.size() &&
           span_s + periods_s[n] <= p_.max_window_s)
        span_s += periods_s[n++];
    out.breaths = n;
    out.rate_bpm = 60.0 / trimmed_mean_of({periods_s.begin(),
                                           periods_s.begin() + static_cast<std::ptrdiff_t>(n)});
    out.rate_se_bpm = se_bpm(n);
    out.rate_confident = *out.rate_se_bpm <= p_.max_rate_se_bpm;
    return out;
}

}  // namespace relaxmon::dsp
