#include "app.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <fmt/format.h>
#include <imgui.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "dashboard_view.hpp"
#include "library_view.hpp"
#include "screenshot.hpp"
#include "session/recorder.hpp"
#include "source_view.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {

constexpr const char* kFontDir = "/usr/share/fonts/truetype/dejavu/";

// GLFW reports errors through a C callback: keep the last one for our message.
std::string g_glfw_error;
void on_glfw_error(int, const char* description) {
    g_glfw_error = description ? description : "";
}

struct GlfwSession {
    GlfwSession() {
        glfwSetErrorCallback(on_glfw_error);
        if (!glfwInit())
            throw DisplayError(fmt::format(
                "cannot open the dashboard: no usable display ({}); use 'relaxmon record' to "
                "record without a screen, or run it under 'xvfb-run relaxmon'",
                g_glfw_error.empty() ? "GLFW could not start" : g_glfw_error));
    }
    ~GlfwSession() { glfwTerminate(); }
};

Fonts load_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    Fonts f;
    const std::filesystem::path regular = std::string(kFontDir) + "DejaVuSans.ttf";
    const std::filesystem::path bold = std::string(kFontDir) + "DejaVuSans-Bold.ttf";
    if (std::filesystem::exists(regular) && std::filesystem::exists(bold)) {
        f.regular = io.Fonts->AddFontFromFileTTF(regular.c_str(), 17.0f * scale);
        f.large = io.Fonts->AddFontFromFileTTF(bold.c_str(), 40.0f * scale);
        f.huge = io.Fonts->AddFontFromFileTTF(bold.c_str(), 110.0f * scale);
    }
    if (!f.regular) {  // no DejaVu: ImGui's built-in font, scaled for the big numbers
        f.regular = io.Fonts->AddFontDefault();
        ImFontConfig big;
        big.SizePixels = 40.0f * scale;
        f.large = io.Fonts->AddFontDefault(&big);
        big.SizePixels = 96.0f * scale;
        f.huge = io.Fonts->AddFontDefault(&big);
    }
    return f;
}

void apply_style(float scale) {
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowPadding = {14, 12};
    style.FrameRounding = 5.0f;
    style.FramePadding = {12, 6};
    style.ItemSpacing = {10, 8};
    style.Colors[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(theme::kBackground);
    // Children draw no background of their own: glClear already painted it, and on a software
    // renderer every full-window fill is a noticeable share of a frame.
    style.Colors[ImGuiCol_ChildBg] = {0.0f, 0.0f, 0.0f, 0.0f};
    style.ScaleAllSizes(scale);
}

}  // namespace

