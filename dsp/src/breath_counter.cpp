#include "relaxmon/dsp/breath_counter.hpp"

#include "relaxmon/dsp/biquad.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <utility>
#include <vector>

namespace relaxmon::dsp {

namespace {
// The median of the values in `work`, which it sorts.
double median_sorting(std::vector<double>& work) {
    std::sort(work.begin(), work.end());
    const std::size_t n = work.size();
    return n % 2 ? work[n / 2] : 0.5 * (work[n / 2 - 1] + work[n / 2]);
}
// The median of v, sorted in `work` (kept by the caller: no allocation once it has grown).
double median_of(std::span<const double> v, std::vector<double>& work) {
    work.assign(v.begin(), v.end());
    return median_sorting(work);
}
double median_of(std::span<const double> v) {
    std::vector<double> work;
    return median_of(v, work);
}
// The standard error of a median (and of a trimmed mean, nearly) is 1.2533 sigma / sqrt(n).
constexpr double kMedianEfficiency = 1.2533;

// The breath-to-breath spread, from successive differences of breath lengths: sigma =
// median |p[i] - p[i+1]| / (0.6745 sqrt 2), robust to sighs and, unlike a spread about the
// mean, blind to the rate changing over the window.
double successive_sd_of(const std::vector<double>& periods_s, std::vector<double>& work) {
    if (periods_s.size() < 2) return 0.0;
    work.clear();
    for (std::size_t i = 1; i < periods_s.size(); ++i)
        work.push_back(std::abs(periods_s[i] - periods_s[i - 1]));
    return median_sorting(work) / (0.6745 * std::numbers::sqrt2);
}

// The mean breath length, leaving out lengths far from the median (a sigh, two breaths merged or
// one split by the count): as steady as the median against them, and more precise between them.
double trimmed_mean_of(std::span<const double> periods_s) {
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

// Working space of without_ripples, kept by the caller.
template <class Extremum>
struct RippleWork {
    std::vector<std::size_t> next, prev;
    std::vector<std::pair<double, std::size_t>> heap;  // (gap, left end) of possible ripples
    std::vector<std::uint8_t> dropped;
    std::vector<Extremum> kept;
};

// Drops the closest neighbouring pair of extrema while it is a ripple (closer than threshold);
// extrema keep alternating. Only pairs already below the threshold, or made by a drop, can ever be
// the closest one that is dropped, so those few wait in a heap, closest first (ties: the
// earliest); an entry whose pair has since changed is skipped when it comes up. The same pairs go,
// in the same order, as a search of all pairs each time.
template <class Extremum>
const std::vector<Extremum>& without_ripples(std::span<const Extremum> e, double threshold,
                                             RippleWork<Extremum>& w) {
    const std::size_t n = e.size();
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    auto& next = w.next;
    auto& prev = w.prev;
    auto& dropped = w.dropped;
    auto& heap = w.heap;
    next.resize(n);
    prev.resize(n);
    dropped.assign(n, 0);
    heap.clear();
    const auto min_heap_order = std::greater<>{};  // smallest (gap, index) on top
    for (std::size_t i = 0; i < n; ++i) {
        next[i] = i + 1 < n ? i + 1 : kNone;
        prev[i] = i > 0 ? i - 1 : kNone;
        if (i + 1 < n)
            if (const double d = std::abs(e[i + 1].value - e[i].value); d < threshold)
                heap.emplace_back(d, i);
    }
    std::make_heap(heap.begin(), heap.end(), min_heap_order);
    const auto gap = [&](std::size_t i) { return std::abs(e[next[i]].value - e[i].value); };
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), min_heap_order);
        const auto [d, best] = heap.back();
        heap.pop_back();
        if (dropped[best] || next[best] == kNone || gap(best) != d) continue;  // changed since
        const std::size_t after = next[best];
        dropped[best] = dropped[after] = 1;
        const std::size_t left = prev[best], right = next[after];
        if (left != kNone) next[left] = right;
        if (right != kNone) prev[right] = left;
        if (left != kNone && right != kNone)
            if (const double g = gap(left); g < threshold) {
                heap.emplace_back(g, left);
                std::push_heap(heap.begin(), heap.end(), min_heap_order);
            }
    }
    w.kept.clear();
    for (std::size_t i = 0; i < n; ++i)
        if (!dropped[i]) w.kept.push_back(e[i]);
    return w.kept;
}
}  // namespace

