#include "dashboard_view.hpp"

#include <GLFW/glfw3.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "ecg_view.hpp"
#include "hrv_view.hpp"
#include "numbers_view.hpp"
#include "panel.hpp"
#include "plot.hpp"
#include "room_view.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {

constexpr double kTrendSpan_s = 600.0;
constexpr double kTachogramSpan_s = 120.0;
constexpr double kMaxExtrapolation_s = 30.0;

DashboardActions draw_header(const session::Snapshot& s, double now_s, UiState& ui) {
    DashboardActions act;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Connection state as a coloured dot: green while beats come; amber within 3 s of a silent
    // heart (or no skin contact), red after 10 s of it or disconnected.
    const double silence_s = signal_silence_s(s);
    const bool lost = signal_lost(s);
    const bool ended = s.finished && !s.replay;
    const ImU32 state_color = !s.connected || ended || (lost && silence_s >= 10.0)
                                  ? theme::colors().bad
                              : lost || (s.contact && !*s.contact) ? theme::colors().warn
                                                                   : theme::colors().good;
    char silence_text[48];
    std::snprintf(silence_text, sizeof silence_text, "no signal for %.0f s", silence_s);
    const char* state_text = ended && !s.error            ? "disconnected (D to connect)"
                             : !s.connected               ? "disconnected"
                             : (s.contact && !*s.contact) ? "no skin contact"
                             : lost                       ? silence_text
                                                          : "connected";
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    draw->AddCircleFilled({p.x + h * 0.5f, p.y + h * 0.5f}, h * 0.35f, state_color);
    ImGui::Dummy({h, h});
    ImGui::SameLine();
    if (s.replay) {  // a recording played back: say so where nobody can miss it
        char tag[48];
        if (s.finished)
            std::snprintf(tag, sizeof tag, " REPLAY ENDED ");
        else if (s.paused)
            std::snprintf(tag, sizeof tag, " REPLAY PAUSED (Space) ");
        else if (s.replay_speed == 0.0)
            std::snprintf(tag, sizeof tag, " REPLAY full speed (+ -) ");
        else
            std::snprintf(tag, sizeof tag, " REPLAY %gx (+ -) ", s.replay_speed);
        const ImVec2 q = ImGui::GetCursorScreenPos();
        const ImVec2 sz = ImGui::CalcTextSize(tag);
        draw->AddRectFilled(q, {q.x + sz.x, q.y + sz.y},
                            s.paused && !s.finished ? theme::colors().warn : theme::colors().replay,
                            3.0f);
        text_colored(theme::colors().background, tag);
        ImGui::SameLine();
    }
    // Right-aligned controls take their room first; the facts on the left give way from the
    // least important (the source's address), so nothing runs under a button.
    const char* rec_label = s.recording ? "Stop recording" : "Record";
    const float rec_w = ImGui::CalcTextSize(rec_label).x + 40.0f;
    const float marker_w = ImGui::CalcTextSize("Marker (M)").x + 20.0f;
    const float start_w = ImGui::CalcTextSize("Massage starts (S)").x + 20.0f;
    const float panel_w = ImGui::CalcTextSize("Session (N)").x + 20.0f;
    const float controls_x =
        ImGui::GetWindowContentRegionMax().x - rec_w - marker_w - start_w - panel_w - 30.0f;
    const auto fact = [&](ImU32 color, std::string text) {
        const float room = controls_x - 12.0f - ImGui::GetCursorPosX();
        if (room < ImGui::CalcTextSize("...").x * 2.0f) return;
        if (ImGui::CalcTextSize(text.c_str()).x > room) {
            while (!text.empty() && ImGui::CalcTextSize((text + "...").c_str()).x > room)
                text.pop_back();
            text += "...";
        }
        text_colored(color, text);
        ImGui::SameLine();
    };
    fact(theme::colors().text, clock_label(now_s) + "  ");
    if (!s.label.empty()) fact(theme::colors().text, s.label + "  ");
    fact(theme::colors().text, s.device_name);
    fact(theme::colors().text_dim, std::string("- ") + state_text);
    if (s.battery_pct)
        fact(theme::colors().text_dim, "battery " + std::to_string(*s.battery_pct) + "%");
    // A replayed folder's path is long: its name says which session it is.
    if (s.replay)
        fact(theme::colors().text_dim,
             " replay of " + std::filesystem::path(s.source.substr(5, s.source.find('?') - 5))
                                 .filename()
                                 .string());
    else
        fact(theme::colors().text_dim, " source " + s.source);

    ImGui::SetCursorPosX(controls_x);
    // Marks the end of the baseline: the relaxation response is judged against the 3 minutes
    // before it.
    if (ImGui::Button("Massage starts (S)", {start_w, 0})) act.massage_start = true;
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Button,
                          s.recording ? theme::colors().record : theme::colors().button);
    // A replay is watched, not recorded; an ended session records nothing more.
    ImGui::BeginDisabled((s.replay || s.finished) && !s.recording);
    if (ImGui::Button(rec_label, {rec_w, 0})) act.toggle_recording = true;
    ImGui::EndDisabled();
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (ImGui::Button("Marker (M)", {marker_w, 0})) act.marker = true;
    ImGui::SameLine();
    if (ImGui::Button("Session (N)", {panel_w, 0})) act.open_session = true;

    if (s.recording_error) {
        text_colored(theme::colors().bad, "Recording problem: " + *s.recording_error);
    } else if (s.replay) {
        const ReplayRequest req = draw_replay_bar(s, now_s, ui.replay_bar);
        act.playback = req.playback;
        act.seek_s = req.seek_s;
    } else if (s.recording)
        text_colored(theme::colors().record, "Recording to " + s.recording_dir);
    else if (!s.recording_dir.empty())
        text_colored(theme::colors().text_dim, "Saved " + s.recording_dir + " (R records on)");
    else if (s.record_pending)
        text_colored(theme::colors().text_dim, "Recording starts with the first beat");
    else
        text_colored(theme::colors().text_dim, "Not recording (R records the whole session)");
    // The last word on the baseline (set, refused and why, undone), with its undo.
    if (!s.baseline_note.empty()) {
        if (!s.replay) ImGui::SameLine(0.0f, 24.0f);
        text_colored(s.baseline_refused ? theme::colors().warn : theme::colors().text_dim,
                     s.baseline_note);
        if (s.baseline_undoable) {
            ImGui::SameLine();
            if (ImGui::SmallButton("Undo (Ctrl+Z)")) act.undo_baseline = true;
        }
    }
    if (s.error) text_colored(theme::colors().bad, "Session ended: " + *s.error);
    return act;
}

