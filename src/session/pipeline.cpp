#include "session/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "relaxmon/dsp/breathing_rate.hpp"
#include "relaxmon/dsp/hrv_time.hpp"

namespace relaxmon::session {

namespace {
// Beat times follow the strap's own RR sequence, so consecutive beats are exactly one interval
// apart unless beats were lost in between; allow for timestamp rounding and anchoring jitter.
constexpr double kLostBeatsTolerance_ms = 500.0;
constexpr double kRecentHrWindow_s = 8.0;
constexpr double kUsableWindow_s = 60.0;
constexpr double kDetectorRmssdWindow_s = 30.0;
constexpr double kMaxArtifactShare = 0.10;
}  // namespace

namespace {
dsp::SlidingHrv::Params sliding_params(double window_s, Pipeline::Use use) {
    dsp::SlidingHrv::Params p;
    p.time_window_s = window_s;
    switch (use) {
        case Pipeline::Use::screen:  // the breath count confirmed by spectra as fresh as come
            break;
        case Pipeline::Use::recording:  // the same numbers in the files, no coherence
            p.coherence_every_s = INFINITY;
            break;
        case Pipeline::Use::analysis:       // events and summary: the 2-min spectrum as it changes
            p.spectrum_every_s = INFINITY;  // the detector does not read the 5-min one
            p.short_every_s = 12.0;
            p.coherence_every_s = INFINITY;
            break;
    }
    return p;
}
}  // namespace

Pipeline::Pipeline(double window_s, Use use)
    : sliding_(sliding_params(window_s, use)), recent_(kRecentHrWindow_s, 3), hr_10s_(10.0) {}

bool Pipeline::on_status(const devices::DeviceStatus& status) {
    const bool opens_gap = !status.connected || (status.contact && !*status.contact);
    if (opens_gap) gap_pending_ = true;
    return opens_gap;
}

// RMSSD over the last 30 s from the median squared successive difference (scaled as for Gaussian
// differences, median(d^2) = 0.455 sigma^2): an ectopic beat the live screen let through would add
// two huge differences and swing the ordinary RMSSD for a minute; the median does not move. Only
// changes against the person's baseline matter to the detector, so the scale factor is immaterial.
std::optional<double> Pipeline::robust_rmssd_ms() const {
    std::vector<double> d;
    d.reserve(last_minute_.size());
    const double since = last_minute_.back().t_s - kDetectorRmssdWindow_s;
    for (const Recent& r : last_minute_)
        if (!std::isnan(r.diff_sq) && r.t_s > since) d.push_back(r.diff_sq);
    if (d.size() < 10) return std::nullopt;
    auto mid = d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2);
    std::nth_element(d.begin(), mid, d.end());
    return std::sqrt(*mid / 0.4549);
}

