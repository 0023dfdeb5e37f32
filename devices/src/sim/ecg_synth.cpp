#include "relaxmon/devices/sim/ecg_synth.hpp"

#include <cmath>
#include <numbers>

namespace relaxmon::devices::sim {

namespace {
constexpr double kReach_s = 0.6;  // no wave lasts beyond 0.6 s from its beat

struct Wave {
    double offset_s, width_s, amplitude_uv;
};
// P, Q, R, S, T of a lead II-like morphology.
constexpr Wave kWaves[] = {{-0.16, 0.025, 120.0},
                           {-0.025, 0.008, -120.0},
                           {0.0, 0.010, 1100.0},
                           {0.025, 0.010, -250.0},
                           {0.28, 0.050, 300.0}};
}  // namespace

EcgSynth::EcgSynth(double fs_hz, std::uint64_t seed) : fs_(fs_hz), rng_(seed ^ 0xEC6ULL) {}

void EcgSynth::add_beat(double t_s) {
    beats_.push_back(t_s);
}

double EcgSynth::value_at(double t) {
    double v = 80.0 * std::sin(2.0 * std::numbers::pi * 0.23 * t) + 8.0 * noise_(rng_);
    for (double b : beats_) {
        if (std::abs(t - b) > kReach_s) continue;
        for (const Wave& w : kWaves) {
            const double d = t - b - w.offset_s;
            v += w.amplitude_uv * std::exp(-0.5 * d * d / (w.width_s * w.width_s));
        }
    }
    return v;
}

EcgSynth::Block EcgSynth::take_ready() {
    Block out{static_cast<double>(next_sample_) / fs_, {}};
    if (beats_.empty()) return out;
    // Complete up to reach before the newest beat: later samples may still get a wave.
    const double ready_until = beats_.back() - kReach_s;
    while (static_cast<double>(next_sample_) / fs_ < ready_until) {
        out.samples_uv.push_back(
            static_cast<float>(value_at(static_cast<double>(next_sample_) / fs_)));
        ++next_sample_;
    }
    const double now = static_cast<double>(next_sample_) / fs_;
    while (beats_.size() > 1 && beats_.front() < now - kReach_s) beats_.pop_front();
    return out;
}

}  // namespace relaxmon::devices::sim
