#include "relaxmon/dsp/detrend.hpp"

#include <vector>

namespace relaxmon::dsp {

namespace {
// The banded LDL' factors of A = I + lambda^2 D2'D2 for one length: they depend on n and lambda
// alone, and a live session detrends the same few lengths every few seconds.
struct Factors {
    Eigen::Index n = 0;
    double lambda = 0.0;
    std::vector<double> d, l1, l2;
};

Factors factorise(Eigen::Index n, double lambda) {
    // A is symmetric pentadiagonal: diagonal a, first off-diagonal b, second off-diagonal c.
    // D2'D2 has the stencil (1 -4 6 -4 1) inside, modified at the ends.
    const double l2 = lambda * lambda;
    const auto size = static_cast<std::size_t>(n);
    std::vector<double> a(size, 1.0), b(size, 0.0), c(size, 0.0);
    for (std::size_t r = 0; r + 2 < size; ++r) {  // row r of D2 is (1, -2, 1) at r, r+1, r+2
        a[r] += l2;
        a[r + 1] += 4.0 * l2;
        a[r + 2] += l2;
        b[r] += -2.0 * l2;      // (r, r+1)
        b[r + 1] += -2.0 * l2;  // (r+1, r+2)
        c[r] += l2;             // (r, r+2)
    }
    // Banded LDL' factorisation (bandwidth 2): O(n) time and memory.
    Factors f{n, lambda, std::vector<double>(size), std::vector<double>(size, 0.0),
              std::vector<double>(size, 0.0)};
    for (std::size_t i = 0; i < size; ++i) {
        // L(i, i-2) = c(i-2) / d(i-2); L(i, i-1) = (b(i-1) - L(i,i-2) L(i-1,i-2) d(i-2)) / d(i-1)
        double li2 = 0.0, li1 = 0.0;
        if (i >= 2) li2 = c[i - 2] / f.d[i - 2];
        if (i >= 1) {
            double v = b[i - 1];
            if (i >= 2) v -= li2 * f.l1[i - 1] * f.d[i - 2];
            li1 = v / f.d[i - 1];
        }
        double di = a[i];
        if (i >= 1) di -= li1 * li1 * f.d[i - 1];
        if (i >= 2) di -= li2 * li2 * f.d[i - 2];
        f.d[i] = di;
        f.l1[i] = li1;
        f.l2[i] = li2;
    }
    return f;
}

const Factors& factors(Eigen::Index n, double lambda) {
    constexpr std::size_t kKept = 8;
    thread_local std::vector<Factors> kept;
    for (const Factors& f : kept)
        if (f.n == n && f.lambda == lambda) return f;
    if (kept.size() == kKept) kept.erase(kept.begin());
    kept.push_back(factorise(n, lambda));
    return kept.back();
}
}  // namespace

Eigen::VectorXd smoothness_priors_trend(const Eigen::Ref<const Eigen::VectorXd>& z, double lambda) {
    const Eigen::Index n = z.size();
    if (n < 3) return z;
    const Factors& f = factors(n, lambda);
    const auto at = [](const std::vector<double>& v, Eigen::Index i) {
        return v[static_cast<std::size_t>(i)];
    };
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {  // L y = z
        double v = z[i];
        if (i >= 1) v -= at(f.l1, i) * y[i - 1];
        if (i >= 2) v -= at(f.l2, i) * y[i - 2];
        y[i] = v;
    }
    for (Eigen::Index i = 0; i < n; ++i) y[i] /= at(f.d, i);  // D
    for (Eigen::Index i = n - 1; i >= 0; --i) {               // L' x = y
        if (i + 1 < n) y[i] -= at(f.l1, i + 1) * y[i + 1];
        if (i + 2 < n) y[i] -= at(f.l2, i + 2) * y[i + 2];
    }
    return y;
}

}  // namespace relaxmon::dsp
