#pragma once
// RrGenerator: a deterministic, physiologically shaped RR series that follows a ScenarioScript.
//
//   rr(t) = 60000/HR(t) + A(t) d_b w(t) shape(phi_resp(t)) + M sin(2 pi f_M t + psi(t))
//           + slow(t) + e
//
// - respiratory sinus arrhythmia: phi_resp advances at the breathing rate, each breath with its
//   own period and depth d_b (the script's CVs; now and then a sigh, long and deep) and a
//   lopsided shape (breathing in is shorter than breathing out); w(t) is a slow log-normal wander
//   of vagal tone; the amplitude A(t) is solved each beat so that the expected RMSSD equals
//   the script's, from E[(x_{k+1}-x_k)^2] = 2 A^2 sin^2(pi f T) for a sinusoid of frequency f
//   sampled every T seconds (slow breathing needs a larger swing for the same RMSSD, as in life);
// - heart rate follows the script, with its transients (fidgets, swallows: up 5-15 bpm);
// - Mayer waves (baroreflex, ~0.1 Hz) with a wandering phase;
// - 1/f variability as a sum of Ornstein-Uhlenbeck processes with log-spaced time constants;
// - white beat-to-beat noise.
// Intervals are quantised to 1/1024 s like a BLE strap's. Artifacts, a dropout and a contact
// loss are injected as the script says (an artifact rewrites a pair of sinus intervals and keeps
// their sum); the output is what a strap would deliver.
#include <array>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "relaxmon/devices/measurement.hpp"
#include "relaxmon/devices/sim/scenario.hpp"

namespace relaxmon::devices::sim {

class RrGenerator {
  public:
    explicit RrGenerator(ScenarioScript script);

    // The measurements up to and including the next delivered beat (status changes first).
    // Times increase strictly; the sequence never ends.
    std::vector<Measurement> next();

    const ScenarioScript& script() const { return script_; }
    // The breathing rate behind the newest beat: the script's, plus the body's slow wander.
    double breathing_bpm() const { return breathing_bpm_; }
    // The breath as it stands at the end of the last interval drawn, for the chest's motion:
    // phase counted on across breaths (radians), and this breath's depth.
    struct Breath {
        double t_s;
        double phase_rad;
        double depth;
    };
    Breath breath() const {
        return {t_sinus_s_, breaths_ * 2.0 * std::numbers::pi + breath_phase_, breath_depth_};
    }
    // The breath's shape at a phase (-1..1; RR is shortest where it is -1, at the end of
    // breathing in).
    double breath_shape_at(double phase_rad) const;

  private:
    double breathing_bpm_ = 0.0;
    double natural_rr_ms(double t_s);  // one sinus interval starting at t_s
    double next_sinus_ms();            // the next one at t_sinus_s_, quantised as a strap does
    void advance_oscillators(double dt_s, double breathing_hz);
    void new_breath(double breathing_hz);
    double breath_shape() const;  // -1..1 over the breath cycle

    ScenarioScript script_;
    std::mt19937_64 rng_;
    std::normal_distribution<double> gauss_{0.0, 1.0};
    std::mt19937_64 artifact_rng_;  // its own stream: artifacts leave the physiology as it was

    double t_s_ = 0.0;           // time of the last beat (delivered or not)
    double t_sinus_s_ = 0.0;     // end of the last sinus interval drawn (ahead of t_s_ in a pair)
    double breath_phase_ = 0.0;  // radians
    double breaths_ = 0.0;       // whole breaths so far
    double breath_period_s_ = 4.0;
    double breath_depth_ = 1.0;  // this breath's depth (mean square 1)
    double vagal_wander_ = 0.0;  // ln RSA amplitude's slow wander
    bool pacing_ = false;        // the person follows the pacer now
    // Following it, each breath begins near one of the pacer's beats: this breath's start less
    // its beat (the follower's timing error, which does not add up from breath to breath).
    double pacer_lag_s_ = 0.0;
    double breathing_wander_ = 0.0, hr_wander_ = 0.0;  // breaths/min, bpm
    double mayer_phase_ = 0.0;
    static constexpr std::array<double, 4> kSlowTau_s{8.0, 25.0, 80.0, 250.0};
    std::array<double, 4> slow_{};

    std::size_t next_artifact_ = 0;
    double pending_compensation_ms_ = 0.0;  // the pause after an ectopic beat
    bool connected_ = true;
    bool contact_ = true;
};

}  // namespace relaxmon::devices::sim
