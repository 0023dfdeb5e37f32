#pragma once
// Power spectral density estimates for HRV, one-sided, in (ms^2)/Hz, so that the sum of
// psd * df over a band is the band's power in ms^2 (a sinusoid of amplitude A carries A^2/2).
// - Welch (1967): Hann-windowed, overlapping segments, each mean-removed; Eigen's FFT module.
// - Lomb-Scargle (Lomb 1976; Scargle 1982): straight from the uneven beat times, scaled so that
//   its integral matches the variance like the others (Moody 1993).
// - Burg autoregressive (Burg 1967; order 16 as Kubios): PSD = 2 sigma^2 / fs / |A(e^jw)|^2.
#include <Eigen/Core>
#include <optional>
#include <span>
#include <vector>

namespace relaxmon::dsp {

struct Psd {
    Eigen::VectorXd f_hz;
    Eigen::VectorXd psd;  // ms^2/Hz
    double df_hz = 0.0;   // spacing of f_hz, for integration
};

struct WelchOptions {
    double segment_s = 256.0;  // Kubios default; shortened to the series when longer
    double overlap = 0.5;
    std::optional<int> segment_samples;  // overrides segment_s (hrv-analysis uses 256 samples)
    std::optional<int> nfft;             // default: next power of two >= max(segment, 2048)
};

Psd welch_psd(const Eigen::Ref<const Eigen::VectorXd>& x, double fs_hz, const WelchOptions& o = {});

// `f_max_hz` and `df_hz` set the frequency grid (default df: 1/(4 T), at most 4096 bins).
Psd lomb_psd(std::span<const double> t_s, std::span<const double> y, double f_max_hz,
             std::optional<double> df_hz = std::nullopt);

// Burg's AR coefficients a[1..p] (a[0] = 1 implied) and the final prediction error power.
struct ArModel {
    Eigen::VectorXd a;
    double noise_var = 0.0;
};
std::optional<ArModel> burg_ar(const Eigen::Ref<const Eigen::VectorXd>& x, int order);
Psd burg_psd(const Eigen::Ref<const Eigen::VectorXd>& x, double fs_hz, int order = 16,
             int points = 2048);

// The power (ms^2) of each spectral component of an AR model, by the residues of its poles
// (Johnsen & Andersen 1978, as Kubios decomposes AR spectra): exact even for the razor-sharp
// peaks of a near-pure tone, which no integration grid resolves. Components sum to the variance.
struct ArComponent {
    double f_hz;
    double power_ms2;
};
std::vector<ArComponent> ar_components(const ArModel& model, double fs_hz);

// Power in [lo, hi) Hz, in ms^2.
double band_power(const Psd& p, double lo_hz, double hi_hz);
// Frequency of the largest PSD value in [lo, hi), or nullopt when the band holds no bins.
std::optional<double> peak_frequency(const Psd& p, double lo_hz, double hi_hz);

}  // namespace relaxmon::dsp
