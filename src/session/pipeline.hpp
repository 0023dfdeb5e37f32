#pragma once
// Pipeline: what happens to each beat on the session thread. A beat is screened for artifacts
// (dsp::ArtifactScreen), marked `gap` when it follows a dropout or contact loss, and its corrected
// interval feeds the live HRV (dsp::SlidingHrv: 60-s time domain, 5-min spectrum) and the
// relaxation detector, which holds still while the last minute holds a gap or over 10% artifacts (a
// burst: bigeminy flags half the beats; two ectopic beats a minute, already corrected, do not
// count). Pure of I/O: the session hands the result to the recorder and the snapshot.
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "relaxmon/devices/measurement.hpp"
#include "relaxmon/dsp/acc_respiration.hpp"
#include "relaxmon/dsp/artifact_screen.hpp"
#include "relaxmon/dsp/posture.hpp"
#include "relaxmon/dsp/posture_reference.hpp"
#include "relaxmon/dsp/relaxation_detector.hpp"
#include "relaxmon/dsp/rolling_hrv.hpp"
#include "relaxmon/dsp/rsa_breaths.hpp"
#include "relaxmon/dsp/sliding_hrv.hpp"
#include "session/beat_front.hpp"

namespace relaxmon::session {

struct ProcessedBeat {
    double t_s = 0.0;
    double rr_ms = 0.0;   // as received
    double hr_bpm = 0.0;  // instantaneous, from rr_ms
    dsp::ArtifactClass artifact = dsp::ArtifactClass::none;
    double rr_corrected_ms = 0.0;
    // Posture and movement events the chest's samples up to this beat brought (for events.csv).
    std::vector<dsp::PostureEvent> posture_events;
};

class Pipeline {
  public:
    // What the spectra are for. A screen: every 5 s, with the 64-s one (coherence and the
    // breathing rate it confirms). A recording: the same metrics.csv numbers, without the 64-s
    // one. An analysis (`analyze`'s relaxation pass): only events and the summary, so each
    // spectrum as it changes (SlidingHrv's defaults), at a sixth of the cost.
    enum class Use { screen, recording, analysis };
    explicit Pipeline(double window_s = 60.0, Use use = Use::screen);

    ProcessedBeat on_beat(const devices::RrBeat& beat);
    // Chest acceleration (Polar H10 ?acc=1): once it streams, breathing comes from it, and
    // posture and movement. Beats during a movement and for kAfterMovement_s after it are no
    // evidence for the detector.
    // Samples wait until a beat kAccLag_s after them takes them in (its ProcessedBeat returns
    // the events they brought), or until kAccHeld_s of newer samples came without a beat (a
    // long contact loss: those events are returned here; a beat the ECG's detector gives late
    // comes well within it). So each beat is judged on the same samples however the blocks were
    // cut: live from the strap, or replayed from acc.csv.
    std::vector<dsp::PostureEvent> on_acc(const devices::AccBlock& block);
    static constexpr double kAccLag_s = 1.0, kAccHeld_s = 60.0;
    std::optional<dsp::Posture> posture() const { return posture_.posture(); }
    bool moving() const { return posture_.moving(); }
    static constexpr double kAfterMovement_s = 15.0;
    // The breathing rate to record: from chest movement when acceleration streams and its
    // peak is clear, otherwise from the RSA peak of the last 5 minutes (nullopt while no peak
    // is clear).
    std::optional<double> resp_rate_bpm() const;
    // Breathing as the dashboard shows it, breath by breath: from the chest when the strap
    // streams acceleration and the chest is sure, else from RSA when that is; whether it is
    // known to a third of a breath a minute (the dashboard dims it otherwise), and from where.
    struct Breathing {
        std::optional<double> rate_bpm;
        bool confident = false;
        bool from_chest = false;
    };
    Breathing breathing() const;
    std::optional<double> breath_rate_bpm() const { return breathing().rate_bpm; }
    // No interval may span what happened now (the computer slept): the next beat follows a gap.
    void mark_gap() { front_.mark_gap(); }
    // A replay jumping to t_s: the spectra only a screen reads wait for it (SlidingHrv).
    void catch_up_until(double t_s) { sliding_.catch_up_until(t_s); }
    // Returns true when the status opens a gap (disconnect or contact loss).
    bool on_status(const devices::DeviceStatus& status);

