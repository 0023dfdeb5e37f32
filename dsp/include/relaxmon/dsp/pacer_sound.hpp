#pragma once
// PacerSound: the breathing pacer as sound, for a client whose eyes are closed and whose face is
// in the cradle. A soft hummed tone (a fundamental with two quiet harmonics, like a closed-mouth
// "mm") that swells while breathing in and fades while breathing out, its pitch gliding up a
// fifth with the breath and back down: loud and high at full lungs, silent at empty, so the
// cycle can be followed without listening for clicks or beeps. Breathing in takes
// `inhale_fraction` of each cycle of 60 / rate_bpm seconds (1:2 by default: 3.3 s in, 6.7 s out
// at 6/min); loudness follows a raised cosine up and down, so each turn is gentle. A soft chime
// (a bell's partials decaying over 2 s) can be struck, for the therapist, at a relaxation onset.
// Pure: sample blocks in time order, no device; sample k is at k / sample_rate_hz.
#include <cmath>
#include <optional>
#include <span>
#include <vector>

namespace relaxmon::dsp {

class PacerSound {
  public:
    struct Params {
        double rate_bpm = 6.0;
        double inhale_fraction = 1.0 / 3.0;  // in : out = 1 : 2
        double volume = 0.5;                 // 0..1 of full scale
        double sample_rate_hz = 22050.0;
        double base_hz = 196.0;  // G3 at empty lungs, D4 at full
        bool breathing = true;   // the pacer's sound (off: only chimes)
    };
    explicit PacerSound(Params p) : p_(p) {}

    // The next samples (-1..1).
    void render(std::span<float> out);
    // Volume and on/off now; a new rate or split from the next breath on (a breath is never cut).
    // Turned on (nothing sounds then, so every parameter at once), the tone waits for the next
    // breath to begin (never starts mid-breath); `breath_phase` (0..1), when given, is where the
    // breath is now by another clock (the pacer on screen), so the two breathe together.
    void set_params(const Params& p, std::optional<double> breath_phase = std::nullopt) {
        if (p.breathing && !p_.breathing) {
            const double fs = p_.sample_rate_hz;
            p_ = p;
            p_.sample_rate_hz = fs;
            next_.reset();
            if (breath_phase) breath_phase_ = *breath_phase - std::floor(*breath_phase);
            waiting_ = breath_phase_ > 1e-3;
            return;
        }
        p_.volume = p.volume;
        p_.breathing = p.breathing;
        next_ = p;
    }
    // A chime starting at the next sample rendered.
    void chime();
    double time_s() const { return static_cast<double>(samples_) / p_.sample_rate_hz; }
    const Params& params() const { return p_; }

  private:
    Params p_;
    std::optional<Params> next_;
    long long samples_ = 0;
    double breath_phase_ = 0.0;     // 0..1 through the current breath
    double tone_phase_ = 0.0;       // radians of the fundamental
    bool waiting_ = false;          // turned on mid-breath: silent until the next one
    std::vector<double> chimes_s_;  // how long each sounding chime has rung
};

}  // namespace relaxmon::dsp
