#include "confirm_dialog.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "panel.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

void ConfirmDialog::ask(Question q) {
    q_ = std::move(q);
    open_ = true;
}

void ConfirmDialog::draw() {
    if (!open_) return;
    bool keep_open = true;
    begin_panel(q_.title.c_str(), &keep_open, 620.0f, 0.0f);
    ImGui::PushTextWrapPos(0.0f);
    text_colored(theme::colors().text, q_.text);
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    const bool yes = ImGui::Button(q_.yes.c_str()) || ImGui::IsKeyPressed(GLFW_KEY_ENTER, false) ||
                     ImGui::IsKeyPressed(GLFW_KEY_KP_ENTER, false);
    ImGui::SameLine();
    const bool no = ImGui::Button(q_.no.c_str()) || ImGui::IsKeyPressed(GLFW_KEY_ESCAPE, false);
    end_panel();
    if (yes) {
        open_ = false;
        auto then = std::move(q_.on_yes);
        q_ = {};
        if (then) then();
    } else if (no || !keep_open) {
        open_ = false;
        q_ = {};
    }
}

}  // namespace relaxmon::ui
