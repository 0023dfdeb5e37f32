#include "frame_presenter.hpp"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstring>

// Last: Xlib's macros (None, Bool, Status...) stay out of everything above.
#include <GL/glx.h>

namespace relaxmon::ui {

FramePresenter::FramePresenter(GLFWwindow* window) : window_(window) {
    // The window's context is current: its GLX display and drawable (null under EGL).
    Display* display = glXGetCurrentDisplay();
    const GLXDrawable drawable = glXGetCurrentDrawable();
    if (!display || !drawable) return;
    const char* extensions = glXQueryExtensionsString(display, DefaultScreen(display));
    if (!extensions || !std::strstr(extensions, "GLX_MESA_copy_sub_buffer")) return;
    auto* fn = glXGetProcAddressARB(reinterpret_cast<const GLubyte*>("glXCopySubBufferMESA"));
    if (!fn) return;
    display_ = display;
    drawable_ = drawable;
    copy_sub_buffer_ = reinterpret_cast<CopySubBuffer>(fn);
}

void FramePresenter::present_whole(ImDrawData* draw, const ImVec4& clear) {
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window_, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    glClearColor(clear.x, clear.y, clear.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(draw);
    if (copy_sub_buffer_)
        copy_sub_buffer_(display_, drawable_, 0, 0, fb_w, fb_h);  // the back buffer stays ours
    else
        swap_pending_ = true;
}

void FramePresenter::end_frame() {
    if (!swap_pending_) return;
    swap_pending_ = false;
    glfwSwapBuffers(window_);
}

void FramePresenter::present_part(ImDrawData* draw, const ImVec4& clear, ImVec4 rect) {
    if (!copy_sub_buffer_) return present_whole(draw, clear);
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window_, &fb_w, &fb_h);
    // Whole pixels around the rectangle, in framebuffer pixels (y up for GL).
    const ImVec2 scale = draw->FramebufferScale;
    const ImVec2 origin = draw->DisplayPos;
    const int x0 = std::max(0, static_cast<int>(std::floor((rect.x - origin.x) * scale.x)) - 1);
    const int y0 = std::max(0, static_cast<int>(std::floor((rect.y - origin.y) * scale.y)) - 1);
    const int x1 = std::min(fb_w, static_cast<int>(std::ceil((rect.z - origin.x) * scale.x)) + 1);
    const int y1 = std::min(fb_h, static_cast<int>(std::ceil((rect.w - origin.y) * scale.y)) + 1);
    if (x1 <= x0 || y1 <= y0) return;
    // Every command clipped to the rectangle; those outside it are skipped by the backend.
    const ImVec4 clip{
        origin.x + static_cast<float>(x0) / scale.x, origin.y + static_cast<float>(y0) / scale.y,
        origin.x + static_cast<float>(x1) / scale.x, origin.y + static_cast<float>(y1) / scale.y};
    for (int i = 0; i < draw->CmdListsCount; ++i)
        for (ImDrawCmd& cmd : draw->CmdLists[i]->CmdBuffer) {
            ImVec4& c = cmd.ClipRect;
            c = {std::max(c.x, clip.x), std::max(c.y, clip.y), std::min(c.z, clip.z),
                 std::min(c.w, clip.w)};
            if (c.z <= c.x || c.w <= c.y) c = {0.0f, 0.0f, 0.0f, 0.0f};
        }
    glViewport(0, 0, fb_w, fb_h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(x0, fb_h - y1, x1 - x0, y1 - y0);
    glClearColor(clear.x, clear.y, clear.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
    ImGui_ImplOpenGL3_RenderDrawData(draw);
    copy_sub_buffer_(display_, drawable_, x0, fb_h - y1, x1 - x0, y1 - y0);
}

}  // namespace relaxmon::ui
