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
    if (name == "paced") return Scenario::paced;
    if (name == "breathwork") return Scenario::breathwork;
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
        case Scenario::paced:
            return "paced";
        case Scenario::breathwork:
            return "breathwork";
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

double Transient::shape(double t) const {
    // Up within 4 s (raised cosine), back down over the rest of its duration.
    constexpr double kRise_s = 4.0;
    const double dt = t - t_s;
    if (dt <= 0.0 || dt >= duration_s) return 0.0;
    if (dt < kRise_s) return 0.5 - 0.5 * std::cos(std::numbers::pi * dt / kRise_s);
    return 0.5 + 0.5 * std::cos(std::numbers::pi * (dt - kRise_s) / (duration_s - kRise_s));
}

Physiology ScenarioScript::at(double t_s) const {
    const double p = progress(t_s);
    auto lerp = [p](double a, double b) { return a + (b - a) * p; };
    // RMSSD moves geometrically (vagal tone changes multiplicatively).
    double rmssd = baseline.rmssd_ms * std::pow(changed.rmssd_ms / baseline.rmssd_ms, p);
    double hr = lerp(baseline.hr_bpm, changed.hr_bpm);
    // A transient is a brief vagal withdrawal: heart rate up, its variability down with it.
    for (const Transient& tr : transients) {
        if (tr.t_s > t_s) break;
        const double up = tr.rise_bpm * tr.shape(t_s);
        hr += up;
        rmssd *= std::exp(-0.03 * up);
    }
    if (turnover && t_s > turnover->t_s + turnover->move_s) hr += turnover->hr_shift_bpm;
    return {hr, rmssd, lerp(baseline.breathing_bpm, changed.breathing_bpm)};
}

void add_turnover(ScenarioScript& s) {
    std::mt19937_64 rng(s.seed ^ 0x5475726e6f766572ULL);  // "Turnover": its own draws
    auto uniform = [&rng](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng);
    };
    Turnover t;
    t.t_s = uniform(15.0 * 60.0, 35.0 * 60.0);
    t.move_s = uniform(5.0, 15.0);
    t.hr_shift_bpm = uniform(-2.0, 2.0);
    s.turnover = t;
    // The effort: heart rate up 10-20 bpm as the turn begins, settling over 20-40 s.
    const Transient effort{t.t_s, uniform(10.0, 20.0), uniform(20.0, 40.0) + t.move_s};
    s.transients.insert(
        std::upper_bound(s.transients.begin(), s.transients.end(), effort,
                         [](const Transient& a, const Transient& b) { return a.t_s < b.t_s; }),
        effort);
}