    const dsp::SlidingHrv::Values& metrics() const { return sliding_.values(); }
    // Heart rate over the last few beats, for the big number on the dashboard.
    std::optional<double> recent_hr_bpm() const { return recent_.values().mean_hr_bpm; }
    double window_s() const { return sliding_.params().time_window_s; }
    // The relaxation detector's verdict after the last beat.
    const dsp::RelaxationDetector::Output& relax() const { return relax_out_; }
    // The features the detector judged the last beat on.
    const dsp::RelaxFeatures& relax_features() const { return features_; }
    dsp::RelaxationDetector& detector() { return detector_; }
    const dsp::RelaxationDetector& detector() const { return detector_; }

    // A baseline set by hand: [to_s - 3 min, to_s], refused (the reason returned) when less
    // than 2 minutes of it are usable. It can be taken back within 30 minutes: the detector as
    // it was then judges again every beat since.
    // `check`: false for a marker replayed from a recording (it was accepted when it was set).
    std::optional<std::string> set_baseline(double to_s, bool check = true);
    bool undo_baseline();
    bool can_undo_baseline() const { return before_baseline_.has_value(); }
    static constexpr double kMarkedBaseline_s = 180.0, kMinBaseline_s = 120.0, kUndoFor_s = 1800.0;

    // The two costly streams of a pass over known beats (analyze), each worked out from the
    // same steps (BeatFront, run once beforehand) on a thread of its own: the 2-min spectra and
    // the breath count's values after each beat it takes. A pipeline given them reads them, and
    // the steps, instead of working them out, with the same results (the cli's test: every core
    // against --jobs 1, byte for byte).
    struct Streams {
        std::vector<FrontStep> steps;  // one per beat, in order
        std::vector<dsp::SlidingHrv::ShortSpectrum> short_spectra;
        std::vector<dsp::RsaBreaths::Values> breaths;
    };
    static std::vector<dsp::SlidingHrv::ShortSpectrum> short_spectra_of(
        std::span<const FrontStep> steps, double window_s, Use use);
    static std::vector<dsp::RsaBreaths::Values> breaths_of(std::span<const FrontStep> steps);
    // Before the first beat; `streams` must outlive the pipeline's use of it.
    void use_streams(const Streams* streams);

  private:
    BeatFront front_;
    dsp::SlidingHrv sliding_;
    dsp::RollingHrv recent_;
    dsp::RollingHrv hr_10s_;   // the detector's heart rate: a sixth of the 60-s window's lag
    dsp::RsaBreaths breaths_;  // the detector's breathing rate and RSA, breath by breath
    dsp::RelaxationDetector detector_;
    dsp::RelaxationDetector::Output relax_out_;
    std::optional<dsp::RelaxationDetector> before_baseline_;  // for undo_baseline()
    std::vector<dsp::RelaxFeatures> since_baseline_;          // ... and what it missed
    dsp::RelaxFeatures features_;
    dsp::AccRespiration acc_resp_;
    dsp::PostureTracker posture_;
    dsp::PostureReference posture_reference_;
    bool acc_seen_ = false;
    double acc_t_s_ = 0.0;                       // end of the last sample taken in
    std::deque<devices::AccBlock> acc_waiting_;  // received, not yet taken in
    // Takes in the waiting samples before until_s; returns their events.
    std::vector<dsp::PostureEvent> take_acc(double until_s);
    std::optional<double> chest_resp_rate_bpm() const;
    struct Recent {
        double t_s;
        bool artifact, gap;
        double diff_sq;  // squared successive difference of corrected RR (NaN across a gap)
    };
    std::optional<double> robust_rmssd_ms() const;
    std::deque<Recent> last_minute_;  // for the detector's "usable" rule
    // The squared differences of the last 30 s (the robust RMSSD's), kept sorted as beats come
    // and go: its median without sorting each beat. `robust_first_`: the first entry of
    // last_minute_ in those 30 s, counted from the first beat ever (`popped_` have left).
    std::vector<double> robust_sorted_;
    std::size_t robust_first_ = 0, popped_ = 0;
    void robust_insert(double diff_sq);
    void robust_erase(double diff_sq);
    std::optional<double> last_clean_rr_ms_;  // the previous beat, when it was a true one
    const Streams* streams_ = nullptr;
    std::size_t steps_taken_ = 0, breath_pushes_ = 0;  // with streams_
    static void push_breaths(dsp::RsaBreaths& breaths, const FrontStep& s);
    const dsp::RsaBreaths::Values& breath_values() const;
};

}  // namespace relaxmon::session
