#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "session/session.hpp"
#include "session/suspend_watch.hpp"

#include <fmt/format.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "relaxmon/devices/formats/session_events.hpp"
#include "relaxmon/devices/source_spec.hpp"
#include "relaxmon/dsp/hrv_frequency.hpp"
#include "relaxmon/dsp/hrv_time.hpp"
#include "relaxmon/dsp/qrs_detector.hpp"
#include "session/clock_label.hpp"
#include "session/metrics_json.hpp"
#include "session/pipeline.hpp"
#include "session/recorder.hpp"
#include "session/session_log.hpp"

namespace relaxmon::session {

namespace {
constexpr double kHistory_s = 600.0;  // the dashboard shows the last 10 minutes
constexpr double kSummaryStretch_s = 300.0;
constexpr double kEcgStrip_s = 6.0;  // the dashboard's raw ECG strip

float or_nan(std::optional<double> v) {
    return v ? static_cast<float>(*v) : std::nanf("");
}
}  // namespace

struct Session::Impl {
    // Everything below `thread` is owned by the session thread once it runs.
    explicit Impl(SessionConfig c)
        : cfg(std::move(c)),
          pipeline(cfg.window_s, cfg.live_view ? Pipeline::Use::screen : Pipeline::Use::recording) {
    }

    SessionConfig cfg;
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{
        io.get_executor()};
    devices::SourceSpec spec;
    std::unique_ptr<devices::Device> device;
    Pipeline pipeline;
    std::unique_ptr<Recorder> recorder;
    SessionLog log;               // the session so far, until a recording holds it
    bool ever_recorded = false;   // a recording has held this session (then `log` is handed over)
    double recording_t0_s = 0.0;  // session time at t_s = 0 in the recording's files
    bool recorder_in_library = false;  // a folder we named (renamed with the label)
    std::size_t artifacts_at_open = 0;
    std::thread thread;

    struct KeptBeat {
        double t_s;
        double rr_corrected_ms;
        bool follows_gap;
    };
    double t_s = 0.0;
    std::optional<double> last_beat_t_s;  // for "no signal for N s"
    double last_rr_ms = 0.0;
    std::size_t beats = 0, artifacts = 0;
    bool connected = false;
    std::optional<bool> contact;
    std::optional<int> battery_pct;
    std::string device_name;
    std::deque<TrendPoint> trend;
    std::deque<TachogramPoint> tachogram;
    std::deque<TimeSpan> gaps;
    std::optional<double> gap_open_since;
    std::vector<Marker> markers;
    // The whole-session view: 5-s buckets.
    SessionTrend session_points;
    std::shared_ptr<const SessionTrend> session_points_shared =
        std::make_shared<const SessionTrend>();
    double bucket_hr_sum = 0.0;
    float bucket_hr_min = INFINITY, bucket_hr_max = -INFINITY;
    int bucket_n = 0;
    std::optional<double> bucket_start_s;
    std::vector<TimeSpan> session_gaps, relaxed_spans;
    std::optional<double> relaxed_since_s;
    std::deque<EcgPoint> ecg_strip;      // the last 6 s of raw ECG, for the dashboard
    std::deque<double> ecg_strip_beats;  // R peaks in it
    void add_to_session_trend(double t_s, double hr_bpm, std::optional<double> relax_index,
                              std::optional<double> rmssd_ms);
    // For the summary's first and last 5 minutes; bounded, so hours of session cost nothing.
    std::vector<KeptBeat> first_beats;
    std::deque<KeptBeat> last_beats;
    // Raw ECG, when the strap streams it: its beats replace the strap's own RR values.
    std::optional<dsp::QrsDetector> qrs;
    bool ecg_replayed = false;  // a replay with its ECG: the strip marks the replayed beats
    double ecg_t0_s = 0.0;
    double ecg_next_s = 0.0;
    bool finished = false;
    std::optional<std::string> error;
    std::optional<std::string> recording_error;
    bool recording_held = false;  // lines are waiting in memory for room on the disk
    bool paused = false;          // a replay on hold
    SuspendWatch suspend_watch;
    std::unique_ptr<boost::asio::steady_timer> watch_timer;
    void watch_clock();
    std::string last_recording_dir;
    std::optional<std::pair<double, double>> replay_span_s;

