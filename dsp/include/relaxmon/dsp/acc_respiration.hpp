#pragma once
// AccRespiration: the breathing rate from a chest strap's accelerometer. Breathing tilts the chest
// wall, so the gravity vector seen by the strap swings by a few milli-g at the breathing rate
// (Bates et al. 2010, "Respiratory rate and flow waveform estimation from tri-axial accelerometer
// data"). Each axis is averaged down to 10 Hz and band-passed (Butterworth high-pass 0.03 Hz,
// low-pass 1 Hz); over the last 64 s the three axes are projected on their principal component
// (the direction the chest actually moves in, whatever the strap's orientation), and the rate is
// the dominant peak of that signal's Hann-windowed periodogram between 0.04 and 0.7 Hz (2.4-42
// breaths/min), refreshed every 5 s. A peak below 5/min is read again over the last 128 s: 64 s
// hold only three breaths at 3/min, too few for a peak that stands apart from the slow drift of
// posture. Between refreshes each new sample is projected on that
// direction and its breaths counted one by one (BreathCounter), for a rate that follows the chest
// within a few breaths. A break in the samples (a dropout) restarts the window, so a gap is never
// bridged.
#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>

#include "relaxmon/dsp/biquad.hpp"
#include "relaxmon/dsp/breath_counter.hpp"

namespace relaxmon::dsp {

class AccRespiration {
  public:
    struct Params {
        double window_s = 64.0;
        double slow_window_s = 128.0;  // for a peak below slow_hz
        double slow_hz = 5.0 / 60.0;
        double update_every_s = 5.0;
        double min_span_s = 32.0;  // no estimate before this much data
        double lo_hz = 0.04, hi_hz = 0.7;
    };
    struct Estimate {
        double t_s = 0.0;  // end of the window
        double rate_bpm = 0.0;
        bool confident = false;  // a clear peak, not the edge of the band
    };

    AccRespiration() : AccRespiration(Params{}) {}
    explicit AccRespiration(Params p);

    // Samples `xyz` (any unit, e.g. milli-g) at fs_hz, the first at t0_s. Returns a new estimate
    // when this block completed an update.
    std::optional<Estimate> push(double t0_s, double fs_hz,
                                 std::span<const std::array<std::int16_t, 3>> xyz);
    const std::optional<Estimate>& last() const { return last_; }
    // Breaths counted one by one along the chest's principal direction, as of the newest sample
    // (no rate while the chest is not seen to move).
    const BreathCounter::Values& counted() const { return counted_; }

  private:
    void restart(double t_s, double fs_hz);
    std::optional<Estimate> estimate(double t_s);
    // The peak over the newest `samples` of the window; `set_axis`: the counter follows its
    // direction.
    std::optional<Estimate> estimate_over(double t_s, std::size_t samples, bool set_axis);

    static constexpr double kOut_hz = 10.0;
    Params p_;
    double fs_hz_ = 0.0;
    std::optional<double> next_t_s_;  // when the next input sample is expected
    int per_out_ = 1, n_acc_ = 0;     // input samples per 10-Hz sample, and gathered so far
    std::array<double, 3> sum_{};
    std::array<Biquad, 3> highpass_, lowpass_;
    std::deque<std::array<double, 3>> filtered_;   // the (slow) window at 10 Hz
    double out_t_s_ = 0.0;                         // time of the newest 10-Hz sample
    std::size_t settled_ = 0;                      // 10-Hz samples since the restart
    std::size_t since_update_ = 0;                 // 10-Hz samples since the last estimate
    std::optional<std::array<double, 3>> offset_;  // the first 10-Hz sample: gravity
    std::optional<Estimate> last_;
    std::optional<std::array<double, 3>> axis_;  // the principal direction of the last estimate
    BreathCounter counter_;
    BreathCounter::Values counted_;
};

}  // namespace relaxmon::dsp
