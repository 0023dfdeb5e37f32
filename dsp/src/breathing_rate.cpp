#include "relaxmon/dsp/breathing_rate.hpp"

#include <cmath>

namespace relaxmon::dsp {

std::optional<double> sure_breathing_rate_bpm(const RsaBreaths::Values& counted,
                                              const SlidingHrv::Values& spectral) {
    if (counted.rate_bpm && counted.rate_confident) return counted.rate_bpm;
    const auto peak = steady_spectral_rate_bpm(spectral);
    if (!peak) return std::nullopt;
    if (counted.rate_bpm && std::abs(*counted.rate_bpm / *peak - 1.0) > kBreathCountAgreement)
        return std::nullopt;
    return peak;
}

std::optional<double> sure_chest_breathing_rate_bpm(std::optional<double> clear_peak_bpm,
                                                    const BreathCounter::Values& counted) {
    if (!clear_peak_bpm) return std::nullopt;
    if (!counted.rate_bpm || !counted.rate_confident) return clear_peak_bpm;
    if (std::abs(*counted.rate_bpm / *clear_peak_bpm - 1.0) > kBreathCountAgreement)
        return std::nullopt;
    return counted.rate_bpm;
}

}  // namespace relaxmon::dsp
