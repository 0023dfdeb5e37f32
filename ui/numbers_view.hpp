#pragma once
// The dashboard's left column, readable from across the room: the heart rate in large type, the
// relax index with its state and its change over the last minute, RMSSD, the breathing rate
// (from the chest when the strap streams acceleration), coherence, LF/HF and SDNN, the breathing
// pacer, and the beats and artifacts so far. Below about 700 px of height the gaps go.
#include "dashboard_view.hpp"

namespace relaxmon::ui {

// Returns the breathing pacer's rectangle (screen coordinates: min x, min y, max x, max y).
ImVec4 draw_numbers(const session::Snapshot& s, const Fonts& fonts, bool pacer_on);

}  // namespace relaxmon::ui
