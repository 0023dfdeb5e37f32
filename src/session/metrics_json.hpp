#pragma once
// HRV metrics under the keys of DESIGN.md ("analyze --json keys"), null where a value could not
// be computed (window too short, no variability).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "relaxmon/dsp/hrv_analysis.hpp"

namespace relaxmon::session {

// The metric keys in their contract order.
const std::vector<std::string>& metric_keys();

nlohmann::json metrics_to_json(const dsp::HrvMetrics& m);

}  // namespace relaxmon::session
