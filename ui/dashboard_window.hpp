#pragma once
// The dashboard's window: GLFW started and stopped, a window with an OpenGL 3.3 core context sized
// for the monitor (its content scale, or --scale, brought down until the smallest layout,
// 1024x600, fits the work area), and Dear ImGui on it with the theme's style and DejaVu fonts.
#include "app.hpp"
#include "dashboard_view.hpp"

struct GLFWwindow;

namespace relaxmon::ui {

// glfwInit on construction (DisplayError, one line, when there is no usable display),
// glfwTerminate on destruction.
class GlfwSession {
  public:
    GlfwSession();
    ~GlfwSession();
    GlfwSession(const GlfwSession&) = delete;
    GlfwSession& operator=(const GlfwSession&) = delete;
};

struct DashboardWindow {
    GLFWwindow* window = nullptr;
    Fonts fonts;
};

// Opens the window and sets up Dear ImGui on it (context, style, fonts, GLFW and OpenGL
// backends, the key queue). Throws DisplayError when no OpenGL 3.3 window can be had.
DashboardWindow open_dashboard_window(const DashboardOptions& options);
// Dear ImGui's backends and context, then the window.
void close_dashboard_window(GLFWwindow* window);

}  // namespace relaxmon::ui
