#include "relaxmon/dsp/detrend.hpp"

#include <vector>

namespace relaxmon::dsp {

Eigen::VectorXd smoothness_priors_trend(const Eigen::Ref<const Eigen::VectorXd>& z, double lambda) {
    const Eigen::Index n = z.size();
    if (n < 3) return z;
    // A = I + lambda^2 D2'D2 is symmetric pentadiagonal: diagonal a, first off-diagonal b,
    // second off-diagonal c. D2'D2 has the stencil (1 -4 6 -4 1) inside, modified at the ends.
    const double l2 = lambda * lambda;
    std::vector<double> a(static_cast<std::size_t>(n)), b(static_cast<std::size_t>(n), 0.0),
        c(static_cast<std::size_t>(n), 0.0);
    auto at = [](std::vector<double>& v, Eigen::Index i) -> double& {
        return v[static_cast<std::size_t>(i)];
    };
    for (Eigen::Index i = 0; i < n; ++i) at(a, i) = 1.0;
    for (Eigen::Index r = 0; r + 2 < n; ++r) {  // row r of D2 is (1, -2, 1) at r, r+1, r+2
        at(a, r) += l2;
        at(a, r + 1) += 4.0 * l2;
        at(a, r + 2) += l2;
        at(b, r) += -2.0 * l2;      // (r, r+1)
        at(b, r + 1) += -2.0 * l2;  // (r+1, r+2)
        at(c, r) += l2;             // (r, r+2)
    }
    // Banded LDL' factorisation (bandwidth 2) and solve: O(n) time and memory.
    std::vector<double> d(static_cast<std::size_t>(n)), l1(static_cast<std::size_t>(n), 0.0),
        l2v(static_cast<std::size_t>(n), 0.0);
    for (Eigen::Index i = 0; i < n; ++i) {
        // L(i, i-2) = c(i-2) / d(i-2); L(i, i-1) = (b(i-1) - L(i,i-2) L(i-1,i-2) d(i-2)) / d(i-1)
        double li2 = 0.0, li1 = 0.0;
        if (i >= 2) li2 = at(c, i - 2) / at(d, i - 2);
        if (i >= 1) {
            double v = at(b, i - 1);
            if (i >= 2) v -= li2 * at(l1, i - 1) * at(d, i - 2);
            li1 = v / at(d, i - 1);
        }
        double di = at(a, i);
        if (i >= 1) di -= li1 * li1 * at(d, i - 1);
        if (i >= 2) di -= li2 * li2 * at(d, i - 2);
        at(d, i) = di;
        at(l1, i) = li1;
        at(l2v, i) = li2;
    }
    Eigen::VectorXd y(n);
    for (Eigen::Index i = 0; i < n; ++i) {  // L y = z
        double v = z[i];
        if (i >= 1) v -= at(l1, i) * y[i - 1];
        if (i >= 2) v -= at(l2v, i) * y[i - 2];
        y[i] = v;
    }
    for (Eigen::Index i = 0; i < n; ++i) y[i] /= at(d, i);  // D
    for (Eigen::Index i = n - 1; i >= 0; --i) {             // L' x = y
        if (i + 1 < n) y[i] -= at(l1, i + 1) * y[i + 1];
        if (i + 2 < n) y[i] -= at(l2v, i + 2) * y[i + 2];
    }
    return y;
}

}  // namespace relaxmon::dsp
