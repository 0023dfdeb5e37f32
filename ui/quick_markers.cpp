#include "quick_markers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "relaxmon/devices/user_config.hpp"

namespace relaxmon::ui {

std::vector<std::string> default_quick_markers() {
    return {"massage start", "back",    "neck",  "shoulders",
            "legs",          "talking", "moved", "massage end"};
}

std::vector<std::string> quick_markers_from_config() {
    auto list = devices::user_config_strings("quick_markers");
    if (!list) return default_quick_markers();
    const std::string where = devices::user_config_path().string();
    if (list->empty() || list->size() > kMaxQuickMarkers)
        throw std::runtime_error(fmt::format("{}: quick_markers holds {} labels; give 1 to {}",
                                             where, list->size(), kMaxQuickMarkers));
    for (const std::string& label : *list) {
        const bool blank = label.find_first_not_of(" \t") == std::string::npos;
        const bool control = std::any_of(label.begin(), label.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20;
        });
        if (blank || control || label.size() > kMaxQuickMarkerChars)
            throw std::runtime_error(
                fmt::format("{}: quick marker \"{}\" must be 1 to {} characters on one line", where,
                            label, kMaxQuickMarkerChars));
    }
    return *list;
}

}  // namespace relaxmon::ui
