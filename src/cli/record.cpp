// `relaxmon record`: a headless session written to a session directory, with a live progress
// line on a terminal and a short summary at the end. Ctrl-C ends the recording cleanly.
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/duration.hpp"
#include "relaxmon/devices/source_spec.hpp"
#include "session/recorder.hpp"
#include "session/session.hpp"
#include "session/session_library.hpp"
#include "version.hpp"

namespace relaxmon::cli {

namespace {

std::atomic<int> g_interrupted{0};  // lock-free, so safe to set from a signal handler
static_assert(std::atomic<int>::is_always_lock_free);

void on_signal(int) {
    g_interrupted.store(1);
}

std::string clock_text(double s) {
    const auto total = static_cast<long>(s);
    if (total >= 3600)
        return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
    return fmt::format("{:02}:{:02}", total / 60, total % 60);
}

std::string value_or_dash(std::optional<double> v, const char* unit) {
    return v ? fmt::format("{:.0f} {}", *v, unit) : fmt::format("-- {}", unit);
}

std::string progress_line(const session::Snapshot& s) {
    return fmt::format("  {}  HR {}  RMSSD {}  beats {}  artifacts {}  {}{}", clock_text(s.t_s),
                       value_or_dash(s.hr_bpm, "bpm"), value_or_dash(s.rmssd_ms, "ms"), s.beats,
                       s.artifacts, s.connected ? "" : "(strap disconnected) ",
                       s.recording_error ? "(DISK FULL: held in memory)" : "");
}

void print_summary(const session::SessionSummary& sum, const std::string& source) {
    auto cell = [](std::optional<double> v, const char* unit) {
        return v ? fmt::format("{:.1f} {}", *v, unit) : std::string("--");
    };
    const double pct = sum.beats ? 100.0 * double(sum.artifacts) / double(sum.beats) : 0.0;
    fmt::print("Recorded {} of {} into {}\n", clock_text(sum.duration_s), source,
               sum.recording_dir);
    fmt::print("  beats {}, artifacts {} ({:.1f}%)\n", sum.beats, sum.artifacts, pct);
    fmt::print("  {:<12}{:>14}{:>14}\n", "", "first 5 min", "last 5 min");
    fmt::print("  {:<12}{:>14}{:>14}\n", "heart rate", cell(sum.first5_mean_hr_bpm, "bpm"),
               cell(sum.last5_mean_hr_bpm, "bpm"));
    fmt::print("  {:<12}{:>14}{:>14}\n", "RMSSD", cell(sum.first5_rmssd_ms, "ms"),
               cell(sum.last5_rmssd_ms, "ms"));
}

struct RecordOptions {
    std::string source;
    std::string duration;
    std::string out;
    std::string speed;
    std::string label;
    std::optional<double> pacer_bpm;
    std::string pacer_ratio = "1:2";
    std::string audio_out;
};

int run_record(const RecordOptions& o) {
    session::SessionConfig cfg;
    cfg.source = o.source;
    cfg.software_version = kVersion;
    if (!o.duration.empty()) {
        cfg.duration_s = parse_duration_s(o.duration);
        if (!cfg.duration_s)
            throw UsageError(fmt::format(
                "bad --duration '{}': give a length with units, e.g. 20m, 90s, 1h30m or 0:45:00",
                o.duration));
    }
    if (!o.speed.empty()) cfg.speed = devices::parse_speed(o.speed);
    // A replay ends with its file; a simulator would run forever.
    if (cfg.speed && *cfg.speed == 0.0 && !cfg.duration_s && o.source.rfind("file:", 0) != 0)
        throw UsageError("--speed max needs a --duration (it would record forever)");
    cfg.label = o.label;
    cfg.live_view = false;  // a progress line, no screen: no coherence spectrum
    if (o.pacer_bpm) {
        check_pacer_bpm(*o.pacer_bpm);
        cfg.pacer_bpm = *o.pacer_bpm;
        cfg.pacer_sound = true;
    }
    cfg.pacer_inhale_fraction = parse_pacer_ratio(o.pacer_ratio);
    if (!o.audio_out.empty()) cfg.audio_out = o.audio_out;
    const auto root = session::default_sessions_root();
    cfg.record_dir =
        o.out.empty() ? session::new_session_dir(root, o.label) : std::filesystem::path(o.out);
    // A recording a crash left unfinished is completed before a new one starts.
    for (const auto& dir : session::recover_sessions(root))
        fmt::print("relaxmon: recovered the unfinished session {}\n", dir.string());

    std::shared_ptr<const session::Snapshot> snap;
    session::SessionSummary summary;
    const bool live = ::isatty(STDOUT_FILENO) == 1;
    {
        session::Session session(cfg);  // throws on a bad source or an unwritable directory
        struct sigaction sa {};
        sa.sa_handler = on_signal;
        sigaction(SIGINT, &sa, nullptr);
        sigaction(SIGTERM, &sa, nullptr);
        session.start();
        while (!session.wait_finished(std::chrono::milliseconds(live ? 200 : 500))) {
            if (g_interrupted.load()) break;
            if (live) {
                fmt::print("\r{:<78}", progress_line(*session.snapshot()));
                std::fflush(stdout);
            }
        }
        session.stop();
        snap = session.snapshot();
        summary = session.summary();
    }  // the recording's files are closed here
    if (snap->error && snap->beats == 0) {
        // The source never gave a beat: its one line says what to do, and no empty session
        // is left in the library.
        if (live) fmt::print("\r{:<78}\r", "");
        if (!summary.recording_dir.empty()) session::discard_if_empty(summary.recording_dir);
        fmt::print(stderr, "relaxmon: {}\n", *snap->error);
        return kExitFailure;
    }
    if (live) fmt::print("\r{:<78}\n", progress_line(*snap));
    print_summary(summary, cfg.source);
    if (snap->error) {
        fmt::print(stderr, "relaxmon: {}\n", *snap->error);
        return kExitFailure;
    }
    if (snap->recording_error) {
        fmt::print(stderr, "relaxmon: {}\n", *snap->recording_error);
        return kExitFailure;
    }
    if (snap->audio_error) {
        fmt::print(stderr, "relaxmon: {}\n", *snap->audio_error);
        return kExitFailure;
    }
    return kExitOk;
}

}  // namespace

void check_pacer_bpm(double bpm) {
    if (!(bpm >= 3.0 && bpm <= 20.0))
        throw UsageError(
            fmt::format("bad --pacer {}: give breaths per minute between 3 and 20", bpm));
}

double parse_pacer_ratio(const std::string& text) {
    double in = 0.0, out = 0.0;
    char tail = 0;
    const bool read = std::sscanf(text.c_str(), "%lf:%lf%c", &in, &out, &tail) == 2;
    const double f = read && in > 0.0 && out > 0.0 ? in / (in + out) : -1.0;
    if (!(f >= 0.2 - 1e-9 && f <= 0.6 + 1e-9))
        throw UsageError(fmt::format(
            "bad --pacer-ratio '{}': give breathing in : out, e.g. 1:2 (the default), 1:1 or "
            "4:6, from 1:4 to 3:2",
            text));
    return f;
}

void add_record_command(CLI::App& app, Action& action) {
    auto opts = std::make_shared<RecordOptions>();
    CLI::App* cmd = app.add_subcommand("record", "Record a session headless, with a progress line");
    cmd->add_option("--source", opts->source,
                    "Strap: sim[:massage|rest|stress|artifacts|paced|breathwork][?seed=N&real=1], "
                    "ble:auto, ble:ADDRESS, serial:PATH?protocol=ant|rr|ecg|pulsesensor, file:PATH")
        ->required();
    cmd->add_option("--duration", opts->duration,
                    "Stop after this long, e.g. 20m, 90s, 1h30m "
                    "(default: until Ctrl-C)");
    cmd->add_option("--out", opts->out,
                    "Session directory to create (default: a new one under "
                    "$XDG_DATA_HOME/relaxmon/sessions)");
    cmd->add_option("--speed", opts->speed,
                    "Simulator/replay speed: 1 = real time, 10 = ten times, max = flat out");
    cmd->add_option("--label", opts->label,
                    "Client or session name, kept in session.json and the folder name");
    cmd->add_option("--pacer", opts->pacer_bpm,
                    "Breathing pacer at this many breaths/min: its sound goes into --audio-out "
                    "(see --pacer-ratio)");
    cmd->add_option("--pacer-ratio", opts->pacer_ratio,
                    "The pacer's breathing in : out, e.g. 1:2 (default: 3.3 s in, 6.7 s out at "
                    "6/min), 1:1, 4:6");
    cmd->add_option("--audio-out", opts->audio_out,
                    "Write the sound (pacer and the relaxation onset's chime) to this 16-bit WAV, "
                    "in session time");
    cmd->callback([&action, opts] { action = [opts] { return run_record(*opts); }; });
}

}  // namespace relaxmon::cli
