#pragma once
// EcgSynth: a single-lead ECG drawn from a sequence of beat times, for the simulated strap's raw
// ECG stream (like a Polar H10's 130 Hz PMD stream). Each beat is a sum of Gaussian P, Q, R, S
// and T waves at physiological offsets and widths (in the manner of McSharry et al. 2003, IEEE
// TBME 50:289-294, without their dynamical model), on a breathing-driven baseline with a little
// noise. Samples are produced once every beat that can shape them is known.
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

namespace relaxmon::devices::sim {

class EcgSynth {
  public:
    EcgSynth(double fs_hz, std::uint64_t seed);

    void add_beat(double t_s);
    // Samples whose waveform is complete (all beats within reach are known): returns them and
    // the time of the first.
    struct Block {
        double t0_s;
        std::vector<float> samples_uv;
    };
    Block take_ready();
    double fs_hz() const { return fs_; }

  private:
    double value_at(double t_s);

    double fs_;
    std::mt19937_64 rng_;
    std::normal_distribution<double> noise_{0.0, 1.0};
    std::deque<double> beats_;
    std::int64_t next_sample_ = 0;
};

}  // namespace relaxmon::devices::sim
