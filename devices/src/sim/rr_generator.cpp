#include "relaxmon/devices/sim/rr_generator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace relaxmon::devices::sim {

namespace {
constexpr double kTwoPi = 2.0 * std::numbers::pi;
constexpr double kWander_tau_s = 240.0;
constexpr double kSteadyBreathPeriodCv = 0.08;  // the steady simulator's breath-to-breath jitter

bool inside(const std::optional<Interval>& i, double t_s) {
    return i && t_s >= i->start_s && t_s < i->end_s;
}
}  // namespace

RrGenerator::RrGenerator(ScenarioScript script)
    : script_(std::move(script)), rng_(script_.seed), artifact_rng_(~script_.seed) {
    breath_period_s_ = 60.0 / script_.baseline.breathing_bpm;
    if (script_.realistic) {
        vagal_wander_ = script_.vagal_wander_sd * gauss_(rng_);
        breathing_wander_ = script_.breathing_wander_bpm * gauss_(rng_);
        hr_wander_ = script_.hr_wander_bpm * gauss_(rng_);
    }
    breath_phase_ = std::uniform_real_distribution<double>(0.0, kTwoPi)(rng_);
    mayer_phase_ = std::uniform_real_distribution<double>(0.0, kTwoPi)(rng_);
    // Start the slow processes in their stationary distribution.
    const double per_process_sd = script_.slow_sd_ms / std::sqrt(double(kSlowTau_s.size()));
    for (double& x : slow_) x = per_process_sd * gauss_(rng_);
}

void RrGenerator::new_breath(double breathing_hz) {
    if (!script_.realistic) {  // the steady simulator: only the length jitters, a little
        const double jitter = std::clamp(1.0 + kSteadyBreathPeriodCv * gauss_(rng_), 0.75, 1.25);
        breath_period_s_ = jitter / breathing_hz;
        return;
    }
    // Each breath its own length and depth (log-normal depth, mean square 1 so the RMSSD the
    // script asks for holds on average); now and then a sigh: a long, deep breath.
    // Following a pacer, each breath begins within a few per cent of a breath of the pacer's
    // beat, early or late (phase-locked: the errors do not add up, so the lengths of successive
    // breaths are anti-correlated), and varies less in depth.
    const double cv = pacing_ ? 0.06 : script_.breath_period_cv;
    const double depth_cv = (pacing_ ? 0.8 : 1.0) * script_.breath_depth_cv;
    const double jitter = std::clamp(cv * gauss_(rng_), -2.5 * cv, 2.5 * cv);
    double period_s = (1.0 + jitter) / breathing_hz;
    if (pacing_) {
        const double lag_s = jitter / breathing_hz;
        period_s = 1.0 / breathing_hz + lag_s - pacer_lag_s_;
        pacer_lag_s_ = lag_s;
    } else {
        pacer_lag_s_ = 0.0;
    }
    const double sigma = std::sqrt(std::log(1.0 + depth_cv * depth_cv));
    double depth = std::exp(sigma * gauss_(rng_) - sigma * sigma);
    const double sigh_chance =
        pacing_ ? 0.0 : script_.sighs_per_10min / (10.0 * 60.0 * breathing_hz);
    if (std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < sigh_chance) {
        period_s *= std::uniform_real_distribution<double>(1.5, 2.0)(rng_);
        depth *= std::uniform_real_distribution<double>(2.0, 3.0)(rng_);
    }
    breath_period_s_ = period_s;
    breath_depth_ = depth;
}

void RrGenerator::advance_oscillators(double dt_s, double breathing_hz) {
    breath_phase_ += kTwoPi * dt_s / breath_period_s_;
    while (breath_phase_ >= kTwoPi) {
        breath_phase_ -= kTwoPi;
        breaths_ += 1.0;
        new_breath(breathing_hz);
    }
    // Mayer wave: phase random walk keeps the 0.1 Hz peak a realistic width.
    mayer_phase_ += kTwoPi * script_.mayer_hz * dt_s + 0.15 * std::sqrt(dt_s) * gauss_(rng_);
    const double per_process_sd = script_.slow_sd_ms / std::sqrt(double(kSlowTau_s.size()));
    for (std::size_t i = 0; i < slow_.size(); ++i) {
        const double decay = std::exp(-dt_s / kSlowTau_s[i]);
        slow_[i] =
            slow_[i] * decay + per_process_sd * std::sqrt(1.0 - decay * decay) * gauss_(rng_);
    }
    if (!script_.realistic) return;
    auto ou = [&](double& x, double sd, double tau_s) {
        const double decay = std::exp(-dt_s / tau_s);
        x = x * decay + sd * std::sqrt(1.0 - decay * decay) * gauss_(rng_);
    };
    ou(vagal_wander_, script_.vagal_wander_sd, script_.vagal_wander_tau_s);
    ou(breathing_wander_, script_.breathing_wander_bpm, kWander_tau_s);
    ou(hr_wander_, script_.hr_wander_bpm, kWander_tau_s);
}

double RrGenerator::breath_shape() const {
    return breath_shape_at(breath_phase_);
}

