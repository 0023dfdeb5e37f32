#include "numbers_view.hpp"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "pacer.hpp"
#include "panel.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

std::string fmt_value(const std::optional<double>& v, const char* format) {
    if (!v) return "--";
    char buf[32];
    std::snprintf(buf, sizeof buf, format, *v);
    return buf;
}

namespace {

// `scale` shrinks the value's type where the column is short (1024x600).
void big_number(ImFont* font, ImU32 color, const std::string& value, const char* unit,
                const char* caption, float scale = 1.0f) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().text_dim);
    ImGui::TextUnformatted(caption);
    ImGui::PopStyleColor();
    if (font) ImGui::PushFont(font);
    ImGui::SetWindowFontScale(scale);
    text_colored(color, value);
    ImGui::SetWindowFontScale(1.0f);
    if (font) ImGui::PopFont();
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (font ? font->FontSize * scale * 0.45f : 0.0f));
    text_colored(theme::colors().text_dim, unit);
}

}  // namespace

// The state as the screen says it. The files keep the detector's `aroused` (a sustained rise
// of heart rate with less variability); in a massage room, read by a client, it is "alert", in
// amber, not an alarm in red.
const char* state_word(const std::string& state) {
    return state == "aroused" ? "alert" : state.c_str();
}

ImU32 state_color(const std::string& state) {
    if (state == "relaxed") return theme::colors().good;
    if (state == "relaxing") return theme::colors().rmssd;
    if (state == "aroused") return theme::colors().warn;
    return theme::colors().text_dim;
}

namespace {
// The circle's place: a click starts or stops the pacer, as P does.
void pacer_switch(UiState& ui, float size) {
    if (ImGui::InvisibleButton("pacer", {size, size})) ui.pacer = !ui.pacer;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(ui.pacer ? "Stop the pacer (P)" : "Start the pacer (P)");
}

// The pacer's sound: on/off with its volume, softer, louder (A, [ and ]).
void sound_controls(UiState& ui) {
    const bool on = ui.sound && ui.volume > 0.0;
    char label[32];
    std::snprintf(label, sizeof label, on ? "sound %.0f%%##sound" : "sound off##sound",
                  100.0 * ui.volume);
    if (ImGui::SmallButton(label)) {
        ui.sound = !on;
        if (ui.sound && ui.volume <= 0.0) ui.volume = 0.5;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The pacer's sound on or off (A)");
    ImGui::SameLine();
    if (ImGui::SmallButton("-")) ui.volume = std::max(0.0, ui.volume - 0.1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Softer ([)");
    ImGui::SameLine();
    if (ImGui::SmallButton("+")) ui.volume = std::min(1.0, ui.volume + 0.1), ui.sound = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Louder (])");
}
}  // namespace

// A circle that grows while breathing in and shrinks while breathing out, at the pacer's rate
// and in:out split (the sound's).
// Returns the rectangle it drew in (circle and words), which alone changes while it animates.
ImVec4 draw_pacer(const session::Snapshot& s, UiState& ui, float size, bool with_sound) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    if (!ui.pacer) {  // still, until asked for: an animated guide costs frames (and battery)
        ImGui::GetWindowDrawList()->AddCircle({p.x + size * 0.5f, p.y + size * 0.5f}, size * 0.5f,
                                              theme::colors().grid, 48, 2.0f);
        pacer_switch(ui, size);
        ImGui::SameLine();
        ImGui::BeginGroup();
        text_colored(theme::colors().text_dim, "breathing pacer");
        text_colored(theme::colors().text_dim, "off - press P");
        ImGui::EndGroup();
        return {p.x, p.y, ImGui::GetItemRectMax().x,
                std::max(p.y + size, ImGui::GetItemRectMax().y)};
    }
    // Wall-clock time, not the session's: at --speed 30 a session-time pacer cycled several
    // times a second, and it froze when a replay ended. From when it was turned on, as its sound.
    const double since_start_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - ui.pacer_start).count();
    const PacerPose pose = pacer_pose(since_start_s, s.pacer_bpm, s.pacer_inhale_fraction);
    const bool inhale = pose.inhale;
    const auto eased = static_cast<float>(pose.size);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 c{p.x + size * 0.5f, p.y + size * 0.5f};
    draw->AddCircle(c, size * 0.5f, theme::colors().grid, 48, 2.0f);
    draw->AddCircleFilled(c, 8.0f + eased * (size * 0.5f - 8.0f), theme::colors().breathing, 48);
    pacer_switch(ui, size);
    ImGui::SameLine();
    ImGui::BeginGroup();
    text_colored(theme::colors().text, inhale ? "breathe in" : "breathe out");
    char buf[64];
    std::snprintf(buf, sizeof buf, "pacer %.1f /min", s.pacer_bpm);
    text_colored(theme::colors().text_dim, buf);
    if (with_sound) sound_controls(ui);
    ImGui::EndGroup();
    // The words' column as wide as the longest they say ("breathe out" is wider than "in").
    const float words_w =
        std::max(ImGui::CalcTextSize("breathe out").x, ImGui::GetItemRectSize().x);
    return {p.x, p.y, ImGui::GetItemRectMin().x + words_w,
            std::max(p.y + size, ImGui::GetItemRectMax().y)};
}

