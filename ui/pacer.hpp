#pragma once
// The breathing pacer's pose at a moment of wall-clock time: a guide for a person's breath keeps
// real seconds whatever the replay speed, and moves on when a replay ends or pauses. It starts
// with a breath in when it is turned on; the sound on the speakers follows the same clock.
#include <algorithm>
#include <cmath>
#include <numbers>

namespace relaxmon::ui {

struct PacerPose {
    bool inhale;
    double size;  // 0 (empty lungs) .. 1 (full), eased so the turn at each end is gentle
};

// Where in its breath the pacer is (0..1), `since_start_s` after it started with a breath in.
inline double pacer_phase(double since_start_s, double bpm) {
    return std::fmod(std::max(0.0, since_start_s) * bpm / 60.0, 1.0);
}

// Breathing in for `inhale_fraction` of each cycle of 60 / bpm seconds (a third by default, as
// the pacer's sound: in 1 : out 2), out for the rest. `wall_s`: since the pacer started.
inline PacerPose pacer_pose(double wall_s, double bpm, double inhale_fraction = 1.0 / 3.0) {
    const double f = std::clamp(inhale_fraction, 0.05, 0.95);
    const double phase = pacer_phase(wall_s, bpm);
    const bool inhale = phase < f;
    const double x = inhale ? phase / f : (1.0 - phase) / (1.0 - f);
    return {inhale, 0.5 - 0.5 * std::cos(x * std::numbers::pi)};
}

}  // namespace relaxmon::ui
