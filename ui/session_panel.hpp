#pragma once
// The session panel (key N): who the session is for (the label, which names the recording's
// folder and is stored in session.json), recording on and off, the baseline (learnt from the
// first minutes, or ended by hand: "the last 3 minutes were the baseline"), markers with quick
// labels or free text, the therapist's notes (saved to notes.txt as they are typed), and the
// session's folder: export the client report (Ctrl+E), open the folder (Ctrl+O).
#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "dashboard_view.hpp"

namespace relaxmon::ui {

struct SessionPanelState {
    bool open = false;
    bool focus_label = false;
    std::string label, applied_label;  // what is typed, what the session has
    std::string notes, saved_notes;
    std::chrono::steady_clock::time_point notes_edited{};
    std::string marker_text;
    std::vector<std::string> quick_markers;  // one click each (config.toml's quick_markers)
    std::string message;                     // the last export or open-folder result
    std::future<std::string> export_job, open_job;
    std::string software_version;  // for the report
};

struct SessionPanelActions {
    std::optional<std::string> label;   // post Session::set_label
    std::optional<std::string> notes;   // post Session::set_notes
    std::optional<std::string> marker;  // post Session::add_marker
    bool toggle_recording = false;
    bool baseline = false;     // "massage starts": the last 3 minutes are the baseline
    bool next_client = false;  // end this session (its report written), start a clean one
};

void open_session_panel(SessionPanelState& st);
SessionPanelActions draw_session_panel(SessionPanelState& st, const session::Snapshot& s,
                                       const Fonts& fonts);
// Notes typed but not yet handed to the session (the window is closing): take them.
std::optional<std::string> take_unsaved_notes(SessionPanelState& st);

}  // namespace relaxmon::ui
