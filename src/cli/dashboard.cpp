// `relaxmon dashboard` (and `relaxmon` alone): the live dashboard, on the simulated strap unless
// --source says otherwise.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <cstdio>

#include "app.hpp"
#include "cli/commands.hpp"
#include "relaxmon/devices/source_spec.hpp"
#include "version.hpp"

namespace relaxmon::cli {

namespace {

struct DashboardArgs {
    std::string source = "sim";
    std::string speed;
    bool record = false, no_record = false;
    std::string screenshot;
    double quit_after_s = 0.0;
    std::string size = "1280x800";
    double pacer_bpm = 6.0;
    std::string pacer_ratio = "1:2";
    std::string view = "live";
    bool frame_stats = false;
    bool pacer_given = false;
    double scale = 0.0;
    std::string theme = "dark";
    std::string label;
    std::string state_out;
    std::string sound = "on";
    double volume_pct = 50.0;
    std::string audio_out;
};

int run(const DashboardArgs& a) {
    ui::DashboardOptions o;
    o.session.source = a.source;
    o.session.software_version = kVersion;
    if (!a.speed.empty()) o.session.speed = devices::parse_speed(a.speed);
    if (a.record && a.no_record) throw UsageError("--record and --no-record: give one of them");
    o.record_at_once = a.record;
    o.record_live = !a.no_record;
    check_pacer_bpm(a.pacer_bpm);
    o.session.pacer_bpm = a.pacer_bpm;
    o.session.pacer_inhale_fraction = parse_pacer_ratio(a.pacer_ratio);
    o.pacer = a.pacer_given;
    if (a.sound != "on" && a.sound != "off")
        throw UsageError(fmt::format("bad --sound '{}': on or off", a.sound));
    o.sound = a.sound == "on";
    if (!(a.volume_pct >= 0.0 && a.volume_pct <= 100.0))
        throw UsageError(fmt::format("bad --volume {}: give 0 to 100", a.volume_pct));
    o.volume = a.volume_pct / 100.0;
    if (!a.audio_out.empty()) o.session.audio_out = a.audio_out;
    if (std::sscanf(a.size.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 ||
        o.height < 240 || o.width > 8192 || o.height > 8192)
        throw UsageError(fmt::format("bad --size '{}': give WIDTHxHEIGHT, e.g. 1280x800", a.size));
    o.frame_stats = a.frame_stats;
    if (a.theme != "dark" && a.theme != "light")
        throw UsageError(fmt::format("bad --theme '{}': dark or light", a.theme));
    o.light = a.theme == "light";
    o.session.label = a.label;
    if (!a.state_out.empty()) o.state_out = a.state_out;
    if (a.scale != 0.0) {
        if (!(a.scale >= 0.5 && a.scale <= 4.0))
            throw UsageError(fmt::format("bad --scale {}: give 0.5 to 4", a.scale));
        o.scale = static_cast<float>(a.scale);
    }
    if (a.view == "session")
        o.tab = 1;
    else if (a.view == "hrv")
        o.tab = 2;
    else if (a.view == "ecg")
        o.tab = 3;
    else if (a.view == "room")
        o.room = true;
    else if (a.view != "live")
        throw UsageError(fmt::format("bad --view '{}': live, session, hrv, ecg or room", a.view));
    if (!a.screenshot.empty()) {
        o.screenshot = a.screenshot;
        o.quit_after_s = a.quit_after_s > 0.0 ? a.quit_after_s : 3.0;
    } else if (a.quit_after_s > 0.0) {
        o.quit_after_s = a.quit_after_s;
    }
    return ui::run_dashboard(o);
}

}  // namespace

Action default_dashboard_action() {
    return [] { return run(DashboardArgs{}); };
}

void add_dashboard_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<DashboardArgs>();
    CLI::App* cmd = app.add_subcommand("dashboard", "Live dashboard (the default)");
    cmd->add_option("--source", args->source, "Strap (default: the simulated strap, sim)");
    cmd->add_option("--speed", args->speed, "Simulator/replay speed: 1 = real time, 10, max");
    cmd->add_flag("--record", args->record,
                  "Open the recording's folder at once (live sessions are recorded from their "
                  "first beat anyway)");
    cmd->add_flag("--no-record", args->no_record,
                  "Record nothing unless asked (R, or Record): then the whole session so far");
    cmd->add_option("--screenshot", args->screenshot,
                    "Save a PNG of the window after --quit-after seconds (default 3), then quit");
    cmd->add_option("--quit-after", args->quit_after_s, "Close the window after this many seconds")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--size", args->size, "Window size WIDTHxHEIGHT (default 1280x800)");
    cmd->add_option("--pacer", args->pacer_bpm,
                    "Start the breathing pacer at this many breaths per minute (P toggles it; "
                    "default 6)")
        ->each([args](const std::string&) { args->pacer_given = true; });
    cmd->add_option("--pacer-ratio", args->pacer_ratio,
                    "The pacer's breathing in : out, on screen and in its sound: 1:2 (default), "
                    "1:1, 4:6 ...");
    cmd->add_option("--sound", args->sound,
                    "The pacer's sound while it animates, and a chime at a relaxation onset: on "
                    "(default) or off (A switches)");
    cmd->add_option("--volume", args->volume_pct, "Its volume, 0-100 (default 50; [ and ])");
    cmd->add_option("--audio-out", args->audio_out,
                    "Also write the sound to this 16-bit WAV, in session time");
    cmd->add_option(
        "--view", args->view,
        "View to open with: live (default), session, hrv, ecg or room (across the room)");
    cmd->add_flag("--frame-stats", args->frame_stats, "Print frame-time figures at exit");
    cmd->add_option("--scale", args->scale,
                    "Size of text and controls (default: the monitor's content scale)");
    cmd->add_option("--theme", args->theme, "Colours: dark (default) or light (T switches)");
    cmd->add_option("--label", args->label,
                    "Client or session name, for the recording's folder and the library");
    cmd->add_option("--state-out", args->state_out,
                    "At exit, write the session's state (time, beats, markers ...) as JSON here");
    cmd->callback([&action, args] { action = [args] { return run(*args); }; });
}

}  // namespace relaxmon::cli
