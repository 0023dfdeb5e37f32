#pragma once
// RelaxationDetector: the relaxation response, measured against the person's own baseline.
//
// Evidence (from the session pipeline), chosen to follow the body within a breath or two: 10-s
// heart rate, ln RMSSD over 30 s (from the median squared difference, so an ectopic beat the live
// screen missed cannot swing it), and breath by breath (RsaBreaths, the counting method of Schafer
// & Kratky 2008) the breathing rate and ln of the peak-to-trough RSA amplitude over the last ~15 s
// (the chest strap's accelerometer gives the breathing rate when it streams). Spectral features
// need 1-2 minute windows, which lag a response that unfolds over 2-5 minutes by half their
// length; they stay in metrics.csv and in the summary (ln HF power at the respiratory peak).
// Baseline: the first 3 minutes after a 30-s settle, or a stretch the user marks; per feature the
// median, and as scale 1.4826 MAD with a floor: how far real resting bodies wander from their own
// 3-min baseline over the next half hour (3 bpm, ln 1.28 for RMSSD and the RSA amplitude, 1.8
// breaths/min), so a steady baseline does not make every wiggle count. Score S: the weighted mean
// of the features' robust z-scores, signed so that relaxation is positive (HR and breathing
// falling, RMSSD and RSA rising), each clipped to +-4; breathing and the RSA amplitude weigh most,
// as they move first and are steadiest at rest. relax_index = 50 + 50 tanh(S30 / 4.5), S30 the
// same score with the z-scores clipped at +-8 instead (clipped at 4 every full relaxation read
// 86-90 against a ceiling of 91), smoothed over ~30 s (exponentially): 50 at baseline, towards 100
// as relaxation deepens, a
// trend rather than each breath's noise; its +- is the standard error of the weighted mean of the
// features' z-scores (their spread / sqrt(features)), smoothed alike and carried through the same
// curve. The onset is judged on S pulled two thirds of the way towards the least relaxed feature,
// and never above the heart rate's own z: the relaxation response moves all features together,
// while a slow drift of heart rate alone (1/f variability) or of breathing alone (talking, a sigh;
// slower breathing swings RR more by itself) must not count. Decisions are sequential evidence, not
// threshold crossings: a one-sided CUSUM of (S - k) over time (Page 1954) must accumulate h
// z-seconds, while S has held above 0.25 (a CUSUM of S - 0.25 above zero) for 25 s, before
// `relaxation_onset`: real 24-hour records hold concordant episodes of 20-30 s (a deep breath, a
// pause in effort) that are not a relaxation response, and real recoveries after effort that the
// concordance keeps out (see docs/validation.md). Another CUSUM on (k_end - S) ends it; a third on
// (-S - k) marks arousal. States: baseline -> neutral / relaxing / relaxed / aroused. Beats whose
// 60-s window holds a gap or over 10% artifacts move nothing.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relaxmon::dsp {

enum class RelaxState { baseline, neutral, relaxing, relaxed, aroused };
std::string_view relax_state_name(RelaxState s);

struct RelaxFeatures {
    double t_s = 0.0;
    double dt_s = 1.0;  // time since the previous beat
    // The evidence.
    std::optional<double> hr_bpm, rmssd_ms, resp_rate_bpm, rsa_amplitude_ms;
    // For the summary and the dashboard only: the usual RMSSD, and the power of the respiratory
    // peak (ln HF power where breathing lies in the HF band).
    std::optional<double> rmssd_report_ms, rsa_power_ms2;
    bool usable = true;  // false across gaps and artifact bursts
};

struct RelaxEvent {
    double t_s;
    std::string kind;  // relaxation_onset | relaxation_end
    std::string label;
};

struct RelaxSummary {
    struct Phase {
        std::optional<double> hr_bpm, rmssd_ms, resp_rate_bpm, rsa_power_ms2;
    };
    std::optional<double> baseline_from_s, baseline_to_s;
    // Which baseline: "marked" (the minutes before a "massage start" marker), "lying_still" (the
    // first 3 minutes the chest says the client lay still), "first_minutes" (after a 30-s settle,
    // with no chest data).
    std::string baseline_kind = "first_minutes";
    Phase baseline, relaxed;
    std::optional<double> onset_s;          // first relaxation onset
    std::optional<double> time_to_onset_s;  // from the end of the baseline
    double time_relaxed_s = 0.0;
};

