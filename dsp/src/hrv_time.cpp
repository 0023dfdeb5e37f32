#include "relaxmon/dsp/hrv_time.hpp"

#include <cmath>

namespace relaxmon::dsp {

std::optional<TimeDomain> hrv_time(std::span<const double> rr_ms,
                                   std::span<const std::uint8_t> follows_gap) {
    if (rr_ms.empty()) return std::nullopt;
    const bool has_gaps = follows_gap.size() == rr_ms.size();

    TimeDomain out;
    out.beats = rr_ms.size();
    double sum = 0.0;
    for (double rr : rr_ms) sum += rr;
    out.mean_rr_ms = sum / static_cast<double>(rr_ms.size());
    out.mean_hr_bpm = hr_from_rr_bpm(out.mean_rr_ms);

    if (rr_ms.size() >= 2) {
        // Two-pass variance: exact for long series, no cancellation.
        double ss = 0.0;
        for (double rr : rr_ms) ss += (rr - out.mean_rr_ms) * (rr - out.mean_rr_ms);
        out.sdnn_ms = std::sqrt(ss / static_cast<double>(rr_ms.size() - 1));
    }
    double sum_sq_diff = 0.0;
    for (std::size_t i = 1; i < rr_ms.size(); ++i) {
        if (has_gaps && follows_gap[i]) continue;
        const double d = rr_ms[i] - rr_ms[i - 1];
        sum_sq_diff += d * d;
        ++out.differences;
    }
    if (out.differences > 0)
        out.rmssd_ms = std::sqrt(sum_sq_diff / static_cast<double>(out.differences));
    return out;
}

}  // namespace relaxmon::dsp
