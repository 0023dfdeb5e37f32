// What other threads see of a Session: the immutable snapshot published after every measurement,
// and the summary at its end.
#include "session/session_impl.hpp"

#include "relaxmon/dsp/hrv_frequency.hpp"

namespace relaxmon::session {

void Session::Impl::publish() {
    auto s = std::make_shared<Snapshot>();
    s->t_s = t_s;
    s->clock_speed = paused ? 0.0 : device ? cfg.speed.value_or(1.0) : 1.0;
    s->paused = paused;
    s->replay_speed = cfg.speed.value_or(1.0);
    s->replay_span_s = replay_span_s;
    s->label = cfg.label;
    s->published_at = std::chrono::steady_clock::now();
    s->duration_s = cfg.duration_s;
    s->source = spec.text;
    s->replay = spec.kind == "file";
    s->device_name = device_name;
    s->connected = connected;
    s->contact = contact;
    s->battery_pct = battery_pct;
    s->beats = beats;
    s->last_beat_t_s = last_beat_t_s;
    s->last_rr_ms = last_rr_ms;
    s->artifacts = artifacts;
    s->window_s = pipeline.window_s();
    const auto v = pipeline.metrics();
    s->hr_bpm = pipeline.recent_hr_bpm();
    s->mean_hr_bpm = v.time.mean_hr_bpm;
    s->rmssd_ms = v.time.rmssd_ms;
    s->sdnn_ms = v.time.sdnn_ms;
    s->lf_ms2 = v.lf_ms2;
    s->hf_ms2 = v.hf_ms2;
    s->lf_hf = v.lf_hf;
    // Slow breathing (under the HF band), by the 5-minute peak or by a sure count of the breaths.
    const auto breathing = pipeline.breathing();
    const bool slow_breaths = breathing.confident && breathing.rate_bpm &&
                              *breathing.rate_bpm < 60.0 * dsp::FrequencyOptions{}.hf_lo_hz;
    s->hf_interpretable = v.hf_interpretable && !slow_breaths;
    s->resp_rate_bpm = v.resp_rate_bpm;
    s->psd = v.psd_ms2_per_hz;
    if (const auto band = pipeline.detector().ln_rsa_baseline_band()) {
        s->ln_hf_baseline_lo = band->lo;
        s->ln_hf_baseline = band->mid;
        s->ln_hf_baseline_hi = band->hi;
    }
    if (const auto band = pipeline.detector().rmssd_baseline_band()) {
        s->rmssd_baseline_lo_ms = band->lo;
        s->rmssd_baseline_ms = band->mid;
        s->rmssd_baseline_hi_ms = band->hi;
    }
    s->resp_confident = v.resp_confident;
    history.fill(*s, t_s);
    s->markers = markers;
    const auto& relax = pipeline.relax();
    s->relax_index = relax.relax_index;
    s->relax_index_pm = relax.relax_index_pm;
    s->relax_state = std::string(dsp::relax_state_name(relax.state));
    s->coherence = v.coherence;
    s->resp_from_chest = breathing.from_chest;
    if (const auto p = pipeline.posture()) s->posture = dsp::posture_name(*p);
    s->moving = pipeline.moving();
    if (wav) s->audio_error = wav->error();
    // Breath by breath: it answers the pacer within a few breaths.
    s->resp_rate_short_bpm = breathing.rate_bpm;
    s->resp_rate_short_confident = breathing.confident;
    s->pacer_bpm = cfg.pacer_bpm;
    s->pacer_inhale_fraction = cfg.pacer_inhale_fraction;
    s->relaxation_onset_s = pipeline.detector().first_onset_s();
    s->baseline_span_s = pipeline.detector().baseline_span_s();
    if (s->baseline_span_s) {
        std::vector<devices::formats::SessionEvent> cuts = postures;
        for (const Marker& m : markers) cuts.push_back({m.t_s, "marker", m.label});
        s->segments = segment_bounds(cuts, s->baseline_span_s->second, t_s);
    }
    s->baseline_marked = baseline_marked;
    s->baseline_undoable = pipeline.can_undo_baseline();
    s->baseline_note = baseline_note;
    s->baseline_refused = baseline_refused;
    s->recording = recording.recording();
    s->record_pending = !recording.recording() && !recording.ever_recorded() &&
                        cfg.record_from_first_beat && !finished;
    s->recording_dir = recording.dir();
    s->recording_error = recording.error();
    s->finished = finished;
    s->error = error;
    std::lock_guard lock(snapshot_mutex);
    snapshot = std::move(s);
}

SessionSummary Session::Impl::compute_summary() const {
    SessionSummary s;
    s.duration_s = t_s;
    s.beats = beats;
    s.artifacts = artifacts;
    s.recording_dir = recording.last_dir();
    stretches.fill(s, t_s);
    return s;
}

}  // namespace relaxmon::session
