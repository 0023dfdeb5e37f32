#include "screenshot.hpp"

#include <GLFW/glfw3.h>  // brings the GL 1.x API (glReadPixels) on every platform we target
#include <stb/stb_image_write.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace relaxmon::ui {

void save_framebuffer_png(const std::filesystem::path& path, int width, int height) {
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // OpenGL rows run bottom-up; PNG rows top-down: write with a negative stride from the end.
    const int stride = width * 3;
    const unsigned char* last_row = pixels.data() + static_cast<std::size_t>(height - 1) * stride;
    if (!stbi_write_png(path.c_str(), width, height, 3, last_row, -stride))
        throw std::runtime_error("cannot write screenshot " + path.string());
}

}  // namespace relaxmon::ui