int run_dashboard(const DashboardOptions& options) {
    // Say so plainly when there is no display at all, before GLFW's own wording.
    const char* display = std::getenv("DISPLAY");
    const char* wayland = std::getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland))
        throw DisplayError(
            "cannot open the dashboard: no display (DISPLAY is not set); use 'relaxmon record' to "
            "record without a screen, or run it under 'xvfb-run relaxmon'");

    // Bad source or directory: throws before a window opens. Replaced when the user replays a
    // recorded session from the library.
    auto session = std::make_unique<session::Session>(options.session);
    LibraryState library;
    SourceState sources;
    UiState ui_state;
    if (options.tab) ui_state.select_tab = *options.tab;
    ui_state.pacer = options.pacer;
    library.root = options.session.sessions_root.empty() ? session::default_sessions_root()
                                                         : options.session.sessions_root;
    GlfwSession glfw;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    // On a HiDPI monitor the window grows with the content scale (so does --scale): the layout
    // made for 1280x800 then looks the same, only sharper.
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    const float forced = options.scale.value_or(1.0f);
    GLFWwindow* window =
        glfwCreateWindow(static_cast<int>(options.width * forced),
                         static_cast<int>(options.height * forced), "relaxmon", nullptr, nullptr);
    if (!window)
        throw DisplayError(
            fmt::format("cannot open the dashboard window with OpenGL 3.3: {}", g_glfw_error));
    glfwMakeContextCurrent(window);
    glfwSwapInterval(1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;  // the layout is fixed; write nothing to the cwd
    // Sizes follow the monitor's content scale (HiDPI), or --scale.
    float scale = options.scale.value_or(0.0);
    if (!(scale > 0.0f)) {
        float sx = 1.0f, sy = 1.0f;
        glfwGetWindowContentScale(window, &sx, &sy);
        scale = std::clamp(std::max(sx, sy), 1.0f, 4.0f);
    }
    apply_style(scale);
    const Fonts fonts = load_fonts(scale);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    session->start();
    if (options.record) session->start_recording();
    const auto opened = std::chrono::steady_clock::now();
    int status = 0;
    std::vector<double> frame_ms;  // build and render time of each frame, for --frame-stats
    std::shared_ptr<const session::Snapshot> last_drawn;
    while (!glfwWindowShouldClose(window)) {
        // Light on the battery (llvmpipe draws a frame in ~20 ms of CPU): input wakes the loop
        // at once; otherwise 2 frames/s while the session runs (the plots scroll ~1 px a
        // second), 12 while the breathing pacer animates, 1 in the background or once nothing
        // moves, one every 2 s when hidden or minimised.
        const bool hidden = glfwGetWindowAttrib(window, GLFW_ICONIFIED) ||
                            !glfwGetWindowAttrib(window, GLFW_VISIBLE);
        const bool focused = glfwGetWindowAttrib(window, GLFW_FOCUSED);
        const bool still = last_drawn && last_drawn->finished;
        glfwWaitEventsTimeout(hidden              ? 2.0
                              : still || !focused ? 1.0
                              : ui_state.pacer    ? 1.0 / 12.0
                                                  : 0.5);
        const auto frame_start = std::chrono::steady_clock::now();
        const auto snap = session->snapshot();
        last_drawn = snap;

        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        const DashboardActions act =
            draw_dashboard(*snap, fonts, displayed_time_s(*snap), ui_state);
        const auto replay = draw_library(library, fonts);
        const auto draw_sources_result = draw_sources(sources, *snap, fonts);
        ImGui::Render();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(theme::kBackground);
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        if (options.frame_stats) {
            glFinish();  // llvmpipe renders on the CPU: count it
            frame_ms.push_back(std::chrono::duration<double, std::milli>(
                                   std::chrono::steady_clock::now() - frame_start)
                                   .count());
        }

        if (act.toggle_recording) {
            if (snap->recording)
                session->stop_recording();
            else
                session->start_recording();
        }
        if (act.marker) session->add_marker();
        if (act.massage_start) session->add_marker("massage start");
        if (act.open_library && !library.open) open_library(library);
        if (act.open_sources && !sources.open) open_sources(sources);
        if (act.playback) session->set_playback(act.playback->first, act.playback->second);
        if (const auto choice = draw_sources_result; choice && choice->open_library) {
            open_library(library);
        } else if (replay || choice) {
            // The session is replaced: the old one ends (its recording is completed), the new
            // one starts; a recording in progress goes on in a new folder. A replay is only
            // watched.
            session::SessionConfig cfg = options.session;
            cfg.record_dir.reset();
            if (replay) {
                cfg.source = "file:" + replay->dir.string();
                cfg.speed = replay->speed;
            } else {
                cfg.source = choice->source;
                cfg.speed = choice->speed;
            }
            const bool keep_recording = snap->recording && !replay;
            try {
                auto next = std::make_unique<session::Session>(cfg);
                session->stop();
                session = std::move(next);
                session->start();
                if (keep_recording) session->start_recording();
            } catch (const std::exception& e) {  // a bad source: say so, keep the old one
                fmt::print(stderr, "relaxmon: {}\n", e.what());
            }
        }

        const double open_s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - opened).count();
        if (options.quit_after_s && open_s >= *options.quit_after_s) {
            if (options.screenshot) {
                try {
                    save_framebuffer_png(*options.screenshot, fb_w, fb_h);
                } catch (const std::exception& e) {
                    fmt::print(stderr, "relaxmon: {}\n", e.what());
                    status = 1;
                }
            }
            break;
        }
        glfwSwapBuffers(window);
    }

    session->stop();
    if (options.frame_stats && !frame_ms.empty()) {
        std::sort(frame_ms.begin(), frame_ms.end());
        fmt::print("frames {}, frame time median {:.2f} ms, p95 {:.2f} ms, max {:.2f} ms\n",
                   frame_ms.size(), frame_ms[frame_ms.size() / 2],
                   frame_ms[frame_ms.size() * 95 / 100], frame_ms.back());
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    const auto snap = session->snapshot();
    if (snap->recording_error) {
        fmt::print(stderr, "relaxmon: {}\n", *snap->recording_error);
        status = 1;
    }
    return status;
}

}  // namespace relaxmon::ui
