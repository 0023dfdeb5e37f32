#pragma once
// HRV metrics under the keys of DESIGN.md ("analyze --json keys"), null where a value could not
// be computed (window too short, no variability).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "relaxmon/dsp/hrv_analysis.hpp"
#include "relaxmon/dsp/relaxation_detector.hpp"

namespace relaxmon::session {

// The metric keys in their contract order.
const std::vector<std::string>& metric_keys();

nlohmann::json metrics_to_json(const dsp::HrvMetrics& m);

// The relaxation detector's summary: baseline and relaxed phase (medians), their changes in
// units and percent, time to onset and time spent relaxed.
nlohmann::json relaxation_summary_to_json(const dsp::RelaxSummary& s);

}  // namespace relaxmon::session
