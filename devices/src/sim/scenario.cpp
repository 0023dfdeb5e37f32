#include "relaxmon/devices/sim/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

namespace relaxmon::devices::sim {

std::optional<Scenario> scenario_from_name(std::string_view name) {
    if (name == "massage") return Scenario::massage;
    if (name == "rest") return Scenario::rest;
    if (name == "stress") return Scenario::stress;
    if (name == "artifacts") return Scenario::artifacts;
    return std::nullopt;
}

std::string_view scenario_name(Scenario s) {
    switch (s) {
        case Scenario::massage:
            return "massage";
        case Scenario::rest:
            return "rest";
        case Scenario::stress:
            return "stress";
        case Scenario::artifacts:
            return "artifacts";
    }
    return "massage";
}

double ScenarioScript::progress(double t_s) const {
    if (!onset_s || t_s <= *onset_s) return 0.0;
    if (transition_s <= 0.0 || t_s >= *onset_s + transition_s) return 1.0;
    // Raised-cosine ramp: autonomic changes start and settle smoothly, not as a step.
    const double x = (t_s - *onset_s) / transition_s;
    return 0.5 - 0.5 * std::cos(std::numbers::pi * x);
}

Physiology ScenarioScript::at(double t_s) const {
    const double p = progress(t_s);
    auto lerp = [p](double a, double b) { return a + (b - a) * p; };
    // RMSSD moves geometrically (vagal tone changes multiplicatively).
    const double rmssd = baseline.rmssd_ms * std::pow(changed.rmssd_ms / baseline.rmssd_ms, p);
    return {lerp(baseline.hr_bpm, changed.hr_bpm), rmssd,
            lerp(baseline.breathing_bpm, changed.breathing_bpm)};
}

ScenarioScript make_script(Scenario scenario, std::uint64_t seed) {
    std::mt19937_64 rng(seed ^ 0x52656c61784d6f6eULL);  // "RelaxMon": seeds differ per project
    auto uniform = [&rng](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng);
    };

    ScenarioScript s;
    s.scenario = scenario;
    s.seed = seed;
    // Resting adults lying down (massage table): HR 58-80 bpm, RMSSD 22-45 ms, 12-16 breaths/min.
    s.baseline = {uniform(60.0, 80.0), uniform(25.0, 45.0), uniform(12.5, 15.5)};
    s.mayer_amplitude_ms = uniform(10.0, 20.0);
    s.mayer_hz = uniform(0.085, 0.11);
    s.slow_sd_ms = uniform(15.0, 30.0);
    s.white_sd_ms = uniform(3.0, 6.0);
    s.changed = s.baseline;

    switch (scenario) {
        case Scenario::rest:
            break;
        case Scenario::massage:
        case Scenario::artifacts:
            // Relaxation response: HR falls 5-12 bpm, RMSSD rises 1.4-2x, breathing slows to
            // ~7/min.
            s.onset_s = uniform(270.0, 360.0);
            s.transition_s = uniform(120.0, 300.0);
            s.changed = {s.baseline.hr_bpm - uniform(5.0, 12.0),
                         s.baseline.rmssd_ms * uniform(1.4, 2.0), uniform(6.0, 8.0)};
            break;
        case Scenario::stress:
            // Arousal: HR rises, RMSSD falls, breathing quickens.
            s.onset_s = uniform(270.0, 360.0);
            s.transition_s = uniform(60.0, 180.0);
            s.changed = {s.baseline.hr_bpm + uniform(8.0, 18.0),
                         s.baseline.rmssd_ms * uniform(0.45, 0.7), uniform(18.0, 22.0)};
            break;
    }

    if (scenario == Scenario::artifacts) {
        // Over the first 30 minutes: ectopic beats, missed beats, one dropout, one contact loss.
        const int ectopics = static_cast<int>(uniform(8.0, 16.0));
        const int missed = static_cast<int>(uniform(5.0, 10.0));
        for (int i = 0; i < ectopics; ++i)
            s.artifacts.push_back({uniform(60.0, 1790.0), InjectedArtifact::Kind::ectopic});
        for (int i = 0; i < missed; ++i)
            s.artifacts.push_back({uniform(60.0, 1790.0), InjectedArtifact::Kind::missed});
        std::sort(s.artifacts.begin(), s.artifacts.end(),
                  [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
        const double drop_start = uniform(600.0, 900.0);
        s.dropout = Interval{drop_start, drop_start + uniform(10.0, 20.0)};
        const double loss_start = uniform(1100.0, 1400.0);
        s.contact_loss = Interval{loss_start, loss_start + uniform(15.0, 30.0)};
    }
    return s;
}

nlohmann::json to_json(const ScenarioScript& s) {
    auto phys = [](const Physiology& p) {
        return nlohmann::json{
            {"hr_bpm", p.hr_bpm}, {"rmssd_ms", p.rmssd_ms}, {"breathing_bpm", p.breathing_bpm}};
    };
    nlohmann::json j{{"scenario", scenario_name(s.scenario)},
                     {"seed", s.seed},
                     {"baseline", phys(s.baseline)},
                     {"changed", phys(s.changed)},
                     {"transition_s", s.transition_s},
                     {"mayer_amplitude_ms", s.mayer_amplitude_ms},
                     {"mayer_hz", s.mayer_hz},
                     {"slow_sd_ms", s.slow_sd_ms},
                     {"white_sd_ms", s.white_sd_ms}};
    j["onset_s"] = s.onset_s ? nlohmann::json(*s.onset_s) : nlohmann::json(nullptr);
    const bool relaxes = s.scenario == Scenario::massage || s.scenario == Scenario::artifacts;
    j["relaxation_onset_s"] = relaxes && s.onset_s ? nlohmann::json(*s.onset_s) : nullptr;
    j["stress_onset_s"] =
        s.scenario == Scenario::stress && s.onset_s ? nlohmann::json(*s.onset_s) : nullptr;
    nlohmann::json artifacts = nlohmann::json::array();
    for (const auto& a : s.artifacts)
        artifacts.push_back(
            {{"t_s", a.t_s},
             {"kind", a.kind == InjectedArtifact::Kind::ectopic ? "ectopic" : "missed"}});
    j["artifacts"] = artifacts;
    auto interval = [](const std::optional<Interval>& i) {
        return i ? nlohmann::json{{"start_s", i->start_s}, {"end_s", i->end_s}}
                 : nlohmann::json(nullptr);
    };
    j["dropout"] = interval(s.dropout);
    j["contact_loss"] = interval(s.contact_loss);
    return j;
}

}  // namespace relaxmon::devices::sim
