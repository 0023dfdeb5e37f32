#pragma once
// Frequency-domain HRV (Task Force 1996 bands; Kubios defaults): the RR series is resampled at
// 4 Hz with a cubic spline, detrended by smoothness priors (lambda 500), and its PSD estimated
// by Welch (256-s Hann segments, 50% overlap), Lomb-Scargle or Burg AR (order 16). Band powers
// in ms^2 over VLF [0, 0.04), LF [0.04, 0.15), HF [0.15, 0.4) Hz; normalised units as Kubios:
// LF / (LF + HF) * 100. The respiration rate is the frequency of the dominant RSA peak.
#include <optional>
#include <span>

#include "relaxmon/dsp/resample.hpp"
#include "relaxmon/dsp/spectrum.hpp"

namespace relaxmon::dsp {

enum class SpectrumMethod { welch, lomb, ar };

struct FrequencyOptions {
    SpectrumMethod method = SpectrumMethod::welch;
    double resample_hz = 4.0;
    Interpolation interpolation = Interpolation::cubic;
    std::optional<double> detrend_lambda = 500.0;  // nullopt: only the mean is removed
    WelchOptions welch;
    int ar_order = 16;
    double vlf_lo_hz = 0.0, lf_lo_hz = 0.04, hf_lo_hz = 0.15, hf_hi_hz = 0.4;
    // Breathing is searched between 2.7 and 30 breaths/min: relaxed slow breathing (6/min) and
    // paced breathing down to 3/min fall in the LF band or below it, so the search is not
    // limited to HF (a search that stopped at 5/min read 4/min as its harmonic, 8/min).
    double resp_lo_hz = 0.045, resp_hi_hz = 0.5;
    // A peak below the HF band is checked against the breaths counted in the same stretch
    // (resp_confident, hf_interpretable, slow_breathing_bpm); off where no flag is read.
    bool check_against_count = true;
};

struct FrequencyDomain {
    double vlf_ms2 = 0, lf_ms2 = 0, hf_ms2 = 0, total_power_ms2 = 0;
    std::optional<double> lf_hf, lf_nu, hf_nu;
    std::optional<double> lf_peak_hz, hf_peak_hz;
    std::optional<double> resp_rate_bpm;
    bool resp_confident = false;  // a clear single peak holds most of the breathing band's power
    // False while breathing lies below the HF band (under 9 breaths/min: a clear peak there, or
    // breaths counted that slow beside a peak that is not clear): the respiratory power then sits
    // in LF, so LF/HF, HF and LF count breathing, not autonomic balance (Task Force 1996 assume
    // breathing within HF; Shaffer & Ginsberg 2017).
    bool hf_interpretable = true;
    std::optional<double> slow_breathing_bpm;  // the rate behind that: the peak's, or the count's
    Psd psd;                                   // the estimate itself, for plots
};

// `t_s`: beat times (strictly increasing), `rr_ms`: the intervals ending at them. Needs at least
// 30 s and 8 beats.
std::optional<FrequencyDomain> hrv_frequency(std::span<const double> t_s,
                                             std::span<const double> rr_ms,
                                             const FrequencyOptions& o = {});

struct Respiration {
    double rate_bpm = 0.0;
    bool confident = false;
};
// The dominant peak of a PSD between lo and hi; confident when it is a local maximum inside the
// range and the power within +-0.03 Hz of it is at least 40% of the range's power and 4 times
// that of the next-best peak region.
std::optional<Respiration> respiration_from_psd(const Psd& p, double lo_hz, double hi_hz);

}  // namespace relaxmon::dsp
