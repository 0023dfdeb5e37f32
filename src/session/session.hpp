#pragma once
// Session: one strap, its pipeline, an optional recorder and the session clock, all owned by one
// thread running an Asio io_context. Other threads read published Snapshots and post commands
// (marker, start/stop recording, stop); they never touch the pipeline directly.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "session/snapshot.hpp"

namespace relaxmon::session {

struct SessionConfig {
    std::string source = "sim";
    std::optional<double> speed;       // overrides the source's speed (0 = as fast as possible)
    std::optional<double> duration_s;  // the session ends by itself after this much session time
    std::optional<std::filesystem::path> record_dir;  // record from the start into this directory
    std::filesystem::path sessions_root;              // where recordings started later go
    // Record into a new folder under sessions_root from the first beat (no beat, no folder).
    bool record_from_first_beat = false;
    std::string label;                 // client or session name, for the library
    std::string notes;                 // the therapist's notes (notes.txt)
    std::optional<double> start_at_s;  // a replay: jump to this time at once
    double window_s = 60.0;            // metrics window
    bool live_view = true;   // a screen shows it (false for `record`: no coherence spectrum)
    double pacer_bpm = 6.0;  // breathing pacer target
    double pacer_inhale_fraction = 1.0 / 3.0;  // of each breath: in : out = 1 : 2
    // The sound as it would be played (the pacer's, when pacer_sound, and a chime at a
    // relaxation onset), written in session time to this 16-bit WAV.
    std::optional<std::filesystem::path> audio_out;
    bool pacer_sound = false;
    double pacer_volume = 0.5;
    std::string software_version;
};

// What `record` prints at the end.
struct SessionSummary {
    double duration_s = 0.0;
    std::size_t beats = 0;
    std::size_t artifacts = 0;
    std::optional<double> first5_mean_hr_bpm, last5_mean_hr_bpm;
    std::optional<double> first5_rmssd_ms, last5_rmssd_ms;
    std::string recording_dir;
};

class Session {
  public:
    // Parses the source and builds the device; when record_dir is set, creates the recording.
    // Throws devices::SourceError or RecordError (one clear line) on bad configuration.
    explicit Session(SessionConfig config);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start();  // starts the session thread and the device
    void stop();   // ends the session (finishing any recording) and joins the thread; idempotent

    std::shared_ptr<const Snapshot> snapshot() const;
    // Waits until the session has ended by itself (duration reached, source ended, fatal error).
    bool wait_finished(std::chrono::milliseconds timeout);

    // Commands, carried out on the session thread.
    void add_marker(std::string label = {});
    // "Massage starts": the 3 minutes before now become the baseline (refused, with the reason
    // in the snapshot's baseline_note, when less than 2 minutes of them are usable); in a replay
    // a "what if" that touches no file. undo_baseline() takes the last one back.
    void mark_baseline();
    void undo_baseline();
    // For a replay: speed (0 = as fast as possible) and pause, from where it is now.
    void set_playback(double speed, bool paused);
    // The pacer's sound on or off, its rate and volume (the WAV of audio_out follows).
    void set_pacer_sound(bool on, double bpm, double volume);
    // For a replay: jump ahead to session time `t_s` (everything before it is processed at full
    // speed). False when the replay is already past it: start a new session at that time.
    bool seek(double t_s);
    // The client or session name: session.json's label now, and the next recording's folder.
    void set_label(std::string label);
    // The therapist's notes, written to notes.txt of the recording (now and at each change).
    void set_notes(std::string notes);
    // The first recording of a session holds it from its first beat (and its times are the
    // session's); one started again after stop_recording() holds what follows.
    void start_recording();
    void stop_recording();

    SessionSummary summary() const;  // valid after stop()

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace relaxmon::session
