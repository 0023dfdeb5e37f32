#pragma once
// Time-domain heart rate variability of a series of RR (NN) intervals.
// Definitions follow the Task Force of the ESC and NASPE (1996), Circulation 93:1043-1065:
// SDNN is the sample standard deviation of the intervals, RMSSD the root mean square of
// successive differences. Differences across a gap (a beat flagged `follows_gap`) are excluded,
// as Kubios does for noise segments, because they do not compare neighbouring beats.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace relaxmon::dsp {

struct TimeDomain {
    std::size_t beats = 0;        // intervals used
    std::size_t differences = 0;  // successive differences used (gaps excluded)
    double mean_rr_ms = 0.0;
    double mean_hr_bpm = 0.0;        // 60000 / mean RR: beats per minute over the stretch
    std::optional<double> sdnn_ms;   // needs >= 2 intervals
    std::optional<double> rmssd_ms;  // needs >= 1 difference
};

// `follows_gap` may be empty (no gaps) or one flag (0/1) per interval; a flagged interval is
// not differenced against its predecessor.
std::optional<TimeDomain> hrv_time(std::span<const double> rr_ms,
                                   std::span<const std::uint8_t> follows_gap = {});

// Instantaneous heart rate of one interval.
inline double hr_from_rr_bpm(double rr_ms) {
    return rr_ms > 0.0 ? 60000.0 / rr_ms : 0.0;
}

}  // namespace relaxmon::dsp
