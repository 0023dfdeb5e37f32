#pragma once
// Whole-series artifact detection and correction for RR intervals.
//
// Automatic (Lipponen & Tarvainen 2019, J Med Eng Technol 43:173-181): successive differences
// dRR and the deviation from an 11-beat median mRR (negative deviations doubled) are normalised
// by time-varying thresholds, alpha = 5.2 times the quartile deviation over 91 beats. A beat
// outside |dRR| <= 1 is ectopic when its neighbours' differences mirror it (the S11/S12 plane,
// c1 = 0.13, c2 = 0.17); otherwise it is long or short when the next differences do not
// compensate (S21/S22) or |mRR| > 3; a long interval close to twice the median is a missed
// beat, a short one that sums with the next to the median is an extra beat.
//
// Our one addition: thresholds never drop below a small fraction of the local median RR (see
// LipponenParams::min_threshold_fraction).
//
// Threshold (Kubios' simpler mode): an interval differing from the median of the 11 around it
// by more than threshold * (median / 1000) - 250 ms at 60 bpm for "medium".
//
// Correction: extra beats are removed (their interval merged into the next), missed beats
// inserted (the interval split in two), and ectopic/long/short beats moved to the midpoint of
// their neighbours (Lipponen & Tarvainen 2019, section 2.3).
#include <cstdint>
#include <span>
#include <vector>

#include "relaxmon/dsp/artifact_screen.hpp"

namespace relaxmon::dsp {

struct LipponenParams {
    double alpha = 5.2;
    double c1 = 0.13, c2 = 0.17;
    int window_beats = 91;
    int median_beats = 11;
    // Floor of both thresholds as a fraction of the local median RR. Very steady or coarsely
    // quantised series (1/128 s in Holter data) have a quartile deviation of a few ms, which
    // would make ordinary sinus variation "abnormal"; 0 reproduces the paper exactly.
    double min_threshold_fraction = 0.10;
};
std::vector<ArtifactClass> detect_artifacts_auto(std::span<const double> rr_ms,
                                                 const LipponenParams& p = {});

std::vector<ArtifactClass> detect_artifacts_threshold(std::span<const double> rr_ms,
                                                      double threshold_ms_at_60bpm = 250.0);

struct CorrectedRr {
    std::vector<double> rr_ms;              // the NN series after correction
    std::vector<std::uint8_t> follows_gap;  // per corrected interval
    std::vector<double> t_s;                // time of the beat closing each corrected interval
    std::vector<double> per_input_ms;       // per input interval: its corrected value (0 if merged)
};

// `t_s` are the input beat times; `follows_gap` flags inputs that follow a dropout (kept, and
// never differenced across). Classes `gap` are left as they are.
CorrectedRr correct_artifacts(std::span<const double> t_s, std::span<const double> rr_ms,
                              std::span<const ArtifactClass> classes,
                              std::span<const std::uint8_t> follows_gap = {});

}  // namespace relaxmon::dsp
