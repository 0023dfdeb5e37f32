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

// massage: a relaxation response after a baseline; rest: no change; stress: arousal; artifacts:
// the massage session of the same seed plus artifacts; paced: the person follows a breathing
// pacer (3-7/min) after the baseline; breathwork: an active breathing practice, breathing slows
// and deepens while heart rate rises (Kundalini-style), which is not a relaxation response.
enum class Scenario { massage, rest, stress, artifacts, paced, breathwork };

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

// A transient the body makes on its own: a fidget, a swallow, a cough, a word (heart rate up by
// `rise_bpm` within a few seconds, back over `duration_s`).
struct Transient {
    double t_s = 0.0;
    double rise_bpm = 8.0;
    double duration_s = 20.0;
    double shape(double t_s) const;  // 0..1: how much of the rise is there at t_s
};

// The client turning over on the table, face-down to face-up (only when the simulated strap
// streams chest acceleration): movement for move_s, the effort raising heart rate (a transient
// of 10-20 bpm for 20-40 s), then the new posture's own level, hr_shift_bpm from the old.
struct Turnover {
    double t_s = 0.0;
    double move_s = 10.0;
    double hr_shift_bpm = 0.0;
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
    // What makes a real body less regular than a metronome (measured on real recordings, see
    // docs/validation.md): breath-to-breath variability of length and depth, the breath's shape
    // (breathing in takes less of a cycle than breathing out), sighs, a slow wander of vagal tone
    // (ln of the RSA amplitude as an Ornstein-Uhlenbeck process), and transients.
    // Off: the steady body (sinusoidal breaths jittering 8% in length, nothing else below).
    bool realistic = false;
    double breath_period_cv = 0.15;
    double breath_depth_cv = 0.25;
    double inhale_fraction = 0.42;
    double sighs_per_10min = 1.5;
    double vagal_wander_sd = 0.2;  // SD of ln RSA amplitude's slow wander
    double vagal_wander_tau_s = 60.0;
    // Slow wanders (Ornstein-Uhlenbeck, time constant 4 min) of the breathing rate and the heart
    // rate around the script's values: SDs.
    double breathing_wander_bpm = 1.0;
    double hr_wander_bpm = 1.5;
    std::vector<Transient> transients;  // sorted by time
    // The pacer the person follows (paced scenario): from onset_s, this many breaths/min with
    // little breath-to-breath variability.
    std::optional<double> pace_bpm;
    std::vector<InjectedArtifact> artifacts;  // sorted by time
    std::optional<Interval> dropout;          // strap disconnected
    std::optional<Interval> contact_loss;     // strap connected, no skin contact, no beats
    std::optional<Turnover> turnover;         // see add_turnover

    // Progress of the scripted change at time t: 0 before the onset, 1 when complete.
    double progress(double t_s) const;
    Physiology at(double t_s) const;
};

// `pace_bpm` sets the pacer of the paced scenario (default: drawn from 3-7 breaths/min).
// `realistic`: the body's irregularities below (default: on for paced and breathwork only).
ScenarioScript make_script(Scenario scenario, std::uint64_t seed,
                           std::optional<double> pace_bpm = std::nullopt,
                           std::optional<bool> realistic = std::nullopt);

// Adds a turnover at a seeded time between 15 and 35 minutes (the transient of its effort among
// the script's transients).
void add_turnover(ScenarioScript& script);

nlohmann::json to_json(const ScenarioScript& script);

}  // namespace relaxmon::devices::sim
