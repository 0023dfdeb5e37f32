#pragma once
// RelaxationDetector: the relaxation response, measured against the person's own baseline.
//
// Features (from the session pipeline): 20-s heart rate, ln RMSSD over 40 s (from the median
// squared difference, so an ectopic beat the live screen missed cannot swing it), the breathing
// rate over 64 s and ln of the power of the respiratory (RSA) peak over 2 minutes. The respiratory
// peak is followed wherever it lies, because slow relaxed breathing (6-8/min) moves respiratory
// sinus arrhythmia out of the HF band into LF, where a fixed-band "ln HF" would wrongly fall (Task
// Force 1996 warns of this). Baseline: the first 3 minutes after a 30-s settle, or a stretch the
// user marks; per feature the median, and as scale 1.4826 MAD with a physiological floor (2 bpm,
// ln 1.15 for RMSSD, ln 1.3 for RSA power, 1 breath/min) so a very steady baseline does not make
// every wiggle count. Score S: the weighted mean of the features' robust z-scores, signed so that
// relaxation is positive (HR and breathing falling, RMSSD and RSA power rising), each clipped to
// +-4. relax_index = 50 + 50 tanh(S / 2.5): 50 at baseline, towards 100 as relaxation deepens.
// The onset is judged on S pulled halfway towards the least relaxed feature: the relaxation
// response moves all features together, while a slow drift of heart rate alone (1/f variability)
// must not count. On 100 simulated hours of rest this cuts false onsets five-fold, and lets the
// onset threshold be lower, so detection is also faster.
// Decisions are sequential evidence, not threshold crossings: a one-sided CUSUM of (S - k) over
// time (Page 1954) must accumulate h z-seconds before `relaxation_onset`; another on (k_end - S)
// ends it; a third on (-S - k) marks arousal. States: baseline -> neutral / relaxing / relaxed /
// aroused. Beats whose 60-s window holds a gap or over 5% artifacts move nothing.
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace relaxmon::dsp {

enum class RelaxState { baseline, neutral, relaxing, relaxed, aroused };
std::string_view relax_state_name(RelaxState s);

struct RelaxFeatures {
    double t_s = 0.0;
    double dt_s = 1.0;  // time since the previous beat
    std::optional<double> hr_bpm, rmssd_ms, resp_rate_bpm, rsa_power_ms2;
    std::optional<double> rmssd_report_ms;  // the usual RMSSD, for the summary only
    bool usable = true;                     // false across gaps and artifact bursts
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
    Phase baseline, relaxed;
    std::optional<double> onset_s;          // first relaxation onset
    std::optional<double> time_to_onset_s;  // from the end of the baseline
    double time_relaxed_s = 0.0;
};

class RelaxationDetector {
  public:
    struct Params {
        double settle_s = 30.0, baseline_s = 180.0;
        double hr_floor_bpm = 2.0, ln_rmssd_floor = 0.14, ln_rsa_floor = 0.26, resp_floor_bpm = 1.0;
        double w_hr = 0.3, w_rmssd = 0.3, w_rsa = 0.15, w_resp = 0.25;
        // The score leans this far towards the least relaxed feature (see above).
        double concordance = 0.5;
        double k_up = 0.6, h_up = 8.0;       // onset: S above 0.6 accumulating 8 z-s
        double k_end = 0.4, h_end = 60.0;    // end: S below 0.4 accumulating 60 z-s
        double k_down = 1.0, h_down = 40.0;  // arousal
        double max_dt_s = 2.0;
    };
    struct Output {
        std::optional<double> relax_index;  // nullopt during the baseline
        std::optional<double> score;
        RelaxState state = RelaxState::baseline;
        std::optional<RelaxEvent> event;
    };

    RelaxationDetector() : RelaxationDetector(Params{}) {}
    explicit RelaxationDetector(Params p) : p_(p) {}

    Output push(const RelaxFeatures& f);
    // Takes [from_s, to_s] as the baseline (e.g. the minutes before a "massage start" marker) and
    // starts the judgement afresh from now.
    void set_baseline(double from_s, double to_s);
    RelaxSummary summary() const;
    // The baseline's RMSSD (the usual one, ms): median, and the band of one robust scale unit
    // around it that the score treats as "no change". nullopt until a baseline is learnt.
    struct Band {
        double lo, mid, hi;
    };
    std::optional<Band> rmssd_baseline_band() const;
    // The same for ln of the respiratory-peak power (ln ms^2): median and +-1 robust SD.
    std::optional<Band> ln_rsa_baseline_band() const;
    RelaxState state() const { return state_; }
    std::optional<double> first_onset_s() const { return first_onset_s_; }

  private:
    struct Stat {
        double median = 0.0, scale = 1.0;
        bool valid = false;
    };
    bool learn_baseline(double from_s, double to_s);
    struct Score {
        double mean;        // weighted mean of the z-scores: the relax index, arousal, the end
        double concordant;  // pulled towards the least relaxed feature: the onset
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
    Stat hr_, ln_rmssd_, ln_rsa_, resp_;
    RelaxState state_ = RelaxState::baseline;
    double c_up_ = 0.0, c_end_ = 0.0, c_down_ = 0.0, c_recover_ = 0.0;
    double last_index_ = 50.0;
    std::optional<double> first_onset_s_, relaxed_since_s_;
    double time_relaxed_s_ = 0.0;
    std::vector<std::pair<double, double>> relaxed_spans_;
};

}  // namespace relaxmon::dsp