ProcessedBeat Pipeline::on_beat(const devices::RrBeat& beat) {
    bool follows_gap =
        gap_pending_ || (beat.flags & (devices::RrBeat::kNoContact | devices::RrBeat::kAfterGap));
    if (last_beat_t_s_ &&
        (beat.t_s - *last_beat_t_s_) * 1000.0 - beat.rr_ms > kLostBeatsTolerance_ms)
        follows_gap = true;
    // The very first beat has no predecessor: nothing to compare, but no gap either.
    if (!last_beat_t_s_) follows_gap = false;
    gap_pending_ = false;

    const dsp::ScreenedBeat screened = screen_.push(beat.rr_ms, follows_gap);
    ProcessedBeat out{beat.t_s, beat.rr_ms, dsp::hr_from_rr_bpm(beat.rr_ms), screened.artifact,
                      screened.rr_corrected_ms};
    const double dt_s = last_beat_t_s_ ? beat.t_s - *last_beat_t_s_ : beat.rr_ms / 1000.0;
    last_beat_t_s_ = beat.t_s;
    // A premature beat's pause: every metric takes the pair as two of its mean, so no spike of
    // successive differences swings RMSSD or the spectra (beats.csv keeps the earlier row as it
    // was written, flagged when it was known then; this row is flagged too).
    double amended_by_ms = 0.0;
    if (screened.previous_corrected_ms && last_pushed_rr_ms_) {
        sliding_.amend_last(*screened.previous_corrected_ms);
        recent_.amend_last(*screened.previous_corrected_ms);
        hr_10s_.amend_last(*screened.previous_corrected_ms);
        amended_by_ms = *screened.previous_corrected_ms - *last_pushed_rr_ms_;
    }
    last_pushed_rr_ms_.reset();
    if (out.rr_corrected_ms > 0.0) {
        sliding_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
        recent_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
        hr_10s_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
        last_pushed_rr_ms_ = out.rr_corrected_ms;
        // The breath count spreads a run of stand-ins over the time they span, and takes back a
        // beat it was given as true itself: it gets the pair's sum as it was first handed on.
        breaths_.push(beat.t_s, out.rr_corrected_ms + amended_by_ms, follows_gap,
                      out.artifact != dsp::ArtifactClass::none, screened.previous_premature);
    }

    // The detector judges a beat only when the minute behind it is clean.
    // Successive differences between true beats only: next to a stand-in (the local median for
    // a premature beat, the pair's mean for it and its pause) they are made up, near zero or
    // arbitrary, and a few of them pull the median of 30 s of differences about. (A premature
    // beat known only by its pause is taken back here and in the breath count; beats.csv keeps
    // it as it was written, the pause flagged.)
    double diff_sq = std::nan("");
    const bool true_after_gap =
        out.artifact == dsp::ArtifactClass::gap && out.rr_corrected_ms == beat.rr_ms;
    const bool clean =
        (out.artifact == dsp::ArtifactClass::none || true_after_gap) && out.rr_corrected_ms > 0.0;
    if (last_clean_rr_ms_ && !follows_gap && clean)
        diff_sq =
            (out.rr_corrected_ms - *last_clean_rr_ms_) * (out.rr_corrected_ms - *last_clean_rr_ms_);
    last_clean_rr_ms_ = clean ? std::optional<double>(out.rr_corrected_ms) : std::nullopt;
    if (screened.previous_premature && !last_minute_.empty()) {
        last_minute_.back().artifact = true;  // known by its pause: an artifact after all
        last_minute_.back().diff_sq = std::nan("");
    }
    last_minute_.push_back(
        {beat.t_s, out.artifact != dsp::ArtifactClass::none, follows_gap, diff_sq});
    while (last_minute_.front().t_s <= beat.t_s - kUsableWindow_s) last_minute_.pop_front();
    std::size_t artifacts = 0;
    bool gap = false;
    for (const Recent& r : last_minute_) {
        artifacts += r.artifact;
        gap |= r.gap;
    }
    const auto& v = sliding_.values();
    dsp::RelaxFeatures f;
    f.t_s = beat.t_s;
    f.dt_s = dt_s;
    f.hr_bpm = hr_10s_.values().mean_hr_bpm;
    f.rmssd_ms = robust_rmssd_ms();
    f.rmssd_report_ms = v.time.rmssd_ms;
    // The detector weighs breathing against its own baseline spread: it takes the last 15 s of
    // breaths whether or not their rate is sure (from the chest when acceleration streams).
    f.resp_rate_bpm = acc_seen_ ? breath_rate_bpm() : breaths_.values().recent_rate_bpm;
    f.rsa_amplitude_ms = breaths_.values().rsa_amplitude_ms;
    f.rsa_power_ms2 = v.rsa_power_ms2;
    // A body moving (turning over, adjusting) and the seconds after it: its heart rate is the
    // effort's, not the autonomic state's.
    const bool settled = !acc_seen_ || (!posture_.moving() && posture_.still_since_s() &&
                                        beat.t_s - *posture_.still_since_s() >= kAfterMovement_s);
    // Hands-free baseline: it begins once the client lies still (not while getting onto the
    // table, turning, or sitting up).
    if (acc_seen_) {
        const auto p = posture_.posture();
        const bool lying = p && *p != dsp::Posture::upright;
        if (!settled || !lying) detector_.hold_auto_baseline_until(beat.t_s);
    }
    f.usable = !gap && settled &&
               static_cast<double>(artifacts) <=
                   kMaxArtifactShare * static_cast<double>(last_minute_.size());
    features_ = f;
    relax_out_ = detector_.push(f);
    if (before_baseline_) {
        since_baseline_.push_back(f);
        if (f.t_s - since_baseline_.front().t_s > kUndoFor_s) {  // too late to take it back
            before_baseline_.reset();
            since_baseline_ = {};
        }
    }
    return out;
}

