#pragma once
// The session panel's one-click markers. A therapist names the parts of their own massage in
// config.toml (quick_markers = ["back", "neck", "turned over", "legs"]); these name the parts
// on the charts, the report and analyze's `segments`.
#include <string>
#include <vector>

namespace relaxmon::ui {

inline constexpr std::size_t kMaxQuickMarkers = 12;
inline constexpr std::size_t kMaxQuickMarkerChars = 40;

// Without a list in config.toml: the massage's common parts and what interrupts it.
std::vector<std::string> default_quick_markers();

// The list in config.toml, else the default. Throws std::runtime_error naming the file when the
// list is not strings, is empty or too long, or holds an empty, overlong or multi-line label.
std::vector<std::string> quick_markers_from_config();

}  // namespace relaxmon::ui
