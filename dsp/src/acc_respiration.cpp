#include "relaxmon/dsp/acc_respiration.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>

#include "relaxmon/dsp/hrv_frequency.hpp"
#include "relaxmon/dsp/spectrum.hpp"

namespace relaxmon::dsp {

namespace {
// The band-pass filters ring for a few seconds after a restart: skip that before judging.
constexpr double kFilterSettle_s = 10.0;
// Below this RMS (milli-g) along the principal direction the chest is not seen to move.
constexpr double kMinMovement = 0.5;
}  // namespace

AccRespiration::AccRespiration(Params p) : p_(p) {}

void AccRespiration::restart(double t_s, double fs_hz) {
    fs_hz_ = fs_hz;
    per_out_ = std::max(1, static_cast<int>(std::lround(fs_hz / kOut_hz)));
    n_acc_ = 0;
    sum_ = {};
    for (int a = 0; a < 3; ++a) {
        highpass_[a] = Biquad::highpass(fs_hz / per_out_, 0.03);
        lowpass_[a] = Biquad::lowpass(fs_hz / per_out_, 1.0);
    }
    filtered_.clear();
    settled_ = 0;
    since_update_ = 0;
    offset_.reset();
    last_.reset();
    axis_.reset();
    counter_.restart();
    counted_ = {};
    next_t_s_ = t_s;
}

std::optional<AccRespiration::Estimate> AccRespiration::push(
    double t0_s, double fs_hz, std::span<const std::array<std::int16_t, 3>> xyz) {
    if (!(fs_hz > 0.0) || xyz.empty()) return std::nullopt;
    // A new rate, or samples that do not follow on (a dropout): start afresh.
    if (!next_t_s_ || fs_hz != fs_hz_ || std::abs(t0_s - *next_t_s_) > 0.5) restart(t0_s, fs_hz);
    const double dt = 1.0 / fs_hz;
    const double out_fs = fs_hz / per_out_;
    const std::size_t keep =
        static_cast<std::size_t>(std::lround(std::max(p_.window_s, p_.slow_window_s) * out_fs));
    std::optional<Estimate> result;
    for (std::size_t i = 0; i < xyz.size(); ++i) {
        for (int a = 0; a < 3; ++a) sum_[a] += xyz[i][a];
        if (++n_acc_ < per_out_) continue;
        std::array<double, 3> y;
        // Gravity (up to 1 g) is taken off first, so the high-pass has no step to ring on.
        if (!offset_)
            offset_ = std::array{sum_[0] / per_out_, sum_[1] / per_out_, sum_[2] / per_out_};
        for (int a = 0; a < 3; ++a)
            y[a] = lowpass_[a](highpass_[a](sum_[a] / per_out_ - (*offset_)[a]));
        n_acc_ = 0;
        sum_ = {};
        out_t_s_ = t0_s + static_cast<double>(i) * dt;
        if (++settled_ <= static_cast<std::size_t>(kFilterSettle_s * out_fs)) continue;
        filtered_.push_back(y);
        if (filtered_.size() > keep) filtered_.pop_front();
        if (axis_)
            counter_.push(out_t_s_, y[0] * (*axis_)[0] + y[1] * (*axis_)[1] + y[2] * (*axis_)[2]);
        const double span_s = static_cast<double>(filtered_.size()) / out_fs;
        if (span_s < p_.min_span_s) continue;
        if (++since_update_ < static_cast<std::size_t>(std::lround(p_.update_every_s * out_fs)) &&
            last_)
            continue;
        since_update_ = 0;
        if (auto e = estimate(out_t_s_)) result = last_ = e;
    }
    next_t_s_ = t0_s + static_cast<double>(xyz.size()) * dt;
    counted_ = axis_ ? counter_.values(out_t_s_) : BreathCounter::Values{};
    return result;
}

std::optional<AccRespiration::Estimate> AccRespiration::estimate(double t_s) {
    const double out_fs = fs_hz_ / per_out_;
    const auto window =
        std::min(static_cast<std::size_t>(std::lround(p_.window_s * out_fs)), filtered_.size());
    auto e = estimate_over(t_s, window, true);
    // A slow peak: read again over the longer window when there is enough of it.
    const auto slow_window = static_cast<std::size_t>(std::lround(p_.slow_window_s * out_fs));
    if (e && e->rate_bpm < 60.0 * p_.slow_hz && filtered_.size() >= slow_window)
        return estimate_over(t_s, slow_window, false);
    return e;
}

std::optional<AccRespiration::Estimate> AccRespiration::estimate_over(double t_s,
                                                                      std::size_t samples,
                                                                      bool set_axis) {
    const auto n = static_cast<Eigen::Index>(samples);
    const std::size_t first = filtered_.size() - samples;
    Eigen::MatrixXd x(n, 3);
    for (Eigen::Index i = 0; i < n; ++i)
        for (int a = 0; a < 3; ++a) x(i, a) = filtered_[first + static_cast<std::size_t>(i)][a];
    x.rowwise() -= x.colwise().mean();
    const Eigen::Matrix3d cov = x.transpose() * x / static_cast<double>(n);
    if (!(cov.trace() > 1e-12)) return std::nullopt;  // a strap lying still on a table
    const Eigen::SelfAdjointEigenSolver<Eigen::Matrix3d> pca(cov);
    const Eigen::Vector3d axis = pca.eigenvectors().col(2);  // largest eigenvalue last
    const Eigen::VectorXd principal = x * axis;
    if (std::sqrt(pca.eigenvalues()(2)) < kMinMovement) {
        // Still: nothing to count until the chest is seen to move again.
        axis_.reset();
        counter_.restart();
        return std::nullopt;
    }
    if (set_axis) {
        // The counter follows the newest direction, kept pointing the same way as the last one
        // so the waveform it sees does not flip.
        const double sign =
            axis_ && axis.dot(Eigen::Vector3d((*axis_)[0], (*axis_)[1], (*axis_)[2])) < 0.0 ? -1.0
                                                                                            : 1.0;
        axis_ = std::array{sign * axis(0), sign * axis(1), sign * axis(2)};
    }

    WelchOptions o;
    o.segment_samples = static_cast<int>(n);  // one Hann-windowed periodogram of the window
    const Psd psd = welch_psd(principal, fs_hz_ / per_out_, o);
    const auto r = respiration_from_psd(psd, p_.lo_hz, p_.hi_hz);
    if (!r) return std::nullopt;
    return Estimate{t_s, r->rate_bpm, r->confident};
}

}  // namespace relaxmon::dsp