    // Shared with other threads.
    mutable std::mutex snapshot_mutex;
    std::shared_ptr<const Snapshot> snapshot;
    std::mutex done_mutex;
    std::condition_variable done_cv;
    bool done = false;
    SessionSummary summary_result;

    nlohmann::json session_info(double t0_s) const;
    void open_recorder(const std::filesystem::path& dir);
    void open_recorder_in_library();  // a new folder under sessions_root, named by the label
    void close_recorder();
    void on_measurement(const devices::Measurement& m);
    void on_beat(const devices::RrBeat& beat);
    void on_status(const devices::DeviceStatus& st);
    void on_ecg(const devices::EcgBlock& block);
    void on_acc(const devices::AccBlock& block);
    void mark(std::string label, bool replayed = false);
    void undo_baseline();
    std::string baseline_note;
    bool baseline_refused = false;  // the note says why S was refused
    bool baseline_marked = false;
    void record_event(std::string_view kind, std::string_view label);
    void check_recorder();
    void finish(std::optional<std::string> why_error);
    void trim_history();
    void publish();
    SessionSummary compute_summary() const;
};

nlohmann::json Session::Impl::session_info(double t0_s) const {
    nlohmann::json device_info = device->describe();
    nlohmann::json info{{"software", "relaxmon"},
                        {"version", cfg.software_version},
                        {"source", spec.text},
                        {"label", cfg.label},
                        {"device_name", device->name()},
                        {"device", device_info},
                        {"recording_started_at_session_s", t0_s},
                        {"parameters",
                         {{"metrics_window_s", cfg.window_s},
                          {"artifact_screen",
                           "threshold (Kubios medium, 250 ms at 60 bpm); premature beats and "
                           "their pause by a causal Lipponen & Tarvainen 2019 rule"},
                          {"duration_s", cfg.duration_s ? nlohmann::json(*cfg.duration_s)
                                                        : nlohmann::json(nullptr)}}}};
    if (device_info.contains("ground_truth")) {
        // The simulator's script, at the top level where analyses look for it.
        info["ground_truth"] = device_info["ground_truth"];
        info["relaxation_onset_s"] = device_info["ground_truth"]["relaxation_onset_s"];
        info["device"].erase("ground_truth");
    }
    return info;
}

void Session::Impl::open_recorder(const std::filesystem::path& dir) {
    // The first recording holds the whole session, in the session's own times; one started
    // again after a stop holds what follows, from 0.
    const bool whole = !ever_recorded;
    recording_t0_s = whole ? 0.0 : t_s;
    artifacts_at_open = whole ? 0 : artifacts;
    recorder = std::make_unique<Recorder>(dir, session_info(recording_t0_s), recording_t0_s);
    ever_recorded = true;
    if (!cfg.notes.empty()) recorder->notes(cfg.notes);
    last_recording_dir = dir.string();
    recording_error.reset();
    recording_held = false;
    if (whole)
        log.hand_over(*recorder);
    else if (connected)
        recorder->event(t_s, "connected", device_name);
    check_recorder();
}

void Session::Impl::open_recorder_in_library() {
    try {
        open_recorder(new_session_dir(cfg.sessions_root, cfg.label));
        recorder_in_library = true;
    } catch (const RecordError& e) {
        recording_error = e.what();
    }
}

void Session::Impl::close_recorder() {
    if (!recorder) return;
    const SessionSummary sum = compute_summary();
    recorder->finish(
        {{"device_name", device_name},    // a strap names itself once connected
         {"device", device->describe()},  // with the device's counters at the end
         {"summary",
          // What this recording holds (all of the session unless it was started again).
          {{"beats", recorder->beats_written()},
           {"artifacts", sum.artifacts - artifacts_at_open},
           {"duration_s", sum.duration_s - recording_t0_s},
           {"relaxation", relaxation_summary_to_json(pipeline.detector().summary())}}}});
    if (auto e = recorder->error())
        recording_error =
            fmt::format("recording incomplete: {} lines could not be written to {}: {}",
                        recorder->held_lines(), recorder->dir().string(), *e);
    recorder.reset();
}

void Session::Impl::record_event(std::string_view kind, std::string_view label) {
    if (recorder)
        recorder->event(t_s, kind, label);
    else
        log.event(t_s, kind, label);
}

// A disk that fills up (or a file-size limit) does not stop the session: what cannot be written
// is held in memory, in order, and written as soon as there is room again; the trouble and its
// end are events of their own (held back with the rest until they can be written).
void Session::Impl::check_recorder() {
    if (!recorder) return;
    const auto e = recorder->error();
    if (e && !recording_held) {
        recording_held = true;
        record_event("recording_held", *e);
    } else if (!e && recording_held) {
        recording_held = false;
        record_event("recording_resumed", "every held line is written");
    }
    if (recording_held)
        recording_error = fmt::format(
            "cannot write the recording ({}): {} lines kept in memory, "
            "retrying",
            *e, recorder->held_lines());
    else
        recording_error.reset();
}

void Session::Impl::on_measurement(const devices::Measurement& m) {
    if (finished) return;
    if (const auto* beat = std::get_if<devices::RrBeat>(&m)) {
        if (!qrs) on_beat(*beat);  // with raw ECG, beats come from its detector
    } else if (const auto* ecg = std::get_if<devices::EcgBlock>(&m)) {
        on_ecg(*ecg);
    } else if (const auto* acc = std::get_if<devices::AccBlock>(&m)) {
        on_acc(*acc);
    } else if (const auto* marker = std::get_if<devices::Marker>(&m)) {
        if (marker->t_s > t_s) t_s = marker->t_s;  // a replayed marker, at its own time
        mark(marker->label, true);
    } else if (const auto* st = std::get_if<devices::DeviceStatus>(&m))
        on_status(*st);
    else if (std::holds_alternative<devices::EndOfStream>(m))
        finish(std::nullopt);
    else if (const auto* err = std::get_if<devices::DeviceError>(&m))
        finish(err->message);
    if (!finished) publish();
}

void Session::Impl::on_status(const devices::DeviceStatus& st) {
    if (st.t_s > t_s) t_s = st.t_s;
    if (!st.name.empty()) device_name = st.name;
    if (st.battery_pct) battery_pct = st.battery_pct;
    if (st.connected != connected)
        record_event(st.connected ? "connected" : "disconnected", device_name);
    if (st.connected && st.contact && contact && *st.contact != *contact)
        record_event(*st.contact ? "contact_restored" : "contact_lost", device_name);
    connected = st.connected;
    if (st.connected) contact = st.contact;
    if (pipeline.on_status(st) && !gap_open_since) gap_open_since = st.t_s;
}

void Session::Impl::on_ecg(const devices::EcgBlock& block) {
    if (block.samples_uv.empty() || block.fs_hz <= 0.0) return;
    const double end_s = block.t0_s + static_cast<double>(block.samples_uv.size()) / block.fs_hz;
    t_s = std::max(t_s, end_s);  // the clock goes on while no beat comes
    if (recorder) {
        recorder->ecg(block.t0_s, block.fs_hz, block.samples_uv);
        check_recorder();
    }
    for (std::size_t i = 0; i < block.samples_uv.size(); ++i)
        ecg_strip.push_back(
            {block.t0_s + static_cast<double>(i) / block.fs_hz, block.samples_uv[i]});
    while (!ecg_strip.empty() && ecg_strip.front().t_s < end_s - kEcgStrip_s) ecg_strip.pop_front();
    if (block.replayed) {  // its beats are replayed with it, not detected again
        ecg_replayed = true;
        return;
    }
    // A new stream, or samples lost in between (a dropout): the detector starts afresh, its
    // first beat only anchors the next RR.
    if (!qrs || std::abs(block.t0_s - ecg_next_s) > 1.5 / block.fs_hz) {
        qrs.emplace(block.fs_hz);
        ecg_t0_s = block.t0_s;
    }
    ecg_next_s = end_s;
    for (const dsp::DetectedBeat& b : qrs->push(block.samples_uv)) {
        ecg_strip_beats.push_back(ecg_t0_s + b.t_s);
        if (!b.rr_ms || finished) continue;
        on_beat(devices::RrBeat{ecg_t0_s + b.t_s, *b.rr_ms, 0});
    }
    while (!ecg_strip_beats.empty() && ecg_strip_beats.front() < end_s - kEcgStrip_s)
        ecg_strip_beats.pop_front();
}

// Once a second: did the computer sleep? Then no interval may span the sleep.
void Session::Impl::watch_clock() {
    if (finished) return;
    if (const auto slept = suspend_watch.check_now()) {
        pipeline.mark_gap();
        record_event("suspended", fmt::format("the computer slept for {:.0f} s", *slept));
        publish();
    }
    if (!watch_timer) watch_timer = std::make_unique<boost::asio::steady_timer>(io);
    watch_timer->expires_after(std::chrono::seconds(1));
    watch_timer->async_wait([this](const boost::system::error_code& ec) {
        if (!ec) watch_clock();
    });
}

void Session::Impl::mark(std::string label, bool replayed) {
    if (label.empty()) label = fmt::format("Marker {}", markers.size() + 1);
    if (devices::formats::marker_undoes_baseline(label)) {
        undo_baseline();
        return;
    }
    if (devices::formats::marker_ends_baseline(label)) {
        // A replayed marker was accepted when it was set; one set now must leave 2 minutes.
        if (const auto why = pipeline.set_baseline(t_s, !replayed)) {
            baseline_note = fmt::format("Baseline kept: {}.", *why);
            baseline_refused = !replayed;
            if (!replayed) return;  // (a replayed one stays on the screen as it was recorded)
        } else if (const auto span = pipeline.detector().baseline_span_s()) {
            baseline_refused = false;
            const std::string when =
                fmt::format("{} to {}", clock_label(span->first), clock_label(span->second));
            baseline_note = spec.kind == "file" && !replayed
                                ? fmt::format(
                                      "What if: baseline {} (this replay only; its "
                                      "recording is unchanged). Ctrl+Z takes it back.",
                                      when)
                                : fmt::format(
                                      "Baseline {}, before the massage. Ctrl+Z takes "
                                      "it back.",
                                      when);
            baseline_marked = true;
        }
    }
    markers.push_back({t_s, label});
    record_event("marker", label);
}

void Session::Impl::undo_baseline() {
    if (!pipeline.undo_baseline()) return;
    baseline_marked = false;
    for (auto it = markers.rbegin(); it != markers.rend(); ++it)
        if (devices::formats::marker_ends_baseline(it->label)) {
            it->label += " (undone)";
            break;
        }
    const auto span = pipeline.detector().baseline_span_s();
    baseline_refused = false;
    baseline_note = span ? fmt::format("Baseline back to {} to {}.", clock_label(span->first),
                                       clock_label(span->second))
                         : "Baseline back to the first minutes, still being learnt.";
    record_event("marker", devices::formats::kBaselineUndoneMarker);
}

void Session::Impl::on_acc(const devices::AccBlock& block) {
    if (block.samples_mg.empty() || block.fs_hz <= 0.0) return;
    // The clock goes on while no beat comes (the strap streams its motion through a dropout).
    t_s = std::max(t_s, block.t0_s + static_cast<double>(block.samples_mg.size()) / block.fs_hz);
    if (recorder) {
        recorder->acc(block.t0_s, block.fs_hz, block.samples_mg);
        check_recorder();
    }
    pipeline.on_acc(block);
}

// Beats enter the pipeline as beats.csv records them (t_s to the millisecond, rr_ms to the
// microsecond): replaying a session then feeds the pipeline bit for bit what it saw live.
// Through the very text written, so the two cannot disagree on a tie.
double to_recorded(double v) {
    char text[64];
    const auto r = std::to_chars(text, text + sizeof text, v, std::chars_format::fixed, 3);
    double out = v;
    std::from_chars(text, r.ptr, out);
    return out;
}

void Session::Impl::on_beat(const devices::RrBeat& live) {
    devices::RrBeat beat = live;
    beat.t_s = to_recorded(live.t_s);
    beat.rr_ms = to_recorded(live.rr_ms);
    if (cfg.duration_s && beat.t_s > *cfg.duration_s) {
        t_s = *cfg.duration_s;
        finish(std::nullopt);
        return;
    }
    t_s = beat.t_s;
    last_beat_t_s = beat.t_s;
    last_rr_ms = beat.rr_ms;
    const ProcessedBeat b = pipeline.on_beat(beat);
    const auto v = pipeline.metrics();
    ++beats;
    if (b.artifact != dsp::ArtifactClass::none && b.artifact != dsp::ArtifactClass::gap)
        ++artifacts;
    const bool follows_gap = b.artifact == dsp::ArtifactClass::gap;
    if (gap_open_since) {
        gaps.push_back({*gap_open_since, beat.t_s});
        session_gaps.push_back(gaps.back());
        gap_open_since.reset();
    } else if (follows_gap && !tachogram.empty()) {
        gaps.push_back({tachogram.back().t_s, beat.t_s});
        session_gaps.push_back(gaps.back());
    }
    if (const auto& ev = pipeline.relax().event) {
        if (ev->kind == "relaxation_onset") relaxed_since_s = ev->t_s;
        if (ev->kind == "relaxation_end" && relaxed_since_s) {
            relaxed_spans.push_back({*relaxed_since_s, ev->t_s});
            relaxed_since_s.reset();
        }
    }
    add_to_session_trend(b.t_s, dsp::hr_from_rr_bpm(b.rr_corrected_ms),
                         pipeline.relax().relax_index, v.time.rmssd_ms);
    if (!recorder && !ever_recorded && cfg.record_from_first_beat && !recording_error)
        open_recorder_in_library();  // (once: a folder that cannot be made says so, not per beat)
    const MetricsRow row =
        metrics_row(b.t_s, v, pipeline.window_s(), pipeline.resp_rate_bpm(), pipeline.relax());
    if (recorder) {
        recorder->beat(b);
        recorder->metrics(row);
        if (const auto& ev = pipeline.relax().event) recorder->event(ev->t_s, ev->kind, ev->label);
        check_recorder();
    } else {
        log.beat(b, row);
        if (const auto& ev = pipeline.relax().event) log.event(ev->t_s, ev->kind, ev->label);
    }
    if (ecg_replayed) {
        ecg_strip_beats.push_back(b.t_s);
        while (!ecg_strip_beats.empty() && ecg_strip_beats.front() < b.t_s - kEcgStrip_s)
            ecg_strip_beats.pop_front();
    }
    const KeptBeat k{b.t_s, b.rr_corrected_ms, follows_gap};
    if (first_beats.empty() || k.t_s <= first_beats.front().t_s -
                                            first_beats.front().rr_corrected_ms / 1000.0 +
                                            kSummaryStretch_s)
        first_beats.push_back(k);
    last_beats.push_back(k);
    while (last_beats.front().t_s < k.t_s - kSummaryStretch_s - 1.0) last_beats.pop_front();
    const auto rsa_ms2 = pipeline.relax_features().rsa_power_ms2;
    trend.push_back({b.t_s, static_cast<float>(dsp::hr_from_rr_bpm(b.rr_corrected_ms)),
                     or_nan(v.time.mean_hr_bpm), or_nan(v.time.rmssd_ms),
                     rsa_ms2 && *rsa_ms2 > 0.0 ? static_cast<float>(std::log(*rsa_ms2)) : NAN});
    tachogram.push_back(
        {b.t_s, static_cast<float>(b.rr_ms), follows_gap ? dsp::ArtifactClass::none : b.artifact});
    trim_history();
}

void Session::Impl::add_to_session_trend(double t, double hr_bpm, std::optional<double> relax_index,
                                         std::optional<double> rmssd_ms) {
    constexpr double kBucket_s = 5.0;
    if (!bucket_start_s) bucket_start_s = t;
    bucket_hr_sum += hr_bpm;
    bucket_hr_min = std::min(bucket_hr_min, static_cast<float>(hr_bpm));
    bucket_hr_max = std::max(bucket_hr_max, static_cast<float>(hr_bpm));
    ++bucket_n;
    if (t - *bucket_start_s < kBucket_s) return;
    constexpr std::size_t kChunk = 256;
    session_points.tail.push_back({t, static_cast<float>(bucket_hr_sum / bucket_n), bucket_hr_min,
                                   bucket_hr_max,
                                   relax_index ? static_cast<float>(*relax_index) : NAN,
                                   rmssd_ms ? static_cast<float>(*rmssd_ms) : NAN});
    if (session_points.tail.size() == kChunk) {
        session_points.chunks.push_back(
            std::make_shared<const std::vector<SessionPoint>>(std::move(session_points.tail)));
        session_points.tail.clear();
        session_points.tail.reserve(kChunk);
    }
    session_points_shared = std::make_shared<const SessionTrend>(session_points);
    bucket_start_s = t;
    bucket_hr_sum = 0.0;
    bucket_hr_min = INFINITY;
    bucket_hr_max = -INFINITY;
    bucket_n = 0;
}

void Session::Impl::trim_history() {
    const double oldest = t_s - kHistory_s;
    while (!trend.empty() && trend.front().t_s < oldest) trend.pop_front();
    while (!tachogram.empty() && tachogram.front().t_s < oldest) tachogram.pop_front();
    while (!gaps.empty() && gaps.front().end_s < oldest) gaps.pop_front();
}

void Session::Impl::finish(std::optional<std::string> why_error) {
    if (finished) return;
    finished = true;
    if (why_error) error = std::move(why_error);
    device->stop();
    if (watch_timer) watch_timer->cancel();
    close_recorder();
    publish();
    {
        std::lock_guard lock(done_mutex);
        summary_result = compute_summary();
        done = true;
    }
    done_cv.notify_all();
}

SessionSummary Session::Impl::compute_summary() const {
    SessionSummary s;
    s.duration_s = t_s;
    s.beats = beats;
    s.artifacts = artifacts;
    s.recording_dir = last_recording_dir;
    auto stretch = [](const auto& kept, double from_s, double to_s) {
        std::vector<double> rr;
        std::vector<std::uint8_t> follows_gap;
        for (const KeptBeat& k : kept)
            if (k.t_s > from_s && k.t_s <= to_s) {
                rr.push_back(k.rr_corrected_ms);
                follows_gap.push_back(k.follows_gap ? 1 : 0);
            }
        return dsp::hrv_time(rr, follows_gap);
    };
    if (!first_beats.empty()) {
        const double start = first_beats.front().t_s - first_beats.front().rr_corrected_ms / 1000.0;
        if (auto a = stretch(first_beats, start - 1e-9, start + kSummaryStretch_s)) {
            s.first5_mean_hr_bpm = a->mean_hr_bpm;
            s.first5_rmssd_ms = a->rmssd_ms;
        }
        if (auto b = stretch(last_beats, t_s - kSummaryStretch_s, t_s)) {
            s.last5_mean_hr_bpm = b->mean_hr_bpm;
            s.last5_rmssd_ms = b->rmssd_ms;
        }
    }
    return s;
}

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
    s->history_s = kHistory_s;
    s->trend.assign(trend.begin(), trend.end());
    s->tachogram.assign(tachogram.begin(), tachogram.end());
    s->gaps.assign(gaps.begin(), gaps.end());
    if (gap_open_since) s->gaps.push_back({*gap_open_since, t_s});
    s->markers = markers;
    s->session_trend = session_points_shared;
    s->ecg.assign(ecg_strip.begin(), ecg_strip.end());
    s->ecg_beats_s.assign(ecg_strip_beats.begin(), ecg_strip_beats.end());
    s->session_gaps = session_gaps;
    if (gap_open_since) s->session_gaps.push_back({*gap_open_since, t_s});
    s->relaxed_spans = relaxed_spans;
    if (relaxed_since_s) s->relaxed_spans.push_back({*relaxed_since_s, t_s});
    const auto& relax = pipeline.relax();
    s->relax_index = relax.relax_index;
    s->relax_index_pm = relax.relax_index_pm;
    s->relax_state = std::string(dsp::relax_state_name(relax.state));
    s->coherence = v.coherence;
    s->resp_from_chest = pipeline.resp_from_chest();
    // Breath by breath: it answers the pacer within a few breaths.
    s->resp_rate_short_bpm = breathing.rate_bpm;
    s->resp_rate_short_confident = breathing.confident;
    s->pacer_bpm = cfg.pacer_bpm;
    s->relaxation_onset_s = pipeline.detector().first_onset_s();
    {
        s->baseline_span_s = pipeline.detector().baseline_span_s();
        s->baseline_marked = baseline_marked;
        s->baseline_undoable = pipeline.can_undo_baseline();
        s->baseline_note = baseline_note;
        s->baseline_refused = baseline_refused;
    }
    s->recording = recorder != nullptr;
    s->record_pending = !recorder && !ever_recorded && cfg.record_from_first_beat && !finished;
    s->recording_dir = recorder ? recorder->dir().string() : last_recording_dir;
    s->recording_error = recording_error;
    s->finished = finished;
    s->error = error;
    std::lock_guard lock(snapshot_mutex);
    snapshot = std::move(s);
}

