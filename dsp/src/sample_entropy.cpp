#include "relaxmon/dsp/nonlinear.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

// Sample entropy (Richman & Moorman 2000): the pair counts behind it, by the definition on
// windows and by a sweep on day-long records (see nonlinear.hpp).
namespace relaxmon::dsp {

namespace {

// Pair counts (ordered, self-matches included) of templates of length m and m+1 within r.
struct PairCounts {
    std::uint64_t b = 0, a = 0;
};

// Grid of cells of side r: good for short series and any m.
PairCounts count_pairs_grid(const std::vector<double>& v, int m, double r) {
    const std::size_t n = v.size() - static_cast<std::size_t>(m);  // templates, for m and m+1
    const int dims = std::min(m, 2);                               // grid dimensions

    // Templates sorted by their grid cell (side r on the first one or two coordinates) and stored
    // coordinate by coordinate, so each cell is a contiguous run: any pair within r lies in the
    // same or a neighbouring cell, and the inner loops stream through memory.
    using Key = std::pair<std::int64_t, std::int64_t>;
    std::vector<Key> key(n);
    for (std::size_t i = 0; i < n; ++i)
        key[i] = {static_cast<std::int64_t>(std::floor(v[i] / r)),
                  dims > 1 ? static_cast<std::int64_t>(std::floor(v[i + 1] / r)) : 0};
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    std::vector<std::vector<double>> coord(static_cast<std::size_t>(m + 1), std::vector<double>(n));
    for (std::size_t k = 0; k < n; ++k)
        for (int d = 0; d <= m; ++d)
            coord[static_cast<std::size_t>(d)][k] = v[order[k] + static_cast<std::size_t>(d)];
    struct Cell {
        Key key;
        std::size_t begin, end;
    };
    std::vector<Cell> cells;
    for (std::size_t k = 0; k < n; ++k) {
        const Key& kk = key[order[k]];
        if (cells.empty() || cells.back().key != kk) cells.push_back({kk, k, k});
        cells.back().end = k + 1;
    }

    std::uint64_t b_pairs = 0, a_pairs = 0;  // ordered pairs, self-matches included for now
    for (const Cell& a : cells) {
        for (std::int64_t d0 = -1; d0 <= 1; ++d0)
            for (std::int64_t d1 = (dims > 1 ? -1 : 0); d1 <= (dims > 1 ? 1 : 0); ++d1) {
                const Key target{a.key.first + d0, a.key.second + d1};
                const auto it =
                    std::lower_bound(cells.begin(), cells.end(), target,
                                     [](const Cell& c, const Key& k) { return c.key < k; });
                if (it == cells.end() || it->key != target) continue;
                for (std::size_t i = a.begin; i < a.end; ++i)
                    for (std::size_t j = it->begin; j < it->end; ++j) {
                        bool match = true;
                        for (int d = 0; d < m && match; ++d) {
                            const auto& c = coord[static_cast<std::size_t>(d)];
                            match = std::abs(c[i] - c[j]) <= r;
                        }
                        if (!match) continue;
                        ++b_pairs;
                        const auto& last = coord[static_cast<std::size_t>(m)];
                        a_pairs += std::abs(last[i] - last[j]) <= r;
                    }
            }
    }
    return {b_pairs, a_pairs};
}

// Fenwick tree over the ranks of one coordinate whose nodes hold Fenwick trees over the sorted
// values of a second coordinate ("offline 2D BIT"): points can be inserted and removed and the
// points in a rectangle counted in O(log^2 n).
class RectangleCounter {
  public:
    // `xs`, `ys`: every point that will ever be inserted.
    RectangleCounter(const std::vector<double>& xs, const std::vector<double>& ys) : x_sorted_(xs) {
        std::sort(x_sorted_.begin(), x_sorted_.end());
        x_sorted_.erase(std::unique(x_sorted_.begin(), x_sorted_.end()), x_sorted_.end());
        nodes_.resize(x_sorted_.size() + 1);
        for (std::size_t k = 0; k < xs.size(); ++k)
            for (std::size_t i = rank(xs[k]); i < nodes_.size(); i += i & (~i + 1))
                nodes_[i].ys.push_back(ys[k]);
        for (auto& node : nodes_) {
            std::sort(node.ys.begin(), node.ys.end());
            node.ys.erase(std::unique(node.ys.begin(), node.ys.end()), node.ys.end());
            node.tree.assign(node.ys.size() + 1, 0);
        }
    }
    void add(double x, double y, int delta) {
        for (std::size_t i = rank(x); i < nodes_.size(); i += i & (~i + 1)) {
            Node& node = nodes_[i];
            std::size_t j =
                static_cast<std::size_t>(std::lower_bound(node.ys.begin(), node.ys.end(), y) -
                                         node.ys.begin()) +
                1;
            for (; j < node.tree.size(); j += j & (~j + 1)) node.tree[j] += delta;
        }
    }
    // Points with x in [x_lo, x_hi] and y in [y_lo, y_hi].
    std::int64_t count(double x_lo, double x_hi, double y_lo, double y_hi) const {
        return prefix(upper_rank(x_hi), y_lo, y_hi) - prefix(lower_rank(x_lo), y_lo, y_hi);
    }

