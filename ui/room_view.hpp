#pragma once
// The across-the-room view (V, `--view room`): what a therapist glances at from the table, a few
// metres away, with oily hands - the heart rate in type a fifth of the window high (in the live
// view's heart-rate colour), the relax index with its trend, the state in one word, breathing
// and the pacer. Nothing else.
#include "dashboard_view.hpp"

namespace relaxmon::ui {

void draw_room_view(const session::Snapshot& s, const Fonts& fonts, UiState& ui);

}  // namespace relaxmon::ui
