#pragma once
// Reader for a session's events.csv (`t_s,kind,label`, labels quoted as RFC 4180 when they hold
// a comma, a quote or a line break). Errors are FormatError naming the file and line.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace relaxmon::devices::formats {

struct SessionEvent {
    double t_s = 0.0;
    std::string kind, label;
};

std::vector<SessionEvent> read_session_events(const std::filesystem::path& path);

// A marker that ends the baseline ("massage start" or "baseline end", any case): the minutes
// before it are the person's reference, live, in a replay and in `relaxmon analyze` alike.
bool marker_ends_baseline(std::string_view label);
// The marker the dashboard writes when a baseline set by hand is taken back (Ctrl+Z): the
// baseline before it holds again.
inline constexpr const char* kBaselineUndoneMarker = "baseline undone";
bool marker_undoes_baseline(std::string_view label);

}  // namespace relaxmon::devices::formats