  private:
    struct Node {
        std::vector<double> ys;
        std::vector<std::int32_t> tree;
    };
    std::size_t rank(double x) const {  // 1-based rank of a known x
        return static_cast<std::size_t>(std::lower_bound(x_sorted_.begin(), x_sorted_.end(), x) -
                                        x_sorted_.begin()) +
               1;
    }
    std::size_t upper_rank(double x) const {  // number of distinct xs <= x
        return static_cast<std::size_t>(std::upper_bound(x_sorted_.begin(), x_sorted_.end(), x) -
                                        x_sorted_.begin());
    }
    std::size_t lower_rank(double x) const {  // number of distinct xs < x
        return static_cast<std::size_t>(std::lower_bound(x_sorted_.begin(), x_sorted_.end(), x) -
                                        x_sorted_.begin());
    }
    std::int64_t prefix(std::size_t i, double y_lo, double y_hi) const {
        std::int64_t total = 0;
        for (; i > 0; i -= i & (~i + 1)) {
            const Node& node = nodes_[i];
            const auto hi = static_cast<std::size_t>(
                std::upper_bound(node.ys.begin(), node.ys.end(), y_hi) - node.ys.begin());
            const auto lo = static_cast<std::size_t>(
                std::lower_bound(node.ys.begin(), node.ys.end(), y_lo) - node.ys.begin());
            total += tree_prefix(node, hi) - tree_prefix(node, lo);
        }
        return total;
    }
    static std::int64_t tree_prefix(const Node& node, std::size_t j) {
        std::int64_t s = 0;
        for (; j > 0; j -= j & (~j + 1)) s += node.tree[j];
        return s;
    }
    std::vector<double> x_sorted_;
    std::vector<Node> nodes_;
};

// m = 2 on long series: sweep the first coordinate with a window of +-r, keep the window's
// templates in a RectangleCounter over the second and third, and count matches per template in
// O(log^2 n): O(n log^2 n) in all, however dense the matches.
PairCounts count_pairs_sweep_m2(const std::vector<double>& v, double r) {
    const std::size_t n = v.size() - 2;
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> x1(n), x2(n);
    for (std::size_t i = 0; i < n; ++i) {
        x1[i] = v[i + 1];
        x2[i] = v[i + 2];
    }
    RectangleCounter window(x1, x2);
    PairCounts c;
    std::size_t lo = 0, hi = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = order[k];
        while (hi < n && v[order[hi]] <= v[i] + r) {
            window.add(x1[order[hi]], x2[order[hi]], +1);
            ++hi;
        }
        while (v[order[lo]] < v[i] - r) {
            window.add(x1[order[lo]], x2[order[lo]], -1);
            ++lo;
        }
        const auto b = window.count(x1[i] - r, x1[i] + r, -INFINITY, INFINITY);
        const auto a = window.count(x1[i] - r, x1[i] + r, x2[i] - r, x2[i] + r);
        c.b += static_cast<std::uint64_t>(b);
        c.a += static_cast<std::uint64_t>(a);
    }
    return c;
}

constexpr std::size_t kSweepAbove = 4000;      // below this the grid's plain loops are faster
constexpr std::size_t kBruteForceUpTo = 1500;  // short windows: the definition, straight

// The definition: every pair once, counted twice (ordered), plus the self-matches.
PairCounts count_pairs_direct(const std::vector<double>& v, int m, double r) {
    const std::size_t n = v.size() - static_cast<std::size_t>(m);
    PairCounts c;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
            int d = 0;
            while (d < m && std::abs(v[i + static_cast<std::size_t>(d)] -
                                     v[j + static_cast<std::size_t>(d)]) <= r)
                ++d;
            if (d < m) continue;
            c.b += 2;
            c.a += std::abs(v[i + static_cast<std::size_t>(m)] -
                            v[j + static_cast<std::size_t>(m)]) <= r
                       ? 2
                       : 0;
        }
    c.b += n;
    c.a += n;
    return c;
}

