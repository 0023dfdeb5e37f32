#include "dashboard_window.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "keep_loaded.hpp"
#include "key_queue.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

// GLFW reports errors through a C callback: keep the last one for our message.
std::string g_glfw_error;
void on_glfw_error(int, const char* description) {
    g_glfw_error = description ? description : "";
}

Fonts load_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    Fonts f;
    const std::filesystem::path regular = std::string(kFontDir) + "DejaVuSans.ttf";
    const std::filesystem::path bold = std::string(kFontDir) + "DejaVuSans-Bold.ttf";
    if (std::filesystem::exists(regular) && std::filesystem::exists(bold)) {
        f.regular = io.Fonts->AddFontFromFileTTF(regular.c_str(), 17.0f * scale);
        f.large = io.Fonts->AddFontFromFileTTF(bold.c_str(), 40.0f * scale);
        f.huge = io.Fonts->AddFontFromFileTTF(bold.c_str(), 110.0f * scale);
        // The room view: words at 90 px (ASCII), heart-rate digits at 260 px (digits only), without
        // the horizontal oversampling small type needs: a small atlas, built in a few ms.
        ImFontConfig big;
        big.OversampleH = big.OversampleV = 1;
        static const ImWchar kAscii[] = {0x0020, 0x007E, 0x00B1, 0x00B1, 0};
        static const ImWchar kDigits[] = {0x0020, 0x0020, 0x002D, 0x002D, 0x0030, 0x0039, 0};
        f.room = io.Fonts->AddFontFromFileTTF(bold.c_str(), 90.0f * scale, &big, kAscii);
        f.giant = io.Fonts->AddFontFromFileTTF(bold.c_str(), 260.0f * scale, &big, kDigits);
    }
    if (!f.regular) {  // no DejaVu: ImGui's built-in font, scaled for the big numbers
        f.regular = io.Fonts->AddFontDefault();
        ImFontConfig big;
        big.SizePixels = 40.0f * scale;
        f.large = io.Fonts->AddFontDefault(&big);
        big.SizePixels = 96.0f * scale;
        f.huge = io.Fonts->AddFontDefault(&big);
        f.room = f.giant = f.huge;
    }
    return f;
}

void apply_style(float scale, const theme::Palette& palette) {
    theme::use(palette);
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = {14, 12};
    style.FrameRounding = 5.0f;
    style.FramePadding = {12, 6};
    style.ItemSpacing = {10, 8};
    style.ScaleAllSizes(scale);
}

}  // namespace

GlfwSession::GlfwSession() {
    glfwSetErrorCallback(on_glfw_error);
    if (!glfwInit())
        throw DisplayError(fmt::format(
            "cannot open the dashboard: no usable display ({}); use 'relaxmon record' to "
            "record without a screen, or run it under 'xvfb-run relaxmon'",
            g_glfw_error.empty() ? "GLFW could not start" : g_glfw_error));
}

GlfwSession::~GlfwSession() {
    keep_libraries_loaded_for_leak_check();  // ASan builds only
    glfwTerminate();
}

DashboardWindow open_dashboard_window(const DashboardOptions& options) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // On a HiDPI monitor the window grows with the content scale (so does --scale): the layout
    // made for 1280x800 then looks the same, only sharper. It never outgrows the monitor's work
    // area (the desktop's panels excluded): the scale comes down until the smallest layout,
    // 1024x600, fits, and the window is no larger than the area.
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_FALSE);  // sized here, with the scale
    float scale = options.scale.value_or(0.0f);
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    if (!(scale > 0.0f)) {
        float sx = 1.0f, sy = 1.0f;
        if (monitor) glfwGetMonitorContentScale(monitor, &sx, &sy);
        scale = std::clamp(std::max(sx, sy), 1.0f, 4.0f);
    }
    int area_x = 0, area_y = 0, area_w = 0, area_h = 0;
    if (monitor) glfwGetMonitorWorkarea(monitor, &area_x, &area_y, &area_w, &area_h);
    int window_w = static_cast<int>(static_cast<float>(options.width) * scale);
    int window_h = static_cast<int>(static_cast<float>(options.height) * scale);
    if (area_w > 0 && area_h > 0) {
        const float fit =
            std::min(static_cast<float>(area_w) / 1024.0f, static_cast<float>(area_h) / 600.0f);
        if (scale > fit) {
            const float was = scale;
            scale = std::max(0.5f, std::floor(fit * 20.0f) / 20.0f);
            if (options.scale)
                fmt::print(stderr,
                           "relaxmon: --scale {:g} does not fit this {}x{} screen: using {:g}\n",
                           was, area_w, area_h, scale);
            window_w = static_cast<int>(static_cast<float>(options.width) * scale);
            window_h = static_cast<int>(static_cast<float>(options.height) * scale);
        }
        window_w = std::min(window_w, area_w);
        window_h = std::min(window_h, area_h);
    }
    GLFWwindow* window = glfwCreateWindow(window_w, window_h, "relaxmon", nullptr, nullptr);
    if (!window)
        throw DisplayError(
            fmt::format("cannot open the dashboard window with OpenGL 3.3: {}", g_glfw_error));
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; write nothing to the cwd
    // Sizes follow the monitor's content scale (HiDPI), or --scale (see above).
    apply_style(scale, options.light ? theme::kLight : theme::kDark);
    const Fonts fonts = load_fonts(scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    install_key_queue(window);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    return {window, fonts};
}

void close_dashboard_window(GLFWwindow* window) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
}

}  // namespace relaxmon::ui
