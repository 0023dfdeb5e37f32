// The session thread's side of a Session: each measurement from the device, through the
// pipeline, into the recording, the dashboard's history and the summary; markers; the end.
#include "session/session_impl.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/post.hpp>
#include <charconv>
#include <cmath>
#include <span>

#include "relaxmon/devices/formats/session_events.hpp"
#include "relaxmon/dsp/hrv_time.hpp"
#include "session/clock_label.hpp"
#include "session/metrics_json.hpp"

namespace relaxmon::session {

namespace {
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
}  // namespace

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
    advance_audio();
    if (!finished) publish_soon();
}

// The sound up to the session's clock; a relaxation onset strikes its chime there.
void Session::Impl::advance_audio() {
    if (!sound || !wav) return;
    const double fs = sound->params().sample_rate_hz;
    auto due = static_cast<long long>(std::llround(t_s * fs)) -
               static_cast<long long>(std::llround(sound->time_s() * fs));
    std::array<float, 4096> block;  // (on the stack: this runs after every measurement)
    while (due > 0) {
        const auto n = static_cast<std::size_t>(std::min<long long>(due, block.size()));
        sound->render(std::span<float>(block.data(), n));
        wav->write(std::span<const float>(block.data(), n));
        due -= static_cast<long long>(n);
    }
    if (chime_pending) sound->chime();
    chime_pending = false;
}

// Once the measurements at hand are all taken: a replay catching up on a seek, or running at
// full speed, hands over hundreds in one go, and one snapshot for all of them is enough (a
// snapshot copies the last 10 minutes of plots). A strap's beats come one by one, each
// published as it comes.
void Session::Impl::publish_soon() {
    if (publish_posted) return;
    publish_posted = true;
    boost::asio::post(io, [this] {
        publish_posted = false;
        if (!finished) publish();
    });
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
    for (const dsp::PostureEvent& e : b.posture_events) chest_event(e);
    const auto v = pipeline.metrics();
    const auto& relax = pipeline.relax();
    const dsp::RelaxEvent* event = relax.event ? &*relax.event : nullptr;
    if (event && event->kind == "relaxation_onset") chime_pending = true;
    ++beats;
    if (b.artifact != dsp::ArtifactClass::none && b.artifact != dsp::ArtifactClass::gap)
        ++artifacts;
    const bool follows_gap = b.artifact == dsp::ArtifactClass::gap;

    if (recording.can_open_at_first_beat() && cfg.record_from_first_beat)
        open_recorder_in_library();  // (once: a folder that cannot be made says so, not per beat)
    recording.beat(b, metrics_row(b.t_s, v, pipeline.window_s(), pipeline.resp_rate_bpm(), relax),
                   event);
    history.beat({b.t_s, b.rr_ms, b.rr_corrected_ms, b.artifact, follows_gap, v.time.mean_hr_bpm,
                  v.time.rmssd_ms, pipeline.relax_features().rsa_power_ms2, relax.relax_index,
                  event});
    if (ecg_replayed) history.ecg_beat(b.t_s, b.t_s);
    stretches.beat(b.t_s, b.rr_corrected_ms, follows_gap);
}

void Session::Impl::on_status(const devices::DeviceStatus& st) {
    if (st.t_s > t_s) t_s = st.t_s;
    // At the time the strap gave (the chest's samples may have moved the clock past it); a
    // device that gives none: now.
    const double at_s = st.t_s > 0.0 ? st.t_s : t_s;
    if (!st.name.empty()) device_name = st.name;
    if (st.battery_pct) battery_pct = st.battery_pct;
    if (st.connected != connected)
        recording.event(at_s, st.connected ? "connected" : "disconnected", device_name);
    if (st.connected && st.contact && contact && *st.contact != *contact)
        recording.event(at_s, *st.contact ? "contact_restored" : "contact_lost", device_name);
    connected = st.connected;
    if (st.connected) contact = st.contact;
    if (pipeline.on_status(st)) history.gap_opens(st.t_s);
}

