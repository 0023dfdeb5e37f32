#pragma once
// RsaBreaths: breathing, breath by breath, from respiratory sinus arrhythmia. The heart slows while
// breathing out and speeds up while breathing in, so each breath is one cycle of the RR series.
// The RR series, linearly interpolated at 4 Hz, is band-passed (Butterworth high-pass 0.03 Hz,
// low-pass 0.6 Hz) and its breaths counted one by one (BreathCounter, after Schäfer & Kratky
// 2008, whose counting allows an instantaneous rate where a spectrum needs a minute). Each breath
// also gives its peak-to-trough RSA amplitude, the classic breath-by-breath vagal index (Grossman
// et al. 1990, the peak-valley method), here read on the band-passed RR. A gap restarts everything.
#include <optional>

#include "relaxmon/dsp/biquad.hpp"
#include "relaxmon/dsp/breath_counter.hpp"

namespace relaxmon::dsp {

class RsaBreaths {
  public:
    struct Params {
        double fs_hz = 4.0;
        // 3 breaths/min (0.05 Hz) passes the high-pass at -0.5 dB.
        double highpass_hz = 0.03, lowpass_hz = 0.6;
        double settle_s = 10.0;     // filter settling after a (re)start
        double max_bridge_s = 6.0;  // longest stretch of stand-in beats rebuilt, not restarted
        double whole_cycles_tolerance = 0.2;  // of a cycle, for a stretch to be rebuilt
        BreathCounter::Params count;
    };
    struct Values {
        std::optional<double> rate_bpm;
        bool rate_confident = false;             // known to a third of a breath a minute
        std::optional<double> recent_rate_bpm;   // over the last 15 s only (BreathCounter)
        std::optional<double> rsa_amplitude_ms;  // median peak-to-trough
        std::size_t breaths = 0;                 // breaths behind the values
        std::optional<double> last_breath_t_s;   // end of the newest breath
    };

    RsaBreaths() : RsaBreaths(Params{}) {}
    explicit RsaBreaths(Params p) : p_(p) { s_.counter = BreathCounter(p.count); }

    // A beat at t_s closing an (artifact-corrected) interval rr_ms. `follows_gap`: beats were
    // lost before it, so the series restarts here. `stand_in`: rr_ms replaces an artifact.
    // `previous_was_stand_in`: the beat pushed before this one as true has turned out to be an
    // artifact (a premature beat known by its pause); it is taken back and rebuilt.
    void push(double t_s, double rr_ms, bool follows_gap, bool stand_in = false,
              bool previous_was_stand_in = false);
    const Values& values() const { return s_.values; }

  private:
    struct StandIns {
        int beats = 0;
        double sum_ms = 0.0, end_t_s = 0.0;
    };
    struct State {
        Biquad highpass, lowpass;
        BreathCounter counter;
        std::optional<double> last_t_s, last_rr_ms;
        double next_sample_t_s = 0.0, start_t_s = 0.0;
        StandIns stand_ins;  // since the last true beat, waiting for the next one
        Values values;
    };
    void push_one(double t_s, double rr_ms, bool follows_gap, bool stand_in);
    void restart(double t_s, double rr_ms);
    void add_point(double t_s, double rr_ms);
    void rebuild_stand_ins();

    Params p_;
    State s_;
    // The state before the newest true beat, and that beat, to take it back.
    std::optional<State> before_last_true_;
    double last_true_t_s_ = 0.0, last_true_rr_ms_ = 0.0;
};

}  // namespace relaxmon::dsp
