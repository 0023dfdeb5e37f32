#include "key_queue.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>

#include <vector>

namespace relaxmon::ui {

namespace {
struct KeyEvent {
    int key = 0, scancode = 0, action = 0, mods = 0;
    unsigned int character = 0;  // a typed character instead of a key, when not 0
};
std::vector<KeyEvent> g_queue;  // the UI thread's alone (GLFW calls back while it polls)
// Frames still to wait after a Tab before characters go to the field: ImGui 1.86 moves the
// keyboard focus at the end of the Tab's frame and the field takes it while the next frame is
// drawn, where a character could still be lost, so characters wait one frame more.
int g_char_hold_frames = 0;
// Frames still to wait after Escape, Enter or Tab before another key goes down: the key may close
// a panel or leave a text field, and io.WantTextInput still says "typing" for the frame after
// it, so a single-key shortcut right behind it (M after Escape) would be taken as typing.
int g_key_hold_frames = 0;

void on_key(GLFWwindow*, int key, int scancode, int action, int mods) {
    g_queue.push_back({key, scancode, action, mods, 0});
}

void on_char(GLFWwindow*, unsigned int c) {
    g_queue.push_back({0, 0, 0, 0, c});
}
}  // namespace

void install_key_queue(GLFWwindow* window) {
    glfwSetKeyCallback(window, on_key);
    glfwSetCharCallback(window, on_char);
}

bool apply_key_events(GLFWwindow* window) {
    // In this batch: a key went down, Tab went down, a character came.
    bool pressed = false, tabbed = g_char_hold_frames > 0, typed = false;
    bool hold_keys = g_key_hold_frames > 0;
    if (g_char_hold_frames > 0) --g_char_hold_frames;
    if (g_key_hold_frames > 0) --g_key_hold_frames;
    std::size_t n = 0;
    for (; n < g_queue.size(); ++n) {
        const KeyEvent& e = g_queue[n];
        // What waits for the next frame: a release after a press (this frame sees the key down,
        // with the modifiers still held: Ctrl of Ctrl+E); characters after a Tab (it moves the
        // keyboard to the next field first, see above); Escape, Enter or Tab after a character (the
        // field holds the character before the key acts on it).
        const bool acts_on_field = e.key == GLFW_KEY_ESCAPE || e.key == GLFW_KEY_ENTER ||
                                   e.key == GLFW_KEY_KP_ENTER || e.key == GLFW_KEY_TAB;
        if (pressed && !e.character && e.action == GLFW_RELEASE) break;
        if (tabbed && e.character) break;
        if (typed && !e.character && e.action == GLFW_PRESS && acts_on_field) break;
        if (hold_keys && !e.character && e.action == GLFW_PRESS) break;
        if (e.character) {
            ImGui_ImplGlfw_CharCallback(window, e.character);
            typed = true;
            continue;
        }
        if (e.action == GLFW_PRESS) {
            pressed = true;
            if (acts_on_field) {
                hold_keys = true;
                g_key_hold_frames = 2;
            }
            if (e.key == GLFW_KEY_TAB) {
                tabbed = true;
                g_char_hold_frames = 1;
            }
        }
        ImGui_ImplGlfw_KeyCallback(window, e.key, e.scancode, e.action, e.mods);
    }
    g_queue.erase(g_queue.begin(), g_queue.begin() + static_cast<std::ptrdiff_t>(n));
    return !g_queue.empty();
}

}  // namespace relaxmon::ui
