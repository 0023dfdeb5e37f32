#include "session_panel.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "panel.hpp"
#include "session/clock_label.hpp"
#include "session_files.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {
// Notes go to the session this long after the last keystroke (and when the field is left).
constexpr auto kNotesQuiet = std::chrono::seconds(2);

std::string baseline_line(const session::Snapshot& s) {
    char buf[200];
    if (s.rmssd_baseline_ms && s.rmssd_baseline_lo_ms && s.rmssd_baseline_hi_ms)
        std::snprintf(buf, sizeof buf, "Baseline RMSSD %.0f ms (no change between %.0f and %.0f)",
                      *s.rmssd_baseline_ms, *s.rmssd_baseline_lo_ms, *s.rmssd_baseline_hi_ms);
    else if (s.posture)  // the chest streams: the hands-free baseline waits for stillness
        std::snprintf(buf, sizeof buf,
                      "Learning the baseline: the first 3 minutes the client lies still (moving "
                      "or turning starts it again), or the 3 minutes before you end it here");
    else
        std::snprintf(buf, sizeof buf,
                      "Learning the baseline: 3 minutes after the first 30 s, or the 3 minutes "
                      "before you end it here");
    return buf;
}
}  // namespace

void open_session_panel(SessionPanelState& st) {
    st.open = true;
    st.focus_label = true;
}

std::optional<std::string> take_unsaved_notes(SessionPanelState& st) {
    if (st.notes == st.saved_notes) return std::nullopt;
    st.saved_notes = st.notes;
    return st.notes;
}

SessionPanelActions draw_session_panel(SessionPanelState& st, const session::Snapshot& s,
                                       const Fonts& fonts) {
    SessionPanelActions act;
    for (auto* job : {&st.export_job, &st.open_job})
        if (job->valid() && job->wait_for(std::chrono::seconds(0)) == std::future_status::ready)
            st.message = job->get();
    const auto now = std::chrono::steady_clock::now();
    if (st.notes != st.saved_notes && now - st.notes_edited > kNotesQuiet)
        act.notes = take_unsaved_notes(st);
    if (!st.open) return act;

    const auto& c = theme::colors();
    begin_panel("Session (N)", &st.open, 900.0f, 0.86f);
    if (fonts.large) ImGui::PushFont(fonts.large);
    ImGui::TextUnformatted("Session");
    if (fonts.large) ImGui::PopFont();

    // Who it is for. Tab moves on to the notes, then to the marker field.
    if (st.focus_label) ImGui::SetKeyboardFocusHere();
    st.focus_label = false;
    ImGui::SetNextItemWidth(360.0f);
    // Dear ImGui reverts a field on Escape; here Escape closes the panel and keeps what was typed.
    const bool escape = ImGui::IsKeyPressed(GLFW_KEY_ESCAPE);
    std::string typed = st.label;
    ImGui::InputTextWithHint("client or session", "e.g. Anna K, back massage", &st.label);
    if (ImGui::IsItemDeactivated() && escape) st.label = typed;
    if (ImGui::IsItemDeactivated() && st.label != st.applied_label) {
        st.applied_label = st.label;
        act.label = st.label;
    }
    ImGui::SameLine();
    if (s.replay) {
        panel_note("(a replay is only watched)");
    } else {
        ImGui::PushStyleColor(ImGuiCol_Button, s.recording ? c.record : c.button);
        if (ImGui::Button(s.recording ? "Stop recording (R)" : "Record (R)"))
            act.toggle_recording = true;
        ImGui::PopStyleColor();
        ImGui::SameLine();
        // The client leaves: this session ends with its report, the next starts clean.
        if (ImGui::Button("Next client (Ctrl+N)")) act.next_client = true;
    }

    panel_heading("Notes (saved with the recording, notes.txt)");
    typed = st.notes;
    if (ImGui::InputTextMultiline("##notes", &st.notes, {-1.0f, ImGui::GetTextLineHeight() * 6.0f}))
        st.notes_edited = now;
    if (ImGui::IsItemDeactivated() && escape) st.notes = typed;
    if (ImGui::IsItemDeactivated()) act.notes = take_unsaved_notes(st);

    panel_heading("Markers (M marks this moment)");
    // One click each, in rows that fit the panel.
    const float row_right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    for (std::size_t i = 0; i < st.quick_markers.size(); ++i) {
        const std::string& quick = st.quick_markers[i];
        if (i > 0) {
            const float w =
                ImGui::CalcTextSize(quick.c_str()).x + 2.0f * ImGui::GetStyle().FramePadding.x;
            ImGui::SameLine();
            if (ImGui::GetCursorScreenPos().x + w > row_right) ImGui::NewLine();
        }
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::Button(quick.c_str())) act.marker = quick;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Marks this moment \"%s\" (your own buttons: quick_markers = "
                "[\"back\", \"neck\", ...] in ~/.config/relaxmon/config.toml)",
                quick.c_str());
        ImGui::PopID();
    }
    ImGui::SetNextItemWidth(std::max(160.0f, ImGui::GetContentRegionAvail().x - 120.0f));
    if (ImGui::InputTextWithHint("##marker", "your own, then Enter", &st.marker_text,
                                 ImGuiInputTextFlags_EnterReturnsTrue) &&
        !st.marker_text.empty()) {
        act.marker = st.marker_text;
        st.marker_text.clear();
        ImGui::SetKeyboardFocusHere(-1);  // ready for the next one
    }
    ImGui::SameLine();
    if (ImGui::Button("Add") && !st.marker_text.empty()) {
        act.marker = st.marker_text;
        st.marker_text.clear();
    }
    if (!s.markers.empty()) {
        std::string list;
        for (const auto& m : s.markers)
            list += (list.empty() ? "" : "   ") + session::clock_label(m.t_s) + " " + m.label;
        panel_note(list);
    }

    panel_heading("Baseline");
    panel_note(baseline_line(s));
    if (!s.replay && ImGui::Button("End the baseline now (the last 3 minutes)"))
        act.baseline = true;

    panel_heading("Folder");
    const auto folder = session_folder(s);
    panel_note(folder ? folder->string() : "nothing recorded yet: start recording first");
    ImGui::BeginDisabled(!folder || st.export_job.valid());
    const bool ctrl = ImGui::GetIO().KeyCtrl;
    if ((ImGui::Button(st.export_job.valid() ? "Exporting ..." : "Export report (Ctrl+E)") ||
         (ctrl && ImGui::IsKeyPressed(GLFW_KEY_E, false))) &&
        folder && !st.export_job.valid()) {
        st.message = "Exporting ...";
        st.export_job = export_report(*folder, st.software_version);
    }
    ImGui::SameLine();
    if ((ImGui::Button("Open folder (Ctrl+O)") ||
         (ctrl && ImGui::IsKeyPressed(GLFW_KEY_O, false))) &&
        folder && !st.open_job.valid()) {
        st.message = "Opening ...";
        st.open_job = open_folder(*folder);
    }
    ImGui::EndDisabled();
    if (!st.message.empty()) {
        const bool bad = st.message.rfind("No ", 0) == 0 || st.message.rfind("Cannot", 0) == 0;
        ImGui::PushStyleColor(ImGuiCol_Text, bad ? c.bad : c.good);
        ImGui::TextWrapped("%s", st.message.c_str());
        ImGui::PopStyleColor();
    }

    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) st.open = false;
    end_panel();
    if (!st.open) {  // closing keeps nothing back
        if (st.label != st.applied_label) act.label = st.applied_label = st.label;
        if (auto n = take_unsaved_notes(st)) act.notes = n;
    }
    return act;
}

}  // namespace relaxmon::ui
