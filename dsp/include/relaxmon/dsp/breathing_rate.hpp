#pragma once
// The breathing rate to show as sure, from the heart rhythm alone: the breath count when its
// standard error is small (RsaBreaths), else the spectral peak when it is clear over 5 minutes,
// steady (steady_spectral_rate_bpm), and the count does not contradict it (within 30%): a slow
// wave in the heart rhythm (0.05-0.1 Hz) can outgrow the breathing peak, while the breaths
// counted in the same minute say otherwise. A sure count under 9/min that a steady peak
// contradicts is no sure number either (lopsided slow breaths split in two by the count). Below
// 5/min an unsure count has no say. Nullopt while neither is sure.
#include <optional>

#include "relaxmon/dsp/breath_counter.hpp"
#include "relaxmon/dsp/rsa_breaths.hpp"
#include "relaxmon/dsp/sliding_hrv.hpp"

namespace relaxmon::dsp {

std::optional<double> sure_breathing_rate_bpm(const RsaBreaths::Values& counted,
                                              const SlidingHrv::Values& spectral);

// The same from chest movement (AccRespiration): nullopt without a clear spectral peak; the
// breath count (which follows a change sooner) when it is sure and within 30% of the peak; two
// sure readings further apart are no sure number; else the peak.
std::optional<double> sure_chest_breathing_rate_bpm(std::optional<double> clear_peak_bpm,
                                                    const BreathCounter::Values& counted);

}  // namespace relaxmon::dsp
