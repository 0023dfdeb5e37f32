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
// `sound_note`: the pacer sound's state, under the pacer.
ImVec4 draw_numbers(const session::Snapshot& s, const Fonts& fonts, bool pacer_on,
                    const char* sound_note = nullptr);

// Shared with the room view.
std::string fmt_value(const std::optional<double>& v, const char* format);  // "--" for none
const char* state_word(const std::string& state);  // as the screen says it ("alert")
ImU32 state_color(const std::string& state);
// The pacer's circle (size px) and its words; returns the rectangle it drew in.
ImVec4 draw_pacer(const session::Snapshot& s, bool on, float size,
                  const char* sound_note = nullptr);
// After the relax index: its change over the last minute, an arrow and whole points.
void draw_relax_trend(const session::Snapshot& s);

}  // namespace relaxmon::ui
