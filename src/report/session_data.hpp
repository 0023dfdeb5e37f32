#pragma once
// What the report needs from a session folder, read and checked: the beats, the metrics rows,
// the events and session.json. Errors name the file and line.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "relaxmon/devices/formats/session_events.hpp"

namespace relaxmon::report {

struct SessionData {
    nlohmann::json info;  // session.json
    std::vector<double> beat_t_s, beat_hr_bpm;
    std::vector<std::string> beat_artifact;
    std::vector<double> m_t_s, m_hr_bpm, m_rmssd_ms, m_hf_ms2, m_resp_bpm, m_relax_index;
    std::vector<devices::formats::SessionEvent> events;
    double duration_s = 0.0;
};

SessionData read_session_data(const std::filesystem::path& dir);

}  // namespace relaxmon::report
