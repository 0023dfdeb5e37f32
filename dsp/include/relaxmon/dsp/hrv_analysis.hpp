#pragma once
// All HRV metrics of one stretch of NN intervals, with the defaults of Kubios / Task Force 1996
// (DESIGN.md, "analyze --json keys"), and the PNS/SNS indices in the manner of Kubios.
//
// PNS index = mean of the z-scores of mean RR, RMSSD and SD1; SNS index = mean of the z-scores
// of mean HR, the (square-rooted) stress index and, inverted, SD2 - each against population
// norms for short-term resting HRV: mean RR 926 +- 90 ms and RMSSD 42 +- 15 ms (Nunan, Sandercock
// & Brodie 2010, PACE 33:1407-1417); SD1 29.7 +- 10.6 ms and SD2 64.2 +- 20 ms derived from those
// norms and SDNN 50 +- 16 ms (SD1 = RMSSD/sqrt2, SD2 = sqrt(2 SDNN^2 - SD1^2)); mean HR 64.8 +- 6.3
// bpm from the mean RR norm; sqrt(stress index) 9.7 +- 2.6 from Baevsky's normal SI range 50-150.
// Kubios weighs the terms in an unpublished way, so values are comparable in sign and scale,
// not equal to Kubios' to the decimal.
#include <cstdint>
#include <optional>
#include <span>

#include "relaxmon/dsp/hrv_frequency.hpp"
#include "relaxmon/dsp/hrv_time.hpp"
#include "relaxmon/dsp/nonlinear.hpp"

namespace relaxmon::dsp {

struct HrvOptions {
    FrequencyOptions frequency;
    DfaOptions dfa1{4, 16, false};
    DfaOptions dfa2{16, 64, false};
    SampEnOptions sampen;
    bool with_frequency = true;
    bool with_nonlinear = true;
};

struct HrvMetrics {
    std::optional<TimeDomain> time;
    std::optional<FrequencyDomain> frequency;
    std::optional<Poincare> poincare;
    std::optional<double> dfa_alpha1, dfa_alpha2, sampen;
    std::optional<double> pns_index, sns_index;
};

struct AutonomicIndices {
    double pns = 0.0;
    double sns = 0.0;
};
AutonomicIndices autonomic_indices(double mean_rr_ms, double rmssd_ms, double sd1_ms,
                                   double mean_hr_bpm, double sqrt_stress_index, double sd2_ms);

// `t_s`: beat times, `rr_ms`: NN intervals, `follows_gap` optional per-interval flags.
HrvMetrics compute_hrv(std::span<const double> t_s, std::span<const double> rr_ms,
                       std::span<const std::uint8_t> follows_gap, const HrvOptions& o = {});

}  // namespace relaxmon::dsp
