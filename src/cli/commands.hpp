#pragma once
// The subcommands of `relaxmon` (DESIGN.md, "Command line"). Each registers its options on the
// CLI11 app and returns the action to run once parsing succeeded.
#include <functional>
#include <stdexcept>

namespace CLI {
class App;
}

namespace relaxmon::cli {

using Action = std::function<int()>;  // returns the exit status

// A usage error found after parsing (a bad value): exit status 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// --pacer on record and dashboard: breaths per minute the pacer can guide (3-20); UsageError else.
void check_pacer_bpm(double bpm);
// --pacer-ratio IN:OUT (e.g. 1:2, 4:6, 1:1.5): the part of each breath spent breathing in, from
// a fifth (1:4) to three fifths (3:2); UsageError else.
double parse_pacer_ratio(const std::string& text);

void add_record_command(CLI::App& app, Action& action);
void add_analyze_command(CLI::App& app, Action& action);
void add_peaks_command(CLI::App& app, Action& action);
void add_scan_command(CLI::App& app, Action& action);
void add_sessions_command(CLI::App& app, Action& action);
void add_report_command(CLI::App& app, Action& action);
void add_dashboard_command(CLI::App& app, Action& action);
// `relaxmon` with no subcommand: the dashboard on the simulated strap.
Action default_dashboard_action();

// Exit statuses (DESIGN.md): success, any failure, usage error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace relaxmon::cli
