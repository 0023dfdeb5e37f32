#pragma once
// The whole session at a glance: heart rate and relax index since the start, relaxed phases
// shaded green, gaps amber, markers and the onset as lines. The mouse wheel zooms around the
// pointer, dragging pans, a double-click shows everything again; hovering shows time and values.
// Long sessions stay light: at most a couple of points per pixel column are drawn.
#include <imgui.h>

#include <optional>

#include "plot.hpp"
#include "session/snapshot.hpp"

namespace relaxmon::ui {

struct SessionViewState {
    std::optional<Range> zoom;  // the time span shown; none = the whole session
};

void draw_session_view(const session::Snapshot& s, double now_s, ImVec2 avail,
                       SessionViewState& state);

}  // namespace relaxmon::ui
