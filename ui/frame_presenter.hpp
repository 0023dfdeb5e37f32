#pragma once
// FramePresenter: draws Dear ImGui's frame and shows it on the window, whole or in part.
//
// With software OpenGL (Mesa's llvmpipe, what most of our machines and every test run have) a
// whole 1280x800 dashboard costs ~20 ms of CPU to rasterise, so the breathing pacer animating
// at 12 frames/s cost a sixth of a core. Where the GLX driver can copy a part of the back buffer
// to the window (GLX_MESA_copy_sub_buffer: Mesa's drivers, llvmpipe included) frames are never
// swapped: the back buffer always holds the last whole picture, and a frame in which only the
// pacer moved redraws and shows that rectangle alone (every draw command clipped to it). Without
// the extension (another driver, EGL) every frame is whole and swapped, as before.
#include <imgui.h>

struct GLFWwindow;

namespace relaxmon::ui {

class FramePresenter {
  public:
    explicit FramePresenter(GLFWwindow* window);
    // Parts of a frame can be shown alone.
    bool partial_available() const { return copy_sub_buffer_ != nullptr; }
    // The whole frame, on a background of `clear`. Without the extension it is shown by
    // end_frame (the back buffer can still be read, for a screenshot, until then).
    void present_whole(ImDrawData* draw, const ImVec4& clear);
    void end_frame();
    // Only the part of the frame inside `rect` (ImGui's coordinates: min x, min y, max x, max y)
    // is drawn and shown; the rest of the window keeps the last picture. Falls back to
    // present_whole without the extension.
    void present_part(ImDrawData* draw, const ImVec4& clear, ImVec4 rect);

  private:
    using CopySubBuffer = void (*)(void* display, unsigned long drawable, int x, int y, int w,
                                   int h);
    GLFWwindow* window_;
    void* display_ = nullptr;
    unsigned long drawable_ = 0;
    CopySubBuffer copy_sub_buffer_ = nullptr;
    bool swap_pending_ = false;
};

}  // namespace relaxmon::ui
