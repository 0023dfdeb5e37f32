// relaxmon: one command line (CLI11), one subcommand run. Errors end in one line on stderr and
// the exit status of DESIGN.md: 0 success, 1 failure, 2 usage error.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "relaxmon/devices/source_spec.hpp"
#include "session/recorder.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
    using namespace relaxmon::cli;
    // A file-size limit or a closed pipe must turn into a write error we report, not a silent
    // death that leaves the recording unexplained.
    std::signal(SIGXFSZ, SIG_IGN);
    std::signal(SIGPIPE, SIG_IGN);
    CLI::App app{"relaxmon: heart rate variability biofeedback and relaxation monitor"};
    app.name("relaxmon");
    app.set_version_flag("--version", std::string("relaxmon ") + relaxmon::kVersion);
    app.require_subcommand(0, 1);

    Action action;
    add_dashboard_command(app, action);
    add_record_command(app, action);
    add_analyze_command(app, action);
    add_peaks_command(app, action);
    add_scan_command(app, action);
    add_sessions_command(app, action);
    add_report_command(app, action);

    // `relaxmon --source ble:auto` is the dashboard with that option: the word may be left out.
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args[0].starts_with("-") && args[0] != "-h" && args[0] != "--help" &&
        args[0] != "--version")
        args.insert(args.begin(), "dashboard");
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        fmt::print(stderr, "relaxmon: {} (see relaxmon --help)\n", e.what());
        return kExitUsage;
    }
    if (!action) action = default_dashboard_action();

    try {
        return action();
    } catch (const UsageError& e) {
        fmt::print(stderr, "relaxmon: {}\n", e.what());
        return kExitUsage;
    } catch (const relaxmon::devices::SourceError& e) {
        fmt::print(stderr, "relaxmon: {}\n", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        fmt::print(stderr, "relaxmon: {}\n", e.what());
        return kExitFailure;
    }
}
