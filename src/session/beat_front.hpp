#pragma once
// BeatFront: what a beat is before any metric sees it. It is marked `gap` when it follows a
// dropout, a contact loss or lost beats; screened for artifacts (dsp::ArtifactScreen); and when
// it completes a premature beat's cycle, the interval the metrics were given for the beat before
// is amended. Its steps are all the live metrics and the breath count are told, so `analyze` can
// run the costly ones on other threads from the same steps (Pipeline::Streams).
#include <optional>

#include "relaxmon/devices/measurement.hpp"
#include "relaxmon/dsp/artifact_screen.hpp"

namespace relaxmon::session {

struct FrontStep {
    double t_s = 0.0;
    bool follows_gap = false;
    double dt_s = 0.0;  // since the previous beat (its own interval for the first)
    dsp::ScreenedBeat screened;
    // The interval the metrics were given for the beat before, amended (a premature beat's
    // pair, both its mean), and by how much.
    std::optional<double> amend_previous_ms;
    double amended_by_ms = 0.0;
    // Whether the metrics take this beat (a corrected interval there is).
    bool pushed() const { return screened.rr_corrected_ms > 0.0; }
    bool artifact() const { return screened.artifact != dsp::ArtifactClass::none; }
};

class BeatFront {
  public:
    // Returns true when the status opens a gap (disconnect or contact loss).
    bool on_status(const devices::DeviceStatus& status);
    // No interval may span what happened now (the computer slept): the next beat follows a gap.
    void mark_gap() { gap_pending_ = true; }
    FrontStep step(const devices::RrBeat& beat);
    // The step another BeatFront made of this beat (Pipeline::Streams): taken as it is. Throws
    // std::logic_error when it is another beat's.
    const FrontStep& replay(const FrontStep& s, const devices::RrBeat& beat);
    const std::optional<double>& last_beat_t_s() const { return last_beat_t_s_; }

  private:
    dsp::ArtifactScreen screen_;
    std::optional<double> last_beat_t_s_;
    std::optional<double> last_pushed_rr_ms_;  // what the metrics were given for it
    bool gap_pending_ = false;
};

}  // namespace relaxmon::session
