// `relaxmon sessions [--root DIR] [--label NAME] [--json]`: the recorded sessions, newest first
// (one client's visits, oldest first, with --label), after completing any a crash left
// unfinished.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "session/clock_label.hpp"
#include "session/private_files.hpp"
#include "session/recorder.hpp"
#include "session/session_library.hpp"

namespace relaxmon::cli {

namespace {

std::string clock(std::optional<double> s) {
    return s ? session::clock_label(*s) : "-";
}

int run(const std::string& root_arg, bool json, const std::optional<std::string>& label) {
    const std::filesystem::path root =
        root_arg.empty() ? session::default_sessions_root() : std::filesystem::path(root_arg);
    const auto recovered = session::recover_sessions(root);
    // Folders an older relaxmon (or a umask) left readable by other accounts: made private.
    if (const std::size_t opened = session::make_sessions_private(root))
        fmt::print(json ? stderr : stdout,
                   "Made {} session folder{} private (only your account can read them now)\n",
                   opened, opened == 1 ? "" : "s");
    // One client's visits, oldest first; otherwise every session, newest first.
    const auto entries =
        label ? session::client_sessions(root, *label) : session::list_sessions(root);
    if (json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& e : entries)
            out.push_back({{"dir", e.dir.string()},
                           {"status", e.status},
                           {"start_time", e.start_time},
                           {"label", e.label},
                           {"source", e.source},
                           {"duration_s", e.duration_s ? nlohmann::json(*e.duration_s) : nullptr},
                           {"beats", e.beats},
                           {"artifacts", e.artifacts},
                           {"relaxation_onset_s", e.onset_s ? nlohmann::json(*e.onset_s) : nullptr},
                           {"time_relaxed_s", e.time_relaxed_s}});
        fmt::print("{}\n", out.dump(2));
        return kExitOk;
    }
    for (const auto& dir : recovered)
        fmt::print("Recovered the unfinished session {}\n", dir.filename().string());
    if (entries.empty() && label) {
        fmt::print("No sessions labelled '{}' in {}.\n", *label, root.string());
        return kExitOk;
    }
    if (entries.empty()) {
        fmt::print(
            "No sessions in {} yet: relaxmon record or the dashboard's Record button make "
            "them.\n",
            root.string());
        return kExitOk;
    }
    if (label)
        fmt::print("{} visit{} of '{}' in {}, oldest first:\n", entries.size(),
                   entries.size() == 1 ? "" : "s", *label, root.string());
    else
        fmt::print("Sessions in {}:\n", root.string());
    // Labels in full (a client's name and what was done): the column is as wide as the longest.
    std::size_t label_w = 5;
    for (const auto& e : entries) label_w = std::max(label_w, e.label.size());
    fmt::print("  {:<16} {:<{}} {:>8} {:>6}  {:<26} {:<9} {}\n", "started", "label", label_w,
               "length", "beats", "relaxation", "status", "folder");
    for (const auto& e : entries) {
        const std::string when = e.start_time.size() >= 16
                                     ? e.start_time.substr(0, 10) + " " + e.start_time.substr(11, 5)
                                     : e.start_time;
        const std::string relax = e.onset_s ? fmt::format("after {}, {} relaxed", clock(e.onset_s),
                                                          clock(e.time_relaxed_s))
                                            : "no onset";
        fmt::print("  {:<16} {:<{}} {:>8} {:>6}  {:<26} {:<9} {}\n", when,
                   e.label.empty() ? "-" : e.label, label_w, clock(e.duration_s), e.beats, relax,
                   e.status, e.dir.filename().string());
    }
    return kExitOk;
}

}  // namespace

void add_sessions_command(CLI::App& app, Action& action) {
    auto root = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto label = std::make_shared<std::optional<std::string>>();
    CLI::App* cmd = app.add_subcommand("sessions", "List recorded sessions (newest first)");
    cmd->add_option("--root", *root, "Sessions folder (default $XDG_DATA_HOME/relaxmon/sessions)");
    cmd->add_flag("--json", *json, "Machine-readable output");
    cmd->add_option("--label", *label,
                    "One client's visits: the sessions with this label (case aside), oldest "
                    "first");
    cmd->callback([&action, root, json, label] {
        action = [root, json, label] { return run(*root, *json, *label); };
    });
}

}  // namespace relaxmon::cli
