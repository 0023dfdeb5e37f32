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
    if (palette.light) {  // fields stand out from the white panels
        style.Colors[ImGuiCol_FrameBg] = ImGui::ColorConvertU32ToFloat4(rgba(226, 231, 238));
        style.Colors[ImGuiCol_FrameBgHovered] = ImGui::ColorConvertU32ToFloat4(rgba(214, 221, 231));
        style.Colors[ImGuiCol_FrameBgActive] = ImGui::ColorConvertU32ToFloat4(rgba(204, 214, 228));
    }
}

}  // namespace relaxmon::ui::theme
