#include "theme.hpp"

namespace relaxmon::ui::theme {

namespace {
const Palette* g_current = &kDark;  // the UI thread's alone
}

const Palette& colors() {
    return *g_current;
}

void use(const Palette& palette) {
    g_current = &palette;
    ImGuiStyle& style = ImGui::GetStyle();
    if (palette.light)
        ImGui::StyleColorsLight(&style);
    else
        ImGui::StyleColorsDark(&style);
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(palette.background);
    // Children draw no background of their own: glClear already painted it, and on a software
    // renderer every full-window fill is a noticeable share of a frame.
    style.Colors[ImGuiCol_ChildBg] = {0.0f, 0.0f, 0.0f, 0.0f};
    style.Colors[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(palette.text);
    style.Colors[ImGuiCol_Button] = ImGui::ColorConvertU32ToFloat4(palette.button);
}

}  // namespace relaxmon::ui::theme
