#pragma once
// ArtifactScreen: causal, per-beat screening of RR intervals, in the manner of Kubios' threshold
// correction (Tarvainen et al. 2014, Comput Methods Programs Biomed 113:210-220): an interval
// that differs from the local median of the preceding accepted intervals by more than a
// threshold is an artifact and is replaced by that median. The threshold is given for 60 bpm and
// scaled with the current mean RR, as Kubios does (medium = 250 ms). An interval close to twice
// the median is a missed beat (the strap merged two intervals) and is replaced by half its length.
// Beats that follow a dropout are classed `gap`. This is the live first line of defence; the full
// Lipponen & Tarvainen (2019) classifier works on whole windows.
#include <cstddef>
#include <deque>
#include <string_view>

namespace relaxmon::dsp {

enum class ArtifactClass { none, missed, extra, ectopic, longer, shorter, gap };

// The names used in beats.csv (`long`/`short` are C++ keywords-adjacent, hence longer/shorter).
std::string_view artifact_name(ArtifactClass c);

struct ScreenedBeat {
    ArtifactClass artifact = ArtifactClass::none;
    double rr_corrected_ms = 0.0;
};

class ArtifactScreen {
  public:
    struct Params {
        double threshold_ms_at_60bpm = 250.0;  // Kubios "medium"
        std::size_t median_beats = 11;         // local reference length
        double min_rr_ms = 250.0;              // 240 bpm: shorter is never a heartbeat interval
        double max_rr_ms = 2500.0;             // 24 bpm
        std::size_t relearn_after = 8;         // consecutive rejections that mean the rhythm moved
    };

    ArtifactScreen() : ArtifactScreen(Params{}) {}
    explicit ArtifactScreen(Params p) : p_(p) {}

    ScreenedBeat push(double rr_ms, bool follows_gap);

  private:
    double median() const;
    void accept(double rr_ms);

    Params p_;
    std::deque<double> recent_;    // accepted (or corrected) intervals, newest last
    std::deque<double> rejected_;  // consecutive rejected raw intervals
};

}  // namespace relaxmon::dsp