std::vector<double> rsa_band(std::span<const double> rr_ms, double fs_hz) {
    Biquad hp = Biquad::highpass(fs_hz, 0.03), lp = Biquad::lowpass(fs_hz, 0.6);
    std::vector<double> y(rr_ms.size());
    for (std::size_t i = 0; i < rr_ms.size(); ++i) y[i] = lp(hp(rr_ms[i] - rr_ms[0]));
    return y;
}

std::vector<CountedBreath> count_breaths(std::span<const double> y, double fs_hz,
                                         double prune_fraction) {
    struct Extremum {
        double t_s, value;
        bool is_max;
    };
    std::vector<Extremum> e;
    for (std::size_t i = 1; i + 1 < y.size(); ++i) {
        const bool is_max = y[i] > y[i - 1] && y[i] >= y[i + 1];
        const bool is_min = y[i] < y[i - 1] && y[i] <= y[i + 1];
        if (is_max || is_min) e.push_back({static_cast<double>(i) / fs_hz, y[i], is_max});
    }
    std::vector<CountedBreath> out;
    if (e.size() < 4) return out;
    std::vector<double> diffs;
    for (std::size_t i = 1; i < e.size(); ++i)
        diffs.push_back(std::abs(e[i].value - e[i - 1].value));
    auto q3 = diffs.begin() + static_cast<std::ptrdiff_t>(diffs.size() * 3 / 4);
    std::nth_element(diffs.begin(), q3, diffs.end());
    RippleWork<Extremum> work;
    e = without_ripples(std::span<const Extremum>(e), prune_fraction * *q3, work);
    constexpr double kMinPeriod_s = 1.5, kMaxPeriod_s = 22.0;
    for (std::size_t k = 2; k < e.size(); ++k) {
        if (!e[k].is_max || e[k - 1].is_max || !e[k - 2].is_max) continue;
        const double period_s = e[k].t_s - e[k - 2].t_s;
        if (period_s < kMinPeriod_s || period_s > kMaxPeriod_s) continue;
        out.push_back({period_s, 0.5 * (e[k].value + e[k - 2].value) - e[k - 1].value});
    }
    return out;
}

void BreathCounter::restart() {
    samples_ = 0;
    extrema_.clear();
    sorted_diffs_.clear();
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
            const Extremum found{t1_s_ + shift * step_s, y1_ - 0.25 * (y2_ - y) * shift, is_max};
            if (!extrema_.empty()) insert_sorted(std::abs(found.value - extrema_.back().value));
            extrema_.push_back(found);
            ++generation_;
        }
    }
    y2_ = y1_;
    y1_ = y;
    t1_s_ = t_s;
    std::size_t expired = 0;
    while (expired < extrema_.size() && extrema_[expired].t_s < t_s - p_.history_s) {
        if (expired + 1 < extrema_.size())
            erase_sorted(std::abs(extrema_[expired + 1].value - extrema_[expired].value));
        ++expired;
        ++generation_;
    }
    extrema_.erase(extrema_.begin(), extrema_.begin() + static_cast<std::ptrdiff_t>(expired));
}

void BreathCounter::insert_sorted(double diff) {
    sorted_diffs_.insert(std::upper_bound(sorted_diffs_.begin(), sorted_diffs_.end(), diff), diff);
}

void BreathCounter::erase_sorted(double diff) {
    sorted_diffs_.erase(std::lower_bound(sorted_diffs_.begin(), sorted_diffs_.end(), diff));
}

