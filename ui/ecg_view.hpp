#pragma once
// The raw ECG strip (key 4) when the source streams ECG (Polar H10 ?ecg=1, a serial ECG board,
// the simulator's ?ecg=1): the last 6 seconds with the R peaks relaxmon's detector found.
#include <imgui.h>

#include "session/snapshot.hpp"

namespace relaxmon::ui {

void draw_ecg_view(const session::Snapshot& s, ImVec2 avail);

}  // namespace relaxmon::ui
