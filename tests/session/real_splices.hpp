#pragma once
// Real test sessions for the relaxation detector, built from a 24-hour nsr2db record (beat
// annotations, artifacts corrected as `analyze` does) and run through the live pipeline: shared
// by the detector's test and the validation report.
// - busiest day -> night: the 700 beats of highest heart rate (10 minutes at 70 bpm, 6 at a
//   day's 120: effort, and the recovery after it) followed by the 2100 beats of lowest heart rate;
// - calm day -> night: the steadiest 10 minutes (by time) among those whose heart rate is above
//   the record's median (awake, as a client lies before a massage), followed by the same night;
// - the steadiest 2100 beats (~30 minutes) of the record on their own;
// - optionally, the whole record in consecutive 30-minute sessions.
// Steadiness is the spread of the 1-minute mean heart rates and RMSSDs, in the detector's floors
// (2 bpm, ln 1.15).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <optional>
#include <vector>

#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/dsp/artifact_correction.hpp"
#include "session/pipeline.hpp"

namespace relaxmon::test {

struct RealSplice {
    double splice_s = 0.0;  // where the night starts
    double day_hr_bpm = 0.0, night_hr_bpm = 0.0;
    std::vector<double> onsets_s;
    std::vector<dsp::RelaxFeatures> features;  // the detector's evidence, per beat
};

struct RealSessions {
    RealSplice busiest, calm;
    double calm_day_spread = 0.0;  // in floors
    double steady_spread = 0.0;    // in floors
    std::vector<double> steady_onsets_s;
    std::vector<dsp::RelaxFeatures> steady_features;
    // The whole record cut into consecutive 30-minute sessions (ambulatory life: walking, sitting,
    // sleep stages), when asked for: their evidence and the onsets in them.
    std::vector<std::vector<dsp::RelaxFeatures>> half_hours;
    std::size_t half_hour_onsets = 0;
};

namespace real_detail {

inline double mean_hr(const std::vector<double>& rr, std::size_t from, std::size_t to) {
    return 60000.0 / (std::accumulate(rr.begin() + static_cast<std::ptrdiff_t>(from),
                                      rr.begin() + static_cast<std::ptrdiff_t>(to), 0.0) /
                      static_cast<double>(to - from));
}

inline double rmssd(const std::vector<double>& rr, std::size_t from, std::size_t to) {
    double ss = 0;
    for (std::size_t k = from + 1; k < to; ++k) ss += (rr[k] - rr[k - 1]) * (rr[k] - rr[k - 1]);
    return std::sqrt(ss / static_cast<double>(to - from - 1));
}

// Spread of the mean heart rates and RMSSDs of consecutive blocks [b_k, b_k+1) in floors.
inline double spread_in_floors(const std::vector<double>& rr,
                               const std::vector<std::size_t>& bounds) {
    double lo_hr = 1e9, hi_hr = 0, lo_rm = 1e9, hi_rm = 0;
    for (std::size_t b = 0; b + 1 < bounds.size(); ++b) {
        if (bounds[b + 1] < bounds[b] + 3) return 1e9;
        const double hr = mean_hr(rr, bounds[b], bounds[b + 1]);
        const double rm = rmssd(rr, bounds[b], bounds[b + 1]);
        lo_hr = std::min(lo_hr, hr);
        hi_hr = std::max(hi_hr, hr);
        lo_rm = std::min(lo_rm, rm);
        hi_rm = std::max(hi_rm, rm);
    }
    return std::max((hi_hr - lo_hr) / 2.0, std::log(hi_rm / lo_rm) / 0.14);
}

// The onsets of an RR series through the live pipeline, and the detector's evidence.
inline std::vector<double> onsets_of(const std::vector<double>& rr,
                                     std::vector<dsp::RelaxFeatures>* features = nullptr) {
    session::Pipeline p;
    std::vector<double> onsets;
    double t = 0;
    for (double x : rr) {
        p.on_beat(devices::RrBeat{t += x / 1000.0, x, 0});
        if (features) features->push_back(p.relax_features());
        if (const auto& ev = p.relax().event)
            if (ev->kind == "relaxation_onset") onsets.push_back(ev->t_s);
    }
    return onsets;
}

inline RealSplice splice(const std::vector<double>& rr, std::size_t day_from, std::size_t day_to,
                         std::size_t night_from, std::size_t night_to) {
    RealSplice s;
    std::vector<double> series(rr.begin() + static_cast<std::ptrdiff_t>(day_from),
                               rr.begin() + static_cast<std::ptrdiff_t>(day_to));
    s.splice_s = std::accumulate(series.begin(), series.end(), 0.0) / 1000.0;
    s.day_hr_bpm = mean_hr(rr, day_from, day_to);
    s.night_hr_bpm = mean_hr(rr, night_from, night_to);
    series.insert(series.end(), rr.begin() + static_cast<std::ptrdiff_t>(night_from),
                  rr.begin() + static_cast<std::ptrdiff_t>(night_to));
    s.onsets_s = onsets_of(series, &s.features);
    return s;
}

}  // namespace real_detail

inline RealSessions real_sessions(const std::filesystem::path& record, bool half_hours = false) {
    using namespace real_detail;
    const auto s = devices::formats::read_rr_file(record);
    std::vector<dsp::ArtifactClass> cls = dsp::detect_artifacts_auto(s.rr_ms);
    for (std::size_t i = 0; i < cls.size(); ++i)
        if (s.known[i] != dsp::ArtifactClass::none) cls[i] = s.known[i];
    const std::vector<double> rr = dsp::correct_artifacts(s.t_s, s.rr_ms, cls, s.follows_gap).rr_ms;
    const std::size_t n = rr.size(), per10 = 700;
    RealSessions out;

    std::size_t day = 0, night = 0;
    double hi = 0, lo = 1e9;
    for (std::size_t i = 0; i + 3 * per10 < n; i += per10 / 2) {
        if (const double hr = mean_hr(rr, i, i + per10); hr > hi) hi = hr, day = i;
        if (const double hr3 = mean_hr(rr, i, i + 3 * per10); hr3 < lo) lo = hr3, night = i;
    }
    out.busiest = splice(rr, day, day + per10, night, night + 3 * per10);

    std::vector<double> t;
    double acc = 0;
    for (double x : rr) t.push_back(acc += x / 1000.0);
    auto at = [&](double ts) {
        return static_cast<std::size_t>(std::lower_bound(t.begin(), t.end(), ts) - t.begin());
    };
    std::vector<std::pair<double, double>> windows;  // (mean HR, start s) of 10-minute windows
    for (double a = 0; a + 600.0 < t.back(); a += 60.0)
        windows.push_back({mean_hr(rr, at(a), at(a + 600.0)), a});
    auto sorted = windows;
    std::nth_element(sorted.begin(),
                     sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const double median_hr = sorted[sorted.size() / 2].first;
    double calm = 0;
    out.calm_day_spread = 1e9;
    for (const auto& [hr, a] : windows) {
        if (hr < median_hr) continue;
        std::vector<std::size_t> minutes;
        for (double m = a; m <= a + 600.0 + 1e-9; m += 60.0) minutes.push_back(at(m));
        if (const double sp = spread_in_floors(rr, minutes); sp < out.calm_day_spread)
            out.calm_day_spread = sp, calm = a;
    }
    out.calm = splice(rr, at(calm), at(calm + 600.0), night, night + 3 * per10);

    std::size_t steady = 0;
    out.steady_spread = 1e9;
    for (std::size_t i = 0; i + 3 * per10 < n; i += per10 / 4) {
        std::vector<std::size_t> blocks;
        for (std::size_t b = 0; b <= 30; ++b) blocks.push_back(i + b * per10 / 10);
        if (const double sp = spread_in_floors(rr, blocks); sp < out.steady_spread)
            out.steady_spread = sp, steady = i;
    }
    out.steady_onsets_s = onsets_of({rr.begin() + static_cast<std::ptrdiff_t>(steady),
                                     rr.begin() + static_cast<std::ptrdiff_t>(steady + 3 * per10)},
                                    &out.steady_features);
    for (double a = 0; half_hours && a + 1800.0 < t.back(); a += 1800.0) {
        out.half_hours.emplace_back();
        out.half_hour_onsets +=
            onsets_of({rr.begin() + static_cast<std::ptrdiff_t>(at(a)),
                       rr.begin() + static_cast<std::ptrdiff_t>(at(a + 1800.0))},
                      &out.half_hours.back())
                .size();
    }
    return out;
}

}  // namespace relaxmon::test
