#pragma once
// Snapshot: an immutable picture of a live session, published by the session thread after each
// measurement and read by the UI (and the progress line) without holding any lock while drawing.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "relaxmon/dsp/artifact_screen.hpp"
#include "session/segments.hpp"

namespace relaxmon::session {

struct TrendPoint {
    double t_s;
    float hr_bpm;       // instantaneous, from the corrected interval
    float mean_hr_bpm;  // over the metrics window (NaN until enough beats)
    float rmssd_ms;     // over the metrics window (NaN until enough beats)
    float ln_hf_ms2;    // ln of the power at the breathing peak, 2-min window (NaN until known)
};

// The whole session at a glance: one point per 5 s of session time.
struct SessionPoint {
    double t_s;
    float hr_bpm;                  // mean over the 5 s
    float hr_min_bpm, hr_max_bpm;  // of the beats in the 5 s (a plot shows the range per pixel)
    float relax_index;             // at the end of the 5 s (NaN while the baseline is learnt)
    float rmssd_ms;                // over the metrics window
};

// A raw ECG sample for the strip (when the source streams ECG).
struct EcgPoint {
    double t_s;
    float uv;
};

// The whole-session series in immutable chunks of 256 points plus the newest few: publishing
// copies a handful of pointers, and hours of session never reallocate a large block.
struct SessionTrend {
    std::vector<std::shared_ptr<const std::vector<SessionPoint>>> chunks;
    std::vector<SessionPoint> tail;
    std::vector<SessionPoint> flatten() const {
        std::vector<SessionPoint> out;
        for (const auto& c : chunks) out.insert(out.end(), c->begin(), c->end());
        out.insert(out.end(), tail.begin(), tail.end());
        return out;
    }
};

struct TachogramPoint {
    double t_s;
    float rr_ms;                  // as received
    dsp::ArtifactClass artifact;  // none, or the screen's class (a gap is not an artifact here)
};

struct TimeSpan {
    double start_s;
    double end_s;
};

struct Marker {
    double t_s;
    std::string label;
};

struct Snapshot {
    // From chest acceleration (nullopt / false without it): `prone`, `supine`, ... and whether
    // the body is moving now.
    std::optional<std::string> posture;
    bool moving = false;
    // The parts of the massage so far (session/segments.hpp): from the baseline's end, cut at
    // markers and changes of posture; empty until the baseline is known.
    std::vector<SegmentBound> segments;
    std::optional<std::string> audio_error;  // the --audio-out WAV could not be written
    // Session clock: time of the newest measurement, and how fast session time runs against the
    // wall clock (1 = real time, 0 = as fast as possible) so views can extrapolate smoothly.
    double t_s = 0.0;
    double clock_speed = 1.0;
    std::chrono::steady_clock::time_point published_at{};
    std::optional<double> duration_s;

    std::string source;
    bool replay = false;  // a recording played back (file: source)
    bool paused = false;  // ... and paused
    double replay_speed = 1.0;
    std::optional<std::pair<double, double>> replay_span_s;  // the recording's first and last time
    std::string label;                                       // client or session name
    std::string device_name;
    bool connected = false;
    std::optional<bool> contact;
    std::optional<int> battery_pct;

    std::size_t beats = 0;
    std::size_t artifacts = 0;
    // The newest beat (session time) and its interval: how long the heart has been silent.
    std::optional<double> last_beat_t_s;
    double last_rr_ms = 0.0;
    double window_s = 60.0;
    std::optional<double> hr_bpm;       // recent heart rate (last few beats)
    std::optional<double> mean_hr_bpm;  // over window_s
    std::optional<double> rmssd_ms;
    std::optional<double> sdnn_ms;
    // Over the last 5 minutes, refreshed every few seconds.
    std::optional<double> lf_ms2, hf_ms2, lf_hf;
    bool hf_interpretable = true;         // false while breathing is below the HF band (< 9/min)
    std::optional<double> resp_rate_bpm;  // breathing rate from the RSA peak
    // That spectrum (frequency Hz, PSD ms^2/Hz, 0-0.5 Hz), replaced every 5 s.
    std::shared_ptr<const std::vector<std::pair<float, float>>> psd;
    // The baseline's RMSSD, ms (median and the band the detector counts as no change).
    std::optional<double> rmssd_baseline_lo_ms, rmssd_baseline_ms, rmssd_baseline_hi_ms;
    // ... and of ln HF power at the breathing peak (ln ms^2): median +- 1 robust SD.
    std::optional<double> ln_hf_baseline_lo, ln_hf_baseline, ln_hf_baseline_hi;
    bool resp_confident = false;

    // The baseline the relax index is judged against (session time): set by hand ("massage
    // starts") or learnt from the first minutes; whether Ctrl+Z can take it back; the last word
    // on it (set, refused and why, undone; in a replay, a "what if").
    std::optional<std::pair<double, double>> baseline_span_s;
    bool baseline_marked = false, baseline_undoable = false;
    std::string baseline_note;
    bool baseline_refused = false;  // the note says why S was refused

    // Relaxation response (against the person's own baseline).
    std::optional<double> relax_index;     // 0-100, 50 = baseline; empty while learning it
    std::optional<double> relax_index_pm;  // its uncertainty (index points)
    std::string relax_state = "baseline";
    std::optional<double> relaxation_onset_s;
    std::optional<double> coherence;            // 64-s coherence ratio
    std::optional<double> resp_rate_short_bpm;  // breathing over the last few breaths
    bool resp_from_chest = false;               // ... measured from chest acceleration
    bool resp_rate_short_confident = false;     // ... known to a third of a breath a minute
    double pacer_bpm = 6.0;                     // the breathing pacer's target
    double pacer_inhale_fraction = 1.0 / 3.0;   // of each of its breaths

    double history_s = 600.0;  // how far back the series below reach
    std::vector<TrendPoint> trend;
    std::vector<TachogramPoint> tachogram;
    std::vector<TimeSpan> gaps;
    std::vector<Marker> markers;
    // Since the start: shared (immutable, replaced every 5 s of session), so publishing stays
    // cheap however long the session runs.
    std::shared_ptr<const SessionTrend> session_trend;
    std::vector<EcgPoint> ecg;        // the last 6 s, when the source streams ECG
    std::vector<double> ecg_beats_s;  // R peaks the detector found in that stretch
    std::vector<TimeSpan> session_gaps, relaxed_spans;  // relaxed_spans: onset to end (or now)

    bool recording = false;
    bool record_pending = false;  // the recording opens with the first beat
    std::string recording_dir;
    std::optional<std::string> recording_error;
    bool finished = false;
    std::optional<std::string> error;  // why the session ended, when it ended on an error
};

}  // namespace relaxmon::session
