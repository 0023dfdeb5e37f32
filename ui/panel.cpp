#include "panel.hpp"

#include <algorithm>

#include "theme.hpp"

namespace relaxmon::ui {

void begin_panel(const char* title, bool* open, float max_width, float height_share) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    // A share of 0: as tall as what it holds (a question and its buttons).
    const ImVec2 size{std::min(vp->WorkSize.x - 80.0f, max_width), vp->WorkSize.y * height_share};
    ImGui::SetNextWindowPos(
        {vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f},
        ImGuiCond_Always, {0.5f, 0.5f});
    ImGui::SetNextWindowSize(size);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, theme::colors().panel);
    ImGui::Begin(title, open,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoSavedSettings);
}

void end_panel() {
    ImGui::End();
    ImGui::PopStyleColor();
}

void text_colored(ImU32 color, const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
}

void panel_heading(const char* text) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().breathing);
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
}

void panel_note(const std::string& text) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().text_dim);
    ImGui::TextWrapped("%s", text.c_str());
    ImGui::PopStyleColor();
}

}  // namespace relaxmon::ui
