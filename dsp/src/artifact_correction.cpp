#include "relaxmon/dsp/artifact_correction.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace relaxmon::dsp {

namespace {

double quantile_sorted(const std::vector<double>& s, double q) {
    // Linear interpolation between order statistics (numpy's default).
    const double pos = q * static_cast<double>(s.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, s.size() - 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - static_cast<double>(lo));
}

// A centred window sliding over a series, kept sorted: each step inserts one value and removes
// one (O(window) moves of contiguous memory instead of a sort per sample).
class SortedWindow {
  public:
    void insert(double v) {
        values_.insert(std::upper_bound(values_.begin(), values_.end(), v), v);
    }
    void erase(double v) { values_.erase(std::lower_bound(values_.begin(), values_.end(), v)); }
    const std::vector<double>& sorted() const { return values_; }

  private:
    std::vector<double> values_;
};

// Calls f(i, sorted window around i) for each i, the window being [i - half, i + half] clipped.
template <class F>
void for_each_window(std::span<const double> x, int window, F&& f) {
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    const std::ptrdiff_t half = window / 2;
    SortedWindow w;
    std::ptrdiff_t lo = 0, hi = 0;  // current window [lo, hi)
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const std::ptrdiff_t want_lo = std::max<std::ptrdiff_t>(0, i - half);
        const std::ptrdiff_t want_hi = std::min<std::ptrdiff_t>(n, i + half + 1);
        for (; hi < want_hi; ++hi) w.insert(x[static_cast<std::size_t>(hi)]);
        for (; lo < want_lo; ++lo) w.erase(x[static_cast<std::size_t>(lo)]);
        f(static_cast<std::size_t>(i), w.sorted());
    }
}

// alpha * quartile deviation of |x| over a centred window, per sample.
std::vector<double> rolling_threshold(const std::vector<double>& x, int window, double alpha) {
    std::vector<double> abs_x(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) abs_x[i] = std::abs(x[i]);
    std::vector<double> th(x.size());
    for_each_window(abs_x, window, [&](std::size_t i, const std::vector<double>& s) {
        const double qd = (quantile_sorted(s, 0.75) - quantile_sorted(s, 0.25)) / 2.0;
        th[i] = std::max(alpha * qd, 1e-9);
    });
    return th;
}

std::vector<double> rolling_median(std::span<const double> x, int window) {
    std::vector<double> out(x.size());
    for_each_window(x, window, [&](std::size_t i, const std::vector<double>& s) {
        out[i] = quantile_sorted(s, 0.5);
    });
    return out;
}

}  // namespace

std::vector<ArtifactClass> detect_artifacts_auto(std::span<const double> rr,
                                                 const LipponenParams& p) {
    const std::size_t n = rr.size();
    std::vector<ArtifactClass> cls(n, ArtifactClass::none);
    if (n < 4) return cls;

    std::vector<double> drr(n);
    for (std::size_t i = 1; i < n; ++i) drr[i] = rr[i] - rr[i - 1];
    drr[0] = std::accumulate(drr.begin() + 1, drr.end(), 0.0) / double(n - 1);
    const auto med = rolling_median(rr, p.median_beats);
    auto th1 = rolling_threshold(drr, p.window_beats, p.alpha);
    for (std::size_t i = 0; i < n; ++i)
        th1[i] = std::max(th1[i], p.min_threshold_fraction * med[i]);
    std::vector<double> ndrr(n);
    for (std::size_t i = 0; i < n; ++i) ndrr[i] = drr[i] / th1[i];

    std::vector<double> mrr(n);
    for (std::size_t i = 0; i < n; ++i) {
        mrr[i] = rr[i] - med[i];
        if (mrr[i] < 0)
            mrr[i] *= 2.0;  // short intervals weigh double (they are the rarer artifact)
    }
    auto th2 = rolling_threshold(mrr, p.window_beats, p.alpha);
    for (std::size_t i = 0; i < n; ++i)
        th2[i] = std::max(th2[i], p.min_threshold_fraction * med[i]);
    std::vector<double> nmrr(n);
    for (std::size_t i = 0; i < n; ++i) nmrr[i] = mrr[i] / th2[i];

    // Neighbouring normalised differences, padded with 0 beyond the ends.
    auto d = [&](std::ptrdiff_t i) {
        return i < 0 || i >= static_cast<std::ptrdiff_t>(n) ? 0.0
                                                            : ndrr[static_cast<std::size_t>(i)];
    };
    auto s12 = [&](std::ptrdiff_t i) {
        return d(i) > 0 ? std::max(d(i - 1), d(i + 1)) : std::min(d(i - 1), d(i + 1));
    };
    auto s22 = [&](std::ptrdiff_t i) {
        return d(i) >= 0 ? std::min(d(i + 1), d(i + 2)) : std::max(d(i + 1), d(i + 2));
    };

    auto classify_long_short = [&](std::size_t j) {
        const auto sj = static_cast<std::ptrdiff_t>(j);
        const bool eq3 = d(sj) > 1 && s22(sj) < -1;
        const bool eq4 = std::abs(nmrr[j]) > 3;
        const bool eq5 = d(sj) < -1 && s22(sj) > 1;
        if (!(eq3 || eq4 || eq5)) return;
        const bool is_long = eq3 || (eq4 && rr[j] > med[j]);
        const bool is_short = eq5 || (eq4 && rr[j] < med[j]);
        if (is_long) {
            const bool missed = std::abs(rr[j] / 2.0 - med[j]) < th2[j];
            cls[j] = missed ? ArtifactClass::missed : ArtifactClass::longer;
        } else if (is_short) {
            const bool extra = j + 1 < n && std::abs(rr[j] + rr[j + 1] - med[j]) < th2[j];
            cls[j] = extra ? ArtifactClass::extra : ArtifactClass::shorter;
        }
    };

    for (std::size_t i = 0; i < n; ++i) {
        const auto si = static_cast<std::ptrdiff_t>(i);
        // Only a beat whose difference leaves the normal band is examined (the paper's flow).
        if (std::abs(ndrr[i]) <= 1.0) continue;
        const bool eq1 = d(si) > 1 && s12(si) < -p.c1 * d(si) - p.c2;
        const bool eq2 = d(si) < -1 && s12(si) > -p.c1 * d(si) + p.c2;
        if (eq1 || eq2) {
            cls[i] = ArtifactClass::ectopic;
            continue;
        }
        if (cls[i] == ArtifactClass::none) classify_long_short(i);
        // The next beat is examined too when its difference is the smaller of the next two.
        if (i + 2 < n && std::abs(d(si + 1)) < std::abs(d(si + 2)) &&
            cls[i + 1] == ArtifactClass::none)
            classify_long_short(i + 1);
    }
    return cls;
}

