#pragma once
// The dashboard application: a GLFW window with an OpenGL 3.3 core context, Dear ImGui, and a
// Session running on its own thread. The UI thread only reads snapshots and posts commands.
#include <filesystem>
#include <optional>

#include "session/session.hpp"

namespace relaxmon::ui {

struct DashboardOptions {
    session::SessionConfig session;
    // Live sessions are recorded from their first beat (--no-record: only when R is pressed,
    // then still from the first beat); --record opens the folder at once.
    bool record_live = true;
    bool record_at_once = false;
    int width = 1280, height = 800;
    std::optional<std::filesystem::path> screenshot;  // save a PNG of the window, then quit
    std::optional<double> quit_after_s;               // wall-clock seconds before quitting
    bool frame_stats = false;    // print frame-time figures at exit (benchmark)
    std::optional<float> scale;  // UI scale; default: the monitor's content scale
    bool pacer = false;          // start with the breathing pacer animating
    bool sound = true;           // the pacer's sound while it animates (A switches)
    double volume = 0.5;         // 0..1 ([ and ] change it)
    std::optional<int> tab;      // the view to open with (0 live, 1 session, 2 spectrum, 3 ECG)
    bool room = false;           // open with the across-the-room view
    bool light = false;          // the light theme (T switches)
    std::optional<std::filesystem::path> state_out;  // the session's state at exit, as JSON
};

// Why the dashboard cannot open (no display, no OpenGL 3.3); what() is one line.
struct DisplayError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Runs until the window closes (or quit_after_s). Returns the exit status.
int run_dashboard(const DashboardOptions& options);

}  // namespace relaxmon::ui
