#pragma once
// Durations on the command line: "90s", "30m", "1h", "1h30m", "1.5h", "2m30s" or "HH:MM:SS".
#include <optional>
#include <string_view>

namespace relaxmon::cli {

// Seconds, or nullopt when the text is not a positive duration with units.
std::optional<double> parse_duration_s(std::string_view text);

}  // namespace relaxmon::cli