// m = 2, the default, on windows: the definition, on the pairs that can match. Templates are put
// in buckets of their first value, each a little wider than r (counting sort, O(n)), so a pair
// within r lies in one bucket or in two neighbouring ones: each template is compared only with
// those after it up to the end of the next bucket, about a sixth of all pairs at r = 0.2 SD.
// Compared eight at a time (Chebyshev distance as a max of |differences|, counts in 32 bits),
// built for AVX2 too where GCC can pick it at run time. Same counts as count_pairs_direct.
// (Not under a sanitizer: an ifunc resolver runs before the sanitizer's runtime is set up.)
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define RELAXMON_VECTOR_KERNEL __attribute__((optimize("O3"), target_clones("avx2", "default")))
#else
#define RELAXMON_VECTOR_KERNEL
#endif
RELAXMON_VECTOR_KERNEL PairCounts count_pairs_bucketed_m2(const std::vector<double>& v, double r) {
    const std::size_t n = v.size() - 2;
    const auto [min_it, max_it] =
        std::minmax_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
    // A touch wider than r: rounding in (x - min) / width cannot part a pair within r by two.
    const double width = r * (1.0 + 1e-9);
    const double buckets_needed = std::floor((*max_it - *min_it) / width) + 1.0;
    if (!(buckets_needed <= static_cast<double>(8 * n + 64))) return count_pairs_direct(v, 2, r);
    const auto buckets = static_cast<std::size_t>(buckets_needed);
    std::vector<std::uint32_t> bucket(n), start(buckets + 2, 0);
    for (std::size_t i = 0; i < n; ++i) {
        bucket[i] = static_cast<std::uint32_t>(
            std::min((v[i] - *min_it) / width, static_cast<double>(buckets - 1)));
        ++start[bucket[i] + 2];
    }
    for (std::size_t b = 2; b < start.size(); ++b) start[b] += start[b - 1];
    // start[b + 1] is now where bucket b begins; fill it, leaving start[b] where bucket b begins.
    std::vector<double> x0(n), x1(n), x2(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t k = start[bucket[i] + 1]++;
        x0[k] = v[i];
        x1[k] = v[i + 1];
        x2[k] = v[i + 2];
    }
    // Sorted by bucket now; start[b] is where bucket b begins, start[buckets] == n.
    PairCounts c;
    std::size_t b = 0;
    for (std::size_t k = 0; k < n; ++k) {
        while (start[b + 1] <= k) ++b;
        const std::size_t end = start[std::min(b + 2, buckets)];
        const double a0 = x0[k], a1 = x1[k], a2 = x2[k];
        std::int32_t pairs_m = 0, pairs_m1 = 0;
        for (std::size_t j = k + 1; j < end; ++j) {
            const double d01 = std::max(std::abs(x0[j] - a0), std::abs(x1[j] - a1));
            const double d012 = std::max(d01, std::abs(x2[j] - a2));
            pairs_m += d01 <= r;
            pairs_m1 += d012 <= r;
        }
        c.b += 2 * static_cast<std::uint64_t>(pairs_m);
        c.a += 2 * static_cast<std::uint64_t>(pairs_m1);
    }
    c.b += n;
    c.a += n;
    return c;
}
#undef RELAXMON_VECTOR_KERNEL

}  // namespace

std::optional<double> sample_entropy(std::span<const double> x, const SampEnOptions& o) {
    const int m = o.m;
    if (m < 1 || m > 8 || x.size() < static_cast<std::size_t>(m + 3)) return std::nullopt;
    const std::vector<double> v(x.begin(), x.end());
    const double r = o.r_factor * sample_sd(v);
    if (!(r > 0.0)) return std::nullopt;
    const std::size_t n = v.size() - static_cast<std::size_t>(m);
    PairCounts c = n <= kBruteForceUpTo && m == 2 ? count_pairs_bucketed_m2(v, r)
                   : n <= kBruteForceUpTo         ? count_pairs_direct(v, m, r)
                   : m == 2 && n > kSweepAbove    ? count_pairs_sweep_m2(v, r)
                                                  : count_pairs_grid(v, m, r);
    c.b -= n;  // every template matched itself once
    c.a -= n;
    if (c.a == 0 || c.b == 0) return std::nullopt;
    return -std::log(static_cast<double>(c.a) / static_cast<double>(c.b));
}

}  // namespace relaxmon::dsp
