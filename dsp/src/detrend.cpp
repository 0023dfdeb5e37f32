#include "relaxmon/dsp/detrend.hpp"

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>
#include <vector>

namespace relaxmon::dsp {

Eigen::VectorXd smoothness_priors_trend(const Eigen::Ref<const Eigen::VectorXd>& z, double lambda) {
    const Eigen::Index n = z.size();
    if (n < 3) return z;
    // A = I + lambda^2 D2'D2 written out band by band: D2'D2 has the stencil 1 -4 6 -4 1 inside,
    // with modified corners.
    const double l2 = lambda * lambda;
    std::vector<Eigen::Triplet<double>> entries;
    entries.reserve(static_cast<std::size_t>(5 * n));
    auto add = [&](Eigen::Index i, Eigen::Index j, double v) {
        if (i >= 0 && j >= 0 && i < n && j < n) entries.emplace_back(i, j, v);
    };
    for (Eigen::Index i = 0; i < n; ++i) add(i, i, 1.0);
    for (Eigen::Index r = 0; r + 2 < n; ++r) {  // each row of D2 is (1, -2, 1) at r, r+1, r+2
        const double d[3] = {1.0, -2.0, 1.0};
        for (int a = 0; a < 3; ++a)
            for (int b = 0; b < 3; ++b) add(r + a, r + b, l2 * d[a] * d[b]);
    }
    Eigen::SparseMatrix<double> A(n, n);
    A.setFromTriplets(entries.begin(), entries.end());  // duplicates are summed
    // Natural ordering keeps the band: the factor has the same bandwidth, O(n).
    Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>, Eigen::Lower, Eigen::NaturalOrdering<int>>
        solver(A);
    return solver.solve(z);
}

}  // namespace relaxmon::dsp
