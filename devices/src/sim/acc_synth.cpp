#include "relaxmon/devices/sim/acc_synth.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace relaxmon::devices::sim {

namespace {
using Vec = std::array<double, 3>;
using Mat = std::array<Vec, 3>;

Mat rotation(double about_x, double about_y, double about_z) {
    const double cx = std::cos(about_x), sx = std::sin(about_x);
    const double cy = std::cos(about_y), sy = std::sin(about_y);
    const double cz = std::cos(about_z), sz = std::sin(about_z);
    // R = Rz * Ry * Rx
    return {{{cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx},
             {sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx},
             {-sy, cy * sx, cy * cx}}};
}

Vec times(const Mat& m, const Vec& v) {
    return {m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]};
}
}  // namespace

AccSynth::AccSynth(const RrGenerator& body, double fs_hz)
    : body_(body), fs_(fs_hz), rng_(body.script().seed ^ 0x4163634368657374ULL) {
    auto uniform = [this](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng_);
    };
    constexpr double kDeg = std::numbers::pi / 180.0;
    tilt_ = rotation(uniform(-15.0, 15.0) * kDeg, uniform(-15.0, 15.0) * kDeg,
                     uniform(-15.0, 15.0) * kDeg);
    breath_mg_ = uniform(8.0, 20.0);
    stroke_mg_ = uniform(10.0, 25.0);
    stroke_hz_ = uniform(0.5, 0.9);
    spell_end_s_ = uniform(30.0, 90.0);
}

void AccSynth::add_breath(const RrGenerator::Breath& b) {
    if (!breaths_.empty() && b.t_s <= breaths_.back().t_s) return;
    breaths_.push_back({b.t_s, b.phase_rad, b.depth});
}

void AccSynth::add_beat(double t_s) {
    beats_.push_back(t_s);
}

AccBlock AccSynth::take_ready() {
    AccBlock block;
    block.fs_hz = fs_;
    block.t0_s = static_cast<double>(next_sample_) / fs_;
    if (breaths_.size() < 2) return block;
    const double until_s = breaths_.back().t_s;
    for (;; ++next_sample_) {
        const double t = static_cast<double>(next_sample_) / fs_;
        if (t > until_s) break;
        const Vec a = sample(t);
        block.samples_mg.push_back({static_cast<std::int16_t>(std::lround(a[0])),
                                    static_cast<std::int16_t>(std::lround(a[1])),
                                    static_cast<std::int16_t>(std::lround(a[2]))});
    }
    return block;
}

std::array<double, 3> AccSynth::sample(double t) {
    const double dt = 1.0 / fs_;
    const ScenarioScript& script = body_.script();
    // Gravity: face-down, rolled about x to face-up over the turnover's movement.
    double roll = 0.0;  // 0 face-down, pi face-up
    bool turning = false;
    if (script.turnover) {
        const double u = (t - script.turnover->t_s) / script.turnover->move_s;
        turning = u > 0.0 && u < 1.0;
        roll = std::numbers::pi * std::clamp(u, 0.0, 1.0);
        roll = std::numbers::pi * (0.5 - 0.5 * std::cos(roll));  // eased
    }
    Vec a{-60.0, 1000.0 * std::sin(roll), -1000.0 * std::cos(roll)};
    // Breathing: the chest rises along z (out of the chest), whichever way the person lies.
    while (breaths_.size() > 2 && breaths_[1].t_s < t) breaths_.pop_front();
    const BreathPoint& b0 = breaths_[0];
    const BreathPoint& b1 = breaths_.size() > 1 ? breaths_[1] : breaths_[0];
    const double w = b1.t_s > b0.t_s ? std::clamp((t - b0.t_s) / (b1.t_s - b0.t_s), 0.0, 1.0) : 0.0;
    const double phase = b0.phase_rad + w * (b1.phase_rad - b0.phase_rad);
    const double depth = b0.depth + w * (b1.depth - b0.depth);
    a[2] += -breath_mg_ * depth * body_.breath_shape_at(phase);
    // The heartbeat's recoil.
    while (!beats_.empty() && beats_.front() < t - 0.5) beats_.pop_front();
    for (double beat : beats_) {
        const double since = t - beat;
        if (since < 0.0) break;
        a[2] += 5.0 * std::exp(-since / 0.06) * std::sin(2.0 * std::numbers::pi * 12.0 * since);
    }
    // Massage strokes rock the body, in spells.
    if (t >= spell_end_s_) {
        stroking_ = !stroking_;
        spell_end_s_ = t + (stroking_ ? std::uniform_real_distribution<>(30.0, 90.0)(rng_)
                                      : std::uniform_real_distribution<>(5.0, 20.0)(rng_));
    }
    stroke_phase_ += 2.0 * std::numbers::pi * stroke_hz_ * dt;
    if (stroking_ && !turning) {
        a[0] += stroke_mg_ * std::sin(stroke_phase_);
        a[1] += 0.6 * stroke_mg_ * std::sin(stroke_phase_ + 1.1);
    }
    // Turning over: the body shakes (noise low-passed to a few hertz).
    const double keep = std::exp(-dt * 2.0 * std::numbers::pi * 3.0);
    for (double& s : shake_) s = keep * s + std::sqrt(1.0 - keep * keep) * gauss_(rng_);
    if (turning)
        for (int k = 0; k < 3; ++k) a[k] += 250.0 * shake_[k];
    Vec out = times(tilt_, a);
    for (double& v : out) v += 2.0 * gauss_(rng_);
    return out;
}

}  // namespace relaxmon::devices::sim
