#pragma once
// AccSynth: the simulated strap's chest acceleration (Polar H10 frame, milli-g, gravity
// included, 200 Hz; PROTOCOLS.md "ACC axes and posture"). The sum of
// - gravity for the posture: face-down (z = -1000 mG) until the script's turnover, then, over
//   its movement, rolled about the body's axis through a side to face-up (z = +1000), seen by a
//   strap worn a little rotated (a seeded tilt of up to 15 degrees about each axis);
// - breathing: the chest rises and falls with the RR generator's own breaths (same phase and
//   depth), 8-20 mG along z;
// - the heartbeat's recoil: a 5 mG ring at 12 Hz after each beat;
// - massage strokes rocking the body: 10-25 mG at 0.5-0.9 strokes a second, along x and y, in
//   spells of 30-90 s with pauses of 5-20 s;
// - the turnover's movement: a few hundred mG of shaking (1-4 Hz) while it lasts;
// - sensor noise (2 mG) and rounding to whole milli-g.
// Samples are made up to the newest breath handed in.
#include <array>
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

#include "relaxmon/devices/measurement.hpp"
#include "relaxmon/devices/sim/rr_generator.hpp"

namespace relaxmon::devices::sim {

class AccSynth {
  public:
    // `body`: the RR generator whose breaths and beats the chest follows (it must outlive this).
    explicit AccSynth(const RrGenerator& body, double fs_hz = 200.0);

    // After each of the generator's beats: its breath as it stands, and the beat.
    void add_breath(const RrGenerator::Breath& b);
    void add_beat(double t_s);
    AccBlock take_ready();
    double fs_hz() const { return fs_; }

  private:
    std::array<double, 3> sample(double t_s);

    const RrGenerator& body_;
    double fs_;
    std::mt19937_64 rng_;
    std::normal_distribution<double> gauss_{0.0, 1.0};
    std::array<std::array<double, 3>, 3> tilt_{};  // the strap's rotation on the chest
    double breath_mg_ = 12.0;
    double stroke_mg_ = 15.0, stroke_hz_ = 0.7;
    double stroke_phase_ = 0.0;
    bool stroking_ = true;
    double spell_end_s_ = 0.0;
    struct BreathPoint {
        double t_s, phase_rad, depth;
    };
    std::deque<BreathPoint> breaths_;
    std::deque<double> beats_;
    std::array<double, 3> shake_{};  // the turnover's movement, low-passed noise
    std::int64_t next_sample_ = 0;
};

}  // namespace relaxmon::devices::sim
