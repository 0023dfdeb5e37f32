#include "relaxmon/dsp/nonlinear.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace relaxmon::dsp {

namespace {

double sample_sd(const std::vector<double>& v) {
    const double n = static_cast<double>(v.size());
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
    double ss = 0.0;
    for (double x : v) ss += (x - mean) * (x - mean);
    return std::sqrt(ss / (n - 1.0));
}

// F(n): root mean square of the residuals of per-box linear fits of the profile y.
double fluctuation(const std::vector<double>& y, int box, bool half_overlap) {
    const int step = half_overlap ? std::max(1, box / 2) : box;
    // The x of a box is 0..box-1; its mean and sum of squares are the same for every box.
    const double xm = (box - 1) / 2.0;
    double sxx = 0.0;
    for (int i = 0; i < box; ++i) sxx += (i - xm) * (i - xm);
    double total = 0.0;
    int boxes = 0;
    for (std::size_t start = 0; start + static_cast<std::size_t>(box) <= y.size();
         start += static_cast<std::size_t>(step)) {
        double ym = 0.0, sxy = 0.0;
        for (int i = 0; i < box; ++i) ym += y[start + static_cast<std::size_t>(i)];
        ym /= box;
        for (int i = 0; i < box; ++i)
            sxy += (i - xm) * (y[start + static_cast<std::size_t>(i)] - ym);
        const double slope = sxy / sxx;
        double ss = 0.0;
        for (int i = 0; i < box; ++i) {
            const double r = y[start + static_cast<std::size_t>(i)] - (ym + slope * (i - xm));
            ss += r * r;
        }
        total += ss / box;
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

    std::vector<double> lx, ly;
    for (int box = o.min_box; box <= o.max_box; ++box) {
        if (static_cast<std::size_t>(2 * box) > y.size()) break;  // at least two boxes
        const double f = fluctuation(y, box, o.half_overlap);
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

std::optional<double> sample_entropy(std::span<const double> x, const SampEnOptions& o) {
    const int m = o.m;
    if (m < 1 || x.size() < static_cast<std::size_t>(m + 3)) return std::nullopt;
    const std::vector<double> v(x.begin(), x.end());
    const double r = o.r_factor * sample_sd(v);
    if (!(r > 0.0)) return std::nullopt;
    const std::size_t templates = v.size() - static_cast<std::size_t>(m);

    // Cells of side r on the first two template coordinates (or one, for m = 1): any template
    // within r of another lies in the same or a neighbouring cell.
    const int dims = std::min(m, 2);
    auto cell = [&](std::size_t i, int d) {
        return static_cast<std::int64_t>(std::floor(v[i + static_cast<std::size_t>(d)] / r));
    };
    std::vector<std::size_t> order(templates);
    std::iota(order.begin(), order.end(), std::size_t{0});
    auto key = [&](std::size_t i) {
        return std::pair<std::int64_t, std::int64_t>{cell(i, 0), dims > 1 ? cell(i, 1) : 0};
    };
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
    std::vector<std::pair<std::int64_t, std::int64_t>> keys(templates);
    for (std::size_t k = 0; k < templates; ++k) keys[k] = key(order[k]);

    std::uint64_t b_pairs = 0, a_pairs = 0;  // ordered pairs (i != j)
    for (std::size_t i = 0; i < templates; ++i) {
        const auto [c0, c1] = key(i);
        for (std::int64_t d0 = -1; d0 <= 1; ++d0)
            for (std::int64_t d1 = (dims > 1 ? -1 : 0); d1 <= (dims > 1 ? 1 : 0); ++d1) {
                const std::pair<std::int64_t, std::int64_t> target{c0 + d0, c1 + d1};
                auto [lo, hi] = std::equal_range(keys.begin(), keys.end(), target);
                for (auto it = lo; it != hi; ++it) {
                    const std::size_t j = order[static_cast<std::size_t>(it - keys.begin())];
                    if (j == i) continue;
                    bool match = true;
                    for (int d = 0; d < m && match; ++d)
                        match = std::abs(v[i + static_cast<std::size_t>(d)] -
                                         v[j + static_cast<std::size_t>(d)]) <= r;
                    if (!match) continue;
                    ++b_pairs;
                    if (std::abs(v[i + static_cast<std::size_t>(m)] -
                                 v[j + static_cast<std::size_t>(m)]) <= r)
                        ++a_pairs;
                }
            }
    }
    if (a_pairs == 0 || b_pairs == 0) return std::nullopt;
    return -std::log(static_cast<double>(a_pairs) / static_cast<double>(b_pairs));
}

}  // namespace relaxmon::dsp
