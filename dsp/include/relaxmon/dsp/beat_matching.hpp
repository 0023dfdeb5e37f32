#pragma once
// Scoring detected beats against reference annotations as ANSI/AAMI EC57 does: a detection
// within the matching window (150 ms) of a reference beat is a true positive (each reference
// beat matched at most once, nearest first); unmatched detections are false positives,
// unmatched references false negatives. Sensitivity Se = TP/(TP+FN), positive predictivity
// +P = TP/(TP+FP).
#include <cstddef>
#include <span>

namespace relaxmon::dsp {

struct BeatScore {
    std::size_t tp = 0, fp = 0, fn = 0;
    double sensitivity() const { return tp + fn ? double(tp) / double(tp + fn) : 1.0; }
    double positive_predictivity() const { return tp + fp ? double(tp) / double(tp + fp) : 1.0; }
};

// Both sorted, in seconds. Beats before `from_s` are ignored on both sides.
BeatScore score_beats(std::span<const double> detected_s, std::span<const double> reference_s,
                      double window_s = 0.15, double from_s = 0.0);

}  // namespace relaxmon::dsp
