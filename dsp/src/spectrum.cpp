#include "relaxmon/dsp/spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <numbers>
#include <unsupported/Eigen/FFT>
#include <unsupported/Eigen/Polynomials>
#include <vector>

namespace relaxmon::dsp {

namespace {
constexpr double kTwoPi = 2.0 * std::numbers::pi;

int next_pow2(int n) {
    int p = 1;
    while (p < n) p <<= 1;
    return p;
}

// The periodic Hann window of `n` points (as scipy's get_window('hann')), made once per length
// and thread: a live session asks for the same few lengths every few seconds.
const Eigen::VectorXd& hann_window(int n) {
    thread_local std::map<int, Eigen::VectorXd> windows;
    auto [it, added] = windows.try_emplace(n);
    if (added) {
        it->second.resize(n);
        for (int i = 0; i < n; ++i) it->second[i] = 0.5 - 0.5 * std::cos(kTwoPi * i / n);
    }
    return it->second;
}

// The bins of f_hz (ascending) in [lo_hz, hi_hz): found by bisection instead of a scan.
std::pair<Eigen::Index, Eigen::Index> bins_within(const Psd& p, double lo_hz, double hi_hz) {
    const double* f = p.f_hz.data();
    const Eigen::Index n = p.f_hz.size();
    const Eigen::Index lo = std::lower_bound(f, f + n, lo_hz) - f;
    const Eigen::Index hi =
        std::max(lo, static_cast<Eigen::Index>(std::lower_bound(f, f + n, hi_hz) - f));
    return {lo, hi};
}
}  // namespace

Psd welch_psd(const Eigen::Ref<const Eigen::VectorXd>& x, double fs_hz, const WelchOptions& o) {
    Psd out;
    const int n = static_cast<int>(x.size());
    if (n < 4 || fs_hz <= 0.0) return out;
    int seg =
        o.segment_samples ? *o.segment_samples : static_cast<int>(std::lround(o.segment_s * fs_hz));
    seg = std::clamp(seg, 4, n);
    const int nfft = o.nfft ? std::max(*o.nfft, seg) : next_pow2(std::max(seg, 2048));
    const int step = std::max(1, static_cast<int>(std::lround(seg * (1.0 - o.overlap))));

    const Eigen::VectorXd& w = hann_window(seg);
    const double w_energy = w.squaredNorm();

    const int bins = nfft / 2 + 1;
    Eigen::VectorXd acc = Eigen::VectorXd::Zero(bins);
    // Kept per thread: Eigen's FFT keeps the twiddle factors of each length it has planned.
    // Half the spectrum: the bins of a real input mirror the other half, not needed here.
    thread_local Eigen::FFT<double> fft(Eigen::default_fft_impl<double>(),
                                        Eigen::FFT<double>::HalfSpectrum);
    std::vector<double> buf(static_cast<std::size_t>(nfft), 0.0);
    std::vector<std::complex<double>> spec;
    int segments = 0;
    for (int start = 0; start + seg <= n; start += step) {
        const double mean = x.segment(start, seg).mean();
        std::fill(buf.begin(), buf.end(), 0.0);
        for (int i = 0; i < seg; ++i)
            buf[static_cast<std::size_t>(i)] = (x[start + i] - mean) * w[i];
        fft.fwd(spec, buf);
        for (int k = 0; k < bins; ++k) acc[k] += std::norm(spec[static_cast<std::size_t>(k)]);
        ++segments;
    }
    out.df_hz = fs_hz / nfft;
    out.f_hz = Eigen::VectorXd::LinSpaced(bins, 0.0, out.df_hz * (bins - 1));
    out.psd = acc / (segments * fs_hz * w_energy);
    // One-sided: double everything but DC (and Nyquist for even nfft).
    out.psd.segment(1, bins - 2) *= 2.0;
    if (nfft % 2 == 1) out.psd[bins - 1] *= 2.0;
    return out;
}

Psd lomb_psd(std::span<const double> t_s, std::span<const double> y, double f_max_hz,
             std::optional<double> df_hz) {
    constexpr int kMaxBins = 4096;  // caps the cost of day-long records
    Psd out;
    const std::size_t n = t_s.size();
    if (n < 4 || y.size() != n || f_max_hz <= 0.0) return out;
    const double T = t_s.back() - t_s.front();
    if (T <= 0.0) return out;
    const double df = std::max(df_hz.value_or(1.0 / (4.0 * T)), f_max_hz / kMaxBins);
    double mean = 0.0;
    for (double v : y) mean += v;
    mean /= double(n);
    const int bins = static_cast<int>(std::floor(f_max_hz / df)) + 1;
    out.df_hz = df;
    out.f_hz = Eigen::VectorXd::LinSpaced(bins, 0.0, df * (bins - 1));
    out.psd = Eigen::VectorXd::Zero(bins);
    const double mean_fs = double(n) / T;  // scales the periodogram into ms^2/Hz

    // cos/sin of w t_i for every beat, advanced from one frequency to the next by a rotation
    // (Press & Rybicki's recurrence), so the trigonometric functions are evaluated once per beat.
    std::vector<double> c(n), s(n), step_c(n), step_s(n), yc(n);
    const double t0 = t_s.front();
    for (std::size_t i = 0; i < n; ++i) {
        const double dt = t_s[i] - t0;  // relative times keep the phases accurate
        step_c[i] = std::cos(kTwoPi * df * dt);
        step_s[i] = std::sin(kTwoPi * df * dt);
        c[i] = step_c[i];
        s[i] = step_s[i];
        yc[i] = y[i] - mean;
    }
    for (int k = 1; k < bins; ++k) {
        double sum_c2 = 0.0, sum_s2 = 0.0, sum_yc = 0.0, sum_ys = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            sum_c2 += c[i] * c[i] - s[i] * s[i];  // cos 2wt
            sum_s2 += 2.0 * s[i] * c[i];          // sin 2wt
            sum_yc += yc[i] * c[i];
            sum_ys += yc[i] * s[i];
        }
        // The time offset tau that makes the sine and cosine terms orthogonal.
        const double two_wtau = std::atan2(sum_s2, sum_c2);
        const double cos_wtau = std::cos(0.5 * two_wtau), sin_wtau = std::sin(0.5 * two_wtau);
        const double cc =
            0.5 * double(n) + 0.5 * (std::cos(two_wtau) * sum_c2 + std::sin(two_wtau) * sum_s2);
        const double ss = double(n) - cc;
        const double yc_tau = cos_wtau * sum_yc + sin_wtau * sum_ys;
        const double ys_tau = cos_wtau * sum_ys - sin_wtau * sum_yc;
        const double p = 0.5 * ((cc > 1e-12 ? yc_tau * yc_tau / cc : 0.0) +
                                (ss > 1e-12 ? ys_tau * ys_tau / ss : 0.0));
        out.psd[k] = 2.0 * p / mean_fs;
        for (std::size_t i = 0; i < n; ++i) {  // advance every beat's phase by one step of df
            const double nc = c[i] * step_c[i] - s[i] * step_s[i];
            s[i] = s[i] * step_c[i] + c[i] * step_s[i];
            c[i] = nc;
        }
    }
    return out;
}