template <class Get>
Range visible_range(const std::vector<session::TrendPoint>& pts, double t0, Get get,
                    double min_span, double fallback_lo) {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& p : pts) {
        const float v = get(p);
        if (p.t_s < t0 || std::isnan(v)) continue;
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
    }
    if (lo > hi) return {fallback_lo, fallback_lo + min_span};
    return nice_range(lo, hi, min_span);
}

void annotate(Plot& plot, const session::Snapshot& s) {
    for (const auto& g : s.gaps) plot.band(g.start_s, g.end_s, theme::colors().gap, "gap");
    for (const auto& m : s.markers) plot.vline(m.t_s, theme::colors().marker, m.label.c_str());
    if (s.relaxation_onset_s)
        plot.vline(*s.relaxation_onset_s, theme::colors().good, "relaxation onset");
}

// The vagal trend against the baseline band the relaxation detector counts as "no change":
// RMSSD (60-s window), or with F ln HF, the power at the breathing peak (2-min window; it follows
// slow breathing out of the HF band, and its band is learnt over the detector's baseline).
void draw_vagal_plot(const session::Snapshot& s, Range x, ImVec2 size, bool ln_hf) {
    const auto& c = theme::colors();
    const auto get = [ln_hf](const session::TrendPoint& p) {
        return ln_hf ? p.ln_hf_ms2 : p.rmssd_ms;
    };
    const Range y = visible_range(s.trend, x.min, get, ln_hf ? 1.0 : 20.0, ln_hf ? 4.0 : 0.0);
    Range ry{ln_hf ? y.min : std::max(0.0, y.min), y.max};
    const auto lo = ln_hf ? s.ln_hf_baseline_lo : s.rmssd_baseline_lo_ms;
    const auto mid = ln_hf ? s.ln_hf_baseline : s.rmssd_baseline_ms;
    const auto hi = ln_hf ? s.ln_hf_baseline_hi : s.rmssd_baseline_hi_ms;
    const double snap = ln_hf ? 0.5 : 5.0;
    if (lo && hi)
        ry = {std::min(ry.min, std::floor(*lo / snap) * snap),
              std::max(ry.max, std::ceil(*hi / snap) * snap)};
    Plot plot(ln_hf ? "ln_hf" : "rmssd", size, x, ry,
              ln_hf ? "ln HF power at the breathing peak - last 10 min (2-min window; F: RMSSD)"
                    : "RMSSD - last 10 min (60-s window; the baseline band shaded; F: ln HF)",
              ln_hf ? "ln ms2" : "ms", AxisFormat::clock);
    annotate(plot, s);
    const ImU32 color = ln_hf ? c.breathing : c.rmssd;
    if (lo && hi && mid) {
        ImGui::GetWindowDrawList()->AddRectFilled(plot.to_screen(x.min, *hi),
                                                  plot.to_screen(x.max, *lo), c.baseline_band);
        plot.line(
            2, [&](std::size_t i) { return ImVec2(float(i ? x.max : x.min), float(*mid)); }, color,
            1.0f);
    }
    const auto& t = s.trend;
    plot.line(
        t.size(), [&](std::size_t i) { return ImVec2(float(t[i].t_s), get(t[i])); }, color, 2.5f);
}

