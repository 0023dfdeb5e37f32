#pragma once
// Recorder: writes one session directory (DESIGN.md, "Session directory"). Every beat, metrics
// row and event is written to the kernel as it arrives; session.json is written at the start
// (status "recording") and replaced atomically at the end (status "complete"), so a directory
// left by a crash says so. Write failures never throw on the per-beat path: the lines are held
// back and retried, and the first failure is reported through error().
#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "relaxmon/dsp/relaxation_detector.hpp"
#include "relaxmon/dsp/sliding_hrv.hpp"
#include "session/csv_file.hpp"
#include "session/pipeline.hpp"

namespace relaxmon::session {

struct RecordError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// `<root>/<YYYY-MM-DDTHH-MM-SS>` for the local time now (suffixed _2, _3... if taken).
std::filesystem::path new_session_dir(const std::filesystem::path& root,
                                      const std::string& label = {});
// The same folder named for a new label, keeping its date and time (and its root).
std::filesystem::path relabelled_session_dir(const std::filesystem::path& dir,
                                             const std::string& label);
// $XDG_DATA_HOME/relaxmon/sessions, or ~/.local/share/relaxmon/sessions.
std::filesystem::path default_sessions_root();

// Held (flock) by the recording process in its session folder; gone once the session ends.
// Writes `text` to `path` through a temporary file and rename(2). Throws RecordError.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

inline constexpr const char* kLockFile = "session.lock";
// Local time with UTC offset, ISO 8601 (2026-11-24T20:15:03+01:00).
std::string iso8601_now();

// One line of metrics.csv, in session time.
struct MetricsRow {
    double t_s = 0.0, window_s = 60.0;
    std::optional<double> mean_hr_bpm, rmssd_ms, sdnn_ms, lf_ms2, hf_ms2, lf_hf, resp_rate_bpm,
        relax_index;
    dsp::RelaxState state = dsp::RelaxState::baseline;
};
// `resp_rate_bpm` is the breathing rate to record (the pipeline's choice of source).
MetricsRow metrics_row(double t_s, const dsp::SlidingHrv::Values& v, double window_s,
                       std::optional<double> resp_rate_bpm,
                       const dsp::RelaxationDetector::Output& relax);

class Recorder {
  public:
    // Creates `dir` (which must not exist or be empty) and its files. `t0_s` is the session time
    // that becomes t_s = 0 in the files. Throws RecordError with one clear line.
    Recorder(std::filesystem::path dir, nlohmann::json session_info, double t0_s);
    ~Recorder();

    void beat(const ProcessedBeat& b);
    void metrics(const MetricsRow& row);
    void event(double t_s, std::string_view kind, std::string_view label);
    // Raw ECG samples (ecg.csv, created with the first block).
    void ecg(double t0_s, double fs_hz, std::span<const float> samples_uv);
    // Chest acceleration in milli-g (acc.csv, created with the first block).
    void acc(double t0_s, double fs_hz, std::span<const std::array<std::int16_t, 3>> mg);
    // Changes session.json now (a label typed during the session), atomically as at the start.
    void update_info(const nlohmann::json& patch);
    // The therapist's notes: notes.txt, replaced as a whole (atomically) at each change; a
    // failed write keeps them for the next retry().
    void notes(std::string text);
    // Writes the final session.json (with `summary` merged in) and syncs everything.
    void finish(const nlohmann::json& summary);

    const std::filesystem::path& dir() const { return dir_; }
    // Renames the folder while it records (open files stay open); false, with the folder as it
    // was, when the rename fails.
    bool move_to(const std::filesystem::path& dir);
    // Why lines are held in memory now (disk full ...); empty when everything is on disk.
    std::optional<std::string> error() const;
    std::size_t held_lines() const;
    // Tries again to write what is held back (called every few seconds while it lasts).
    void retry();
    std::size_t beats_written() const { return beats_; }

  private:
    void write_session_json();
    std::array<CsvFile*, 6> files() const;  // every file; ecg.csv, acc.csv null until used
    void maybe_sync();

    std::filesystem::path dir_;
    nlohmann::json info_;
    double t0_s_;
    std::unique_ptr<CsvFile> beats_csv_, metrics_csv_, events_csv_, rr_txt_, ecg_csv_, acc_csv_;
    std::size_t beats_ = 0;
    std::chrono::steady_clock::time_point last_sync_;
    bool finished_ = false;
    int lock_fd_ = -1;  // flock(2) on session.lock while recording: a crash releases it
    std::optional<std::string> json_error_;
    std::optional<std::string> pending_notes_, notes_error_;
    void write_notes();
};

}  // namespace relaxmon::session
