#include "app.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include "confirm_dialog.hpp"
#include "dashboard_view.hpp"
#include "dashboard_window.hpp"
#include "frame_presenter.hpp"
#include "key_queue.hpp"
#include "library_view.hpp"
#include "pacer_audio.hpp"
#include "quick_markers.hpp"
#include "screenshot.hpp"
#include "session/clock_label.hpp"
#include "session/recorder.hpp"
#include "session_files.hpp"
#include "session_panel.hpp"
#include "source_view.hpp"
#include "state_out.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {

// SIGTERM (a logout, `kill`) or Ctrl-C in the terminal: close the window as its close button
// does, so a recording ends complete. Lock-free, so safe to set from a signal handler; the loop
// looks at least every 2 s.
std::atomic<int> g_stop_signal{0};

bool same_rect(const ImVec4& a, const ImVec4& b) {
    return a.x == b.x && a.y == b.y && a.z == b.z && a.w == b.w;
}
static_assert(std::atomic<int>::is_always_lock_free);
void on_stop_signal(int signal) {
    g_stop_signal.store(signal);
}

}  // namespace

int run_dashboard(const DashboardOptions& options) {
    // Say so plainly when there is no display at all, before GLFW's own wording.
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland))
        throw DisplayError(
            "cannot open the dashboard: no display (DISPLAY is not set); use 'relaxmon record' to "
            "record without a screen, or run it under 'xvfb-run relaxmon'");

    // Bad source or directory: throws before a window opens. Replaced when the user replays a
    // recorded session from the library.
    // A live session is recorded from its first beat unless --no-record; a replay never.
    const auto with_recording = [&options](session::SessionConfig cfg) {
        cfg.record_from_first_beat = options.record_live && cfg.source.rfind("file:", 0) != 0;
        return cfg;
    };
    auto session = std::make_unique<session::Session>(with_recording(options.session));
    session::SessionConfig session_cfg = with_recording(options.session);  // the running one's
    ConfirmDialog confirm;
    LibraryState library;
    SessionPanelState panel;
    panel.label = panel.applied_label = options.session.label;
    panel.notes = panel.saved_notes = options.session.notes;
    panel.software_version = options.session.software_version;
    panel.quick_markers = quick_markers_from_config();  // a bad list: one line, before a window
    SourceState sources;
    UiState ui_state;
    if (options.tab) ui_state.select_tab = *options.tab;
    ui_state.room = options.room;
    ui_state.sound = options.sound;
    ui_state.volume = options.volume;
    ui_state.pacer = options.pacer;
    library.root = options.session.sessions_root.empty() ? session::default_sessions_root()
                                                         : options.session.sessions_root;
    GlfwSession glfw;
    const DashboardWindow opened_window = open_dashboard_window(options);
    GLFWwindow* const window = opened_window.window;
    const Fonts& fonts = opened_window.fonts;

    struct sigaction stop {};
    stop.sa_handler = on_stop_signal;
    sigaction(SIGTERM, &stop, nullptr);
    sigaction(SIGINT, &stop, nullptr);
    session->start();
    if (options.record_at_once) session->start_recording();
    const auto opened = std::chrono::steady_clock::now();
    int status = 0;
    std::vector<double> frame_ms;  // build and render time of each frame, for --frame-stats
    std::shared_ptr<const session::Snapshot> last_drawn;
    PacerAudio audio;
    struct Heard {  // what the pacer's sound was last set to
        bool on = false;
        double bpm = 0.0, volume = 0.0;
        const session::Session* session = nullptr;
    } heard;
    bool pacer_was_on = false;
    FramePresenter presenter(window);
    // RELAXMON_WHOLE_FRAMES=1 draws every frame whole (a check of the partial ones, in tests).
    const bool partial_frames =
        presenter.partial_available() && !std::getenv("RELAXMON_WHOLE_FRAMES");
    std::size_t pacer_only_frames = 0;
    struct WholeFrame {  // the last frame drawn whole
        std::shared_ptr<const session::Snapshot> snapshot;
        std::chrono::steady_clock::time_point at;
        int fb_w = 0, fb_h = 0;
        ImVec4 pacer_rect{};
    } whole;
    int quick_frames = 0;
    // The session is replaced by a new one: the old one ends (its recording is completed)
    // and the new one starts. Returns false (keeping the old one) on a bad source.
    const auto replace_session = [&](session::SessionConfig cfg) {
        cfg.record_dir.reset();
        cfg = with_recording(std::move(cfg));
        try {
            auto next = std::make_unique<session::Session>(cfg);
            // Notes typed for the session ending go into its recording first.
            if (auto notes = take_unsaved_notes(panel)) session->set_notes(*notes);
            session->stop();
            session = std::move(next);
            session->start();
            session_cfg = std::move(cfg);
            return true;
        } catch (const std::exception& e) {  // a bad source: say so, keep the old one
            fmt::print(stderr, "relaxmon: {}\n", e.what());
            return false;
        }
    };
    // Ending a live session that holds a client's data (not saved, or longer than 5
    // minutes) waits for a yes.
    const auto after_asking = [&](const session::Snapshot& now, const std::string& what,
                                  std::function<void()> then) {
        const bool holds =
            !now.replay && !now.finished && now.beats > 0 && (!now.recording || now.t_s > 300.0);
        if (!holds) return then();
        confirm.ask(
            {"End this session?",
             fmt::format("{} ends this {} session{}{}.", what, session::clock_label(now.t_s),
                         now.label.empty() ? "" : " of " + now.label,
                         now.recording ? " (it is saved: " + now.recording_dir + ")"
                                       : ", which is not recorded: it will be lost"),
             "End it (Enter)", "Keep it (Esc)", std::move(then)});
    };
    // Live sessions carry the label and notes typed in the session panel.
    const auto live_config = [&](std::string source, std::optional<double> speed) {
        session::SessionConfig cfg = options.session;
        cfg.source = std::move(source);
        cfg.speed = speed;
        cfg.label = panel.applied_label = panel.label;
        cfg.notes = panel.notes;  // the unsaved part also reaches the old session first
        return cfg;
    };
    // The client leaves: this session ends (recording completed, report written in its
    // folder) and a clean one starts on the same strap: no label, notes, markers or
    // baseline carry over.
    const auto next_client = [&](const std::string& folder) {
        session::SessionConfig cfg = session_cfg;
        cfg.start_at_s.reset();
        cfg.label.clear();
        cfg.notes.clear();
        if (!replace_session(cfg)) return;
        panel.label = panel.applied_label = panel.notes = panel.saved_notes = {};
        panel.marker_text.clear();
        if (!folder.empty()) {
            panel.message = "Writing the last client's report ...";
            panel.export_job = export_report(folder, panel.software_version);
        }
    };

    while (!glfwWindowShouldClose(window)) {
        // Light on the battery (llvmpipe draws a frame in ~20 ms of CPU): input wakes the loop
        // at once; otherwise 2 frames/s while the session runs (the plots scroll ~1 px a
        // second), 12 while the breathing pacer animates, 1 in the background or once nothing
        // moves, one every 2 s when hidden or minimised.
        const bool hidden = glfwGetWindowAttrib(window, GLFW_ICONIFIED) ||
                            !glfwGetWindowAttrib(window, GLFW_VISIBLE);
        const bool focused = glfwGetWindowAttrib(window, GLFW_FOCUSED);
        const bool still = last_drawn && last_drawn->finished;
        // Dear ImGui answers some input a frame or two later (a panel opens, then its field
        // takes the keyboard): after input, a few frames follow at once.
        // The pacer animates whenever it is on and seen: a client follows it with the window
        // unfocused, or after a replay has ended.
        const double wait_s = quick_frames > 0    ? 1.0 / 60.0
                              : hidden            ? 2.0
                              : ui_state.pacer    ? 1.0 / 12.0
                              : still || !focused ? 1.0
                                                  : 0.5;
        const auto wait_start = std::chrono::steady_clock::now();
        glfwWaitEventsTimeout(wait_s);
        if (g_stop_signal.load() != 0) break;
        const double waited_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wait_start).count();
        if (waited_s < wait_s * 0.9)
            quick_frames = 3;  // woken early: an event
        else if (quick_frames > 0)
            --quick_frames;
        const auto frame_start = std::chrono::steady_clock::now();
        const auto snap = session->snapshot();
        // The pacer's sound: on the speakers, and in the session's --audio-out in session time;
        // a chime when a live session's relaxation onset comes.
        // The pacer starts with a breath in when it is turned on (screen and sound alike).
        if (ui_state.pacer && !pacer_was_on)
            ui_state.pacer_start = std::chrono::steady_clock::now();
        pacer_was_on = ui_state.pacer;
        const bool sound_on = ui_state.pacer && ui_state.sound && ui_state.volume > 0.0;
        if (sound_on != heard.on || snap->pacer_bpm != heard.bpm ||
            ui_state.volume != heard.volume || session.get() != heard.session) {
            if (sound_on || heard.on)
                audio.set(sound_on, snap->pacer_bpm, ui_state.volume, snap->pacer_inhale_fraction,
                          ui_state.pacer_start);
            session->set_pacer_sound(sound_on, snap->pacer_bpm, ui_state.volume);
            heard = {sound_on, snap->pacer_bpm, ui_state.volume, session.get()};
        }
        if (last_drawn && last_drawn->relaxation_onset_s != snap->relaxation_onset_s &&
            snap->relaxation_onset_s && !last_drawn->relaxation_onset_s && !snap->replay &&
            ui_state.sound && ui_state.volume > 0.0 && session.get() == heard.session)
            audio.chime();
        last_drawn = snap;

        if (apply_key_events(window)) quick_frames = std::max(quick_frames, 2);
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ui_state.modal = confirm.open();
        const DashboardActions act =
            draw_dashboard(*snap, fonts, displayed_time_s(*snap), ui_state);
        const auto replay = draw_library(library, fonts);
        const auto draw_sources_result = draw_sources(sources, *snap, fonts);
        const SessionPanelActions panel_act = draw_session_panel(panel, *snap, fonts);
        confirm.draw();
        ImGui::Render();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(theme::colors().background);
        // Between whole frames (a new snapshot, input, or once a second for the clock and the
        // scrolling plots) only the animated pacer is drawn and shown (FramePresenter).
        const bool pacer_only = partial_frames && ui_state.pacer && quick_frames == 0 &&
                                snap == whole.snapshot && !confirm.open() && fb_w == whole.fb_w &&
                                fb_h == whole.fb_h &&
                                same_rect(ui_state.pacer_rect, whole.pacer_rect) &&
                                ui_state.pacer_rect.z > ui_state.pacer_rect.x &&
                                frame_start - whole.at < std::chrono::seconds(1);
        if (pacer_only) {
            ++pacer_only_frames;
            presenter.present_part(ImGui::GetDrawData(), bg, ui_state.pacer_rect);
        } else {
            presenter.present_whole(ImGui::GetDrawData(), bg);
            whole = {snap, frame_start, fb_w, fb_h, ui_state.pacer_rect};
        }
        if (options.frame_stats) {
            glFinish();  // llvmpipe renders on the CPU: count it
            frame_ms.push_back(std::chrono::duration<double, std::milli>(
                                   std::chrono::steady_clock::now() - frame_start)
                                   .count());
        }

        if ((act.toggle_recording || panel_act.toggle_recording) && !snap->replay) {
            if (snap->recording)
                session->stop_recording();
            else
                session->start_recording();
        }
        if (act.marker) session->add_marker();
        if (act.massage_start || panel_act.baseline) {
            // A baseline in use, or a relaxation already seen against it, is not replaced
            // without a word: the relax index and the state start again from the new one.
            if (snap->baseline_span_s || snap->relaxation_onset_s) {
                std::string text = "The 3 minutes before now would become the baseline";
                if (snap->baseline_span_s)
                    text += fmt::format(" instead of {} to {}",
                                        session::clock_label(snap->baseline_span_s->first),
                                        session::clock_label(snap->baseline_span_s->second));
                if (snap->relaxation_onset_s)
                    text += fmt::format(", and the relaxation seen at {} is judged afresh",
                                        session::clock_label(*snap->relaxation_onset_s));
                text += ". Ctrl+Z takes it back.";
                session::Session* target = session.get();
                confirm.ask({"Replace the baseline?", text, "Replace (Enter)", "Keep it (Esc)",
                             [&session, target] {
                                 if (session.get() == target) session->mark_baseline();
                             }});
            } else {
                session->mark_baseline();
            }
        }
        if (act.undo_baseline) session->undo_baseline();
        if (panel_act.marker) session->add_marker(*panel_act.marker);
        if (panel_act.label) session->set_label(*panel_act.label);
        if (panel_act.notes) session->set_notes(*panel_act.notes);
        if (act.open_library && !library.open) open_library(library);
        if (act.open_sources && !sources.open) open_sources(sources);
        if (act.open_session && !panel.open) open_session_panel(panel);
        if (act.toggle_theme) theme::use(theme::colors().light ? theme::kDark : theme::kLight);
        if (act.playback) session->set_playback(act.playback->first, act.playback->second);

        if ((act.next_client || panel_act.next_client) && !snap->replay) {
            const std::string folder = snap->recording ? snap->recording_dir : std::string();
            if (snap->recording || snap->beats == 0)
                next_client(folder);
            else
                after_asking(*snap, "The next client",
                             [&next_client, folder] { next_client(folder); });
        }

        const auto choice = draw_sources_result;
        if (act.seek_s && snap->replay && !session->seek(*act.seek_s)) {
            // Back in time: the replay starts again and runs up to there at full speed, so the
            // numbers are the ones the session had at that moment; pause and speed stay.
            session::SessionConfig cfg = session_cfg;
            cfg.start_at_s = *act.seek_s;
            if (replace_session(cfg) && snap->paused)
                session->set_playback(snap->replay_speed, true);
        } else if (choice && choice->open_library) {
            open_library(library);
        } else if (choice && choice->disconnect) {
            if (auto notes = take_unsaved_notes(panel)) session->set_notes(*notes);
            session->stop();  // the strap is released, the recording completed
        } else if (choice && choice->reconnect) {
            session::SessionConfig cfg = session_cfg;
            cfg.start_at_s.reset();
            if (!snap->replay) cfg = live_config(session_cfg.source, session_cfg.speed);
            after_asking(*snap, "Connecting again",
                         [&replace_session, cfg] { replace_session(cfg); });
        } else if (replay) {  // a recorded session, only watched
            session::SessionConfig cfg = options.session;
            cfg.source = "file:" + replay->dir.string();
            cfg.speed = replay->speed;
            cfg.label.clear();
            cfg.notes.clear();
            after_asking(*snap, "Replaying", [&replace_session, cfg] { replace_session(cfg); });
        } else if (choice) {  // another strap: the same client, recorded on in a new folder
            after_asking(*snap, "Another source",
                         [&replace_session, cfg = live_config(choice->source, choice->speed)] {
                             replace_session(cfg);
                         });
        }

        const double open_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - opened).count();
        if (options.quit_after_s && open_s >= *options.quit_after_s) {
            if (options.screenshot) {
                try {
                    save_framebuffer_png(*options.screenshot, fb_w, fb_h);
                } catch (const std::exception& e) {
                    fmt::print(stderr, "relaxmon: {}\n", e.what());
                    status = 1;
                }
            }
            break;
        }
        presenter.end_frame();
    }

    if (auto notes = take_unsaved_notes(panel)) session->set_notes(*notes);
    if (options.state_out) write_state(*options.state_out, *session->snapshot(), ui_state);
    session->stop();
    // The last client's report too, as Next client writes it (a session of 5 minutes or more:
    // shorter says nothing a report could show).
    if (const auto last = session->snapshot();
        !last->replay && !last->recording_dir.empty() && last->t_s >= 300.0)
        export_report(last->recording_dir, panel.software_version).wait();
    if (options.frame_stats && !frame_ms.empty()) {
        std::sort(frame_ms.begin(), frame_ms.end());
        fmt::print(
            "frames {}, frame time median {:.2f} ms, p95 {:.2f} ms, max {:.2f} ms; {} of them "
            "the pacer alone\n",
            frame_ms.size(), frame_ms[frame_ms.size() / 2], frame_ms[frame_ms.size() * 95 / 100],
            frame_ms.back(), pacer_only_frames);
    }
    close_dashboard_window(window);
    const auto snap = session->snapshot();
    if (snap->recording_error) {
        fmt::print(stderr, "relaxmon: {}\n", *snap->recording_error);
        status = 1;
    }
    return status;
}

}  // namespace relaxmon::ui
