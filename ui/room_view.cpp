#include "room_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "numbers_view.hpp"
#include "panel.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {
// Text in `font` scaled so its line is `height_px` high.
void sized_text(ImFont* font, float height_px, ImU32 color, const std::string& text) {
    ImGui::PushFont(font);
    ImGui::SetWindowFontScale(height_px / font->FontSize);
    text_colored(color, text);
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopFont();
}
}  // namespace

void draw_room_view(const session::Snapshot& s, const Fonts& fonts, UiState& ui) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float h = vp->WorkSize.y, w = vp->WorkSize.x;
    const bool lost = signal_lost(s);
    const auto live = [&](ImU32 color) { return lost ? theme::colors().text_dim : color; };
    const float pad = 0.04f * h;

    // Left: the heart rate. The digits' line is 0.36 of the window: the digits themselves (about
    // 0.73 of a line in DejaVu Sans Bold) a quarter of it.
    ImGui::SetCursorScreenPos({vp->WorkPos.x + pad, vp->WorkPos.y + pad});
    ImGui::BeginGroup();
    sized_text(fonts.room, 0.06f * h, theme::colors().text_dim, lost ? "no signal" : "heart rate");
    sized_text(fonts.giant, 0.36f * h, live(theme::colors().heart_rate),
               fmt_value(s.hr_bpm, "%.0f"));
    sized_text(fonts.room, 0.07f * h, theme::colors().text_dim, "bpm");
    ImGui::EndGroup();

    // Right: the state in a word, the relax index and its trend, breathing.
    const float right_x = vp->WorkPos.x + std::max(0.5f * w, ImGui::GetItemRectMax().x + pad);
    ImGui::SetCursorScreenPos({right_x, vp->WorkPos.y + pad});
    ImGui::BeginGroup();
    sized_text(fonts.room, 0.13f * h, live(state_color(s.relax_state)), state_word(s.relax_state));
    sized_text(fonts.room, 0.05f * h, theme::colors().text_dim, "relax index");
    sized_text(fonts.room, 0.15f * h, live(state_color(s.relax_state)),
               fmt_value(s.relax_index, "%.0f"));
    ImGui::PushFont(fonts.room);
    ImGui::SetWindowFontScale(0.06f * h / fonts.room->FontSize);
    draw_relax_trend(s);
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopFont();
    sized_text(fonts.room, 0.05f * h, theme::colors().text_dim, "breathing");
    // A dash while the rate is unsure (as in the live view).
    const std::string value = breathing_value(s);
    const std::string breaths = value == "--" ? value : value + " /min";
    sized_text(
        fonts.room, 0.09f * h,
        live(s.resp_rate_short_confident ? theme::colors().breathing : theme::colors().text_dim),
        breaths);
    ImGui::EndGroup();

    // Below the heart rate: the pacer, large.
    ImGui::SetCursorScreenPos({vp->WorkPos.x + pad, vp->WorkPos.y + 0.68f * h});
    ImGui::PushFont(fonts.room);
    ImGui::SetWindowFontScale(0.05f * h / fonts.room->FontSize);
    ui.pacer_rect = draw_pacer(s, ui, 0.26f * h, false);
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopFont();
}

}  // namespace relaxmon::ui