namespace {

// The relax index a minute ago, from the whole-session series (5-s points): for the trend arrow.
std::optional<float> relax_index_before(const session::Snapshot& s, double t_s) {
    if (!s.session_trend) return std::nullopt;
    const auto& tail = s.session_trend->tail;
    for (auto it = tail.rbegin(); it != tail.rend(); ++it)
        if (it->t_s <= t_s)
            return std::isnan(it->relax_index) ? std::nullopt : std::optional(it->relax_index);
    if (s.session_trend->chunks.empty()) return std::nullopt;
    const auto& last = *s.session_trend->chunks.back();
    for (auto it = last.rbegin(); it != last.rend(); ++it)
        if (it->t_s <= t_s)
            return std::isnan(it->relax_index) ? std::nullopt : std::optional(it->relax_index);
    return std::nullopt;
}

}  // namespace

// An arrow after the relax index: up (more relaxed) or down by 3 points or more over the last
// minute, flat otherwise, with the change.
void draw_relax_trend(const session::Snapshot& s) {
    if (!s.relax_index) return;
    const auto before = relax_index_before(s, s.t_s - 60.0);
    if (!before) return;
    const double delta = *s.relax_index - *before;
    const auto& c = theme::colors();
    const ImU32 color = delta >= 3.0 ? c.good : delta <= -3.0 ? c.warn : c.text_dim;
    ImGui::SameLine();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight(), w = h * 0.8f;
    const ImVec2 m{p.x + w * 0.5f, p.y + h * 0.5f};
    ImDrawList* draw = ImGui::GetWindowDrawList();
    if (delta >= 3.0)
        draw->AddTriangleFilled({m.x, m.y - h * 0.4f}, {m.x + w * 0.5f, m.y + h * 0.3f},
                                {m.x - w * 0.5f, m.y + h * 0.3f}, color);
    else if (delta <= -3.0)
        draw->AddTriangleFilled({m.x, m.y + h * 0.4f}, {m.x - w * 0.5f, m.y - h * 0.3f},
                                {m.x + w * 0.5f, m.y - h * 0.3f}, color);
    else
        draw->AddRectFilled({m.x - w * 0.5f, m.y - 1.5f}, {m.x + w * 0.5f, m.y + 1.5f}, color);
    ImGui::Dummy({w, h});
    ImGui::SameLine();
    // Whole points: "-0" is no change.
    const long points = std::lround(delta);
    char buf[32];
    if (points == 0)
        std::snprintf(buf, sizeof buf, "0 /min");
    else
        std::snprintf(buf, sizeof buf, "%+ld /min", points);
    text_colored(color, buf);
}

std::string breathing_value(const session::Snapshot& s) {
    return s.resp_rate_short_confident ? fmt_value(s.resp_rate_short_bpm, "%.1f") : "--";
}

