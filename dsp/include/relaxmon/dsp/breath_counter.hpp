#pragma once
// BreathCounter: breaths counted one by one in a band-passed breathing waveform sampled at a
// steady rate (respiratory sinus arrhythmia in the RR series, chest movement seen by an
// accelerometer). After the "advanced counting" method of Schäfer & Kratky (2008, Ann Biomed Eng
// 36:476): local extrema are found; while the closest pair of neighbouring extrema differ by less
// than `prune_fraction` of the third quartile of all neighbour differences over the last minute,
// that pair is dropped (ripples of noise, not breaths); each cycle between successive maxima that
// remain is a breath, with its period and its peak-to-trough amplitude. Values: over the most
// recent breaths spanning at least `window_s` (and at least 3), the rate (60 / the median breath
// length) and the median amplitude, so one sigh or two breaths merged by the count do not move
// them.
#include <cstddef>
#include <deque>
#include <optional>

namespace relaxmon::dsp {

class BreathCounter {
  public:
    struct Params {
        double prune_fraction = 0.1;
        double history_s = 60.0;  // extrema kept (and the quartile's span)
        double window_s = 15.0;   // the values cover the last breaths spanning this much
        std::size_t min_breaths = 3;
        double min_period_s = 1.5;   // 40 breaths/min
        double max_period_s = 15.0;  // 4 breaths/min
    };
    struct Values {
        std::optional<double> rate_bpm;
        std::optional<double> amplitude;        // median peak-to-trough, in the signal's unit
        std::size_t breaths = 0;                // breaths behind the values
        std::optional<double> last_breath_t_s;  // end of the newest breath
    };

    BreathCounter() : BreathCounter(Params{}) {}
    explicit BreathCounter(Params p) : p_(p) {}

    // The next sample of the waveform (samples come at a steady rate, in time order).
    void push(double t_s, double value);
    void restart();
    // The breaths as they stand at now_s.
    Values values(double now_s) const;

  private:
    struct Extremum {
        double t_s, value;
        bool is_max;
    };
    Params p_;
    std::size_t samples_ = 0;
    double y1_ = 0.0, y2_ = 0.0, t1_s_ = 0.0;  // the two previous samples
    std::deque<Extremum> extrema_;
};

}  // namespace relaxmon::dsp