std::optional<std::string> Pipeline::set_baseline(double to_s, bool check) {
    const double from_s = std::max(0.0, to_s - kMarkedBaseline_s);
    const double usable_s = detector_.usable_span_s(from_s, to_s);
    if (check && usable_s < kMinBaseline_s)
        return fmt::format(
            "only {:.0f} s of clean signal in the 3 minutes before now; a baseline needs 2 "
            "minutes",
            usable_s);
    dsp::RelaxationDetector before = detector_;
    if (!detector_.set_baseline(from_s, to_s))
        return std::string("too few clean beats in the 3 minutes before now");
    before_baseline_ = std::move(before);
    since_baseline_.clear();
    return std::nullopt;
}

bool Pipeline::undo_baseline() {
    if (!before_baseline_) return false;
    detector_ = std::move(*before_baseline_);
    before_baseline_.reset();
    for (const auto& f : since_baseline_) relax_out_ = detector_.push(f);
    relax_out_.event.reset();  // its events were told when they happened
    since_baseline_ = {};
    return true;
}

std::vector<dsp::PostureEvent> Pipeline::on_acc(const devices::AccBlock& block) {
    if (block.samples_mg.empty() || !(block.fs_hz > 0.0)) return {};
    acc_seen_ = true;
    acc_t_s_ = block.t0_s + static_cast<double>(block.samples_mg.size()) / block.fs_hz;
    acc_resp_.push(block.t0_s, block.fs_hz, block.samples_mg);
    return posture_.push(block.t0_s, block.fs_hz, block.samples_mg);
}

std::optional<double> Pipeline::chest_resp_rate_bpm() const {
    // A clear estimate from the last 15 s: older ones belong to before a dropout.
    constexpr double kFresh_s = 15.0;
    const auto& e = acc_resp_.last();
    if (!e || !e->confident || acc_t_s_ - e->t_s > kFresh_s) return std::nullopt;
    if (last_beat_t_s_ && *last_beat_t_s_ - e->t_s > kFresh_s) return std::nullopt;
    return e->rate_bpm;
}

Pipeline::Breathing Pipeline::breathing() const {
    // The breath count or the spectral peak when sure (dsp::sure_breathing_rate_bpm); else the
    // count, unsure (at 20/min a minute of breaths, each placed between beats, may be too few
    // to count to a third of a breath).
    if (!acc_seen_) {
        const auto& b = breaths_.values();
        if (const auto sure = dsp::sure_breathing_rate_bpm(b, sliding_.values()))
            return {sure, true};
        return {b.rate_bpm, false};
    }
    // From the chest: the count when sure and near the clear spectral peak, else the peak.
    const auto& counted = acc_resp_.counted();
    // chest_resp_rate_bpm: nullopt when the chest data is stale.
    if (const auto sure = dsp::sure_chest_breathing_rate_bpm(chest_resp_rate_bpm(), counted))
        return {sure, true};
    return {counted.rate_bpm, false};
}

std::optional<double> Pipeline::resp_rate_bpm() const {
    // Only a clear peak: a slow wave (0.05-0.1 Hz) can outgrow the breathing peak of a shallow
    // breath, and a number then would be a confident wrong one.
    if (acc_seen_) return chest_resp_rate_bpm();
    const auto& v = sliding_.values();
    return v.resp_confident ? v.resp_rate_bpm : std::nullopt;
}

}  // namespace relaxmon::session
