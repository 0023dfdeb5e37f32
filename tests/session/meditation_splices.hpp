#pragma once
// The PhysioNet meditation splices (../shared/data/real/meditation/spliced_pre_then_med): the
// last 6 minutes of a person's pre-meditation file, then the meditation, replayed beat by beat
// through the live pipeline, with what issue 17 asks of each: heart rate before and late, onsets,
// time relaxed and aroused, time in contradiction (relaxed while the last 5 minutes' heart rate is
// 3+ bpm above the baseline and mean ln RMSSD below it) and the relax index's median 30-s change.
// Shared by the detector test and the validation report.
#include <algorithm>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "relaxation_runs.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"

namespace relaxmon::test {

// index.csv: each <S>_pre row ends with the splice boundary (the last pre beat's t_s).
inline std::map<std::string, double> splice_boundaries(const std::filesystem::path& index_csv) {
    std::map<std::string, double> out;
    std::ifstream in(index_csv);
    for (std::string line; std::getline(in, line);) {
        const auto comma = line.rfind(',');
        if (comma == std::string::npos || comma + 1 == line.size()) continue;
        const std::string record = line.substr(0, line.find(','));
        if (record.size() < 4 || record.substr(record.size() - 4) != "_pre") continue;
        out[record.substr(0, record.find('_'))] = std::stod(line.substr(comma + 1));
    }
    return out;
}

struct MeditationRun {
    double hr_before_bpm = NAN, hr_late_bpm = NAN;  // medians: first 6 min, last 10 min
    double rmssd_before_ms = NAN, rmssd_late_ms = NAN;
    double breathing_before_bpm = NAN, breathing_late_bpm = NAN;          // sure rates only
    double breathing_any_before_bpm = NAN, breathing_any_late_bpm = NAN;  // sure or not
    int onsets = 0;
    std::optional<double> first_onset_s;  // from the start of the splice
    std::vector<double> onsets_s;
    double relaxed_s = 0.0, aroused_s = 0.0, contradiction_s = 0.0;
    double index_median_30s_change = NAN;
    // The whole session every 5 s, for its picture.
    struct Sample {
        double t_s;
        std::optional<double> hr_bpm, relax_index;
        dsp::RelaxState state;
    };
    std::vector<Sample> trace;
};

inline MeditationRun run_meditation_splice(const std::filesystem::path& spliced,
                                           double boundary_s) {
    const auto series = devices::formats::read_rr_file(spliced);
    const double from_s = boundary_s - 360.0, end_s = series.t_s.back() - from_s;
    session::Pipeline pipeline;
    MeditationRun run;
    std::vector<double> index_30s, hr_pre, hr_late, rmssd_pre, rmssd_late, breath_pre, breath_late,
        breath_any_pre, breath_any_late;
    double next_trace_s = 0.0;
    std::deque<std::pair<double, double>> hr5, ln_rmssd5;  // the last 5 minutes
    double next_s = 0.0;
    for (std::size_t i = 0; i < series.t_s.size(); ++i) {
        if (series.t_s[i] < from_s) continue;
        const double t = series.t_s[i] - from_s, dt = series.rr_ms[i] / 1000.0;
        pipeline.on_beat(devices::RrBeat{t, series.rr_ms[i], 0});
        const auto& r = pipeline.relax();
        const auto& f = pipeline.relax_features();
        if (r.event && r.event->kind == "relaxation_onset") {
            ++run.onsets;
            run.onsets_s.push_back(t);
            if (!run.first_onset_s) run.first_onset_s = t;
        }
        if (t >= next_trace_s) {
            run.trace.push_back({t, f.hr_bpm, r.relax_index, r.state});
            next_trace_s = t + 5.0;
        }
        const bool before = t<360.0, late = t> end_s - 600.0;
        if (f.rmssd_report_ms && before) rmssd_pre.push_back(*f.rmssd_report_ms);
        if (f.rmssd_report_ms && late) rmssd_late.push_back(*f.rmssd_report_ms);
        if (const auto b = pipeline.breathing(); b.rate_bpm) {
            if (before) (b.confident ? breath_pre : breath_any_pre).push_back(*b.rate_bpm);
            if (late) (b.confident ? breath_late : breath_any_late).push_back(*b.rate_bpm);
        }
        if (r.state == dsp::RelaxState::relaxed) run.relaxed_s += dt;
        if (r.state == dsp::RelaxState::aroused) run.aroused_s += dt;
        if (f.hr_bpm && t < 360.0) hr_pre.push_back(*f.hr_bpm);
        if (f.hr_bpm && t > end_s - 600.0) hr_late.push_back(*f.hr_bpm);
        if (r.relax_index && t >= next_s) {
            index_30s.push_back(*r.relax_index);
            next_s = t + 30.0;
        }
        if (f.hr_bpm && f.rmssd_ms) {
            hr5.emplace_back(t, *f.hr_bpm);
            ln_rmssd5.emplace_back(t, std::log(*f.rmssd_ms));
        }
        while (!hr5.empty() && hr5.front().first < t - 300.0) {
            hr5.pop_front();
            ln_rmssd5.pop_front();
        }
        const auto base = pipeline.detector().summary().baseline;
        if (r.state != dsp::RelaxState::relaxed || !base.hr_bpm || !base.rmssd_ms ||
            hr5.size() <= 100)
            continue;
        double hr = 0.0, lr = 0.0;
        for (std::size_t k = 0; k < hr5.size(); ++k) {
            hr += hr5[k].second;
            lr += ln_rmssd5[k].second;
        }
        const double n = static_cast<double>(hr5.size());
        if (hr / n >= *base.hr_bpm + 3.0 && lr / n < std::log(*base.rmssd_ms))
            run.contradiction_s += dt;
    }
    std::vector<double> changes;
    for (std::size_t k = 1; k < index_30s.size(); ++k)
        changes.push_back(std::abs(index_30s[k] - index_30s[k - 1]));
    std::sort(changes.begin(), changes.end());
    auto median = [](std::vector<double>& v) {
        std::sort(v.begin(), v.end());
        return median_of_sorted(v);
    };
    run.hr_before_bpm = median(hr_pre);
    run.hr_late_bpm = median(hr_late);
    run.rmssd_before_ms = median(rmssd_pre);
    run.rmssd_late_ms = median(rmssd_late);
    run.breathing_before_bpm = median(breath_pre);
    run.breathing_late_bpm = median(breath_late);
    breath_any_pre.insert(breath_any_pre.end(), breath_pre.begin(), breath_pre.end());
    breath_any_late.insert(breath_any_late.end(), breath_late.begin(), breath_late.end());
    run.breathing_any_before_bpm = median(breath_any_pre);
    run.breathing_any_late_bpm = median(breath_any_late);
    run.index_median_30s_change = median_of_sorted(changes);
    return run;
}

// Real bodies at rest: consecutive half-hours of sleep (N1-N2, I1-I3) and seated meditation
// (C1-C7), each a session of its own through the live pipeline: the detector's evidence per beat.
// Records missing from `meditation_dir` are left out.
inline std::vector<std::vector<dsp::RelaxFeatures>> real_rest_half_hours(
    const std::filesystem::path& meditation_dir) {
    std::vector<std::vector<dsp::RelaxFeatures>> sessions;
    for (const char* rec : {"N1", "N2", "I1", "I2", "I3", "C1_med", "C3_med", "C5_med", "C7_med"}) {
        const auto path = meditation_dir / (std::string(rec) + ".rr.csv");
        if (!std::filesystem::exists(path)) continue;
        const auto s = devices::formats::read_rr_file(path);
        for (double from = s.t_s.front(); from + 1800.0 <= s.t_s.back(); from += 1800.0) {
            session::Pipeline pipeline;
            auto& features = sessions.emplace_back();
            for (std::size_t i = 0; i < s.t_s.size(); ++i) {
                if (s.t_s[i] < from || s.t_s[i] >= from + 1800.0) continue;
                pipeline.on_beat(devices::RrBeat{s.t_s[i] - from, s.rr_ms[i], 0});
                features.push_back(pipeline.relax_features());
            }
        }
    }
    return sessions;
}

}  // namespace relaxmon::test
