#pragma once
// Simulated sessions through the real per-beat pipeline (artifact screen, SlidingHrv, relaxation
// detector), without files: shared by the detector's validation test and the validation report.
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "relaxmon/devices/sim/rr_generator.hpp"
#include "session/pipeline.hpp"

namespace relaxmon::test {

struct RelaxRun {
    devices::sim::ScenarioScript script;
    std::vector<double> onsets_s, ends_s;
    bool aroused = false;
    double aroused_s = 0.0, relaxed_s = 0.0;  // time in each state
    double detector_us_per_beat = 0.0;        // median cost of the detector's push
    std::size_t beats = 0;
    std::vector<dsp::RelaxFeatures> features;  // per beat, when asked for
};

// Against a scripted onset: the onsets before it (false) and the latency of the first after it.
struct Detection {
    int early = 0;
    std::optional<double> latency_s;
};
inline Detection detection(const std::vector<double>& onsets_s, double scripted_s) {
    Detection d;
    for (double o : onsets_s) {
        if (o >= scripted_s) {
            d.latency_s = o - scripted_s;
            break;
        }
        ++d.early;
    }
    return d;
}

// Of a sorted sample: the median (of an even count, the mean of the middle two) and the 95th
// percentile; NaN when empty.
inline double median_of_sorted(const std::vector<double>& v) {
    const std::size_t n = v.size();
    if (n == 0) return std::nan("");
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
inline double p95_of_sorted(const std::vector<double>& v) {
    return v.empty() ? std::nan("") : v[v.size() * 95 / 100];
}

// The detector's evidence as it scales it: 0 heart rate (bpm), 1 ln RMSSD, 2 ln RSA amplitude,
// 3 breathing rate (/min); nullopt where the feature is missing.
inline std::optional<double> evidence_feature(const dsp::RelaxFeatures& f, int k) {
    auto ln = [](std::optional<double> v) {
        return v && *v > 0.0 ? std::optional<double>(std::log(*v)) : std::nullopt;
    };
    switch (k) {
        case 0:
            return f.hr_bpm;
        case 1:
            return ln(f.rmssd_ms);
        case 2:
            return ln(f.rsa_amplitude_ms);
        default:
            return f.resp_rate_bpm;
    }
}

// The onsets another detector (other parameters) finds in the same evidence.
inline std::vector<double> onsets_with(const dsp::RelaxationDetector::Params& params,
                                       const std::vector<dsp::RelaxFeatures>& features) {
    dsp::RelaxationDetector d(params);
    std::vector<double> onsets;
    for (const auto& f : features)
        if (const auto out = d.push(f); out.event && out.event->kind == "relaxation_onset")
            onsets.push_back(out.event->t_s);
    return onsets;
}

// A session's script through the pipeline for `seconds`; `after_beat` (when given) sees the
// pipeline after each beat.
using AfterBeat = std::function<void(double t_s, const session::Pipeline&)>;
inline RelaxRun run_script(devices::sim::ScenarioScript script, double seconds,
                           bool keep_features = false, const AfterBeat& after_beat = {}) {
    RelaxRun run;
    run.script = std::move(script);
    devices::sim::RrGenerator gen(run.script);
    // As a recording runs it: the detector's evidence is the screen's, without the 64-s
    // spectrum that only the screen shows (a quarter of the time).
    session::Pipeline pipeline(60.0, session::Pipeline::Use::recording);
    double t = 0.0;
    while (t < seconds) {
        for (const auto& m : gen.next()) {
            if (const auto* st = std::get_if<devices::DeviceStatus>(&m)) pipeline.on_status(*st);
            const auto* b = std::get_if<devices::RrBeat>(&m);
            if (!b) continue;
            t = b->t_s;
            pipeline.on_beat(*b);
            ++run.beats;
            if (keep_features) run.features.push_back(pipeline.relax_features());
            const auto& r = pipeline.relax();
            if (r.state == dsp::RelaxState::aroused) {
                run.aroused = true;
                run.aroused_s += b->rr_ms / 1000.0;
            }
            if (r.state == dsp::RelaxState::relaxed) run.relaxed_s += b->rr_ms / 1000.0;
            if (r.event && r.event->kind == "relaxation_onset")
                run.onsets_s.push_back(r.event->t_s);
            if (r.event && r.event->kind == "relaxation_end") run.ends_s.push_back(r.event->t_s);
            if (after_beat) after_beat(t, pipeline);
        }
    }
    return run;
}

inline RelaxRun run_relaxation(devices::sim::Scenario scenario, std::uint64_t seed, double seconds,
                               bool keep_features = false,
                               std::optional<bool> realistic = std::nullopt) {
    return run_script(devices::sim::make_script(scenario, seed, std::nullopt, realistic), seconds,
                      keep_features);
}

}  // namespace relaxmon::test
