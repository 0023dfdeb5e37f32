#pragma once
// The client's report of one session: a single self-contained HTML file (inline SVG charts and
// CSS, nothing fetched, no scripts) that prints on A4. Heart rate and relax index over the
// session with markers, relaxed phases and gaps; RMSSD and ln HF against the baseline; the
// baseline and relaxed phases side by side with changes in percent; time to relaxation; the
// artifacts and gaps; device and software.
#include <filesystem>
#include <string>

namespace relaxmon::report {

// Reads the session folder; throws std::runtime_error naming the file (and line) at fault.
std::string render_session_report(const std::filesystem::path& session_dir,
                                  const std::string& software_version);

}  // namespace relaxmon::report