Session::Session(SessionConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {
    Impl& d = *impl_;
    d.spec = devices::parse_source(d.cfg.source);
    d.device = devices::make_device(d.spec, d.io, d.cfg.speed);
    d.device_name = d.device->name();
    d.replay_span_s = d.device->span_s();
    if (d.cfg.sessions_root.empty()) d.cfg.sessions_root = default_sessions_root();
    if (d.cfg.record_dir) d.open_recorder(*d.cfg.record_dir);
    d.publish();
}

Session::~Session() {
    stop();
}

void Session::start() {
    Impl& d = *impl_;
    if (d.thread.joinable()) return;
    d.thread = std::thread([&d] {
        boost::asio::post(d.io, [&d] {
            d.device->start([&d](const devices::Measurement& m) { d.on_measurement(m); });
            if (d.cfg.start_at_s) d.device->seek(*d.cfg.start_at_s);
            d.watch_clock();
        });
        try {
            d.io.run();
        } catch (const std::exception& e) {
            // Nothing may escape the session thread; end the session with the reason.
            d.finish(fmt::format("session error: {}", e.what()));
        }
    });
}

void Session::stop() {
    Impl& d = *impl_;
    if (!d.thread.joinable()) {
        if (!d.finished) d.finish(std::nullopt);  // never started: still close the recording
        return;
    }
    boost::asio::post(d.io, [&d] {
        d.finish(std::nullopt);
        d.work.reset();
        d.io.stop();
    });
    d.thread.join();
}

std::shared_ptr<const Snapshot> Session::snapshot() const {
    std::lock_guard lock(impl_->snapshot_mutex);
    return impl_->snapshot;
}

bool Session::wait_finished(std::chrono::milliseconds timeout) {
    std::unique_lock lock(impl_->done_mutex);
    return impl_->done_cv.wait_for(lock, timeout, [this] { return impl_->done; });
}

void Session::add_marker(std::string label) {
    boost::asio::post(impl_->io, [d = impl_.get(), label = std::move(label)]() mutable {
        if (d->finished) return;
        d->mark(std::move(label));
        d->publish();
    });
}

void Session::mark_baseline() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        if (d->finished) return;
        d->mark("massage start");
        d->publish();
    });
}

