#pragma once
// PostureReference: what turning over on the table does to the relaxation detector's reference.
//
// Heart rate sits a few bpm apart face-down and face-up, and RMSSD and the RSA swing move with
// it; the effort of turning raises heart rate 10-20 bpm for half a minute. So: the levels
// (medians of heart rate, ln RMSSD, ln RSA amplitude) over the last minute of clean, still beats
// before a movement; then, once the body has lain still for `settle_s` in a new posture, the
// same levels over `after_s`. Their difference, new minus old, re-references the detector
// (RelaxationDetector::rereference): the autonomic state does not change in those two minutes,
// the posture's levels do. From the movement's start until the new levels are measured the beats
// are no evidence. A movement that ends in the same posture (adjusting, a cough) only holds the
// evidence until `settle_s` after it.
#include <deque>
#include <optional>

#include "relaxmon/dsp/posture.hpp"
#include "relaxmon/dsp/relaxation_detector.hpp"

namespace relaxmon::dsp {

class PostureReference {
  public:
    struct Params {
        double before_s = 60.0, settle_s = 15.0, after_s = 30.0;
        double min_span_s = 15.0;  // of clean beats, for a level on either side
        double max_hr_shift_bpm = 10.0, max_ln_shift = 0.7;  // beyond: not the posture alone
    };
    struct Beat {
        double t_s = 0.0;
        std::optional<double> hr_bpm, rmssd_ms, rsa_amplitude_ms;
        bool clean = true;  // no gap, few artifacts
    };
    struct Body {
        bool moving = false;
        std::optional<double> still_since_s;  // when the last movement ended
        std::optional<Posture> posture;
    };
    struct Step {
        bool evidence = true;  // the beat may count for the detector
        std::optional<RelaxationDetector::Shift> shift;
        double turn_s = 0.0;  // when the movement that brought the shift began
    };

    PostureReference() : PostureReference(Params{}) {}
    explicit PostureReference(Params p) : p_(p) {}

    Step push(const Beat& beat, const Body& body);

  private:
    struct Level {
        double t_s, hr_bpm, ln_rmssd, ln_rsa;  // NaN where missing
    };
    static Level level_of(const Beat& b);
    // Medians over `levels`, nullopt when they span less than min_span_s.
    std::optional<Level> median_of(const std::deque<Level>& levels) const;

    Params p_;
    enum class Phase { still, moved, measuring } phase_ = Phase::still;
    std::deque<Level> before_, after_;
    std::optional<Level> level_before_;
    std::optional<Posture> posture_before_;
    double turn_s_ = 0.0, measuring_since_s_ = 0.0;
};

}  // namespace relaxmon::dsp