std::shared_ptr<const BreathCounter::Breaths> BreathCounter::breaths() const {
    if (breaths_ && breaths_generation_ == generation_) return breaths_;
    breaths_generation_ = generation_;
    // Working space per thread, not per counter: copies of a counter stay light, and a recount
    // allocates nothing unless the breaths changed.
    struct Work {
        RippleWork<Extremum> ripples;
        std::vector<double> periods_s, amplitudes, sorted;
    };
    thread_local Work work;
    auto& periods_s = work.periods_s;
    auto& amplitudes = work.amplitudes;
    periods_s.clear();
    amplitudes.clear();
    std::optional<double> newest_end_t_s;
    if (extrema_.size() >= 4) {
        const double q3 = sorted_diffs_[sorted_diffs_.size() * 3 / 4];
        const auto& e = without_ripples(std::span<const Extremum>(extrema_), p_.prune_fraction * q3,
                                        work.ripples);
        // Breaths, newest first: maximum, minimum, maximum.
        for (std::size_t k = e.size(); k >= 3; --k) {
            const Extremum& end = e[k - 1];
            const Extremum& mid = e[k - 2];
            const Extremum& start = e[k - 3];
            if (!end.is_max || mid.is_max || !start.is_max) continue;
            const double period_s = end.t_s - start.t_s;
            if (period_s < p_.min_period_s || period_s > p_.max_period_s) continue;
            if (!newest_end_t_s) newest_end_t_s = end.t_s;
            periods_s.push_back(period_s);
            amplitudes.push_back(0.5 * ((start.value - mid.value) + (end.value - mid.value)));
        }
    }
    // Most changes of the extrema (one more found, an old one gone) leave the breaths as they
    // were: what was worked out from them stands.
    if (breaths_ && breaths_->periods_s == periods_s && breaths_->amplitudes == amplitudes &&
        breaths_->newest_end_t_s == newest_end_t_s)
        return breaths_;
    auto out = std::make_shared<Breaths>();
    out->periods_s = periods_s;
    out->amplitudes = amplitudes;
    out->newest_end_t_s = newest_end_t_s;
    out->successive_sd_s = successive_sd_of(periods_s, work.sorted);
    // The shortest window of newest breaths: its amplitude, and the least the rate rests on.
    std::size_t n = 0;
    double span_s = 0.0;
    while (n < periods_s.size() && (span_s < p_.window_s || n < p_.min_breaths))
        span_s += periods_s[n++];
    out->quick_breaths = n;
    out->quick_span_s = span_s;
    if (n >= p_.min_breaths && span_s >= p_.window_s) {
        out->quick_median_period_s = median_of(std::span(periods_s).first(n), work.sorted);
        out->quick_median_amplitude = median_of(std::span(amplitudes).first(n), work.sorted);
    }
    out->trimmed_mean_s.assign(periods_s.size() + 1, std::numeric_limits<double>::quiet_NaN());
    breaths_ = out;
    return out;
}

double BreathCounter::Breaths::trimmed_mean_of_newest(std::size_t n) const {
    double& mean_s = trimmed_mean_s[n];
    if (std::isnan(mean_s)) mean_s = trimmed_mean_of(std::span(periods_s).first(n));
    return mean_s;
}

BreathCounter::Values BreathCounter::values(double now_s, double timing_sd_s) const {
    Values out;
    const auto counted = breaths();
    const std::vector<double>& periods_s = counted->periods_s;
    const std::optional<double> last_breath_t_s = counted->newest_end_t_s;
    if (last_breath_t_s && now_s - *last_breath_t_s > 2.0 * p_.max_period_s)
        return out;                                   // breathing no longer seen
    if (!counted->quick_median_period_s) return out;  // too few breaths
    std::size_t n = counted->quick_breaths;
    double span_s = counted->quick_span_s;
    out.recent_rate_bpm = 60.0 / *counted->quick_median_period_s;
    out.amplitude = counted->quick_median_amplitude;
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
    out.rate_bpm = 60.0 / counted->trimmed_mean_of_newest(n);
    out.rate_se_bpm = se_bpm(n);
    out.rate_confident = *out.rate_se_bpm <= p_.max_rate_se_bpm;
    return out;
}

}  // namespace relaxmon::dsp
