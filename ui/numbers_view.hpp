#pragma once
// The dashboard's left column, readable from across the room: the heart rate in large type, the
// relax index with its state and its change over the last minute, RMSSD, the breathing rate
// (from the chest when the strap streams acceleration), coherence, LF/HF and SDNN, the breathing
// pacer, and the beats and artifacts so far. Below about 700 px of height the gaps go.
#include <optional>
#include <string>

#include "dashboard_view.hpp"

namespace relaxmon::ui {

// Returns the breathing pacer's rectangle (screen coordinates: min x, min y, max x, max y).
// Clicks on the pacer and its sound controls change `ui` as P, A, [ and ] do.
ImVec4 draw_numbers(const session::Snapshot& s, const Fonts& fonts, UiState& ui);

// Shared with the room view.
std::string fmt_value(const std::optional<double>& v, const char* format);  // "--" for none
// The breathing rate as shown: "--" unless it is sure (a dash, never a number that may be wrong).
std::string breathing_value(const session::Snapshot& s);
const char* state_word(const std::string& state);  // as the screen says it ("alert")
ImU32 state_color(const std::string& state);
// The pacer's circle (size px) and its words, with the sound's on/off and volume when
// `sound_controls`; a click on the circle starts or stops it. Returns the rectangle it drew in.
ImVec4 draw_pacer(const session::Snapshot& s, UiState& ui, float size, bool sound_controls);
// After the relax index: its change over the last minute, an arrow and whole points.
void draw_relax_trend(const session::Snapshot& s);

}  // namespace relaxmon::ui
