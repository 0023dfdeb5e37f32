#pragma once
// --state-out: where the session and the screen stood when the window closed, as JSON, for
// scripts and tests (time, beats, source, replay, label, recording, markers, theme, pacer and
// its sound).
#include <filesystem>

#include "dashboard_view.hpp"
#include "session/snapshot.hpp"

namespace relaxmon::ui {

// Written atomically; a failure is one line on stderr.
void write_state(const std::filesystem::path& path, const session::Snapshot& s, const UiState& ui);

}  // namespace relaxmon::ui
