#pragma once
// Saving what the window shows: reads the default framebuffer and writes a PNG.
#include <filesystem>

namespace relaxmon::ui {

// Reads the current OpenGL back buffer (width x height) and writes it as an RGB PNG, top row
// first. Throws std::runtime_error naming the file when it cannot be written.
void save_framebuffer_png(const std::filesystem::path& path, int width, int height);

}  // namespace relaxmon::ui
