#pragma once
// RsaBreaths: breathing, breath by breath, from respiratory sinus arrhythmia. The heart slows while
// breathing out and speeds up while breathing in, so each breath is one cycle of the RR series.
// After the "advanced counting" method of Schäfer & Kratky (2008, Ann Biomed Eng 36:476), which
// allows an instantaneous rate where a spectrum needs a minute: the RR series, linearly
// interpolated at 4 Hz, is band-passed (Butterworth high-pass 0.05 Hz, low-pass 0.6 Hz); its
// local extrema are found; while the closest pair of neighbouring extrema differ by less than a
// tenth of the third quartile of all neighbour differences over the last minute, that pair is
// dropped (ripples of noise, not breaths); each cycle between successive maxima that remain is a
// breath. Each breath also gives its peak-to-trough RSA amplitude, the classic breath-by-breath
// vagal index (Grossman et al. 1990, the peak-valley method), here read on the band-passed RR.
// Values: over the most recent breaths spanning at least `window_s` (and at least 3), the rate (60
// / the median breath length) and the median amplitude, so one sigh or two breaths merged by the
// count do not move them. A gap restarts everything.
#include <cstddef>
#include <deque>
#include <optional>

#include "relaxmon/dsp/biquad.hpp"

namespace relaxmon::dsp {

class RsaBreaths {
  public:
    struct Params {
        double fs_hz = 4.0;
        double highpass_hz = 0.05, lowpass_hz = 0.6;
        double prune_fraction = 0.1;  // of the third quartile of neighbour differences
        double history_s = 60.0;      // extrema kept (and the quartile's span)
        double window_s = 15.0;       // the values cover the last breaths spanning this much
        std::size_t min_breaths = 3;
        double settle_s = 10.0;      // filter settling after a (re)start
        double min_period_s = 1.5;   // 40 breaths/min
        double max_period_s = 15.0;  // 4 breaths/min
    };
    struct Values {
        std::optional<double> rate_bpm;
        std::optional<double> rsa_amplitude_ms;  // median peak-to-trough
        std::size_t breaths = 0;                 // breaths behind the values
        std::optional<double> last_breath_t_s;   // end of the newest breath
    };

    RsaBreaths() : RsaBreaths(Params{}) {}
    explicit RsaBreaths(Params p);

    // A beat at t_s closing an (artifact-corrected) interval rr_ms. `follows_gap`: beats were
    // lost before it, so the series restarts here.
    void push(double t_s, double rr_ms, bool follows_gap);
    const Values& values() const { return values_; }

  private:
    struct Extremum {
        double t_s, value;
        bool is_max;
    };
    void restart(double t_s, double rr_ms);
    void filter_sample(double t_s, double rr_ms);
    void update_values(double now_s);

    Params p_;
    Biquad highpass_, lowpass_;
    std::optional<double> last_t_s_, last_rr_ms_;
    double next_sample_t_s_ = 0.0, start_t_s_ = 0.0;
    std::size_t samples_ = 0;
    double y1_ = 0.0, y2_ = 0.0, t1_s_ = 0.0;  // the two previous filtered samples
    std::deque<Extremum> extrema_;
    Values values_;
};

}  // namespace relaxmon::dsp
