#pragma once
// The inside of a Session (private to src/session). Everything here is owned by the session
// thread once it runs, except the published snapshot and the end-of-session summary, which
// other threads read under their mutexes. The way of one beat, from the device to the snapshot:
// on_measurement -> on_beat (session_flow.cpp) -> Pipeline -> RecordingLink, DashboardHistory,
// SummaryStretches -> publish (session_snapshot.cpp).
#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "relaxmon/devices/device.hpp"
#include "relaxmon/devices/source_spec.hpp"
#include "relaxmon/dsp/pacer_sound.hpp"
#include "relaxmon/dsp/qrs_detector.hpp"
#include "session/dashboard_history.hpp"
#include "session/pipeline.hpp"
#include "session/recording_link.hpp"
#include "session/session.hpp"
#include "session/summary_stretches.hpp"
#include "session/suspend_watch.hpp"
#include "session/wav_file.hpp"

namespace relaxmon::session {

struct Session::Impl {
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
    std::thread thread;

    // The session as it stands.
    Pipeline pipeline;
    RecordingLink recording;
    DashboardHistory history;
    SummaryStretches stretches;
    double t_s = 0.0;                     // session clock: the newest measurement
    std::optional<double> last_beat_t_s;  // for "no signal for N s"
    double last_rr_ms = 0.0;
    std::size_t beats = 0, artifacts = 0;
    bool connected = false;
    std::optional<bool> contact;
    std::optional<int> battery_pct;
    std::string device_name;
    std::vector<Marker> markers;
    std::vector<devices::formats::SessionEvent> postures;  // `posture` events so far
    std::string baseline_note;
    bool baseline_refused = false;  // the note says why S was refused
    bool baseline_marked = false;
    // Raw ECG, when the strap streams it: its beats replace the strap's own RR values.
    std::optional<dsp::QrsDetector> qrs;
    bool ecg_replayed = false;  // a replay with its ECG: the strip marks the replayed beats
    double ecg_t0_s = 0.0;
    double ecg_next_s = 0.0;
    // --audio-out: the sound in session time.
    std::unique_ptr<WavFile> wav;
    std::optional<dsp::PacerSound> sound;
    bool chime_pending = false;  // a relaxation onset at this measurement
    void advance_audio();
    bool finished = false;
    std::optional<std::string> error;
    bool paused = false;  // a replay on hold
    SuspendWatch suspend_watch;
    std::unique_ptr<boost::asio::steady_timer> watch_timer;
    std::optional<std::pair<double, double>> replay_span_s;

    // Shared with other threads.
    mutable std::mutex snapshot_mutex;
    std::shared_ptr<const Snapshot> snapshot;
    std::mutex done_mutex;
    std::condition_variable done_cv;
    bool done = false;
    SessionSummary summary_result;

    // session_flow.cpp: measurements, markers and the end.
    void on_measurement(const devices::Measurement& m);
    void on_beat(const devices::RrBeat& beat);
    void on_status(const devices::DeviceStatus& st);
    void on_ecg(const devices::EcgBlock& block);
    void on_acc(const devices::AccBlock& block);
    void chest_event(const dsp::PostureEvent& e);
    void mark(std::string label, bool replayed = false);
    void undo_baseline();
    void watch_clock();
    void finish(std::optional<std::string> why_error);
    // The recording.
    nlohmann::json session_info(double t0_s) const;
    RecordingLink::Now now_for_recording() const;
    void open_recorder(const std::filesystem::path& dir);
    void open_recorder_in_library();
    void close_recorder();
    // session_snapshot.cpp: what other threads see.
    void publish();
    void publish_soon();  // after the handler at hand (session_flow.cpp)
    bool publish_posted = false;
    SessionSummary compute_summary() const;
};

}  // namespace relaxmon::session
