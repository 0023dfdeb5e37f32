#pragma once
// Heart rate variability in pictures (key 3): the power spectrum of the last 5 minutes with its
// VLF / LF / HF bands (Task Force 1996: 0-0.04, 0.04-0.15, 0.15-0.4 Hz) and the breathing peak,
// and the Poincare plot of the last 5 minutes (RR[n+1] against RR[n], artifacts left out) with
// its SD1/SD2 ellipse (Brennan et al. 2001: SD1^2 = var(RR[n] - RR[n+1]) / 2,
// SD2^2 = var(RR[n] + RR[n+1]) / 2).
#include <imgui.h>

#include "session/snapshot.hpp"

namespace relaxmon::ui {

void draw_hrv_view(const session::Snapshot& s, double now_s, ImVec2 avail);

}  // namespace relaxmon::ui
