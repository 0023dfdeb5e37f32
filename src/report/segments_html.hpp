#pragma once
// The parts of the massage in the report: the segments between markers and posture changes
// (session/segments.hpp) measured on what the session recorded (metrics.csv: the numbers the
// therapist saw), as a table and as bands on the charts.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/session_data.hpp"
#include "session/segments.hpp"

namespace relaxmon::report {

// `relax`: session.json's summary.relaxation; `offset_s`: where the recording began in session
// time (the summary's times are the session's, the files' the recording's).
std::vector<session::Segment> session_segments(const SessionData& d, const nlohmann::json& relax,
                                               double offset_s);

std::string segments_table_html(const std::vector<session::Segment>& segments);

}  // namespace relaxmon::report