void Session::Impl::on_ecg(const devices::EcgBlock& block) {
    if (block.samples_uv.empty() || block.fs_hz <= 0.0) return;
    const double end_s = block.t0_s + static_cast<double>(block.samples_uv.size()) / block.fs_hz;
    t_s = std::max(t_s, end_s);  // the clock goes on while no beat comes
    recording.ecg(block, t_s);
    history.ecg_samples(block);
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
        history.ecg_beat(ecg_t0_s + b.t_s, end_s);
        if (!b.rr_ms || finished) continue;
        on_beat(devices::RrBeat{ecg_t0_s + b.t_s, *b.rr_ms, 0});
    }
}

void Session::Impl::on_acc(const devices::AccBlock& given) {
    if (given.samples_mg.empty() || given.fs_hz <= 0.0) return;
    // A session of a set length ends there: the chest's samples after it are not recorded.
    devices::AccBlock cut;
    const devices::AccBlock* blockp = &given;
    if (cfg.duration_s &&
        given.t0_s + static_cast<double>(given.samples_mg.size()) / given.fs_hz > *cfg.duration_s) {
        const auto keep = static_cast<std::size_t>(
            std::clamp(std::ceil((*cfg.duration_s - given.t0_s) * given.fs_hz), 0.0,
                       static_cast<double>(given.samples_mg.size())));
        if (keep == 0) return;
        cut = devices::AccBlock{
            given.t0_s, given.fs_hz, {given.samples_mg.begin(), given.samples_mg.begin() + keep}};
        blockp = &cut;
    }
    const devices::AccBlock& block = *blockp;
    // The clock goes on while no beat comes (the strap streams its motion through a dropout).
    t_s = std::max(t_s, block.t0_s + static_cast<double>(block.samples_mg.size()) / block.fs_hz);
    recording.acc(block, t_s);
    // Posture at the start and at each settled change, movements as they start and end.
    for (const dsp::PostureEvent& e : pipeline.on_acc(block)) chest_event(e);
}

// Posture and movement into events.csv; the postures also cut the massage into its parts.
void Session::Impl::chest_event(const dsp::PostureEvent& e) {
    recording.event(e.t_s, e.kind, e.label);
    if (e.kind == "posture") postures.push_back({e.t_s, e.kind, e.label});
}

// Once a second: did the computer sleep? Then no interval may span the sleep.
void Session::Impl::watch_clock() {
    if (finished) return;
    if (const auto slept = suspend_watch.check_now()) {
        pipeline.mark_gap();
        recording.event(t_s, "suspended", fmt::format("the computer slept for {:.0f} s", *slept));
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
    recording.event(t_s, "marker", label);
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
    recording.event(t_s, "marker", devices::formats::kBaselineUndoneMarker);
}

void Session::Impl::finish(std::optional<std::string> why_error) {
    if (finished) return;
    finished = true;
    if (why_error) error = std::move(why_error);
    device->stop();
    if (watch_timer) watch_timer->cancel();
    close_recorder();
    if (wav) {
        advance_audio();
        wav->close();
    }
    publish();
    {
        std::lock_guard lock(done_mutex);
        summary_result = compute_summary();
        done = true;
    }
    done_cv.notify_all();
}

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
        info["turnover_s"] = device_info["ground_truth"].value("turnover_s", nlohmann::json());
        info["device"].erase("ground_truth");
    }
    return info;
}

RecordingLink::Now Session::Impl::now_for_recording() const {
    return {t_s, artifacts, connected, device_name, cfg.notes};
}

void Session::Impl::open_recorder(const std::filesystem::path& dir) {
    recording.open(
        dir, [this](double t0_s) { return session_info(t0_s); }, now_for_recording());
}

void Session::Impl::open_recorder_in_library() {
    recording.open_in_library(
        cfg.sessions_root, cfg.label, [this](double t0_s) { return session_info(t0_s); },
        now_for_recording());
}

void Session::Impl::close_recorder() {
    recording.close({{"device_name", device_name},     // a strap names itself once connected
                     {"device", device->describe()}},  // with the device's counters at the end
                    artifacts, t_s, relaxation_summary_to_json(pipeline.detector().summary()));
}

}  // namespace relaxmon::session
