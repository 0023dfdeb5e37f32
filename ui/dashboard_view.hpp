#pragma once
// The first dashboard view: header (source, connection, recording, marker), the current heart
// rate and RMSSD in large type, and plots of heart rate and RMSSD over the last 10 minutes and
// the RR tachogram of the last 2 minutes. It only reads a Snapshot; what the user asks for is
// returned as actions for the app to post to the session.
#include <imgui.h>
#include <chrono>

#include <optional>
#include <utility>

#include "replay_bar.hpp"
#include "session/snapshot.hpp"
#include "session_view.hpp"

namespace relaxmon::ui {

struct Fonts {
    ImFont* regular = nullptr;
    ImFont* large = nullptr;  // secondary numbers
    ImFont* huge = nullptr;   // heart rate
    ImFont* room = nullptr;   // the room view's words and numbers
    ImFont* giant = nullptr;  // the room view's heart rate (digits only)
};

struct DashboardActions {
    bool toggle_recording = false;
    bool marker = false;
    bool massage_start = false;  // ends the baseline
    bool open_library = false;   // the session library (L)
    bool open_sources = false;   // the device panel (D)
    bool open_session = false;   // the session panel (N)
    bool toggle_theme = false;   // dark and light (T)
    bool undo_baseline = false;  // Ctrl+Z
    bool next_client = false;    // Ctrl+N
    // A replay's new speed (0 = full) and pause state (Space, + and -), or a jump (the slider).
    std::optional<std::pair<double, bool>> playback;
    std::optional<double> seek_s;
};

// What the UI remembers between frames (never session data).
struct UiState {
    int tab = 0;          // 0 live, 1 whole session
    int select_tab = -1;  // a key asked for this tab
    SessionViewState session;
    bool help = false;
    bool pacer = false;  // the animated breathing guide
    // When it was last turned on: its breaths, on screen and on the speakers, count from there.
    std::chrono::steady_clock::time_point pacer_start{};
    bool ln_hf = false;   // the live view's second plot: ln HF instead of RMSSD (F)
    bool room = false;    // the across-the-room view (V; --view room)
    bool sound = true;    // the pacer's sound (A)
    double volume = 0.5;  // its volume, 0..1 ([ ])
    bool modal = false;   // a question is open: the single keys wait
    ImVec4 pacer_rect{};  // where this frame drew the breathing pacer (none: all zero)
    ReplayBarState replay_bar;
};

// `now_s`: the session time to show at the right edge of the plots.
DashboardActions draw_dashboard(const session::Snapshot& s, const Fonts& fonts, double now_s,
                                UiState& ui);

// Session time now, extrapolated from the snapshot's publication so plots scroll smoothly.
double displayed_time_s(const session::Snapshot& s);

// How long no beat has come (session seconds; 0 for a finished or paused session), and whether
// that is a lost signal: longer than 2.5 of the last intervals, never more than 3 s.
double signal_silence_s(const session::Snapshot& s);
bool signal_lost(const session::Snapshot& s);

}  // namespace relaxmon::ui
