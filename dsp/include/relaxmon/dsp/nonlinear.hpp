#pragma once
// Nonlinear HRV.
// - Poincare plot (Brennan, Palaniswami & Kamen 2001): SD1 = SD(RR[n+1] - RR[n]) / sqrt 2,
//   SD2 = SD(RR[n+1] + RR[n]) / sqrt 2 (sample SDs), pairs across a gap excluded.
// - Detrended fluctuation analysis (Peng et al. 1995): the integrated, mean-removed series is
//   cut into boxes of n beats, each box detrended by a least-squares line; F(n) is the root mean
//   square residual; alpha is the slope of log F(n) against log n. Kubios: alpha1 over 4-16
//   beats, alpha2 over 16-64, non-overlapping boxes. NeuroKit2 uses half-overlapping boxes and
//   other scales; both are reachable through DfaOptions.
// - Sample entropy (Richman & Moorman 2000): -ln(A/B), B (A) the number of pairs of templates of
//   length m (m+1) within r (Chebyshev distance), self-matches excluded, N-m templates for both.
//   Pairs are found on a grid of cells of side r, so long records cost ~O(N) rather than O(N^2).
#include <cstdint>
#include <optional>
#include <span>

namespace relaxmon::dsp {

// The sample standard deviation (n - 1 in the denominator).
double sample_sd(std::span<const double> v);

struct Poincare {
    double sd1_ms = 0.0;
    double sd2_ms = 0.0;
    double sd1_sd2 = 0.0;
};
std::optional<Poincare> poincare(std::span<const double> rr_ms,
                                 std::span<const std::uint8_t> follows_gap = {});

struct DfaOptions {
    int min_box = 4;
    int max_box = 16;
    bool half_overlap = false;  // NeuroKit2 style
};
// nullopt when the series is too short for at least two box sizes with two boxes each.
std::optional<double> dfa_alpha(std::span<const double> rr_ms, const DfaOptions& o);

struct SampEnOptions {
    int m = 2;
    double r_factor = 0.2;  // r = r_factor * SD (sample SD)
};
// nullopt when no template pairs match (entropy undefined) or the series is too short.
std::optional<double> sample_entropy(std::span<const double> x, const SampEnOptions& o = {});

}  // namespace relaxmon::dsp