void draw_plots(const session::Snapshot& s, double now_s, ImVec2 avail, bool ln_hf) {
    // Three plots separated by the style's item spacing; they fill the height exactly.
    const float usable = avail.y - 2.0f * ImGui::GetStyle().ItemSpacing.y;
    const float hr_h = usable * 0.42f, rmssd_h = usable * 0.24f;
    const float tacho_h = usable - hr_h - rmssd_h;
    // Until the span has filled, time runs from 0 at the left edge.
    const double t1 = std::max(now_s, kTrendSpan_s);
    const Range x{t1 - kTrendSpan_s, t1};

    {
        const Range y = visible_range(
            s.trend, x.min, [](const auto& p) { return p.hr_bpm; }, 10.0, 50.0);
        Plot plot("hr", {avail.x, hr_h}, x, y,
                  "Heart rate - last 10 min (beat by beat, and 60-s mean)", "bpm");
        annotate(plot, s);
        const auto& t = s.trend;
        plot.line(
            t.size(), [&](std::size_t i) { return ImVec2(float(t[i].t_s), t[i].hr_bpm); },
            theme::colors().heart_rate_raw, 1.0f);
        plot.line(
            t.size(), [&](std::size_t i) { return ImVec2(float(t[i].t_s), t[i].mean_hr_bpm); },
            theme::colors().heart_rate, 3.0f);
    }
    draw_vagal_plot(s, x, {avail.x, rmssd_h}, ln_hf);
    {
        const double tt1 = std::max(now_s, kTachogramSpan_s);
        const Range tx{tt1 - kTachogramSpan_s, tt1};
        double lo = INFINITY, hi = -INFINITY;
        for (const auto& p : s.tachogram)
            if (p.t_s >= tx.min && p.artifact == dsp::ArtifactClass::none) {
                lo = std::min(lo, double(p.rr_ms));
                hi = std::max(hi, double(p.rr_ms));
            }
        const Range y = lo <= hi ? nice_range(lo, hi, 100.0) : Range{600.0, 1100.0};
        Plot plot("tachogram", {avail.x, tacho_h}, tx, y,
                  "RR tachogram - last 2 min (artifacts marked by class)", "ms");
        annotate(plot, s);
        const auto& r = s.tachogram;
        plot.line(
            r.size(), [&](std::size_t i) { return ImVec2(float(r[i].t_s), r[i].rr_ms); },
            theme::colors().rr, 1.5f);
        // The live screen's classes (threshold method, Kubios "medium"): a missed beat (two
        // intervals as one), a long or a short interval; an extra beat or an ectopic one is
        // marked as short. Clamped to the plot, so a wild value still shows.
        const auto& c = theme::colors();
        for (const auto& p : r) {
            if (p.t_s < tx.min) continue;
            const double v = std::clamp(double(p.rr_ms), y.min, y.max);
            switch (p.artifact) {
                case dsp::ArtifactClass::none:
                case dsp::ArtifactClass::gap:
                    plot.point(p.t_s, v, c.rr, 2.0f);
                    break;
                case dsp::ArtifactClass::missed:
                    plot.mark(p.t_s, v, c.bad, 4.5f, MarkShape::square);
                    break;
                case dsp::ArtifactClass::longer:
                    plot.mark(p.t_s, v, c.artifact, 5.0f, MarkShape::circle);
                    break;
                case dsp::ArtifactClass::shorter:
                case dsp::ArtifactClass::extra:
                case dsp::ArtifactClass::ectopic:
                    plot.mark(p.t_s, v, c.marker, 5.5f, MarkShape::triangle);
                    break;
            }
        }
        plot.legend({{MarkShape::square, c.bad, "missed"},
                     {MarkShape::circle, c.artifact, "long"},
                     {MarkShape::triangle, c.marker, "short"}});
    }
}

}  // namespace

