#pragma once
// Time-domain heart rate variability of a series of RR (NN) intervals.
// Definitions follow the Task Force of the ESC and NASPE (1996), Circulation 93:1043-1065:
// SDNN is the sample standard deviation of the intervals, RMSSD the root mean square of
// successive differences, SDSD their sample standard deviation, pNN50 the share of successive
// differences above 50 ms relative to the number of intervals. Differences across a gap (an
// interval flagged `follows_gap`) are excluded, as Kubios does for noise segments.
// Min/max HR come from a 5-beat moving average of instantaneous HR (Kubios HRV user's guide),
// so a single artifact cannot set them. The Baevsky stress index is reported as its square
// root, as Kubios does (Baevsky & Chernikova 2017; Kubios HRV user's guide 3.x).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace relaxmon::dsp {

struct TimeDomain {
    std::size_t beats = 0;        // intervals used
    std::size_t differences = 0;  // successive differences used (gaps excluded)
    double mean_rr_ms = 0.0;
    double mean_hr_bpm = 0.0;  // 60000 / mean RR: beats per minute over the stretch
    std::optional<double> min_hr_bpm, max_hr_bpm;  // 5-beat moving average, >= 5 intervals
    std::optional<double> sdnn_ms;                 // needs >= 2 intervals
    std::optional<double> rmssd_ms;                // needs >= 1 difference
    std::optional<double> sdsd_ms;                 // needs >= 2 differences
    std::optional<double> pnn50_pct;               // needs >= 1 difference
    std::size_t nn50 = 0;
    std::optional<double> stress_index;  // sqrt of Baevsky's SI, >= 2 distinct values
};

// `follows_gap` may be empty (no gaps) or one flag (0/1) per interval; a flagged interval is
// not differenced against its predecessor.
std::optional<TimeDomain> hrv_time(std::span<const double> rr_ms,
                                   std::span<const std::uint8_t> follows_gap = {});

// Baevsky's stress index SI = AMo / (2 Mo MxDMn) from a histogram of 50-ms bins: AMo the share
// (%) of intervals in the modal bin, Mo its centre (s), MxDMn the range of RR (s). Unrooted.
std::optional<double> baevsky_stress_index(std::span<const double> rr_ms);

// Instantaneous heart rate of one interval.
inline double hr_from_rr_bpm(double rr_ms) {
    return rr_ms > 0.0 ? 60000.0 / rr_ms : 0.0;
}

}  // namespace relaxmon::dsp
