#include "relaxmon/dsp/resample.hpp"

#include <cmath>
#include <vector>

namespace relaxmon::dsp {

namespace {

// Second derivatives of the natural cubic spline through (x, y): a tridiagonal system solved
// by the Thomas algorithm in O(n).
std::vector<double> spline_second_derivatives(std::span<const double> x,
                                              std::span<const double> y) {
    const std::size_t n = x.size();
    std::vector<double> m(n, 0.0), c(n, 0.0), d(n, 0.0);
    for (std::size_t i = 1; i + 1 < n; ++i) {
        const double h0 = x[i] - x[i - 1], h1 = x[i + 1] - x[i];
        const double a = h0 / 6.0, b = (h0 + h1) / 3.0, cc = h1 / 6.0;
        const double r = (y[i + 1] - y[i]) / h1 - (y[i] - y[i - 1]) / h0;
        const double denom = b - a * c[i - 1];
        c[i] = cc / denom;
        d[i] = (r - a * d[i - 1]) / denom;
    }
    for (std::size_t i = n - 2; i >= 1; --i) {
        m[i] = d[i] - c[i] * m[i + 1];
        if (i == 1) break;
    }
    return m;
}

}  // namespace

Eigen::VectorXd resample_even(std::span<const double> t_s, std::span<const double> y, double fs_hz,
                              Interpolation method) {
    const std::size_t n = t_s.size();
    if (n != y.size() || n < 2 || (method == Interpolation::cubic && n < 3) || fs_hz <= 0.0)
        return {};
    const double t0 = t_s.front();
    const auto samples = static_cast<Eigen::Index>(std::floor((t_s.back() - t0) * fs_hz)) + 1;
    Eigen::VectorXd out(samples);
    std::vector<double> m;
    if (method == Interpolation::cubic) m = spline_second_derivatives(t_s, y);

    std::size_t k = 0;  // segment [t_s[k], t_s[k+1]]
    for (Eigen::Index i = 0; i < samples; ++i) {
        const double t = t0 + static_cast<double>(i) / fs_hz;
        while (k + 2 < n && t > t_s[k + 1]) ++k;
        const double h = t_s[k + 1] - t_s[k];
        const double a = (t_s[k + 1] - t) / h, b = (t - t_s[k]) / h;
        double v = a * y[k] + b * y[k + 1];
        if (method == Interpolation::cubic)
            v += ((a * a * a - a) * m[k] + (b * b * b - b) * m[k + 1]) * h * h / 6.0;
        out[i] = v;
    }
    return out;
}

}  // namespace relaxmon::dsp
