#include "relaxmon/dsp/rhythm_statistics.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "relaxmon/dsp/breath_counter.hpp"
#include "relaxmon/dsp/hrv_frequency.hpp"
#include "relaxmon/dsp/resample.hpp"
#include "relaxmon/dsp/spectrum.hpp"

namespace relaxmon::dsp {

namespace {

constexpr double kMaxDirtyShare = 0.1;

std::optional<double> median_of(std::vector<double> v) {
    if (v.empty()) return std::nullopt;
    auto mid = v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2);
    std::nth_element(v.begin(), mid, v.end());
    return *mid;
}

// Clean beats: physiological, and within 20% of the median of their 11 neighbours.
std::vector<bool> clean_beats(std::span<const double> rr_ms) {
    const std::size_t n = rr_ms.size();
    std::vector<bool> clean(n, false);
    std::vector<double> around;
    for (std::size_t i = 0; i < n; ++i) {
        if (rr_ms[i] < 250.0 || rr_ms[i] > 2500.0) continue;
        const std::size_t lo = i >= 5 ? i - 5 : 0, hi = std::min(n, i + 6);
        around.assign(rr_ms.begin() + static_cast<std::ptrdiff_t>(lo),
                      rr_ms.begin() + static_cast<std::ptrdiff_t>(hi));
        const double m = *median_of(around);
        clean[i] = std::abs(rr_ms[i] - m) <= 0.2 * m;
    }
    return clean;
}

// Beats in [from_s, to_s): index range by binary search.
struct Range {
    std::size_t begin, end;
};
Range beats_in(std::span<const double> t_s, double from_s, double to_s) {
    const auto b = std::lower_bound(t_s.begin(), t_s.end(), from_s);
    const auto e = std::lower_bound(b, t_s.end(), to_s);
    return {static_cast<std::size_t>(b - t_s.begin()), static_cast<std::size_t>(e - t_s.begin())};
}

// Median |x[k+lag] - x[k]| over the defined values of a regularly spaced series.
std::optional<double> median_change(const std::vector<std::optional<double>>& x, std::size_t lag) {
    std::vector<double> d;
    for (std::size_t k = 0; k + lag < x.size(); ++k)
        if (x[k] && x[k + lag]) d.push_back(std::abs(*x[k + lag] - *x[k]));
    return median_of(std::move(d));
}

double cv_of(const std::vector<double>& v) {
    double mean = 0.0, sq = 0.0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) sq += (x - mean) * (x - mean);
    return std::sqrt(sq / static_cast<double>(v.size() - 1)) / mean;
}

void breath_statistics(std::span<const double> t_s, std::span<const double> rr_ms,
                       RhythmStatistics& out) {
    constexpr double kFs_hz = 4.0, kStretch_s = 120.0, kSettle_s = 10.0;
    // Schäfer & Kratky's threshold: a pair of extrema closer than 0.3 times the third quartile of
    // neighbour differences is a ripple. (The live count's tenth keeps shallow fast breaths; over a
    // whole stretch it splits slow, lopsided ones into pieces, and their spread is the count's.)
    constexpr double kPruneFraction = 0.3;
    const Eigen::VectorXd x = resample_even(t_s, rr_ms, kFs_hz, Interpolation::linear);
    if (x.size() < static_cast<Eigen::Index>((kSettle_s + kStretch_s) * kFs_hz)) return;
    const std::vector<double> y =
        rsa_band(std::span(x.data(), static_cast<std::size_t>(x.size())), kFs_hz);
    std::vector<double> period_cvs, amplitude_cvs;
    int sighs = 0;
    double analysed_s = 0.0;
    const auto stretch = static_cast<std::size_t>(kStretch_s * kFs_hz);
    for (auto from = static_cast<std::size_t>(kSettle_s * kFs_hz);
         from + stretch <= static_cast<std::size_t>(y.size()); from += stretch) {
        const auto breaths =
            count_breaths(std::span(y.data() + from, stretch), kFs_hz, kPruneFraction);
        analysed_s += kStretch_s;
        if (breaths.size() < 4) continue;
        std::vector<double> periods, amplitudes;
        for (const CountedBreath& b : breaths) {
            periods.push_back(b.period_s);
            amplitudes.push_back(b.amplitude);
        }
        period_cvs.push_back(cv_of(periods));
        amplitude_cvs.push_back(cv_of(amplitudes));
        const double median_period = *median_of(periods), median_amp = *median_of(amplitudes);
        for (const CountedBreath& b : breaths)
            sighs += b.amplitude >= 2.5 * median_amp && b.period_s >= 1.3 * median_period;
    }
    out.breath_period_cv = median_of(period_cvs);
    out.rsa_amplitude_cv = median_of(amplitude_cvs);
    if (analysed_s > 0.0) out.sighs_per_10min = sighs * 600.0 / analysed_s;
}

