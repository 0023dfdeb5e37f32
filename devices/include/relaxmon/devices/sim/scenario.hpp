#pragma once
// Scripts for the simulated strap. A script is drawn once from the seed and is the ground truth
// of the session: baseline physiology, the scripted change (relaxation or stress), and the
// artifacts, dropout and contact loss to inject. It is stored in session.json.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaxmon::devices::sim {

enum class Scenario { massage, rest, stress, artifacts };

std::optional<Scenario> scenario_from_name(std::string_view name);
std::string_view scenario_name(Scenario s);

// Physiological state the generator aims for; RMSSD is the expected short-term RMSSD.
struct Physiology {
    double hr_bpm = 70.0;
    double rmssd_ms = 35.0;
    double breathing_bpm = 14.0;
};

struct Interval {
    double start_s = 0.0;
    double end_s = 0.0;
};

struct InjectedArtifact {
    double t_s = 0.0;  // approximate time of the affected beat
    enum class Kind { ectopic, missed } kind = Kind::ectopic;
};

struct ScenarioScript {
    Scenario scenario = Scenario::massage;
    std::uint64_t seed = 0;
    Physiology baseline;
    Physiology changed;             // after the scripted change (== baseline for rest)
    std::optional<double> onset_s;  // start of the change
    double transition_s = 0.0;      // the change completes over this long (smooth ramp)
    // Variability that is not driven by breathing (ms): Mayer waves at ~0.1 Hz, 1/f, white.
    double mayer_amplitude_ms = 15.0;
    double mayer_hz = 0.1;
    double slow_sd_ms = 25.0;
    double white_sd_ms = 4.0;
    std::vector<InjectedArtifact> artifacts;  // sorted by time
    std::optional<Interval> dropout;          // strap disconnected
    std::optional<Interval> contact_loss;     // strap connected, no skin contact, no beats

    // Progress of the scripted change at time t: 0 before the onset, 1 when complete.
    double progress(double t_s) const;
    Physiology at(double t_s) const;
};

ScenarioScript make_script(Scenario scenario, std::uint64_t seed);

nlohmann::json to_json(const ScenarioScript& script);

}  // namespace relaxmon::devices::sim
