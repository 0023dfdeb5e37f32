#include "relaxmon/dsp/posture.hpp"

#include <algorithm>
#include <cmath>

namespace relaxmon::dsp {

const char* posture_name(Posture p) {
    switch (p) {
        case Posture::prone:
            return "prone";
        case Posture::supine:
            return "supine";
        case Posture::left_side:
            return "left_side";
        case Posture::right_side:
            return "right_side";
        case Posture::upright:
            return "upright";
    }
    return "unknown";
}

std::optional<double> PostureTracker::still_since_s() const {
    if (moving_ || !started_) return std::nullopt;
    return still_since_s_;
}

std::vector<PostureEvent> PostureTracker::push(
    double t0_s, double fs_hz, std::span<const std::array<std::int16_t, 3>> samples_mg) {
    std::vector<PostureEvent> out;
    if (!(fs_hz > 0.0) || samples_mg.empty()) return out;
    const double dt_s = 1.0 / fs_hz;
    // A block that does not follow the last: the filters start again from its first sample.
    if (started_ && std::abs(t0_s - next_t_s_) > 1.5 * dt_s) started_ = false;
    for (std::size_t i = 0; i < samples_mg.size(); ++i)
        sample(t0_s + static_cast<double>(i) * dt_s, dt_s, samples_mg[i], out);
    next_t_s_ = t0_s + static_cast<double>(samples_mg.size()) * dt_s;
    return out;
}

void PostureTracker::sample(double t_s, double dt_s, const std::array<std::int16_t, 3>& a,
                            std::vector<PostureEvent>& out) {
    if (!started_) {
        for (int k = 0; k < 3; ++k) gravity_[k] = quick_[k] = a[k];
        power_mg2_ = 0.0;
        started_ = true;
        if (!moving_) still_since_s_ = t_s;
        candidate_.reset();
    }
    const double g_alpha = 1.0 - std::exp(-dt_s / p_.gravity_tau_s);
    const double q_alpha = 1.0 - std::exp(-dt_s / p_.quick_tau_s);
    const double p_alpha = 1.0 - std::exp(-dt_s / p_.rms_window_s);
    double residual2 = 0.0;
    for (int k = 0; k < 3; ++k) {
        gravity_[k] += g_alpha * (a[k] - gravity_[k]);
        quick_[k] += q_alpha * (a[k] - quick_[k]);
        const double r = a[k] - quick_[k];
        residual2 += r * r;
    }
    power_mg2_ += p_alpha * (residual2 - power_mg2_);
    const double rms_mg = std::sqrt(power_mg2_);
    // Durations end on the sample nearest to them: times that went through a file (rounded)
    // or were cut into other blocks must end them on the same sample.
    const double half_sample_s = 0.5 * dt_s;

    if (!moving_ && rms_mg > p_.move_start_mg) {
        moving_ = true;
        quiet_since_s_ = t_s;
        candidate_.reset();
        out.push_back({t_s, "movement", "start"});
    } else if (moving_) {
        if (rms_mg > p_.move_end_mg)
            quiet_since_s_ = t_s;
        else if (t_s - quiet_since_s_ >= p_.move_end_s - half_sample_s) {
            moving_ = false;
            still_since_s_ = t_s;
            out.push_back({t_s, "movement", "end"});
        }
    }
    if (moving_) return;
    // A posture counts once it has held, still, for settle_s.
    const auto now = classify();
    if (now != candidate_) {
        candidate_ = now;
        candidate_since_s_ = std::max(t_s, still_since_s_);
    }
    if (candidate_ && candidate_ != reported_ &&
        t_s - std::max(candidate_since_s_, still_since_s_) >= p_.settle_s - half_sample_s) {
        reported_ = candidate_;
        out.push_back({t_s, "posture", posture_name(*reported_)});
    }
}

std::optional<Posture> PostureTracker::classify() const {
    const double norm = std::sqrt(gravity_[0] * gravity_[0] + gravity_[1] * gravity_[1] +
                                  gravity_[2] * gravity_[2]);
    if (norm < 500.0 || norm > 1500.0) return std::nullopt;  // not gravity alone
    const double x = gravity_[0] / norm, y = gravity_[1] / norm, z = gravity_[2] / norm;
    const double ax = std::abs(x), ay = std::abs(y), az = std::abs(z);
    if (az >= ax && az >= ay) return z > 0.0 ? Posture::supine : Posture::prone;
    if (ay >= ax) return y > 0.0 ? Posture::left_side : Posture::right_side;
    return Posture::upright;
}

}  // namespace relaxmon::dsp