ScenarioScript make_script(Scenario scenario, std::uint64_t seed, std::optional<double> pace_bpm,
                           std::optional<bool> realistic) {
    std::mt19937_64 rng(seed ^ 0x52656c61784d6f6eULL);  // "RelaxMon": seeds differ per project
    auto uniform = [&rng](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng);
    };

    ScenarioScript s;
    s.scenario = scenario;
    s.seed = seed;
    // The new scenarios are realistic from the start; the others keep the steady body their
    // detector figures were measured on until they are measured again (issue 17).
    s.realistic =
        realistic.value_or(scenario == Scenario::paced || scenario == Scenario::breathwork);
    // Resting adults lying down (massage table): HR 58-80 bpm, RMSSD 22-45 ms, 12-16 breaths/min.
    s.baseline = {uniform(60.0, 80.0), uniform(25.0, 45.0), uniform(12.5, 15.5)};
    // Ranges measured on real resting and relaxing recordings (docs/validation.md): LF/HF 1-4 at
    // rest needs Mayer waves and 1/f variability this strong; the steady body has less.
    s.mayer_amplitude_ms = s.realistic ? uniform(18.0, 30.0) : uniform(10.0, 20.0);
    s.mayer_hz = uniform(0.085, 0.11);
    s.slow_sd_ms = s.realistic ? uniform(25.0, 45.0) : uniform(15.0, 30.0);
    s.white_sd_ms = uniform(3.0, 6.0);
    if (s.realistic) {
        // Their own stream, so the steady body's draws stay as they were.
        std::mt19937_64 rrng(seed ^ 0x5265616c69736d21ULL);
        auto u = [&rrng](double lo, double hi) {
            return std::uniform_real_distribution<double>(lo, hi)(rrng);
        };
        s.breath_period_cv = u(0.2, 0.32);
        s.breath_depth_cv = u(0.3, 0.45);
        s.inhale_fraction = u(0.36, 0.45);
        s.sighs_per_10min = u(1.5, 4.0);
        s.vagal_wander_sd = u(0.2, 0.35);
        s.vagal_wander_tau_s = u(40.0, 120.0);
        s.breathing_wander_bpm = u(0.8, 1.8);
        s.hr_wander_bpm = u(0.6, 1.6);
    }
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
        case Scenario::paced:
            // After the baseline the person follows a pacer at 3-7/min: the RSA swing grows
            // (resonance near 6/min), heart rate moves little.
            s.onset_s = uniform(270.0, 360.0);
            s.transition_s = 20.0;
            s.pace_bpm = pace_bpm ? *pace_bpm : uniform(3.0, 7.0);
            {
                // The RSA swing grows most near resonance (~6/min: Vaschillo et al. 2006) and
                // less at 3/min. RMSSD follows the swing times sin(pi f T) (see RrGenerator):
                // at very slow breathing the same swing moves successive beats less.
                const double gain =
                    uniform(2.2, 3.2) * std::exp(-0.5 * std::pow((*s.pace_bpm - 6.0) / 5.0, 2.0));
                const double beat_s = 60.0 / s.baseline.hr_bpm;
                auto swing = [beat_s](double bpm) {
                    return std::sin(std::numbers::pi * bpm / 60.0 * beat_s);
                };
                s.changed = {s.baseline.hr_bpm - uniform(0.0, 3.0),
                             s.baseline.rmssd_ms * std::max(1.0, gain) * swing(*s.pace_bpm) /
                                 swing(s.baseline.breathing_bpm),
                             *s.pace_bpm};
            }
            break;
        case Scenario::breathwork:
            // An active practice (breath of fire, chanting, deep slow breaths): breathing slows
            // to 4-6/min with large swings while heart rate climbs 15-30 bpm.
            s.onset_s = uniform(270.0, 360.0);
            s.transition_s = uniform(120.0, 240.0);
            s.changed = {s.baseline.hr_bpm + uniform(15.0, 30.0),
                         s.baseline.rmssd_ms * uniform(0.35, 0.7), uniform(4.0, 6.0)};
            break;
        case Scenario::stress:
            // Arousal: HR rises, RMSSD falls, breathing quickens.
            s.onset_s = uniform(270.0, 360.0);
            s.transition_s = uniform(60.0, 180.0);
            s.changed = {s.baseline.hr_bpm + uniform(8.0, 18.0),
                         s.baseline.rmssd_ms * uniform(0.45, 0.7), uniform(16.0, 20.0)};
            s.breath_period_cv *= 0.8;  // quick breaths vary less in length
            break;
    }

    if (s.realistic) {
        // Fidgets, swallows, a cough, a word: 5-15 an hour, heart rate up 5-12 bpm for 15-45 s.
        // Their own stream, drawn alike for massage and artifacts (a paired comparison).
        std::mt19937_64 trng(seed ^ 0x5472616e7369656eULL);
        auto u = [&trng](double lo, double hi) {
            return std::uniform_real_distribution<double>(lo, hi)(trng);
        };
        const double per_hour = u(5.0, 15.0);
        for (double t = 0.0;;) {
            t += std::exponential_distribution<double>(per_hour / 3600.0)(trng);
            if (t > 6.0 * 3600.0) break;
            s.transients.push_back({t, u(5.0, 12.0), u(15.0, 45.0)});
        }
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
                     {"white_sd_ms", s.white_sd_ms},
                     {"breath_period_cv", s.breath_period_cv},
                     {"breath_depth_cv", s.breath_depth_cv},
                     {"inhale_fraction", s.inhale_fraction},
                     {"sighs_per_10min", s.sighs_per_10min},
                     {"vagal_wander_sd", s.vagal_wander_sd},
                     {"breathing_wander_bpm", s.breathing_wander_bpm},
                     {"hr_wander_bpm", s.hr_wander_bpm}};
    j["pace_bpm"] = s.pace_bpm ? nlohmann::json(*s.pace_bpm) : nlohmann::json(nullptr);
    j["realistic"] = s.realistic;
    nlohmann::json transients = nlohmann::json::array();
    for (const auto& tr : s.transients)
        transients.push_back(
            {{"t_s", tr.t_s}, {"rise_bpm", tr.rise_bpm}, {"duration_s", tr.duration_s}});
    j["transients"] = transients;
    j["turnover_s"] = s.turnover ? nlohmann::json(s.turnover->t_s) : nlohmann::json(nullptr);
    if (s.turnover)
        j["turnover"] = {{"t_s", s.turnover->t_s},
                         {"move_s", s.turnover->move_s},
                         {"hr_shift_bpm", s.turnover->hr_shift_bpm},
                         {"from", "prone"},
                         {"to", "supine"}};
    j["onset_s"] = s.onset_s ? nlohmann::json(*s.onset_s) : nlohmann::json(nullptr);
    const bool relaxes = s.scenario == Scenario::massage || s.scenario == Scenario::artifacts;
    j["relaxation_onset_s"] = relaxes && s.onset_s ? nlohmann::json(*s.onset_s) : nullptr;
    const bool arouses = s.scenario == Scenario::stress || s.scenario == Scenario::breathwork;
    j["stress_onset_s"] = arouses && s.onset_s ? nlohmann::json(*s.onset_s) : nullptr;
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
