#pragma once
// The breathing pacer's pose at a moment of wall-clock time: a guide for a person's breath keeps
// real seconds whatever the replay speed, and moves on when a replay ends or pauses.
#include <algorithm>
#include <cmath>
#include <numbers>

namespace relaxmon::ui {

struct PacerPose {
    bool inhale;
    double size;  // 0 (empty lungs) .. 1 (full), eased so the turn at each end is gentle
};

// Breathing in for the first half of each cycle of 60 / bpm seconds, out for the second.
inline PacerPose pacer_pose(double wall_s, double bpm) {
    const double phase = std::fmod(std::max(0.0, wall_s) * bpm / 60.0, 1.0);
    const bool inhale = phase < 0.5;
    const double x = inhale ? phase * 2.0 : (1.0 - phase) * 2.0;
    return {inhale, 0.5 - 0.5 * std::cos(x * std::numbers::pi)};
}

}  // namespace relaxmon::ui
