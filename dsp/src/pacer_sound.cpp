#include "relaxmon/dsp/pacer_sound.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace relaxmon::dsp {

namespace {
constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kChime_s = 2.5;
// A bell's partials (relative frequency, level, decay time constant in s) over A5.
constexpr double kChimeHz = 880.0;
constexpr double kPartials[][3] = {{1.0, 1.0, 0.8}, {2.76, 0.4, 0.4}, {5.4, 0.15, 0.2}};
}  // namespace

void PacerSound::chime() {
    chimes_s_.push_back(0.0);
}

void PacerSound::render(std::span<float> out) {
    const double dt = 1.0 / p_.sample_rate_hz;
    for (float& sample : out) {
        // Where in the breath: loudness 0 (empty lungs) .. 1 (full), raised-cosine up and down.
        const double fi = std::clamp(p_.inhale_fraction, 0.1, 0.9);
        const double x = breath_phase_;
        const double lungs = x < fi
                                 ? 0.5 - 0.5 * std::cos(std::numbers::pi * x / fi)
                                 : 0.5 + 0.5 * std::cos(std::numbers::pi * (x - fi) / (1.0 - fi));
        double v = 0.0;
        if (p_.breathing && !waiting_) {
            // Pitch glides up a fifth with the breath; the tone's level follows the lungs
            // (squared: softer near empty, so the breath's start is heard as it swells).
            const double f_hz = p_.base_hz * std::exp2(7.0 / 12.0 * lungs);
            tone_phase_ = std::fmod(tone_phase_ + kTwoPi * f_hz * dt, kTwoPi);
            // sin(2a) = 2 sin a cos a, sin(3a) = 3 sin a - 4 sin^3 a: one sine and cosine.
            const double s1 = std::sin(tone_phase_), c1 = std::cos(tone_phase_);
            const double tone =
                s1 + 0.25 * (2.0 * s1 * c1) + 0.08 * (3.0 * s1 - 4.0 * s1 * s1 * s1);
            v += 0.7 * lungs * lungs * tone / 1.33;
        }
        for (double& c_s : chimes_s_) {
            for (const auto& [ratio, level, tau_s] : kPartials)
                v += 0.35 * level * std::exp(-c_s / tau_s) *
                     std::sin(kTwoPi * kChimeHz * ratio * c_s);
            c_s += dt;
        }
        sample = static_cast<float>(std::clamp(p_.volume * v, -1.0, 1.0));
        ++samples_;
        breath_phase_ += dt * p_.rate_bpm / 60.0;
        if (breath_phase_ >= 1.0) {
            breath_phase_ -= 1.0;
            waiting_ = false;
            if (next_) {  // a new rate or split from the next breath on
                const double fs = p_.sample_rate_hz;
                p_ = *next_;
                p_.sample_rate_hz = fs;
                next_.reset();
            }
        }
    }
    std::erase_if(chimes_s_, [](double c_s) { return c_s > kChime_s; });
}

}  // namespace relaxmon::dsp
