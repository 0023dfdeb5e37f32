#include "relaxmon/dsp/hrv_analysis.hpp"

namespace relaxmon::dsp {

namespace {
struct Norm {
    double mean, sd;
    double z(double x) const { return (x - mean) / sd; }
};
constexpr Norm kMeanRr{926.0, 90.0}, kRmssd{42.0, 15.0}, kSd1{29.7, 10.6};
constexpr Norm kMeanHr{64.8, 6.3}, kSqrtStress{9.7, 2.6}, kSd2{64.2, 20.0};
}  // namespace

AutonomicIndices autonomic_indices(double mean_rr_ms, double rmssd_ms, double sd1_ms,
                                   double mean_hr_bpm, double sqrt_stress_index, double sd2_ms) {
    return {(kMeanRr.z(mean_rr_ms) + kRmssd.z(rmssd_ms) + kSd1.z(sd1_ms)) / 3.0,
            (kMeanHr.z(mean_hr_bpm) + kSqrtStress.z(sqrt_stress_index) - kSd2.z(sd2_ms)) / 3.0};
}

HrvMetrics compute_hrv(std::span<const double> t_s, std::span<const double> rr_ms,
                       std::span<const std::uint8_t> follows_gap, const HrvOptions& o) {
    HrvMetrics m;
    m.time = hrv_time(rr_ms, follows_gap);
    if (!m.time) return m;
    if (o.with_frequency) m.frequency = hrv_frequency(t_s, rr_ms, o.frequency);
    m.poincare = poincare(rr_ms, follows_gap);
    if (o.with_nonlinear) {
        m.dfa_alpha1 = dfa_alpha(rr_ms, o.dfa1);
        m.dfa_alpha2 = dfa_alpha(rr_ms, o.dfa2);
        m.sampen = sample_entropy(rr_ms, o.sampen);
    }
    if (m.poincare && m.time->rmssd_ms && m.time->stress_index) {
        const auto idx =
            autonomic_indices(m.time->mean_rr_ms, *m.time->rmssd_ms, m.poincare->sd1_ms,
                              m.time->mean_hr_bpm, *m.time->stress_index, m.poincare->sd2_ms);
        m.pns_index = idx.pns;
        m.sns_index = idx.sns;
    }
    return m;
}

}  // namespace relaxmon::dsp