std::optional<double> spectral_slope(std::span<const double> t_s, std::span<const double> rr_ms) {
    constexpr double kFs_hz = 4.0, kLo_hz = 0.005, kHi_hz = 0.03;
    const Eigen::VectorXd x = resample_even(t_s, rr_ms, kFs_hz, Interpolation::linear);
    WelchOptions o;
    o.segment_s = 512.0;
    if (static_cast<double>(x.size()) < o.segment_s * kFs_hz) return std::nullopt;
    const Psd p = welch_psd(x, kFs_hz, o);
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (Eigen::Index i = 0; i < p.f_hz.size(); ++i) {
        if (p.f_hz[i] < kLo_hz || p.f_hz[i] > kHi_hz || !(p.psd[i] > 0.0)) continue;
        const double lx = std::log10(p.f_hz[i]), ly = std::log10(p.psd[i]);
        sx += lx;
        sy += ly;
        sxx += lx * lx;
        sxy += lx * ly;
        ++n;
    }
    if (n < 5) return std::nullopt;
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace

RhythmStatistics rhythm_statistics(std::span<const double> t_s, std::span<const double> rr_ms) {
    RhythmStatistics out;
    if (t_s.size() < 2) return out;
    out.duration_s = t_s.back() - t_s.front();
    const std::vector<bool> clean = clean_beats(rr_ms);
    const double t0 = t_s.front();

    // Windows of beats: the mean RR and RMSSD of their clean beats, when nearly all are clean.
    auto window = [&](double from_s, double to_s, bool want_rmssd) -> std::optional<double> {
        const Range r = beats_in(t_s, from_s, to_s);
        if (r.end - r.begin < 5) return std::nullopt;
        std::size_t dirty = 0, n = 0;
        double sum = 0.0;
        for (std::size_t i = r.begin; i < r.end; ++i) {
            if (!clean[i]) {
                ++dirty;
                continue;
            }
            if (!want_rmssd) {
                sum += rr_ms[i];
                ++n;
            } else if (i > r.begin && clean[i - 1]) {
                sum += (rr_ms[i] - rr_ms[i - 1]) * (rr_ms[i] - rr_ms[i - 1]);
                ++n;
            }
        }
        if (static_cast<double>(dirty) > kMaxDirtyShare * static_cast<double>(r.end - r.begin) ||
            n < 4)
            return std::nullopt;
        return want_rmssd ? std::log(std::sqrt(sum / static_cast<double>(n)))
                          : 60000.0 / (sum / static_cast<double>(n));
    };
    std::vector<std::optional<double>> ln_rmssd, hr;
    for (double a = t0; a + 60.0 <= t_s.back(); a += 30.0)
        ln_rmssd.push_back(window(a, a + 60.0, true));
    for (double a = t0; a + 10.0 <= t_s.back(); a += 10.0) hr.push_back(window(a, a + 10.0, false));
    out.ln_rmssd_change_30s = median_change(ln_rmssd, 1);
    out.hr_change_30s_bpm = median_change(hr, 3);

    // The clean beats only, for the breaths and the spectra (a dirty beat is bridged linearly).
    std::vector<double> ct, crr;
    for (std::size_t i = 0; i < t_s.size(); ++i)
        if (clean[i] && (ct.empty() || t_s[i] > ct.back())) {
            ct.push_back(t_s[i]);
            crr.push_back(rr_ms[i]);
        }
    if (ct.size() < 10) return out;
    breath_statistics(ct, crr, out);
    out.spectral_slope = spectral_slope(ct, crr);

    std::vector<double> lf_hf;
    for (double a = t0; a + 300.0 <= t_s.back(); a += 300.0) {
        const Range r = beats_in(t_s, a, a + 300.0);
        const auto dirty = static_cast<std::size_t>(
            std::count(clean.begin() + static_cast<std::ptrdiff_t>(r.begin),
                       clean.begin() + static_cast<std::ptrdiff_t>(r.end), false));
        if (r.end - r.begin < 100 ||
            static_cast<double>(dirty) > kMaxDirtyShare * static_cast<double>(r.end - r.begin))
            continue;
        const Range c = beats_in(ct, a, a + 300.0);
        const auto fd = hrv_frequency(std::span(ct).subspan(c.begin, c.end - c.begin),
                                      std::span(crr).subspan(c.begin, c.end - c.begin));
        if (fd && fd->lf_hf && fd->hf_interpretable) lf_hf.push_back(*fd->lf_hf);
    }
    out.lf_hf = median_of(std::move(lf_hf));
    return out;
}

}  // namespace relaxmon::dsp