void Session::undo_baseline() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        if (d->finished) return;
        d->undo_baseline();
        d->publish();
    });
}

void Session::set_playback(double speed, bool paused) {
    boost::asio::post(impl_->io, [d = impl_.get(), speed, paused] {
        if (d->finished) return;
        d->device->set_playback(speed, paused);
        d->cfg.speed = speed;
        d->paused = paused;
        d->publish();
    });
}

bool Session::seek(double t_s) {
    const auto snap = snapshot();
    if (!snap->replay || t_s < snap->t_s) return false;
    boost::asio::post(impl_->io, [d = impl_.get(), t_s] {
        if (!d->finished) d->device->seek(t_s);
    });
    return true;
}

void Session::set_label(std::string label) {
    boost::asio::post(impl_->io, [d = impl_.get(), label = std::move(label)]() mutable {
        d->cfg.label = std::move(label);
        if (d->recorder) {
            // A folder the session named itself takes the label too (recorded from the first
            // beat, it was named before anyone typed one).
            if (d->recorder_in_library) {
                d->recorder->move_to(relabelled_session_dir(d->recorder->dir(), d->cfg.label));
                d->last_recording_dir = d->recorder->dir().string();
            }
            d->recorder->update_info({{"label", d->cfg.label}});
            d->check_recorder();
        }
        d->publish();
    });
}

void Session::set_notes(std::string notes) {
    boost::asio::post(impl_->io, [d = impl_.get(), notes = std::move(notes)]() mutable {
        d->cfg.notes = std::move(notes);
        if (d->recorder) {
            d->recorder->notes(d->cfg.notes);
            d->check_recorder();
        }
    });
}

void Session::start_recording() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        if (d->finished || d->recorder) return;
        d->open_recorder_in_library();
        d->publish();
    });
}

void Session::stop_recording() {
    boost::asio::post(impl_->io, [d = impl_.get()] {
        d->close_recorder();
        d->publish();
    });
}

SessionSummary Session::summary() const {
    std::lock_guard lock(impl_->done_mutex);
    return impl_->summary_result;
}

}  // namespace relaxmon::session
