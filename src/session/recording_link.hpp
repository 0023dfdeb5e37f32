#pragma once
// RecordingLink: the session's side of its recording. Until a recording is opened the session is
// kept in a SessionLog; the first recording takes the whole session in the session's own times,
// one opened again after a stop takes what follows, from 0. A disk that fills up does not stop
// the session: the Recorder holds what it cannot write and this link turns its trouble (and its
// end) into events and one line for the screen.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "relaxmon/devices/measurement.hpp"
#include "session/recorder.hpp"
#include "session/session_log.hpp"

namespace relaxmon::session {

class RecordingLink {
  public:
    // session.json at the start, for a recording whose t_s = 0 is session time t0_s.
    using SessionInfo = std::function<nlohmann::json(double t0_s)>;
    struct Now {
        double t_s;
        std::size_t artifacts;
        bool connected;
        std::string device_name;
        std::string notes;
    };
    // Throws RecordError when the folder cannot be made.
    void open(const std::filesystem::path& dir, const SessionInfo& info, const Now& now);
    // A new folder in the library named by the label; a failure is kept for the screen.
    void open_in_library(const std::filesystem::path& root, const std::string& label,
                         const SessionInfo& info, const Now& now);
    // Writes the final session.json: `end` (device, summary...) with what this recording holds.
    void close(nlohmann::json end, std::size_t artifacts_now, double duration_s,
               nlohmann::json relaxation);

    // Each at session time now_s (the link's own events, such as a full disk, are dated so).
    void beat(const ProcessedBeat& b, const MetricsRow& row, const dsp::RelaxEvent* event);
    void event(double now_s, std::string_view kind, std::string_view label);
    void ecg(const devices::EcgBlock& block, double now_s);
    void acc(const devices::AccBlock& block, double now_s);
    void set_label(const std::string& label, double now_s);
    void set_notes(const std::string& notes, double now_s);

    bool recording() const { return recorder_ != nullptr; }
    bool ever_recorded() const { return ever_recorded_; }
    // No recording yet, no failure: the first beat opens one in the library (when asked to).
    bool can_open_at_first_beat() const { return !recorder_ && !ever_recorded_ && !error_; }
    std::string dir() const { return recorder_ ? recorder_->dir().string() : last_dir_; }
    const std::string& last_dir() const { return last_dir_; }
    const std::optional<std::string>& error() const { return error_; }

  private:
    void check(double now_s);

    std::unique_ptr<Recorder> recorder_;
    SessionLog log_;              // the session so far, until a recording holds it
    bool ever_recorded_ = false;  // a recording has held this session (`log_` was handed over)
    double t0_s_ = 0.0;           // session time at t_s = 0 in the recording's files
    bool in_library_ = false;     // a folder we named (renamed with the label)
    std::size_t artifacts_at_open_ = 0;
    std::optional<std::string> error_;
    bool held_ = false;  // lines are waiting in memory for room on the disk
    std::string last_dir_;
};

}  // namespace relaxmon::session
