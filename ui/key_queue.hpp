#pragma once
// Dear ImGui 1.86 reads the keyboard as key state, sampled once a frame: a key pressed and
// released between two frames (xdotool, a quick tap while a frame renders on a software
// renderer) would never be seen, and Ctrl released in the same instant as the E of Ctrl+E would
// turn the shortcut into a plain E. So key and character events are queued in order and handed
// to the backend before each frame, holding back to the next frame a release after a press
// (every key is seen down, with its modifiers), characters after a Tab (they belong to the
// field it moves to) and Escape, Enter or Tab after a character (the field holds it before the
// key acts). Typing runs at a character a frame. (ImGui 1.87 queues input events itself.)
struct GLFWwindow;

namespace relaxmon::ui {

// Takes over GLFW's key and character callbacks after ImGui_ImplGlfw_InitForOpenGL(window,
// true), forwarding to the backend.
void install_key_queue(GLFWwindow* window);
// Before ImGui::NewFrame: hands this frame's events to the backend. True when some wait for the
// next frame (draw it soon).
bool apply_key_events(GLFWwindow* window);

}  // namespace relaxmon::ui