double RrGenerator::breath_shape_at(double phase_rad) const {
    const double breath_phase = std::fmod(phase_rad, kTwoPi);
    if (!script_.realistic) return std::sin(breath_phase);
    // RR is longest as a breath in begins and shortest as it ends: breathing in (a fraction of
    // the cycle) takes the first half of a cosine, breathing out the second, so the swing is as
    // lopsided as a real breath and carries its harmonics.
    const double fi = script_.inhale_fraction;
    const double x = breath_phase / kTwoPi;
    const double u =
        x < fi ? std::numbers::pi * x / fi : std::numbers::pi * (1.0 + (x - fi) / (1.0 - fi));
    return std::cos(u);
}

double RrGenerator::natural_rr_ms(double t_s) {
    const Physiology p = script_.at(t_s);
    pacing_ = script_.pace_bpm && script_.progress(t_s) > 0.5;
    const double mean_rr_ms = 60000.0 / std::max(30.0, p.hr_bpm + hr_wander_);
    const double period_s = mean_rr_ms / 1000.0;
    // A pacer holds the breathing rate; left to itself it wanders.
    const double f_breath_hz =
        std::max(2.0, p.breathing_bpm + (pacing_ ? 0.0 : breathing_wander_)) / 60.0;

    // Expected squared successive difference from everything but RSA ...
    auto diff_power = [period_s](double amplitude, double f_hz) {
        const double s = std::sin(std::numbers::pi * f_hz * period_s);
        return 2.0 * amplitude * amplitude * s * s;
    };
    // Breathing slowly to a pacer entrains the baroreflex: the ~0.1 Hz Mayer wave merges into
    // the breathing rhythm (Vaschillo et al. 2006) and hardly stands apart from it.
    const double mayer_ms = script_.mayer_amplitude_ms * (pacing_ ? 0.3 : 1.0);
    double other =
        2.0 * script_.white_sd_ms * script_.white_sd_ms + diff_power(mayer_ms, script_.mayer_hz);
    const double per_process_var = script_.slow_sd_ms * script_.slow_sd_ms / double(slow_.size());
    for (double tau : kSlowTau_s)
        other += 2.0 * per_process_var * (1.0 - std::exp(-period_s / tau));
    // ... and the RSA amplitude that makes up the scripted RMSSD.
    const double rsa_unit = diff_power(1.0, f_breath_hz);
    const double needed = p.rmssd_ms * p.rmssd_ms - other;
    double rsa_ms = needed > 0.0 && rsa_unit > 1e-9 ? std::sqrt(needed / rsa_unit) : 0.0;
    // The slow wander of vagal tone, normalised so its mean square is 1.
    const double sd = script_.realistic ? script_.vagal_wander_sd : 0.0;
    rsa_ms *= breath_depth_ * std::exp(vagal_wander_ - sd * sd);
    rsa_ms = std::min(rsa_ms, 0.3 * mean_rr_ms);

    double slow_ms = 0.0;
    for (double x : slow_) slow_ms += x;
    const double rr = mean_rr_ms + rsa_ms * breath_shape() + mayer_ms * std::sin(mayer_phase_) +
                      slow_ms + script_.white_sd_ms * gauss_(rng_);
    breathing_bpm_ = 60.0 * f_breath_hz;
    advance_oscillators(rr / 1000.0, f_breath_hz);
    return rr;
}

double RrGenerator::next_sinus_ms() {
    // What a BLE strap reports: RR in units of 1/1024 s.
    return std::round(natural_rr_ms(t_sinus_s_) * 1.024) / 1.024;
}

std::vector<Measurement> RrGenerator::next() {
    std::vector<Measurement> out;
    for (;;) {
        double rr_ms;
        if (pending_compensation_ms_ > 0.0) {
            rr_ms = pending_compensation_ms_;
            pending_compensation_ms_ = 0.0;
        } else {
            rr_ms = next_sinus_ms();
            t_sinus_s_ += rr_ms / 1000.0;
            const auto& arts = script_.artifacts;
            if (next_artifact_ < arts.size() && t_s_ >= arts[next_artifact_].t_s) {
                // An artifact rewrites two sinus intervals and keeps their sum, so every beat
                // after it comes exactly when it would have without it: the artifacts scenario
                // is the massage session of the same seed plus artifacts, a paired comparison.
                const double following_ms = next_sinus_ms();
                t_sinus_s_ += following_ms / 1000.0;
                if (arts[next_artifact_].kind == InjectedArtifact::Kind::ectopic) {
                    // Premature beat then a full compensatory pause: the pair spans two cycles.
                    const double prematurity =
                        0.6 + 0.2 * std::uniform_real_distribution<>()(artifact_rng_);
                    const double premature_ms = std::round(prematurity * rr_ms * 1.024) / 1.024;
                    pending_compensation_ms_ = rr_ms + following_ms - premature_ms;
                    rr_ms = premature_ms;
                } else {
                    // The strap misses an R peak: two intervals arrive as one.
                    rr_ms += following_ms;
                }
                ++next_artifact_;
            }
        }
        t_s_ += rr_ms / 1000.0;

        const bool connected = !inside(script_.dropout, t_s_);
        const bool contact = !inside(script_.contact_loss, t_s_);
        if (connected != connected_ || (connected && contact != contact_)) {
            DeviceStatus st;
            st.t_s = t_s_;
            st.connected = connected;
            if (connected) st.contact = contact;
            out.emplace_back(st);
            connected_ = connected;
            if (connected) contact_ = contact;
        }
        if (connected && contact) {
            out.emplace_back(RrBeat{t_s_, rr_ms, 0});
            return out;
        }
    }
}

}  // namespace relaxmon::devices::sim