std::vector<ArtifactClass> detect_artifacts_threshold(std::span<const double> rr,
                                                      double threshold_ms_at_60bpm) {
    const auto med = rolling_median(rr, 11);
    std::vector<ArtifactClass> cls(rr.size(), ArtifactClass::none);
    for (std::size_t i = 0; i < rr.size(); ++i) {
        const double th = threshold_ms_at_60bpm * med[i] / 1000.0;
        const double dev = rr[i] - med[i];
        if (std::abs(dev) <= th) continue;
        if (dev > 0 && std::abs(rr[i] / 2.0 - med[i]) <= th)
            cls[i] = ArtifactClass::missed;
        else
            cls[i] = dev > 0 ? ArtifactClass::longer : ArtifactClass::shorter;
    }
    return cls;
}

CorrectedRr correct_artifacts(std::span<const double> t_s, std::span<const double> rr,
                              std::span<const ArtifactClass> cls,
                              std::span<const std::uint8_t> follows_gap) {
    const std::size_t n = rr.size();
    const bool has_gaps = follows_gap.size() == n;
    auto gap = [&](std::size_t i) { return has_gaps && follows_gap[i] != 0; };
    auto misplaced = [&](std::size_t i) {
        return cls[i] == ArtifactClass::ectopic || cls[i] == ArtifactClass::longer ||
               cls[i] == ArtifactClass::shorter;
    };
    const auto med = rolling_median(rr, 11);
    std::vector<double> value(rr.begin(), rr.end());
    std::vector<char> consumed(n, 0);  // merged into, or shared with, a neighbour

    // Misplaced beats (ectopic, long, short): move the beat between its neighbours. The partner
    // interval is the neighbour that deviates the other way (a premature beat's compensatory
    // pause), so the pair shares its sum; with no such partner the interval takes the local
    // median, as an interpolation would.
    // Intervals after an extra beat are merged with it below; they are not moved.
    for (std::size_t i = 1; i < n; ++i)
        if (cls[i - 1] == ArtifactClass::extra && !gap(i)) consumed[i] = 1;
    for (std::size_t i = 0; i < n; ++i) {
        if (!misplaced(i) || consumed[i]) continue;
        const double dev = value[i] - med[i];
        std::optional<std::size_t> partner;
        double best = std::abs(dev);
        for (std::size_t k : {i - 1, i + 1}) {
            if (k >= n || consumed[k] || cls[k] == ArtifactClass::extra ||
                cls[k] == ArtifactClass::missed)
                continue;
            if ((k < i && gap(i)) || (k > i && gap(k))) continue;  // never across a dropout
            if ((value[k] - med[k]) * dev >= 0.0) continue;
            const double residual = std::abs(value[i] + value[k] - med[i] - med[k]);
            if (residual < best) {
                best = residual;
                partner = k;
            }
        }
        if (partner) {
            const double shared = (value[i] + value[*partner]) / 2.0;
            value[i] = value[*partner] = shared;
            consumed[*partner] = 1;
        } else {
            value[i] = med[i];
        }
        consumed[i] = 1;
    }

    CorrectedRr out;
    out.per_input_ms.assign(n, 0.0);
    auto emit = [&](double rr_ms, double t, bool after_gap) {
        out.rr_ms.push_back(rr_ms);
        out.t_s.push_back(t);
        out.follows_gap.push_back(after_gap ? 1 : 0);
    };
    double t_prev = n ? t_s[0] - rr[0] / 1000.0 : 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if (gap(i)) t_prev = t_s[i] - rr[i] / 1000.0;  // re-anchor after a dropout
        if (cls[i] == ArtifactClass::extra && i + 1 < n && !gap(i + 1)) {
            // A spurious beat: its interval and the next are one.
            const double merged = value[i] + value[i + 1];
            out.per_input_ms[i + 1] = merged;
            t_prev += merged / 1000.0;
            emit(merged, t_prev, gap(i));
            ++i;
            continue;
        }
        if (cls[i] == ArtifactClass::missed) {
            const double half = value[i] / 2.0;
            out.per_input_ms[i] = half;
            emit(half, t_prev + half / 1000.0, gap(i));
            t_prev += value[i] / 1000.0;
            emit(half, t_prev, false);
            continue;
        }
        out.per_input_ms[i] = value[i];
        t_prev += value[i] / 1000.0;
        emit(value[i], t_prev, gap(i));
    }
    return out;
}

}  // namespace relaxmon::dsp