ImVec4 draw_numbers(const session::Snapshot& s, const Fonts& fonts, UiState& ui) {
    // Below about 700 px of height (1280x720) the gaps between the numbers go; below about 640
    // (1024x600) the heart rate's type shrinks, the pacer too, and captions shorten, so all of
    // it stays in view.
    const float em = ImGui::GetFontSize() / 17.0f;
    const float height = ImGui::GetContentRegionAvail().y;
    const bool roomy = height > 660.0f * em;
    const bool compact = height < 560.0f * em;
    const auto gap = [roomy] {
        if (roomy) ImGui::Spacing();
    };
    // A silent strap: the numbers are those of the last beat, dimmed, and say for how long.
    const bool lost = signal_lost(s);
    char hr_caption[48] = "Heart rate";
    if (lost)
        std::snprintf(hr_caption, sizeof hr_caption, "No signal for %.0f s", signal_silence_s(s));
    const auto live = [&](ImU32 color) { return lost ? theme::colors().text_dim : color; };
    big_number(fonts.huge, live(theme::colors().heart_rate), fmt_value(s.hr_bpm, "%.0f"), "bpm",
               hr_caption, compact ? 0.5f : 1.0f);
    gap();
    // The relaxation response against the person's own baseline: 50 = baseline.
    // Its uncertainty beside it: how far the features disagree (a wide +- is mixed evidence).
    char index_caption[64];
    const char* index_name = "Relax index (50 = baseline)";
    if (ImGui::CalcTextSize("Relax index (50 = baseline) \xc2\xb1"
                            "99")
            .x > ImGui::GetContentRegionAvail().x)
        index_name = "Relax index";
    if (s.relax_index_pm)
        std::snprintf(index_caption, sizeof index_caption, "%s \xc2\xb1%.0f", index_name,
                      *s.relax_index_pm);
    else
        std::snprintf(index_caption, sizeof index_caption, "%s", index_name);
    big_number(fonts.large, live(state_color(s.relax_state)), fmt_value(s.relax_index, "%.0f"),
               state_word(s.relax_state), index_caption);
    draw_relax_trend(s);
    gap();
    char caption[64];
    std::snprintf(caption, sizeof caption, "RMSSD (%.0f s)", s.window_s);
    big_number(fonts.large, live(theme::colors().rmssd), fmt_value(s.rmssd_ms, "%.0f"), "ms",
               caption);
    gap();
    // Breathing from chest movement when the strap streams acceleration, otherwise counted breath
    // by breath in the heart rhythm; a dash, marked unsure, while it is not known to a third of a
    // breath a minute (irregular breathing, or a count the spectrum does not confirm): never a
    // number that may be wrong (a harmonic, half the rate).
    const bool resp_sure = s.resp_rate_short_confident;
    big_number(fonts.large, live(resp_sure ? theme::colors().breathing : theme::colors().text_dim),
               breathing_value(s), "/min",
               s.resp_from_chest ? (resp_sure ? "Breathing (chest)" : "Breathing (chest), unsure")
                                 : (resp_sure ? "Breathing" : "Breathing, unsure"));
    char line[96];
    std::snprintf(line, sizeof line, "Coherence %s    SDNN %s ms",
                  fmt_value(s.coherence, "%.1f").c_str(), fmt_value(s.sdnn_ms, "%.0f").c_str());
    text_colored(theme::colors().text, line);
    // Below 9 breaths/min the breathing peak sits in LF: LF/HF would read 20-170, which is the
    // breath, not a sympathetic storm. Say why instead of the number.
    std::snprintf(line, sizeof line, "LF/HF %s",
                  s.hf_interpretable ? fmt_value(s.lf_hf, "%.1f").c_str() : "n/a (slow breathing)");
    text_colored(theme::colors().text, line);
    gap();
    const ImVec4 pacer_rect = draw_pacer(s, ui, (compact ? 40.0f : 64.0f) * em, !compact);
    if (!compact) ImGui::Separator();
    const double pct = s.beats ? 100.0 * double(s.artifacts) / double(s.beats) : 0.0;
    char art[96];
    std::snprintf(art, sizeof art, "Beats %zu, artifacts %zu (%.1f%%)", s.beats, s.artifacts, pct);
    text_colored(s.artifacts ? theme::colors().artifact : theme::colors().text_dim, art);
    return pacer_rect;
}

}  // namespace relaxmon::ui
