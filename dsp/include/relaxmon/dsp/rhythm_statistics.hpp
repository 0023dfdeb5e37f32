#pragma once
// RhythmStatistics: how a heart rhythm moves, in a few numbers that tell a real resting body
// from a too-steady simulation (issue 17). Each is defined on the RR series alone, the same for a
// real recording and a simulated one:
// - ln RMSSD change: 60-s windows every 30 s (RMSSD over successive differences of clean beats,
//   Task Force 1996), the median |change| of ln RMSSD from one window to the next;
// - heart-rate change: the mean heart rate over 10 s, the median |change| over 30 s (every 10 s);
// - breaths from the RSA (band-passed RR at 4 Hz, 0.03-0.6 Hz, counted as Schäfer & Kratky 2008
//   with their threshold, 0.3 of the third quartile of neighbour differences, in 2-min
//   stretches): the coefficient of variation of breath length and of peak-to-trough amplitude
//   within each stretch (median over stretches), and sighs: breaths at least 2.5 times the
//   stretch's median amplitude and 1.3 times its median length (a deep, long breath), per 10
//   minutes;
// - LF/HF: the median over consecutive 5-min windows (hrv_frequency, Task Force bands) where it
//   can be read: not where breathing lies below the HF band (under 9/min, by a clear peak or by
//   the breaths counted; its power falls in LF and the ratio says where breathing lies, not
//   autonomic balance);
// - 1/f slope: the slope of log10 PSD against log10 f between 0.005 and 0.03 Hz (below
//   breathing, even paced at 3/min) (Welch, 512-s
//   segments of the RR series at 4 Hz; Kobayashi & Musha 1982 fit the same power law lower down,
//   over hours).
// Clean beats: 250-2500 ms and within 20% of the median of their 11 neighbours; windows with
// more than 10% others are left out.
#include <optional>
#include <span>

namespace relaxmon::dsp {

struct RhythmStatistics {
    double duration_s = 0.0;
    std::optional<double> ln_rmssd_change_30s, hr_change_30s_bpm;
    std::optional<double> breath_period_cv, rsa_amplitude_cv, sighs_per_10min;
    std::optional<double> lf_hf, spectral_slope;
};

// `t_s`: beat times (increasing), `rr_ms`: the intervals ending at them.
RhythmStatistics rhythm_statistics(std::span<const double> t_s, std::span<const double> rr_ms);

}  // namespace relaxmon::dsp
