#include "session/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "relaxmon/dsp/breathing_rate.hpp"
#include "relaxmon/dsp/hrv_time.hpp"

namespace relaxmon::session {

namespace {
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
    return front_.on_status(status);
}

std::vector<dsp::SlidingHrv::ShortSpectrum> Pipeline::short_spectra_of(
    std::span<const FrontStep> steps, double window_s, Use use) {
    std::vector<dsp::SlidingHrv::ShortSpectrum> log;
    dsp::SlidingHrv sliding(sliding_params(window_s, use));
    sliding.record_short_spectra(&log);
    for (const FrontStep& s : steps) {
        if (s.amend_previous_ms) sliding.amend_last(*s.amend_previous_ms);
        if (s.pushed()) sliding.push(s.t_s, s.screened.rr_corrected_ms, s.follows_gap);
    }
    return log;
}

std::vector<dsp::RsaBreaths::Values> Pipeline::breaths_of(std::span<const FrontStep> steps) {
    std::vector<dsp::RsaBreaths::Values> values;
    dsp::RsaBreaths breaths;
    for (const FrontStep& s : steps)
        if (s.pushed()) {
            push_breaths(breaths, s);
            values.push_back(breaths.values());
        }
    return values;
}

void Pipeline::push_breaths(dsp::RsaBreaths& breaths, const FrontStep& s) {
    // The breath count spreads a run of stand-ins over the time they span, and takes back a
    // beat it was given as true itself: it gets the pair's sum as it was first handed on.
    breaths.push(s.t_s, s.screened.rr_corrected_ms + s.amended_by_ms, s.follows_gap, s.artifact(),
                 s.screened.previous_premature);
}

void Pipeline::use_streams(const Streams* streams) {
    streams_ = streams;
    sliding_.replay_short_spectra(streams ? std::span(streams->short_spectra)
                                          : std::span<const dsp::SlidingHrv::ShortSpectrum>());
}

const dsp::RsaBreaths::Values& Pipeline::breath_values() const {
    static const dsp::RsaBreaths::Values kNone;
    if (!streams_) return breaths_.values();
    return breath_pushes_ == 0 || breath_pushes_ > streams_->breaths.size()
               ? kNone
               : streams_->breaths[breath_pushes_ - 1];
}

// RMSSD over the last 30 s from the median squared successive difference (scaled as for Gaussian
// differences, median(d^2) = 0.455 sigma^2): an ectopic beat the live screen let through would add
// two huge differences and swing the ordinary RMSSD for a minute; the median does not move. Only
// changes against the person's baseline matter to the detector, so the scale factor is immaterial.
// Median squared successive difference over 30 s, as RMSSD (a normal difference's median square
// is 0.4549 of its mean square): the upper middle of the sorted window.
std::optional<double> Pipeline::robust_rmssd_ms() const {
    if (robust_sorted_.size() < 10) return std::nullopt;
    return std::sqrt(robust_sorted_[robust_sorted_.size() / 2] / 0.4549);
}

void Pipeline::robust_insert(double diff_sq) {
    if (std::isnan(diff_sq)) return;
    robust_sorted_.insert(std::upper_bound(robust_sorted_.begin(), robust_sorted_.end(), diff_sq),
                          diff_sq);
}

void Pipeline::robust_erase(double diff_sq) {
    if (std::isnan(diff_sq)) return;
    const auto at = std::lower_bound(robust_sorted_.begin(), robust_sorted_.end(), diff_sq);
    if (at != robust_sorted_.end() && *at == diff_sq) robust_sorted_.erase(at);
}

ProcessedBeat Pipeline::on_beat(const devices::RrBeat& beat) {
    // The chest as it was a moment before this beat (see on_acc).
    std::vector<dsp::PostureEvent> posture_events = take_acc(beat.t_s - kAccLag_s);
    const FrontStep front =
        streams_ ? front_.replay(streams_->steps.at(steps_taken_++), beat) : front_.step(beat);
    const bool follows_gap = front.follows_gap;
    const dsp::ScreenedBeat& screened = front.screened;
    ProcessedBeat out{beat.t_s,
                      beat.rr_ms,
                      dsp::hr_from_rr_bpm(beat.rr_ms),
                      screened.artifact,
                      screened.rr_corrected_ms,
                      std::move(posture_events)};
    const double dt_s = front.dt_s;
    if (front.amend_previous_ms) {
        sliding_.amend_last(*front.amend_previous_ms);
        recent_.amend_last(*front.amend_previous_ms);
        hr_10s_.amend_last(*front.amend_previous_ms);
    }
    if (front.pushed()) {
        sliding_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
        recent_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
        hr_10s_.push(beat.t_s, out.rr_corrected_ms, follows_gap);
        if (streams_)
            ++breath_pushes_;
        else
            push_breaths(breaths_, front);
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
        if (popped_ + last_minute_.size() - 1 >= robust_first_)
            robust_erase(last_minute_.back().diff_sq);
        last_minute_.back().diff_sq = std::nan("");
    }
    last_minute_.push_back(
        {beat.t_s, out.artifact != dsp::ArtifactClass::none, follows_gap, diff_sq});
    robust_insert(diff_sq);
    // The robust RMSSD's 30 s: beats at or before 30 s ago leave it.
    const double since = beat.t_s - kDetectorRmssdWindow_s;
    while (robust_first_ < popped_ + last_minute_.size() &&
           last_minute_[robust_first_ - popped_].t_s <= since)
        robust_erase(last_minute_[robust_first_++ - popped_].diff_sq);
    while (last_minute_.front().t_s <= beat.t_s - kUsableWindow_s) {
        last_minute_.pop_front();
        ++popped_;
    }
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
    f.resp_rate_bpm = acc_seen_ ? breath_rate_bpm() : breath_values().recent_rate_bpm;
    f.rsa_amplitude_ms = breath_values().rsa_amplitude_ms;
    f.rsa_power_ms2 = v.rsa_power_ms2;
    // A body moving (turning over, adjusting) and the seconds after it: its heart rate is the
    // effort's, not the autonomic state's.
    const bool settled =
        !acc_seen_ || (!posture_.moving() && posture_.still_since_s() &&
                       beat.t_s - *posture_.still_since_s() >= kAfterMovement_s - 1e-6);
    const bool minute_clean =
        !gap && static_cast<double>(artifacts) <=
                    kMaxArtifactShare * static_cast<double>(last_minute_.size());
    // Turning over: no evidence until the new posture's levels are known, then the detector is
    // re-referenced to them (dsp::PostureReference).
    bool still_enough = settled;
    if (acc_seen_) {
        const auto step = posture_reference_.push(
            {beat.t_s, f.hr_bpm, f.rmssd_ms, f.rsa_amplitude_ms, minute_clean},
            {posture_.moving(), posture_.still_since_s(), posture_.posture()});
        still_enough = step.evidence;
        if (step.shift) detector_.rereference(*step.shift, step.turn_s);
    }
    // Hands-free baseline: it begins once the client lies still (not while getting onto the
    // table, turning, or sitting up).
    if (acc_seen_) {
        const auto p = posture_.posture();
        const bool lying = p && *p != dsp::Posture::upright;
        if (!settled || !lying) detector_.hold_auto_baseline_until(beat.t_s);
    }
    f.usable = minute_clean && still_enough;
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
    acc_waiting_.push_back(block);
    const double newest_s = block.t0_s + static_cast<double>(block.samples_mg.size()) / block.fs_hz;
    return take_acc(newest_s - kAccHeld_s);
}

std::vector<dsp::PostureEvent> Pipeline::take_acc(double until_s) {
    // The cut sits a tenth of a millisecond early: acc.csv keeps times to 0.1 ms and beats.csv
    // to 1 ms, so a sample on the cut falls on the same side live and replayed.
    const double cut_s = until_s - 1e-4;
    std::vector<dsp::PostureEvent> events;
    while (!acc_waiting_.empty()) {
        devices::AccBlock& b = acc_waiting_.front();
        const double dt_s = 1.0 / b.fs_hz;
        const double before_cut = std::ceil((cut_s - b.t0_s) / dt_s);
        const auto n = static_cast<std::size_t>(
            std::clamp(before_cut, 0.0, static_cast<double>(b.samples_mg.size())));
        if (n == 0) break;
        const std::span<const std::array<std::int16_t, 3>> part(b.samples_mg.data(), n);
        acc_seen_ = true;
        acc_t_s_ = b.t0_s + static_cast<double>(n) * dt_s;
        acc_resp_.push(b.t0_s, b.fs_hz, part);
        for (auto& e : posture_.push(b.t0_s, b.fs_hz, part)) events.push_back(std::move(e));
        if (n == b.samples_mg.size()) {
            acc_waiting_.pop_front();
            continue;
        }
        b.samples_mg.erase(b.samples_mg.begin(), b.samples_mg.begin() + static_cast<long>(n));
        b.t0_s += static_cast<double>(n) * dt_s;
        break;
    }
    return events;
}

std::optional<double> Pipeline::chest_resp_rate_bpm() const {
    // A clear estimate from the last 15 s: older ones belong to before a dropout.
    constexpr double kFresh_s = 15.0;
    const auto& e = acc_resp_.last();
    if (!e || !e->confident || acc_t_s_ - e->t_s > kFresh_s) return std::nullopt;
    if (const auto& last = front_.last_beat_t_s(); last && *last - e->t_s > kFresh_s)
        return std::nullopt;
    return e->rate_bpm;
}

Pipeline::Breathing Pipeline::breathing() const {
    // The breath count or the spectral peak when sure (dsp::sure_breathing_rate_bpm); else the
    // count, unsure (at 20/min a minute of breaths, each placed between beats, may be too few
    // to count to a third of a breath).
    // From the chest, when it streams: the count when sure and near the clear spectral peak.
    // Massage strokes rock the chest at 30-55/min and can hide the breath there: then the
    // heart rhythm's breathing when it is sure, and only then the chest's unsure count.
    std::optional<double> unsure_chest;
    if (acc_seen_) {
        const auto& counted = acc_resp_.counted();
        // chest_resp_rate_bpm: nullopt when the chest data is stale.
        if (const auto sure = dsp::sure_chest_breathing_rate_bpm(chest_resp_rate_bpm(), counted))
            return {sure, true, true};
        unsure_chest = counted.rate_bpm;
    }
    const auto& b = breath_values();
    if (const auto sure = dsp::sure_breathing_rate_bpm(b, sliding_.values()))
        return {sure, true, false};
    if (acc_seen_) return {unsure_chest, false, true};
    return {b.rate_bpm, false, false};
}

std::optional<double> Pipeline::resp_rate_bpm() const {
    // Only a clear peak: a slow wave (0.05-0.1 Hz) can outgrow the breathing peak of a shallow
    // breath, and a number then would be a confident wrong one. The chest's first, else the
    // heart rhythm's (as for breathing()).
    if (acc_seen_)
        if (const auto chest = chest_resp_rate_bpm()) return chest;
    const auto& v = sliding_.values();
    return v.resp_confident ? v.resp_rate_bpm : std::nullopt;
}

}  // namespace relaxmon::session
