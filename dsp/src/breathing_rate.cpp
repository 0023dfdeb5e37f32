#include "relaxmon/dsp/breathing_rate.hpp"

#include <cmath>

namespace relaxmon::dsp {

std::optional<double> sure_breathing_rate_bpm(const RsaBreaths::Values& counted,
                                              const SlidingHrv::Values& spectral) {
    const auto peak = steady_spectral_rate_bpm(spectral);
    const auto disagree = [&] {
        return std::abs(*counted.rate_bpm / *peak - 1.0) > kBreathCountAgreement;
    };
    // The HF band's lower edge (0.15 Hz, 9/min), as hrv_frequency's own check of a slow peak.
    static const double hf_lo_bpm = 60.0 * FrequencyOptions{}.hf_lo_hz;
    if (counted.rate_bpm && counted.rate_confident) {
        // A sure count that is slow too, far from a clear, steady peak: the count splitting
        // lopsided slow breaths in two, or a slow wave beside slow breathing; neither is sure. A
        // sure count at 9/min or more stands (a slower peak is then a slow wave, as
        // hrv_frequency's own check has it).
        if (peak && disagree() && *counted.rate_bpm < hf_lo_bpm) return std::nullopt;
        return counted.rate_bpm;
    }
    if (!peak) return std::nullopt;
    // Below 5/min a minute holds too few breaths for the count to be sure, and what it says
    // unsure (a lopsided breath split into pieces) does not overrule a clear, steady peak; a
    // slow wave passing for breathing there is what the spectrum's own count rules out
    // (FrequencyDomain::resp_confident).
    const bool slow = *peak < kSlowSpectralBreathing_bpm;
    if (!slow && counted.rate_bpm && disagree()) return std::nullopt;
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
