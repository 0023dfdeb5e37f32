#pragma once
// The replay bar: shown instead of the recording line while a recorded session plays back.
// Play/pause, the speed (1x, 10x, 60x, full), and a time slider over the whole recording: a
// click or drag jumps there when released (ahead: the beats before it run through the pipeline
// at full speed; back: the replay starts again from the beginning and runs up to it, so every
// number on the screen is the one the session had at that moment). Keys: Space, + and -, Left
// and Right (a minute back or on), Home (the start).
#include <optional>

#include "session/snapshot.hpp"

namespace relaxmon::ui {

struct ReplayBarState {
    std::optional<float> dragging_s;  // the slider's value while the mouse holds it
};

struct ReplayRequest {
    std::optional<double> seek_s;
    // New speed (0 = full) and pause state.
    std::optional<std::pair<double, bool>> playback;
};

ReplayRequest draw_replay_bar(const session::Snapshot& s, double now_s, ReplayBarState& st);

}  // namespace relaxmon::ui
