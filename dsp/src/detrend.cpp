#include "relaxmon/dsp/detrend.hpp"

#include <algorithm>
#include <vector>

namespace relaxmon::dsp {

namespace {
// The banded LDL' factors of A = I + lambda^2 D2'D2 (D2 the second-difference matrix, n-2 rows).
// A is symmetric pentadiagonal and its rows 0..n-3 are the same for every length n: only the
// last two rows lose terms of D2'D2. The factorisation runs from the top, so the factors of rows
// 0..n-3 are those of an unending A, kept per lambda and grown on demand; the last two rows are
// finished per call. Every length then costs O(1) to factor (a live window's length changes with
// each beat; analyze's windows each have their own), with the same arithmetic as a factorisation
// of that length alone.
struct Coefficients {
    double a, b, c;  // A(i,i), A(i,i+1), A(i,i+2)
};

// Row i of A for length n (n = 0: unending), summed in the order D2's rows r = i-2, i-1, i add.
Coefficients coefficients(std::size_t i, std::size_t n, double l2) {
    const auto row = [n](std::size_t r) { return n == 0 || r + 2 < n; };
    Coefficients k{1.0, 0.0, 0.0};
    if (i >= 2 && row(i - 2)) k.a += l2;
    if (i >= 1 && row(i - 1)) k.a += 4.0 * l2, k.b += -2.0 * l2;
    if (row(i)) k.a += l2, k.b += -2.0 * l2, k.c += l2;
    return k;
}

struct Factors {
    double lambda = 0.0;
    std::vector<double> d, l1, l2;  // rows of the unending A
};

// Row i of L D L' from the rows above: L(i, i-2) = c(i-2) / d(i-2),
// L(i, i-1) = (b(i-1) - L(i,i-2) L(i-1,i-2) d(i-2)) / d(i-1), d(i) = a(i) - sum L^2 d.
struct Row {
    double d, l1, l2;
};
Row factor_row(std::size_t i, double a_i, double b_im1, double c_im2, const Factors& f,
               double d_im1, double l1_im1) {
    double li2 = 0.0, li1 = 0.0;
    if (i >= 2) li2 = c_im2 / f.d[i - 2];
    if (i >= 1) {
        double v = b_im1;
        if (i >= 2) v -= li2 * l1_im1 * f.d[i - 2];
        li1 = v / d_im1;
    }
    double di = a_i;
    if (i >= 1) di -= li1 * li1 * d_im1;
    if (i >= 2) di -= li2 * li2 * f.d[i - 2];
    return {di, li1, li2};
}

const Factors& unending_factors(std::size_t rows, double lambda) {
    thread_local std::vector<Factors> kept;  // one per lambda
    Factors* f = nullptr;
    for (Factors& k : kept)
        if (k.lambda == lambda) f = &k;
    if (!f) f = &kept.emplace_back(Factors{lambda, {}, {}, {}});
    const double l2 = lambda * lambda;
    for (std::size_t i = f->d.size(); i < rows; ++i) {
        const Row r =
            factor_row(i, coefficients(i, 0, l2).a, i >= 1 ? coefficients(i - 1, 0, l2).b : 0.0,
                       i >= 2 ? coefficients(i - 2, 0, l2).c : 0.0, *f, i >= 1 ? f->d[i - 1] : 0.0,
                       i >= 1 ? f->l1[i - 1] : 0.0);
        f->d.push_back(r.d);
        f->l1.push_back(r.l1);
        f->l2.push_back(r.l2);
    }
    return *f;
}
}  // namespace

Eigen::VectorXd smoothness_priors_trend(const Eigen::Ref<const Eigen::VectorXd>& z, double lambda) {
    const Eigen::Index n = z.size();
    if (n < 3) return z;
    const auto size = static_cast<std::size_t>(n);
    const Factors& f = unending_factors(size - 2, lambda);
    // The last two rows, of this length's A.
    const double l2 = lambda * lambda;
    const std::size_t p = size - 2, q = size - 1;
    const Coefficients kp = coefficients(p, size, l2), kq = coefficients(q, size, l2);
    const double b_pm1 = p >= 1 ? coefficients(p - 1, size, l2).b : 0.0;
    const double c_pm2 = p >= 2 ? coefficients(p - 2, size, l2).c : 0.0;
    const Row rp =
        factor_row(p, kp.a, b_pm1, c_pm2, f, p >= 1 ? f.d[p - 1] : 0.0, p >= 1 ? f.l1[p - 1] : 0.0);
    const double c_qm2 = coefficients(q - 2, size, l2).c;
    const Row rq = factor_row(q, kq.a, kp.b, c_qm2, f, rp.d, rp.l1);
    // Rows 0..p-1 are the unending A's; p and q this length's. The recurrences keep their last
    // two values in registers (a store and a reload per row would lengthen the chain each
    // row waits on) and do the same arithmetic, in the same order, as L y = z, y /= D, L' x = y.
    const auto row_at = [&](std::size_t i) {
        return i == p ? rp : i == q ? rq : Row{f.d[i], f.l1[i], f.l2[i]};
    };
    Eigen::VectorXd y(n);
    double* out = y.data();
    double u1 = 0.0, u2 = 0.0;  // rows i-1 and i-2 of the solution of L u = z
    const auto forward = [&](std::size_t i, const Row& r) {
        double v = z[static_cast<Eigen::Index>(i)];
        if (i >= 1) v -= r.l1 * u1;
        if (i >= 2) v -= r.l2 * u2;
        u2 = u1;
        u1 = v;
        out[i] = v / r.d;
    };
    const std::size_t head = std::min<std::size_t>(2, p);
    for (std::size_t i = 0; i < head; ++i) forward(i, row_at(i));
    for (std::size_t i = head; i < p; ++i) {
        double v = z[static_cast<Eigen::Index>(i)];
        v -= f.l1[i] * u1;
        v -= f.l2[i] * u2;
        u2 = u1;
        u1 = v;
        out[i] = v / f.d[i];
    }
    forward(p, rp);
    forward(q, rq);
    double w1 = 0.0, w2 = 0.0;  // rows k+1 and k+2 of the solution of L' x = y
    const auto backward = [&](std::size_t k) {
        double v = out[k];
        if (k + 1 < size) v -= row_at(k + 1).l1 * w1;
        if (k + 2 < size) v -= row_at(k + 2).l2 * w2;
        out[k] = v;
        w2 = w1;
        w1 = v;
    };
    // Rows q down to p-2 meet this length's last two rows; the rest only the unending A's.
    const std::size_t tail = p >= 2 ? p - 2 : 0;
    for (std::size_t k = size; k-- > tail;) backward(k);
    for (std::size_t k = tail; k-- > 0;) {
        double v = out[k];
        v -= f.l1[k + 1] * w1;
        v -= f.l2[k + 2] * w2;
        out[k] = v;
        w2 = w1;
        w1 = v;
    }
    return y;
}

}  // namespace relaxmon::dsp
