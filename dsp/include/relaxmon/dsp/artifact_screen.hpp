#pragma once
// ArtifactScreen: causal, per-beat screening of RR intervals, in the manner of Kubios' threshold
// correction (Tarvainen et al. 2014, Comput Methods Programs Biomed 113:210-220): an interval
// that differs from the local median of the preceding accepted intervals by more than a
// threshold is an artifact and is replaced by that median. The threshold is given for 60 bpm and
// scaled with the current mean RR, as Kubios does (medium = 250 ms). An interval close to twice
// the median is a missed beat (the strap merged two intervals) and is replaced by half its length.
// Beats that follow a dropout are classed `gap`.
// A steady rhythm makes 250 ms coarse: a premature (ectopic) beat 15-25% early slips under it and
// swings RMSSD for a minute. So, causally after Lipponen & Tarvainen 2019 (J Med Eng Technol
// 43:173-181), the deviation from the median, doubled when short, is also compared with 3 x 5.2
// quartile deviations of the same quantity over the last 91 accepted beats (never below 10% of
// the median): an adaptive threshold that is tight in a steady rhythm and wide in one with strong
// respiratory sinus arrhythmia; the beat must also be 12% shorter than the one before (a sinus
// rhythm quickens by a few per cent a beat). A long interval right after a flagged short one
// that completes a full compensatory pause (the two together about twice the median) is flagged
// with it, and both stand in as the pair's mean: the two sinus cycles the pair spans (the
// corrected intervals keep the elapsed time; the local median alone would step away from a
// large RSA swing and add two large successive differences).
// A premature beat that slipped through (on the trough of a large RSA swing) is unmasked by its
// pause: a sharp fall to under the median, a sharp rise, the pair adding up to two cycles; the
// pause is flagged and reports the beat before premature after the fact (`previous_premature`);
// both again stand in as the pair's mean.
// A beat beyond the threshold that glides from an accepted one (a small step, as a sinus rhythm
// moves under a slow deep breath) is kept: artifacts jump.
// This is the live first line of defence; the full classifier works on whole windows.
#include <cstddef>
#include <deque>
#include <optional>
#include <string_view>

namespace relaxmon::dsp {

enum class ArtifactClass { none, missed, extra, ectopic, longer, shorter, gap };

// The names used in beats.csv (`long`/`short` are C++ keywords-adjacent, hence longer/shorter).
std::string_view artifact_name(ArtifactClass c);

struct ScreenedBeat {
    ArtifactClass artifact = ArtifactClass::none;
    double rr_corrected_ms = 0.0;
    // The beat before, passed as sinus, was premature: this one is its compensatory pause.
    bool previous_premature = false;
    // This beat completes a premature beat's cycle (flagged before, or known only now): both
    // stand in as the pair's mean, this one and the one before (amend what it was given as),
    // which keeps the pair's elapsed time and adds no spike of successive differences.
    std::optional<double> previous_corrected_ms = std::nullopt;
};

class ArtifactScreen {
  public:
    struct Params {
        double threshold_ms_at_60bpm = 250.0;  // Kubios "medium"
        std::size_t median_beats = 11;         // local reference length
        double min_rr_ms = 250.0;              // 240 bpm: shorter is never a heartbeat interval
        double max_rr_ms = 2500.0;             // 24 bpm
        std::size_t relearn_after = 8;         // consecutive rejections that mean the rhythm moved
        double adaptive_alpha = 5.2 * 3.0;     // Lipponen & Tarvainen: Th2 = 5.2 QD, |nmRR| > 3
        std::size_t adaptive_beats = 91;       // their window
        double adaptive_floor = 0.10;          // times the median, as in detect_artifacts_auto
        double premature_drop = 0.12;          // ... and this much shorter than the beat before
        // Or a drop from the beat before beyond 5.2 quartile deviations of the successive
        // differences (Lipponen & Tarvainen's Th1 on dRR) and `sudden_drop` of the median, with
        // the beat `adaptive_floor` under the median: under a large RSA swing the deviations
        // from the median are wide, but the beat-to-beat steps of a sinus rhythm stay small.
        double drop_alpha = 5.2;
        double sudden_drop = 0.2;
        // A pause after a premature beat completes its cycle when the two add up to twice the
        // median within this fraction of it (the sinus cycles under them swing with RSA).
        double compensation_tolerance = 0.3;
        // Beyond the threshold, a beat is still sinus while it glides: within this fraction of
        // the median from the accepted beat before, and no further than `max_glide` from the
        // median (the large, smooth RSA swings of slow deep breathing).
        double glide_step = 0.2, max_glide = 0.8;
    };

    ArtifactScreen() : ArtifactScreen(Params{}) {}
    explicit ArtifactScreen(Params p) : p_(p) {}

    ScreenedBeat push(double rr_ms, bool follows_gap);

  private:
    double median() const;
    void accept(double rr_ms, double ref_ms, bool follows_accepted);
    void unaccept_last(double replacement_ms);
    // The adaptive threshold on the weighted deviation, once enough beats are in.
    double adaptive_threshold_ms(double ref_ms) const;
    // The drop from the beat before that marks a premature beat, by the successive differences.
    double sudden_drop_threshold_ms(double ref_ms) const;

    Params p_;
    std::deque<double> recent_;            // accepted (or corrected) intervals, newest last
    std::deque<double> rejected_;          // consecutive rejected raw intervals
    std::deque<double> weighted_dev_;      // |RR - median| of accepted beats, doubled when short
    std::deque<double> successive_diffs_;  // between consecutive accepted beats
    bool previous_accepted_ = false;
    bool previous_looked_premature_ = false;
    bool last_accept_added_diff_ = false,
         last_accept_added_dev_ = false;  // accepted, but fell sharply to under the median
    bool last_was_short_ = false;         // the previous beat was flagged premature
    double last_rr_ms_ = 0.0;
};

}  // namespace relaxmon::dsp
