#pragma once
// Reader for a session's events.csv (`t_s,kind,label`, labels quoted as RFC 4180 when they hold
// a comma, a quote or a line break). Errors are FormatError naming the file and line.
#include <filesystem>
#include <string>
#include <vector>

namespace relaxmon::devices::formats {

struct SessionEvent {
    double t_s = 0.0;
    std::string kind, label;
};

std::vector<SessionEvent> read_session_events(const std::filesystem::path& path);

}  // namespace relaxmon::devices::formats
