#pragma once
// The dashboard's panels (device D, library L, session N): a window centred over the dashboard,
// fixed in place, on the panel colour, that takes the keyboard while open; and their text styles.
#include <imgui.h>

#include <string>

namespace relaxmon::ui {

// Opens the panel `title` of at most `max_width` and `height_share` of the window (0: as tall
// as what it holds), centred; call end_panel() after it, whatever it returns.
void begin_panel(const char* title, bool* open, float max_width, float height_share);
void end_panel();

// Text in a colour of the palette.
void text_colored(ImU32 color, const std::string& text);
// A section heading, and a dimmed wrapped line.
void panel_heading(const char* text);
void panel_note(const std::string& text);

}  // namespace relaxmon::ui
