#pragma once
// What the session panel does with a session's folder, off the frame: export the client report
// (report.html, the same as `relaxmon report`) on a worker thread, and open the folder in the
// desktop's file manager (xdg-open, never waited for).
#include <filesystem>
#include <future>
#include <optional>
#include <string>

#include "session/snapshot.hpp"

namespace relaxmon::ui {

// The folder the snapshot's session is recorded in (or was, or is replayed from), if any.
std::optional<std::filesystem::path> session_folder(const session::Snapshot& s);

// Writes `dir`/report.html; the future gives the one line to show (where it went, or why not).
std::future<std::string> export_report(const std::filesystem::path& dir, std::string version);

// The folder in the desktop's file manager (xdg-open), in the background: the line to show.
std::future<std::string> open_folder(const std::filesystem::path& dir);

}  // namespace relaxmon::ui