class RelaxationDetector {
  public:
    struct Params {
        double settle_s = 30.0, baseline_s = 180.0;
        // Power scales with the amplitude squared: the RSA amplitude's floor is half that of the
        // RSA power (ln 1.3), which scales the dashboard's band.
        // Floors: how far a later minute wanders from a 3-min baseline in real rest (N1-N2,
        // I1-I3 asleep, docs/validation.md: median deviations of 1.7 bpm, ln 0.19 of RMSSD and
        // of the RSA amplitude, 1.2 breaths/min), taken as SDs (median / 0.6745).
        double hr_floor_bpm = 3.0, ln_rmssd_floor = 0.25, ln_rsa_amplitude_floor = 0.25,
               ln_rsa_power_floor = 0.5, resp_floor_bpm = 1.8;
        // The vagal evidence is mostly the breath-by-breath RSA amplitude: RMSSD over 30 s says
        // much the same, later and noisier.
        double w_hr = 0.15, w_rmssd = 0.15, w_rsa = 0.35, w_resp = 0.3;
        // The score leans this far towards the least relaxed feature (see above).
        double concordance = 0.65;
        double k_up = 0.5, h_up = 8.0;  // onset: S above 0.5 accumulating 8 z-s ...
        double sustain_s = 25.0;        // ... while a CUSUM of (S - 0.25) stayed above 0 for 25 s
        double k_sustain = 0.25;
        double k_end = 0.4, h_end = 60.0;    // end: S below 0.4 accumulating 60 z-s
        double k_down = 0.8, h_down = 40.0;  // arousal
        // Heart rate anchors the relaxation response (Benson et al. 1974): slow breathing and a
        // big RSA swing cannot make a racing heart read calm.
        double hr_score_margin = 2.0;  // the score is at most the heart rate's z plus this
        // The onset's score is at most the heart rate's z plus this: without a falling heart
        // rate, slower breathing and the bigger RSA swing it brings are no relaxation response.
        double onset_hr_margin = 0.0;
        double hr_arousal_bpm = 10.0, hr_arousal_s = 30.0;  // this far above baseline, this long
        double hr_recovered_bpm = 5.0;                      // ... until back below this
        // Over the last 5 minutes, heart rate this far above baseline with ln RMSSD below it
        // contradicts relaxation: no `relaxed` then.
        double contradiction_window_s = 300.0, contradiction_hr_bpm = 3.0;
        // An onset needs the last minute's heart rate no higher than this above baseline.
        double onset_window_s = 60.0, onset_max_hr_rise_bpm = 1.0;
        // The relax index: smoothing and curve, and how far each z-score may reach in it (the
        // decisions clip at 4; the index has room above, so a deeper relaxation reads higher:
        // 4 all round reads 86, 6 reads 93.5, 8 reads 97).
        double index_tau_s = 30.0, index_scale = 4.5, index_clip_z = 8.0;
        double max_dt_s = 2.0;
    };
    struct Output {
        std::optional<double> relax_index;     // nullopt during the baseline
        std::optional<double> relax_index_pm;  // its uncertainty, index points
        std::optional<double> score;
        RelaxState state = RelaxState::baseline;
        std::optional<RelaxEvent> event;
    };

    RelaxationDetector() : RelaxationDetector(Params{}) {}
    explicit RelaxationDetector(Params p) : p_(p) {}

