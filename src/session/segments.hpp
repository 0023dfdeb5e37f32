#pragma once
// Segments: the parts of a massage ("back", "neck", "turned over", "legs"). Each stretch between
// the therapist's markers and the client's changes of posture, from the baseline's end to the
// session's end, with the medians of heart rate, RMSSD, breathing and relax index over it and
// their change from the baseline (DESIGN.md, `segments` in `analyze --json`). The same bounds
// label the report's charts and the dashboard's whole-session view.
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "relaxmon/devices/formats/session_events.hpp"

namespace relaxmon::session {

struct SegmentBound {
    double start_s = 0.0, end_s = 0.0;
    std::string label;
};

// Markers (but one that takes back a baseline) and changes of posture after
// baseline_end_s cut [baseline_end_s, end_s]. Boundaries closer than kJoin_s to the one before
// make one (a "turned over" marker typed as the chest reports face-up): labels joined by " / ".
// The first segment takes the label of a marker that ended the baseline there, else "after the
// baseline". Events need not be sorted.
inline constexpr double kSegmentJoin_s = 20.0;
std::vector<SegmentBound> segment_bounds(std::span<const devices::formats::SessionEvent> events,
                                         double baseline_end_s, double end_s);

// A posture as a person says it ("face-down", "face-up", "on the left side" ...).
std::string posture_words(const std::string& posture_label);

struct SegmentSample {
    double t_s = 0.0;
    std::optional<double> hr_bpm, rmssd_ms, resp_rate_bpm, relax_index;
};

struct Segment {
    SegmentBound bound;
    std::optional<double> hr_bpm, rmssd_ms, resp_rate_bpm, relax_index;  // medians
    std::optional<double> d_hr_bpm, d_rmssd_pct;                         // from the baseline
};

// Medians of the samples in [start_s, end_s) of each bound; changes against the baseline's heart
// rate and RMSSD (when known).
std::vector<Segment> measure_segments(std::span<const SegmentBound> bounds,
                                      std::span<const SegmentSample> samples,
                                      std::optional<double> baseline_hr_bpm,
                                      std::optional<double> baseline_rmssd_ms);

// `[{"start_s","end_s","label","hr_bpm","rmssd_ms","resp_rate_bpm","relax_index","d_hr_bpm",
// "d_rmssd_pct"}...]`, null where unknown.
nlohmann::json segments_to_json(std::span<const Segment> segments);

}  // namespace relaxmon::session