namespace {
double wall_s_since_published(const session::Snapshot& s) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - s.published_at).count();
}
}  // namespace

double displayed_time_s(const session::Snapshot& s) {
    if (s.finished || s.clock_speed <= 0.0) return s.t_s;
    // A live session's clock is the wall clock: it runs on through a silent strap, and the
    // plots show the gap as it grows. A replay runs no further ahead than its reader may lag.
    const double since = std::max(0.0, wall_s_since_published(s) * s.clock_speed);
    return s.t_s + (s.replay ? std::min(since, kMaxExtrapolation_s) : since);
}

double signal_silence_s(const session::Snapshot& s) {
    if (!s.last_beat_t_s || s.finished || s.clock_speed <= 0.0) return 0.0;
    return std::max(
        0.0, s.t_s - *s.last_beat_t_s + std::max(0.0, wall_s_since_published(s) * s.clock_speed));
}

bool signal_lost(const session::Snapshot& s) {
    const double limit_s = std::clamp(2.5 * s.last_rr_ms / 1000.0, 2.0, 3.0);
    const double silence_s = signal_silence_s(s);
    // A replay or simulator running faster than real time: 3 s of its time pass in 50 ms of
    // ours, so a busy moment of the computer is no lost signal; it must also last a second here.
    return silence_s > limit_s && (s.clock_speed <= 1.0 || silence_s / s.clock_speed >= 1.0);
}

namespace {
void draw_help(UiState& ui) {
    if (!ui.help) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(
        {vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f},
        ImGuiCond_Always, {0.5f, 0.5f});
    ImGui::PushStyleColor(ImGuiCol_WindowBg, theme::colors().panel);
    ImGui::Begin("Keyboard shortcuts (H)", &ui.help,
                 ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove);
    const char* keys[][2] = {
        {"M", "marker at this moment"},
        {"S", "massage starts: the 3 minutes before are the baseline"},
        {"Ctrl+Z", "take the baseline set by hand back"},
        {"R", "record the session (from its first beat) or stop"},
        {"Ctrl+N", "next client: this session ends with its report, a clean one starts"},
        {"L", "session library: replay a recorded session"},
        {"D", "device: status, and a simulated, BLE or serial source"},
        {"N", "session: client, notes, markers, report, folder"},
        {"Ctrl+E, Ctrl+O", "session panel: export the report, open the folder"},
        {"Up Down, Enter, G", "library: choose a session, replay it; by client or by date"},
        {"Space, + -", "replay: pause and resume, faster, slower"},
        {"Left Right Home", "replay: a minute back, on; the start"},
        {"T", "dark or light theme"},
        {"F", "live view: RMSSD or ln HF against the baseline band"},
        {"P", "breathing pacer on/off (at --pacer breaths/min)"},
        {"V", "across-the-room view: large numbers (Esc: back)"},
        {"A, [ ]", "the pacer's sound on/off, softer, louder"},
        {"1 2 3 4", "live / whole session / spectrum and Poincare / ECG"},
        {"wheel, drag", "zoom and pan the whole-session plots"},
        {"double-click", "show the whole session again"},
        {"H or F1", "this help"},
        {"Esc", "close a panel"}};
    if (ImGui::BeginTable("keys", 2)) {
        for (const auto& k : keys) {
            ImGui::TableNextColumn();
            text_colored(theme::colors().breathing, k[0]);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k[1]);
        }
        ImGui::EndTable();
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) ui.help = false;
    ImGui::End();
    ImGui::PopStyleColor();
}
}  // namespace

