#include "relaxmon/dsp/hrv_frequency.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "relaxmon/dsp/breath_counter.hpp"
#include "relaxmon/dsp/detrend.hpp"

namespace relaxmon::dsp {

namespace {
constexpr double kMinDuration_s = 30.0;
constexpr std::size_t kMinBeats = 8;
constexpr double kPeakHalfWidth_hz = 0.03;
constexpr double kPeakShareMin = 0.4;
constexpr double kPeakDominance = 4.0;

// The breathing rate from breaths counted one by one in the resampled RR series (band-passed
// 0.03-0.6 Hz as the RSA is): 60 / the median breath length, given 4 breaths or more, and whether
// they hold together (their median absolute deviation within a third of the median: a count that
// splits slow, lopsided breaths into pieces scatters far more).
struct CountedRate {
    double rate_bpm;
    bool holds_together;
};
std::optional<CountedRate> counted_rate(const Eigen::VectorXd& even, double fs_hz) {
    constexpr double kMaxRelativeMad = 1.0 / 3.0;
    const auto breaths = count_breaths(
        rsa_band(std::span(even.data(), static_cast<std::size_t>(even.size())), fs_hz), fs_hz);
    if (breaths.size() < 4) return std::nullopt;
    std::vector<double> periods_s;
    for (const auto& b : breaths) periods_s.push_back(b.period_s);
    auto mid = periods_s.begin() + static_cast<std::ptrdiff_t>(periods_s.size() / 2);
    std::nth_element(periods_s.begin(), mid, periods_s.end());
    const double median_s = *mid;
    for (double& p : periods_s) p = std::abs(p - median_s);
    std::nth_element(periods_s.begin(), mid, periods_s.end());
    return CountedRate{60.0 / median_s, *mid <= kMaxRelativeMad * median_s};
}
}  // namespace

std::optional<Respiration> respiration_from_psd(const Psd& p, double lo_hz, double hi_hz) {
    const auto peak = peak_frequency(p, lo_hz, hi_hz);
    if (!peak) return std::nullopt;
    const double total = band_power(p, lo_hz, hi_hz);
    const double around = band_power(p, *peak - kPeakHalfWidth_hz, *peak + kPeakHalfWidth_hz);
    // The strongest other region, away from the main peak.
    const auto lower = peak_frequency(p, lo_hz, *peak - 2 * kPeakHalfWidth_hz);
    const auto upper = peak_frequency(p, *peak + 2 * kPeakHalfWidth_hz, hi_hz);
    double rival = 0.0;
    for (auto f : {lower, upper})
        if (f)
            rival = std::max(rival, band_power(p, *f - kPeakHalfWidth_hz, *f + kPeakHalfWidth_hz));
    const bool interior = *peak > lo_hz + p.df_hz && *peak < hi_hz - 2 * p.df_hz;
    Respiration r;
    r.rate_bpm = *peak * 60.0;
    r.confident = interior && total > 0.0 && around >= kPeakShareMin * total &&
                  around >= kPeakDominance * rival;
    return r;
}

std::optional<FrequencyDomain> hrv_frequency(std::span<const double> t_s,
                                             std::span<const double> rr_ms,
                                             const FrequencyOptions& o) {
    if (t_s.size() != rr_ms.size() || t_s.size() < kMinBeats) return std::nullopt;
    if (t_s.back() - t_s.front() < kMinDuration_s) return std::nullopt;

    const Eigen::VectorXd even = resample_even(t_s, rr_ms, o.resample_hz, o.interpolation);
    if (even.size() < 8) return std::nullopt;
    Eigen::VectorXd trend;
    if (o.detrend_lambda)
        trend = smoothness_priors_trend(even, *o.detrend_lambda);
    else
        trend = Eigen::VectorXd::Constant(even.size(), even.mean());
    const Eigen::VectorXd detrended = even - trend;

    FrequencyDomain out;
    switch (o.method) {
        case SpectrumMethod::welch:
            out.psd = welch_psd(detrended, o.resample_hz, o.welch);
            break;
        case SpectrumMethod::ar:
            out.psd = burg_psd(detrended, o.resample_hz, o.ar_order);
            break;
        case SpectrumMethod::lomb: {
            // Lomb-Scargle works on the beats themselves; remove the same trend, read at the beats.
            std::vector<double> y(rr_ms.size());
            for (std::size_t i = 0; i < y.size(); ++i) {
                const double pos = (t_s[i] - t_s.front()) * o.resample_hz;
                const auto k =
                    std::min<Eigen::Index>(static_cast<Eigen::Index>(pos), trend.size() - 2);
                const double frac = std::clamp(pos - static_cast<double>(k), 0.0, 1.0);
                y[i] = rr_ms[i] - (trend[k] * (1.0 - frac) + trend[k + 1] * frac);
            }
            out.psd = lomb_psd(t_s, y, std::max(o.hf_hi_hz, o.resp_hi_hz));
            break;
        }
    }
    if (out.psd.f_hz.size() == 0) return std::nullopt;

    if (o.method == SpectrumMethod::ar) {
        // AR powers from the pole residues; each component counts in the band of its frequency.
        const auto model = burg_ar(detrended, o.ar_order);
        for (const ArComponent& c : ar_components(*model, o.resample_hz)) {
            if (c.f_hz < o.lf_lo_hz)
                out.vlf_ms2 += c.power_ms2;
            else if (c.f_hz < o.hf_lo_hz)
                out.lf_ms2 += c.power_ms2;
            else if (c.f_hz < o.hf_hi_hz)
                out.hf_ms2 += c.power_ms2;
        }
        out.total_power_ms2 = out.vlf_ms2 + out.lf_ms2 + out.hf_ms2;
    } else {
        out.vlf_ms2 = band_power(out.psd, o.vlf_lo_hz, o.lf_lo_hz);
        out.lf_ms2 = band_power(out.psd, o.lf_lo_hz, o.hf_lo_hz);
        out.hf_ms2 = band_power(out.psd, o.hf_lo_hz, o.hf_hi_hz);
        out.total_power_ms2 = band_power(out.psd, o.vlf_lo_hz, o.hf_hi_hz);
    }
    if (out.hf_ms2 > 0.0) out.lf_hf = out.lf_ms2 / out.hf_ms2;
    if (out.lf_ms2 + out.hf_ms2 > 0.0) {
        out.lf_nu = 100.0 * out.lf_ms2 / (out.lf_ms2 + out.hf_ms2);
        out.hf_nu = 100.0 * out.hf_ms2 / (out.lf_ms2 + out.hf_ms2);
    }
    out.lf_peak_hz = peak_frequency(out.psd, o.lf_lo_hz, o.hf_lo_hz);
    out.hf_peak_hz = peak_frequency(out.psd, o.hf_lo_hz, o.hf_hi_hz);
    if (auto r = respiration_from_psd(out.psd, o.resp_lo_hz, o.resp_hi_hz)) {
        out.resp_rate_bpm = r->rate_bpm;
        // Below the HF band the breaths counted in the same stretch have a say. A clear peak there
        // is slow breathing only if breaths that hold together do not say 9/min or more: a slow
        // wave that is not breathing (a Mayer wave near 0.1 Hz can outweigh a 15/min RSA in a
        // supine body) makes a clear peak too. (Counted breaths that are slow as well may be split
        // in two by a lopsided breath: the peak then stands.) And a count under 9/min beside a
        // slow peak is slow breathing even where the peak is not clear: uneven slow breaths spread
        // their power over the LF band, which then counts breathing all the same. (Held together
        // or not: uneven slow breaths scatter. A count can merge breaths too, dropping a shallow
        // one as a ripple, but it flags no 5-min window more in 10 h of simulated rest, nor in
        // the real records at rest: sleep, meditation, metronomic breathing, two 24-h records.)
        const double hf_lo_bpm = 60.0 * o.hf_lo_hz;
        std::optional<CountedRate> counted;
        if (o.check_against_count && r->rate_bpm < hf_lo_bpm)
            counted = counted_rate(even, o.resample_hz);
        if (r->confident && counted && counted->holds_together && counted->rate_bpm >= hf_lo_bpm &&
            counted->rate_bpm / r->rate_bpm - 1.0 > kBreathCountAgreement)
            r->confident = false;
        out.resp_confident = r->confident;
        const bool slow_peak = r->confident && r->rate_bpm < hf_lo_bpm;
        const bool slow_count = counted && counted->rate_bpm < hf_lo_bpm;
        out.hf_interpretable = !slow_peak && !slow_count;
        if (slow_peak)
            out.slow_breathing_bpm = r->rate_bpm;
        else if (slow_count)
            out.slow_breathing_bpm = counted->rate_bpm;
    }
    return out;
}

}  // namespace relaxmon::dsp
