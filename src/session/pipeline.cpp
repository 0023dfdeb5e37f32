#include "session/pipeline.hpp"

#include "relaxmon/dsp/hrv_time.hpp"

namespace relaxmon::session {

namespace {
// Beat times follow the strap's own RR sequence, so consecutive beats are exactly one interval
// apart unless beats were lost in between; allow for timestamp rounding and anchoring jitter.
constexpr double kLostBeatsTolerance_ms = 500.0;
constexpr double kRecentHrWindow_s = 8.0;
}  // namespace

namespace {
dsp::SlidingHrv::Params sliding_params(double window_s) {
    dsp::SlidingHrv::Params p;
    p.time_window_s = window_s;
    return p;
}
}  // namespace

Pipeline::Pipeline(double window_s)
    : sliding_(sliding_params(window_s)), recent_(kRecentHrWindow_s, 3) {}

bool Pipeline::on_status(const devices::DeviceStatus& status) {
    const bool opens_gap = !status.connected || (status.contact && !*status.contact);
    if (opens_gap) gap_pending_ = true;
    return opens_gap;
}

ProcessedBeat Pipeline::on_beat(const devices::RrBeat& beat) {
    bool follows_gap = gap_pending_ || (beat.flags & devices::RrBeat::kNoContact);
    if (last_beat_t_s_ &&
        (beat.t_s - *last_beat_t_s_) * 1000.0 - beat.rr_ms > kLostBeatsTolerance_ms)
        follows_gap = true;
    // The very first beat has no predecessor: nothing to compare, but no gap either.
    if (!last_beat_t_s_) follows_gap = false;
    gap_pending_ = false;
    last_beat_t_s_ = beat.t_s;

    const dsp::ScreenedBeat screened = screen_.push(beat.rr_ms, follows_gap);
    ProcessedBeat out{beat.t_s, beat.rr_ms, dsp::hr_from_rr_bpm(beat.rr_ms), screened.artifact,
                      screened.rr_corrected_ms};
    if (out.rr_corrected_ms > 0.0) {
        sliding_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
        recent_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
    }
    return out;
}

}  // namespace relaxmon::session
