#include "relaxmon/dsp/nonlinear.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

namespace relaxmon::dsp {

double sample_sd(std::span<const double> v) {
    const double n = static_cast<double>(v.size());
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
    double ss = 0.0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return std::sqrt(ss / (n - 1.0));
}

namespace {

// Running sums within blocks of the profile y, so that each box's sums are two lookups: a box
// costs O(1) and a window's ~60 scales O(N) in all, where fitting each box anew costs O(N) per
// scale. A day's profile wanders by 10^6 ms, and sums of its squares from the start would lose
// the residuals of a 4-beat box (~10^2 ms^2) to rounding: so the sums run within blocks of L
// beats, of y less the line through the block's ends, whose values stay within the block's own
// wander. A box's residual about its least-squares line is the same after a line is taken from
// y. Two sets of blocks, the second offset by L/2, with L at least twice the largest box: each
// box lies within a block of one of them.
class BlockSums {
  public:
    BlockSums(const std::vector<double>& y, std::size_t block)
        : block_(block), sets_{Set(y, block, 0), Set(y, block, block / 2)} {}
    struct Box {
        double sz, szz, suz;  // sums of z, z^2 and u z, u counted from the box's start
    };
    Box box(std::size_t start, std::size_t end) const {
        const std::size_t first = start / block_ * block_;
        const bool in_first_set = end <= first + block_;
        const Set& set = sets_[in_first_set ? 0 : 1];
        const std::size_t origin = in_first_set ? first : first + block_ / 2;
        const std::size_t last = end - 1;
        Box b{set.z[last], set.zz[last], set.uz[last]};
        if (start > origin) {
            b.sz -= set.z[start - 1];
            b.szz -= set.zz[start - 1];
            b.suz -= set.uz[start - 1];
        }
        b.suz -= static_cast<double>(start - origin) * b.sz;  // u from the box's start
        return b;
    }

  private:
    struct Set {
        std::vector<double> z, zz, uz;  // sums from the block's start up to and including j
        Set(const std::vector<double>& y, std::size_t block, std::size_t offset)
            : z(y.size()), zz(y.size()), uz(y.size()) {
            for (std::size_t begin = 0; begin < y.size();) {
                const std::size_t end = std::min(y.size(), begin < offset ? offset : begin + block);
                const double slope =
                    end - begin > 1 ? (y[end - 1] - y[begin]) / static_cast<double>(end - begin - 1)
                                    : 0.0;
                double s = 0.0, ss = 0.0, su = 0.0;
                for (std::size_t j = begin; j < end; ++j) {
                    const double u = static_cast<double>(j - begin);
                    const double v = y[j] - (y[begin] + slope * u);
                    s += v;
                    ss += v * v;
                    su += u * v;
                    z[j] = s;
                    zz[j] = ss;
                    uz[j] = su;
                }
                begin = end;
            }
        }
    };
    std::size_t block_;
    Set sets_[2];
};

// F(n): root mean square of the residuals of per-box linear fits of the profile. A box's
// residual sum of squares is Szz - Sxz^2 / Sxx about its means, x its own 0..n-1.
double fluctuation(const BlockSums& sums, std::size_t length, int box, bool half_overlap) {
    const std::size_t n = static_cast<std::size_t>(box);
    const std::size_t step = half_overlap ? std::max<std::size_t>(1, n / 2) : n;
    const double xm = (box - 1) / 2.0;
    const double sxx = static_cast<double>(box) * (static_cast<double>(box) * box - 1.0) / 12.0;
    double total = 0.0;
    int boxes = 0;
    for (std::size_t start = 0; start + n <= length; start += step) {
        const BlockSums::Box b = sums.box(start, start + n);
        const double szz = b.szz - b.sz * b.sz / box;
        const double sxz = b.suz - xm * b.sz;
        total += std::max(0.0, szz - sxz * sxz / sxx) / box;
        ++boxes;
    }
    return boxes > 0 ? std::sqrt(total / boxes) : 0.0;
}

}  // namespace

std::optional<Poincare> poincare(std::span<const double> rr_ms,
                                 std::span<const std::uint8_t> follows_gap) {
    const bool has_gaps = follows_gap.size() == rr_ms.size();
    std::vector<double> diff, sum;
    for (std::size_t i = 1; i < rr_ms.size(); ++i) {
        if (has_gaps && follows_gap[i]) continue;
        diff.push_back(rr_ms[i] - rr_ms[i - 1]);
        sum.push_back(rr_ms[i] + rr_ms[i - 1]);
    }
    if (diff.size() < 2) return std::nullopt;
    Poincare p;
    p.sd1_ms = sample_sd(diff) / std::sqrt(2.0);
    p.sd2_ms = sample_sd(sum) / std::sqrt(2.0);
    p.sd1_sd2 = p.sd2_ms > 0.0 ? p.sd1_ms / p.sd2_ms : 0.0;
    return p;
}

std::optional<double> dfa_alpha(std::span<const double> rr_ms, const DfaOptions& o) {
    if (o.min_box < 3 || o.max_box <= o.min_box) return std::nullopt;
    const double mean = std::accumulate(rr_ms.begin(), rr_ms.end(), 0.0) / double(rr_ms.size());
    std::vector<double> y(rr_ms.size());
    double acc = 0.0;
    for (std::size_t i = 0; i < rr_ms.size(); ++i) y[i] = acc += rr_ms[i] - mean;

    const BlockSums sums(y, 2 * static_cast<std::size_t>(std::max(o.max_box, 32)));
    std::vector<double> lx, ly;
    for (int box = o.min_box; box <= o.max_box; ++box) {
        if (static_cast<std::size_t>(2 * box) > y.size()) break;  // at least two boxes
        const double f = fluctuation(sums, y.size(), box, o.half_overlap);
        if (f <= 0.0) continue;
        lx.push_back(std::log(static_cast<double>(box)));
        ly.push_back(std::log(f));
    }
    if (lx.size() < 2) return std::nullopt;
    const double n = static_cast<double>(lx.size());
    const double mx = std::accumulate(lx.begin(), lx.end(), 0.0) / n;
    const double my = std::accumulate(ly.begin(), ly.end(), 0.0) / n;
    double sxy = 0.0, sxx = 0.0;
    for (std::size_t i = 0; i < lx.size(); ++i) {
        sxy += (lx[i] - mx) * (ly[i] - my);
        sxx += (lx[i] - mx) * (lx[i] - mx);
    }
    return sxy / sxx;
}

}  // namespace relaxmon::dsp
