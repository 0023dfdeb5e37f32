#include "session/beat_front.hpp"

#include <stdexcept>

namespace relaxmon::session {

namespace {
// Beat times follow the strap's own RR sequence, so consecutive beats are exactly one interval
// apart unless beats were lost in between; allow for timestamp rounding and anchoring jitter.
constexpr double kLostBeatsTolerance_ms = 500.0;
}  // namespace

bool BeatFront::on_status(const devices::DeviceStatus& status) {
    const bool opens_gap = !status.connected || (status.contact && !*status.contact);
    if (opens_gap) gap_pending_ = true;
    return opens_gap;
}

FrontStep BeatFront::step(const devices::RrBeat& beat) {
    FrontStep s;
    s.t_s = beat.t_s;
    s.follows_gap =
        gap_pending_ || (beat.flags & (devices::RrBeat::kNoContact | devices::RrBeat::kAfterGap));
    if (last_beat_t_s_ &&
        (beat.t_s - *last_beat_t_s_) * 1000.0 - beat.rr_ms > kLostBeatsTolerance_ms)
        s.follows_gap = true;
    // The very first beat has no predecessor: nothing to compare, but no gap either.
    if (!last_beat_t_s_) s.follows_gap = false;
    gap_pending_ = false;
    s.screened = screen_.push(beat.rr_ms, s.follows_gap);
    s.dt_s = last_beat_t_s_ ? beat.t_s - *last_beat_t_s_ : beat.rr_ms / 1000.0;
    last_beat_t_s_ = beat.t_s;
    // A premature beat's pause: every metric takes the pair as two of its mean, so no spike of
    // successive differences swings RMSSD or the spectra (beats.csv keeps the earlier row as it
    // was written, flagged when it was known then; this row is flagged too).
    if (s.screened.previous_corrected_ms && last_pushed_rr_ms_) {
        s.amend_previous_ms = s.screened.previous_corrected_ms;
        s.amended_by_ms = *s.screened.previous_corrected_ms - *last_pushed_rr_ms_;
    }
    last_pushed_rr_ms_.reset();
    if (s.pushed()) last_pushed_rr_ms_ = s.screened.rr_corrected_ms;
    return s;
}

const FrontStep& BeatFront::replay(const FrontStep& s, const devices::RrBeat& beat) {
    if (s.t_s != beat.t_s)
        throw std::logic_error("relaxation pass: its precomputed steps are another record's");
    gap_pending_ = false;
    last_beat_t_s_ = beat.t_s;
    last_pushed_rr_ms_ = s.pushed() ? std::optional(s.screened.rr_corrected_ms) : std::nullopt;
    return s;
}

}  // namespace relaxmon::session
