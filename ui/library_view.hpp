#pragma once
// The session library panel (key L): the recorded sessions with date, label, length, beats and
// when relaxation set in, by client (the client seen last first, each one's visits newest first;
// G lists them all by date instead); Enter (or a Replay button) plays the selected one back
// through the pipeline at the chosen speed. Reading the list is the only disk access the
// UI thread makes, and only when the panel opens.
#include <filesystem>
#include <optional>
#include <vector>

#include "dashboard_view.hpp"
#include "session/session_library.hpp"

namespace relaxmon::ui {

struct LibraryState {
    bool open = false;
    std::filesystem::path root;
    std::vector<session::SessionEntry> entries;
    bool by_client = true;
    std::vector<session::ClientGroup> groups;  // by client; one group of all when not
    int selected = 0;                          // the position in the list as shown
    int speed_index = 1;                       // into kReplaySpeeds
};

inline constexpr double kReplaySpeeds[] = {1.0, 10.0, 60.0, 0.0};  // 0 = as fast as possible

struct LibraryChoice {
    std::filesystem::path dir;
    double speed = 10.0;
};

void open_library(LibraryState& lib);  // (re)reads the list
// Draws the panel while it is open; returns the session to replay, if one was chosen.
std::optional<LibraryChoice> draw_library(LibraryState& lib, const Fonts& fonts);

}  // namespace relaxmon::ui
