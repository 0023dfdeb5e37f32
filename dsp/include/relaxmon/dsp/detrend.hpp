#pragma once
// Smoothness-priors detrending (Tarvainen, Ranta-aho & Karjalainen 2002, IEEE TBME 49:172-175):
// the trend is the regularised least-squares fit  (I + lambda^2 D2' D2)^-1 z  with D2 the second
// difference operator; the detrended series is z minus it. The system is pentadiagonal and
// symmetric positive definite, solved by a banded LDL' factorisation in O(n) time and memory.
// At 4 Hz, lambda = 500 is a high-pass with its -6 dB point near 0.03 Hz (below the LF band).
#include <Eigen/Core>

namespace relaxmon::dsp {

// The trend of z (same length). Series shorter than 3 samples are their own trend.
Eigen::VectorXd smoothness_priors_trend(const Eigen::Ref<const Eigen::VectorXd>& z, double lambda);

inline Eigen::VectorXd smoothness_priors_detrend(const Eigen::Ref<const Eigen::VectorXd>& z,
                                                 double lambda) {
    return z - smoothness_priors_trend(z, lambda);
}

}  // namespace relaxmon::dsp
