#include "relaxmon/dsp/hrv_time.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace relaxmon::dsp {

namespace {
constexpr std::size_t kHrAverageBeats = 5;
constexpr double kNn50Threshold_ms = 50.0;
// Successive differences are compared with 50 ms at microsecond resolution, so series stored
// with decimals (1/1024 s, 1/128 s) count an exact 50 ms tie as not above 50, as integer
// arithmetic would.
constexpr double kTieTolerance_ms = 1e-6;
constexpr double kStressBin_ms = 50.0;
}  // namespace

std::optional<double> baevsky_stress_index(std::span<const double> rr_ms) {
    if (rr_ms.size() < 2) return std::nullopt;
    const auto [lo, hi] = std::minmax_element(rr_ms.begin(), rr_ms.end());
    const double range_s = (*hi - *lo) / 1000.0;
    if (range_s <= 0.0) return std::nullopt;
    std::map<long, std::size_t> bins;  // bins [k*50, (k+1)*50) ms
    for (double rr : rr_ms) ++bins[static_cast<long>(std::floor(rr / kStressBin_ms))];
    auto mode = std::max_element(bins.begin(), bins.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; });
    const double mode_s = (static_cast<double>(mode->first) + 0.5) * kStressBin_ms / 1000.0;
    const double amo_pct = 100.0 * static_cast<double>(mode->second) / double(rr_ms.size());
    return amo_pct / (2.0 * mode_s * range_s);
}

std::optional<TimeDomain> hrv_time(std::span<const double> rr_ms,
                                   std::span<const std::uint8_t> follows_gap) {
    if (rr_ms.empty()) return std::nullopt;
    const bool has_gaps = follows_gap.size() == rr_ms.size();
    const double n = static_cast<double>(rr_ms.size());

    TimeDomain out;
    out.beats = rr_ms.size();
    double sum = 0.0;
    for (double rr : rr_ms) sum += rr;
    out.mean_rr_ms = sum / n;
    out.mean_hr_bpm = hr_from_rr_bpm(out.mean_rr_ms);

    if (rr_ms.size() >= 2) {
        double ss = 0.0;  // two-pass variance: no cancellation on long series
        for (double rr : rr_ms) ss += (rr - out.mean_rr_ms) * (rr - out.mean_rr_ms);
        out.sdnn_ms = std::sqrt(ss / (n - 1.0));
    }

    double sum_d = 0.0, sum_d2 = 0.0;
    for (std::size_t i = 1; i < rr_ms.size(); ++i) {
        if (has_gaps && follows_gap[i]) continue;
        const double d = rr_ms[i] - rr_ms[i - 1];
        sum_d += d;
        sum_d2 += d * d;
        if (std::abs(d) > kNn50Threshold_ms + kTieTolerance_ms) ++out.nn50;
        ++out.differences;
    }
    if (out.differences > 0) {
        const double m = static_cast<double>(out.differences);
        out.rmssd_ms = std::sqrt(sum_d2 / m);
        out.pnn50_pct = 100.0 * static_cast<double>(out.nn50) / n;
        if (out.differences >= 2) {
            double ss = 0.0;
            const double mean_d = sum_d / m;
            for (std::size_t i = 1; i < rr_ms.size(); ++i) {
                if (has_gaps && follows_gap[i]) continue;
                const double d = rr_ms[i] - rr_ms[i - 1] - mean_d;
                ss += d * d;
            }
            out.sdsd_ms = std::sqrt(ss / (m - 1.0));
        }
    }

    if (rr_ms.size() >= kHrAverageBeats) {
        double window = 0.0, lo = INFINITY, hi = -INFINITY;
        for (std::size_t i = 0; i < rr_ms.size(); ++i) {
            window += hr_from_rr_bpm(rr_ms[i]);
            if (i >= kHrAverageBeats) window -= hr_from_rr_bpm(rr_ms[i - kHrAverageBeats]);
            if (i + 1 >= kHrAverageBeats) {
                const double avg = window / kHrAverageBeats;
                lo = std::min(lo, avg);
                hi = std::max(hi, avg);
            }
        }
        out.min_hr_bpm = lo;
        out.max_hr_bpm = hi;
    }
    if (auto si = baevsky_stress_index(rr_ms)) out.stress_index = std::sqrt(*si);
    return out;
}

}  // namespace relaxmon::dsp