std::optional<ArModel> burg_ar(const Eigen::Ref<const Eigen::VectorXd>& x, int order) {
    const int n = static_cast<int>(x.size());
    if (order < 1 || n <= order) return std::nullopt;
    const Eigen::VectorXd centred = x.array() - x.mean();
    Eigen::VectorXd f = centred, b = centred;  // forward and backward prediction errors
    Eigen::VectorXd a = Eigen::VectorXd::Zero(order);
    double e = centred.squaredNorm() / n;
    for (int m = 0; m < order; ++m) {
        // Reflection coefficient minimising forward + backward error power.
        const int len = n - m - 1;
        const double num = -2.0 * f.segment(m + 1, len).dot(b.segment(m, len));
        const double den = f.segment(m + 1, len).squaredNorm() + b.segment(m, len).squaredNorm();
        if (den <= 0.0) break;
        const double k = num / den;
        // Levinson update of the coefficients.
        Eigen::VectorXd prev = a.head(m);
        for (int i = 0; i < m; ++i) a[i] = prev[i] + k * prev[m - 1 - i];
        a[m] = k;
        for (int i = n - 1; i > m; --i) {
            const double fi = f[i], bi = b[i - 1];
            f[i] = fi + k * bi;
            b[i] = bi + k * fi;
        }
        e *= (1.0 - k * k);
    }
    return ArModel{a, e};
}

Psd burg_psd(const Eigen::Ref<const Eigen::VectorXd>& x, double fs_hz, int order, int points) {
    Psd out;
    const auto model = burg_ar(x, order);
    if (!model || points < 2) return out;
    out.df_hz = fs_hz / 2.0 / (points - 1);
    out.f_hz = Eigen::VectorXd::LinSpaced(points, 0.0, fs_hz / 2.0);
    out.psd.resize(points);
    for (int k = 0; k < points; ++k) {
        const double w = kTwoPi * out.f_hz[k] / fs_hz;
        std::complex<double> A(1.0, 0.0);
        for (int i = 0; i < model->a.size(); ++i) A += model->a[i] * std::polar(1.0, -w * (i + 1));
        const double one_sided = (k == 0 || k == points - 1) ? 1.0 : 2.0;
        out.psd[k] = one_sided * model->noise_var / fs_hz / std::norm(A);
    }
    return out;
}

std::vector<ArComponent> ar_components(const ArModel& model, double fs_hz) {
    const auto p = static_cast<int>(model.a.size());
    std::vector<ArComponent> out;
    if (p == 0) return out;
    // Roots of z^p + a1 z^(p-1) + ... + ap (coefficients in increasing degree for Eigen).
    Eigen::VectorXd coeffs(p + 1);
    for (int i = 0; i < p; ++i) coeffs[i] = model.a[p - 1 - i];
    coeffs[p] = 1.0;
    Eigen::PolynomialSolver<double, Eigen::Dynamic> solver(coeffs);
    const auto& z = solver.roots();
    // r(0) = sum over poles of Res[ sigma^2 z^(p-1) / (prod(z - z_j) prod(1 - z_j z)) ].
    for (int k = 0; k < p; ++k) {
        std::complex<double> den(1.0, 0.0);
        for (int j = 0; j < p; ++j) {
            if (j != k) den *= z[k] - z[j];
            den *= 1.0 - z[j] * z[k];
        }
        const std::complex<double> res = model.noise_var * std::pow(z[k], p - 1) / den;
        out.push_back({std::abs(std::arg(z[k])) * fs_hz / kTwoPi, res.real()});
    }
    return out;
}

double band_power(const Psd& p, double lo_hz, double hi_hz) {
    const auto [lo, hi] = bins_within(p, lo_hz, hi_hz);
    double sum = 0.0;
    for (Eigen::Index k = lo; k < hi; ++k) sum += p.psd[k];
    return sum * p.df_hz;
}

std::optional<double> peak_frequency(const Psd& p, double lo_hz, double hi_hz) {
    const auto [lo, hi] = bins_within(p, lo_hz, hi_hz);
    std::optional<double> best_f;
    double best = -1.0;
    for (Eigen::Index k = lo; k < hi; ++k)
        if (p.psd[k] > best) {
            best = p.psd[k];
            best_f = p.f_hz[k];
        }
    return best_f;
}

}  // namespace relaxmon::dsp
