#pragma once
// The client's history in the report: the sessions with the same label in the same sessions
// folder (session::same_client) up to and including this one - date, length, time to the
// relaxation response, the change of heart rate and RMSSD from the baseline, time relaxed - as a
// table and a small chart over the visits. Another client's sessions never appear; a session
// without a label has no history.
#include <filesystem>
#include <string>

namespace relaxmon::report {

// The HTML section, or "" when the client has no earlier visit.
std::string visit_history_html(const std::filesystem::path& dir);

}  // namespace relaxmon::report
