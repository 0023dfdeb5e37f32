#include "replay_bar.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "session/clock_label.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {
constexpr double kSpeeds[] = {1.0, 10.0, 60.0, 0.0};
constexpr const char* kSpeedNames[] = {"1x", "10x", "60x", "full"};
constexpr double kStep_s = 60.0;  // Left and Right
}  // namespace

ReplayRequest draw_replay_bar(const session::Snapshot& s, double now_s, ReplayBarState& st) {
    ReplayRequest req;
    if (!s.replay) return req;
    const auto& c = theme::colors();
    int at = 0;
    for (int i = 0; i < 4; ++i)
        if (kSpeeds[i] == s.replay_speed) at = i;

    // Play / pause: an ended replay plays again from the start.
    const char* play = s.finished ? "Again" : s.paused ? "Play" : "Pause";
    if (ImGui::Button(play, {ImGui::CalcTextSize("Pause").x + 28.0f, 0})) {
        if (s.finished && s.replay_span_s)
            req.seek_s = s.replay_span_s->first;
        else
            req.playback = std::pair{s.replay_speed, !s.paused};
    }
    for (int i = 0; i < 4; ++i) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Button, i == at ? c.replay : c.button);
        ImGui::PushStyleColor(ImGuiCol_Text, i == at ? c.background : c.text);
        if (ImGui::Button(kSpeedNames[i]) && !s.finished)
            req.playback = std::pair{kSpeeds[i], s.paused};
        ImGui::PopStyleColor(2);
    }

    if (!s.replay_span_s) return req;
    const auto [begin_s, end_s] = *s.replay_span_s;
    const double shown = std::clamp(now_s, begin_s, end_s);
    char times[64];
    const double slider_at = st.dragging_s ? double(*st.dragging_s) : shown;
    std::snprintf(times, sizeof times, "%s / %s", session::clock_label(slider_at).c_str(),
                  session::clock_label(end_s).c_str());
    ImGui::SameLine();
    const float label_w = ImGui::CalcTextSize("00:00:00 / 00:00:00").x;
    ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x - label_w - 16.0f));
    float value = static_cast<float>(slider_at);
    ImGui::PushStyleColor(ImGuiCol_SliderGrab, c.replay);
    ImGui::PushStyleColor(ImGuiCol_SliderGrabActive, c.replay);
    ImGui::SliderFloat("##position", &value, static_cast<float>(begin_s), static_cast<float>(end_s),
                       "", ImGuiSliderFlags_NoRoundToFormat);
    ImGui::PopStyleColor(2);
    if (ImGui::IsItemActive()) st.dragging_s = value;
    if (ImGui::IsItemDeactivated()) {
        if (st.dragging_s) req.seek_s = *st.dragging_s;
        st.dragging_s.reset();
    }
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, c.text_dim);
    ImGui::TextUnformatted(times);
    ImGui::PopStyleColor();

    if (!ImGui::GetIO().WantTextInput) {
        if (!s.finished) {
            if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false))
                req.playback = std::pair{s.replay_speed, !s.paused};
            if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL, false) ||
                ImGui::IsKeyPressed(GLFW_KEY_KP_ADD, false))
                req.playback = std::pair{kSpeeds[std::min(at + 1, 3)], s.paused};
            if (ImGui::IsKeyPressed(GLFW_KEY_MINUS, false) ||
                ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT, false))
                req.playback = std::pair{kSpeeds[std::max(at - 1, 0)], s.paused};
        }
        if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT, false) && shown + kStep_s <= end_s)
            req.seek_s = shown + kStep_s;
        if (ImGui::IsKeyPressed(GLFW_KEY_LEFT, false))
            req.seek_s = std::max(begin_s, shown - kStep_s);
        if (ImGui::IsKeyPressed(GLFW_KEY_HOME, false)) req.seek_s = begin_s;
    }
    return req;
}

}  // namespace relaxmon::ui