    Output push(const RelaxFeatures& f);
    // Takes [from_s, to_s] as the baseline (e.g. the minutes before a "massage start" marker) and
    // starts the judgement afresh from now. False (the old baseline kept) when too little usable
    // data lies there.
    bool set_baseline(double from_s, double to_s);
    // Hands-free: until the baseline is learnt, it may not begin before t_s (the client is
    // moving, or not lying down yet): the first 3 minutes lying still make it.
    void hold_auto_baseline_until(double t_s);
    // The client turned over: the new posture's own levels become the reference (heart rate
    // sits a few bpm apart face-down and face-up, RMSSD and the RSA swing with it), the state
    // and the evidence gathered so far kept. `shift`: new minus old level, measured around the
    // turn; it moves the baseline's medians, and the heart's recent samples before
    // `turn_s`, so turning over neither ends a relaxation nor reads as arousal.
    struct Shift {
        double hr_bpm = 0.0, ln_rmssd = 0.0, ln_rsa_amplitude = 0.0;
    };
    void rereference(const Shift& shift, double turn_s);
    RelaxSummary summary() const;
    // The baseline's RMSSD (the usual one, ms): median, and the band of one robust scale unit
    // around it that the score treats as "no change". nullopt until a baseline is learnt.
    struct Band {
        double lo, mid, hi;
    };
    std::optional<Band> rmssd_baseline_band() const;
    // The same for ln of the respiratory-peak power (ln ms^2): median and +-1 robust SD.
    std::optional<Band> ln_rsa_baseline_band() const;
    // Seconds of usable evidence (no gap, few artifacts) in [from_s, to_s]: whether a stretch
    // can be a baseline.
    double usable_span_s(double from_s, double to_s) const;
    bool baseline_ready() const { return baseline_ready_; }
    // The baseline in use: [from_s, to_s] (nullopt while it is learnt).
    std::optional<std::pair<double, double>> baseline_span_s() const {
        if (!baseline_ready_ || !baseline_from_s_ || !baseline_to_s_) return std::nullopt;
        return std::pair{*baseline_from_s_, *baseline_to_s_};
    }
    RelaxState state() const { return state_; }
    std::optional<double> first_onset_s() const { return first_onset_s_; }

  private:
    struct Stat {
        double median = 0.0, scale = 1.0;
        bool valid = false;
    };
    bool learn_baseline(double from_s, double to_s);
    struct Score {
        double mean;            // weighted mean of the z-scores: arousal, the end
        double concordant;      // pulled towards the least relaxed feature: the onset
        double index_mean;      // `mean` with the z-scores clipped at index_clip_z: the index
        double standard_error;  // of `index_mean`: the z-scores' weighted spread / sqrt(features)
    };
    std::optional<Score> score(const RelaxFeatures& f) const;

    Params p_;
    // Memory stays bounded over hours: the features of the last 15 minutes (any baseline lies
    // within them), and for the summary the baseline phase's medians (taken when it is learnt)
    // and one sample of the relaxed phase every 5 s.
    std::deque<RelaxFeatures> recent_;
    double last_t_s_ = 0.0;
    RelaxSummary::Phase baseline_phase_;
    struct CompactSample {  // NaN where a feature was missing: 16 bytes a sample
        float hr_bpm, rmssd_ms, resp_rate_bpm, rsa_power_ms2;
    };
    std::vector<CompactSample> relaxed_samples_;
    std::optional<double> last_relaxed_sample_s_;
    std::optional<double> baseline_from_s_, baseline_to_s_;
    bool baseline_ready_ = false;
    std::optional<double> auto_from_s_;  // set by hold_auto_baseline_until
    std::string baseline_kind_ = "first_minutes";
    Stat hr_, ln_rmssd_, ln_rsa_amplitude_, resp_;
    Stat ln_rsa_power_;  // for the dashboard's band only
    RelaxState state_ = RelaxState::baseline;
    double c_up_ = 0.0, c_end_ = 0.0, c_down_ = 0.0, c_recover_ = 0.0;
    double c_sustain_ = 0.0;
    std::optional<double> evidence_since_s_;  // since when c_sustain_ has stayed above zero
    double last_index_ = 50.0;
    std::optional<double> last_index_pm_;
    std::optional<double> smoothed_score_;  // the index's ~30-s smoothing
    double smoothed_se_ = 0.0;
    // The heart's verdict: a sustained rise, and the 5-minute means (running sums).
    std::optional<double> hr_high_since_s_;
    bool hr_aroused_ = false;
    struct HeartSample {
        double t_s, hr_bpm, ln_rmssd;
    };
    std::deque<HeartSample> heart_window_;
    double heart_hr_sum_ = 0.0, heart_ln_rmssd_sum_ = 0.0;
    void push_heart(double t_s, double hr_bpm, double ln_rmssd);
    bool contradicted() const;
    double recent_mean_hr_bpm(double span_s) const;
    void update_index(const Score& sc, double dt_s);
    bool overrule(const RelaxFeatures& f, Output& out);
    std::optional<double> first_onset_s_, relaxed_since_s_;
    double time_relaxed_s_ = 0.0;
    std::vector<std::pair<double, double>> relaxed_spans_;
};

}  // namespace relaxmon::dsp
