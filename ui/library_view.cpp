#include "library_view.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "panel.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {
std::string clock_text(std::optional<double> s) {
    return s ? clock_label(*s) : "-";
}

const char* speed_label(double v) {
    return v == 1.0 ? "1x (real time)" : v == 10.0 ? "10x" : v == 60.0 ? "60x" : "full speed";
}

// The groups the panel shows: by client, or all sessions as one unnamed group.
void regroup(LibraryState& lib) {
    if (lib.by_client) {
        lib.groups = session::group_by_client(lib.entries);
        return;
    }
    session::ClientGroup all;
    for (std::size_t i = 0; i < lib.entries.size(); ++i) all.visits.push_back(i);
    lib.groups = {std::move(all)};
}

// The entry at a position of the list as shown.
const session::SessionEntry& entry_at(const LibraryState& lib, int position) {
    int p = position;
    for (const auto& g : lib.groups) {
        if (p < static_cast<int>(g.visits.size()))
            return lib.entries[g.visits[static_cast<std::size_t>(p)]];
        p -= static_cast<int>(g.visits.size());
    }
    return lib.entries.front();
}

// A client's name above their visits: how many, and the last one's date.
void group_row(const session::ClientGroup& g, const LibraryState& lib) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(1);
    const auto& newest = lib.entries[g.visits.front()];
    const std::string visits =
        g.visits.size() == 1 ? "1 visit" : std::to_string(g.visits.size()) + " visits";
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().replay);
    ImGui::TextWrapped("%s", g.name.empty() ? "(no name)" : g.name.c_str());
    ImGui::PopStyleColor();
    ImGui::TableSetColumnIndex(2);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().text_dim);
    ImGui::TextUnformatted(visits.c_str());
    ImGui::TableSetColumnIndex(4);
    ImGui::Text("last %s", newest.start_time.substr(0, 10).c_str());
    ImGui::PopStyleColor();
}

// One session's row at position `i` of the list (selected on a click); true when its Replay
// button was pressed.
bool session_row(const session::SessionEntry& e, int i, LibraryState& lib) {
    ImGui::PushID(i);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string when = e.start_time.size() >= 16
                                 ? e.start_time.substr(0, 10) + " " + e.start_time.substr(11, 5)
                                 : e.start_time;
    if (ImGui::Selectable(
            when.c_str(), i == lib.selected,
            ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap))
        lib.selected = i;
    if (i == lib.selected) ImGui::SetScrollHereY();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", e.label.empty() ? "-" : e.label.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(clock_text(e.duration_s).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%zu", e.beats);
    ImGui::TableNextColumn();
    const std::string relax = e.onset_s ? "after " + clock_text(e.onset_s) + ", " +
                                              clock_text(e.time_relaxed_s) + " relaxed"
                                        : std::string("no onset");
    ImGui::TextUnformatted(relax.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(e.status.c_str());
    ImGui::TableNextColumn();
    const bool replay = ImGui::SmallButton("Replay");
    if (replay) lib.selected = i;
    ImGui::PopID();
    return replay;
}
}  // namespace

void open_library(LibraryState& lib) {
    lib.open = true;
    session::recover_sessions(lib.root);  // a crashed recording shows complete
    lib.entries = session::list_sessions(lib.root);
    regroup(lib);
    lib.selected = 0;
}

std::optional<LibraryChoice> draw_library(LibraryState& lib, const Fonts& fonts) {
    if (!lib.open) return std::nullopt;
    std::optional<LibraryChoice> choice;
    begin_panel("Session library (L)", &lib.open, 1000.0f, 0.7f);
    if (fonts.large) ImGui::PushFont(fonts.large);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().replay);
    ImGui::TextUnformatted("Recorded sessions");
    ImGui::PopStyleColor();
    if (fonts.large) ImGui::PopFont();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().text_dim);
    ImGui::TextWrapped("%s  -  Up/Down to choose, Enter to replay, Esc to close",
                       lib.root.string().c_str());
    ImGui::PopStyleColor();
    if (ImGui::Checkbox("by client (G)", &lib.by_client) || ImGui::IsKeyPressed(GLFW_KEY_G)) {
        if (ImGui::IsKeyPressed(GLFW_KEY_G)) lib.by_client = !lib.by_client;
        const std::filesystem::path chosen =
            lib.entries.empty() ? std::filesystem::path() : entry_at(lib, lib.selected).dir;
        regroup(lib);
        // The same session stays chosen.
        for (int p = 0; p < static_cast<int>(lib.entries.size()); ++p)
            if (entry_at(lib, p).dir == chosen) lib.selected = p;
    }
    ImGui::SameLine();

    const int n = static_cast<int>(lib.entries.size());
    if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) lib.selected = std::min(lib.selected + 1, n - 1);
    if (ImGui::IsKeyPressed(GLFW_KEY_UP)) lib.selected = std::max(lib.selected - 1, 0);
    ImGui::SetNextItemWidth(180.0f);
    if (ImGui::BeginCombo("replay speed", speed_label(kReplaySpeeds[lib.speed_index]))) {
        for (int i = 0; i < 4; ++i)
            if (ImGui::Selectable(speed_label(kReplaySpeeds[i]), i == lib.speed_index))
                lib.speed_index = i;
        ImGui::EndCombo();
    }
    if (n == 0) {
        ImGui::TextWrapped(
            "No recordings yet: every live session is recorded from its first beat (or use "
            "relaxmon record), and they appear here.");
    } else if (ImGui::BeginTable(
                   "sessions", 7,
                   ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH,
                   {0.0f, ImGui::GetContentRegionAvail().y - 8.0f})) {
        ImGui::TableSetupScrollFreeze(0, 1);
        // The label takes the room left and wraps: a client's name is never cut.
        for (const char* h : {"started", "label", "length", "beats", "relaxation", "status", ""})
            ImGui::TableSetupColumn(h, std::string_view(h) == "label"
                                           ? ImGuiTableColumnFlags_WidthStretch
                                           : ImGuiTableColumnFlags_WidthFixed);
        ImGui::TableHeadersRow();
        int i = 0;  // the position in the list as shown
        for (const auto& group : lib.groups)
            for (const std::size_t visit : group.visits) {
                if (lib.by_client && visit == group.visits.front()) group_row(group, lib);
                if (session_row(lib.entries[visit], i, lib))
                    choice = LibraryChoice{lib.entries[visit].dir, kReplaySpeeds[lib.speed_index]};
                ++i;
            }
        ImGui::EndTable();
    }
    if (n > 0 && (ImGui::IsKeyPressed(GLFW_KEY_ENTER) || ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER)))
        choice = LibraryChoice{entry_at(lib, lib.selected).dir, kReplaySpeeds[lib.speed_index]};
    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) lib.open = false;
    end_panel();
    if (choice) lib.open = false;
    return choice;
}

}  // namespace relaxmon::ui