DashboardActions draw_dashboard(const session::Snapshot& s, const Fonts& fonts, double now_s,
                                UiState& ui) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::Begin("relaxmon", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoBackground);  // glClear paints it
    DashboardActions act;
    if (ui.room) {
        draw_room_view(s, fonts, ui);
    } else {
        act = draw_header(s, now_s, ui);
        ImGui::Separator();

        const float em = ImGui::GetFontSize() / 17.0f;
        const float left_w = std::clamp(vp->WorkSize.x * 0.22f, 250.0f * em, 340.0f * em);
        ImGui::BeginChild("numbers", {left_w, 0}, false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        ui.pacer_rect = draw_numbers(s, fonts, ui);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("plots", {0, 0}, false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
        if (ImGui::BeginTabBar("views")) {
            const char* names[] = {"Live (1)", "Whole session (2)", "Spectrum and Poincare (3)",
                                   "ECG (4)"};
            for (int i = 0; i < 4; ++i) {
                const ImGuiTabItemFlags flags =
                    ui.select_tab == i ? ImGuiTabItemFlags_SetSelected : 0;
                if (ImGui::BeginTabItem(names[i], nullptr, flags)) {
                    ui.tab = i;
                    if (i == 0)
                        draw_plots(s, now_s, ImGui::GetContentRegionAvail(), ui.ln_hf);
                    else if (i == 1)
                        draw_session_view(s, now_s, ImGui::GetContentRegionAvail(), ui.session);
                    else if (i == 2)
                        draw_hrv_view(s, now_s, ImGui::GetContentRegionAvail());
                    else
                        draw_ecg_view(s, ImGui::GetContentRegionAvail());
                    ImGui::EndTabItem();
                }
            }
            ui.select_tab = -1;
            ImGui::EndTabBar();
        }
        ImGui::EndChild();
    }

    // Single-key shortcuts, unless a text field (label, notes, marker) has the keyboard or a
    // question waits for its answer; Ctrl+ keys are the panels' and the session's own.
    const ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput && !ui.modal && io.KeyCtrl) {
        if (ImGui::IsKeyPressed(GLFW_KEY_Z, false)) act.undo_baseline = true;
        if (ImGui::IsKeyPressed(GLFW_KEY_N, false)) act.next_client = true;
    } else if (!io.WantTextInput && !ui.modal) {
        const auto key = [](int k) { return ImGui::IsKeyPressed(k, false); };
        if (key(GLFW_KEY_R)) act.toggle_recording = true;
        if (key(GLFW_KEY_M)) act.marker = true;
        if (key(GLFW_KEY_S)) act.massage_start = true;
        if (key(GLFW_KEY_L)) act.open_library = true;
        if (key(GLFW_KEY_D)) act.open_sources = true;
        if (key(GLFW_KEY_N)) act.open_session = true;
        if (key(GLFW_KEY_T)) act.toggle_theme = true;
        if (key(GLFW_KEY_P)) ui.pacer = !ui.pacer;
        if (key(GLFW_KEY_F)) ui.ln_hf = !ui.ln_hf;
        if (key(GLFW_KEY_V)) ui.room = !ui.room;
        if (key(GLFW_KEY_A)) ui.sound = !ui.sound;
        if (key(GLFW_KEY_LEFT_BRACKET)) ui.volume = std::max(0.0, ui.volume - 0.1);
        if (key(GLFW_KEY_RIGHT_BRACKET)) ui.volume = std::min(1.0, ui.volume + 0.1);
        if (ui.room && !ui.help && key(GLFW_KEY_ESCAPE)) ui.room = false;
        for (int i = 0; i < 4; ++i)
            if (key(GLFW_KEY_1 + i)) ui.select_tab = i;
        if (key(GLFW_KEY_H) || key(GLFW_KEY_F1)) ui.help = !ui.help;
    }
    ImGui::End();
    draw_help(ui);
    return act;
}

}  // namespace relaxmon::ui
