#include "session/segments.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace relaxmon::session {

namespace fmt_ = devices::formats;

std::string posture_words(const std::string& p) {
    if (p == "prone") return "face-down";
    if (p == "supine") return "face-up";
    if (p == "left_side") return "on the left side";
    if (p == "right_side") return "on the right side";
    if (p == "upright") return "sitting up";
    return p;
}

std::vector<SegmentBound> segment_bounds(std::span<const fmt_::SessionEvent> given,
                                         double baseline_end_s, double end_s) {
    std::vector<fmt_::SessionEvent> events(given.begin(), given.end());
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
    std::string first = "after the baseline";
    std::vector<std::pair<double, std::string>> cuts;
    std::optional<std::string> posture;
    for (const auto& e : events) {
        if (e.kind == "posture") {
            const bool change = posture && *posture != e.label;
            posture = e.label;
            if (change && e.t_s > baseline_end_s && e.t_s < end_s)
                cuts.emplace_back(e.t_s, posture_words(e.label));
            continue;
        }
        if (e.kind != "marker" || fmt_::marker_undoes_baseline(e.label)) continue;
        // The marker that ended the baseline names the first part (one that did not, a part).
        if (fmt_::marker_ends_baseline(e.label) && std::abs(e.t_s - baseline_end_s) < 1.0) {
            first = e.label;
            continue;
        }
        if (e.t_s > baseline_end_s && e.t_s < end_s) cuts.emplace_back(e.t_s, e.label);
    }
    std::vector<SegmentBound> out;
    if (!(end_s > baseline_end_s)) return out;
    out.push_back({baseline_end_s, end_s, first});
    for (const auto& [t, label] : cuts) {
        SegmentBound& last = out.back();
        if (t - last.start_s < kSegmentJoin_s) {  // one boundary, told both ways
            last.label += " / " + label;
            continue;
        }
        last.end_s = t;
        out.push_back({t, end_s, label});
    }
    return out;
}

namespace {
std::optional<double> median(std::vector<double> v) {
    if (v.empty()) return std::nullopt;
    const auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    if (v.size() % 2 == 1) return *mid;
    const double upper = *mid;
    return 0.5 * (upper + *std::max_element(v.begin(), mid));
}
}  // namespace

std::vector<Segment> measure_segments(std::span<const SegmentBound> bounds,
                                      std::span<const SegmentSample> samples,
                                      std::optional<double> baseline_hr_bpm,
                                      std::optional<double> baseline_rmssd_ms) {
    std::vector<Segment> out;
    for (const SegmentBound& b : bounds) {
        std::vector<double> hr, rmssd, resp, index;
        for (const SegmentSample& s : samples) {
            if (s.t_s < b.start_s || s.t_s >= b.end_s) continue;
            if (s.hr_bpm) hr.push_back(*s.hr_bpm);
            if (s.rmssd_ms) rmssd.push_back(*s.rmssd_ms);
            if (s.resp_rate_bpm) resp.push_back(*s.resp_rate_bpm);
            if (s.relax_index) index.push_back(*s.relax_index);
        }
        Segment seg{b, median(hr), median(rmssd), median(resp), median(index), {}, {}};
        if (seg.hr_bpm && baseline_hr_bpm) seg.d_hr_bpm = *seg.hr_bpm - *baseline_hr_bpm;
        if (seg.rmssd_ms && baseline_rmssd_ms && *baseline_rmssd_ms > 0.0)
            seg.d_rmssd_pct = 100.0 * (*seg.rmssd_ms / *baseline_rmssd_ms - 1.0);
        out.push_back(std::move(seg));
    }
    return out;
}

nlohmann::json segments_to_json(std::span<const Segment> segments) {
    const auto opt = [](std::optional<double> v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    nlohmann::json out = nlohmann::json::array();
    for (const Segment& s : segments)
        out.push_back({{"start_s", s.bound.start_s},
                       {"end_s", s.bound.end_s},
                       {"label", s.bound.label},
                       {"hr_bpm", opt(s.hr_bpm)},
                       {"rmssd_ms", opt(s.rmssd_ms)},
                       {"resp_rate_bpm", opt(s.resp_rate_bpm)},
                       {"relax_index", opt(s.relax_index)},
                       {"d_hr_bpm", opt(s.d_hr_bpm)},
                       {"d_rmssd_pct", opt(s.d_rmssd_pct)}});
    return out;
}

}  // namespace relaxmon::session
