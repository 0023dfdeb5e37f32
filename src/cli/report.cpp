// `relaxmon report SESSION_DIR [-o report.html]`: the client's printable report of a session.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <fstream>

#include "cli/commands.hpp"
#include "report/session_report.hpp"
#include "session/recorder.hpp"
#include "version.hpp"

namespace relaxmon::cli {

namespace {
int run(const std::string& dir, const std::string& out_arg) {
    const std::string html = report::render_session_report(dir, kVersion);
    const std::filesystem::path out = out_arg.empty() ? std::filesystem::path(dir) / "report.html"
                                                      : std::filesystem::path(out_arg);
    if (out_arg.empty()) {
        // In the session folder: as private as the client's data (0600).
        session::write_file_atomically(out, html);
    } else {
        // Somewhere the user chose, to hand over: their umask decides.
        std::ofstream f(out, std::ios::binary);
        f << html;
        f.close();
        if (!f) throw std::runtime_error(fmt::format("cannot write {}", out.string()));
    }
    fmt::print("{}\n", out.string());
    return kExitOk;
}
}  // namespace

void add_report_command(CLI::App& app, Action& action) {
    auto dir = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    CLI::App* cmd = app.add_subcommand("report", "Write a printable HTML report of a session");
    cmd->add_option("SESSION_DIR", *dir, "The session folder")->required();
    cmd->add_option("-o,--out", *out, "Output file (default SESSION_DIR/report.html)");
    cmd->callback([&action, dir, out] { action = [dir, out] { return run(*dir, *out); }; });
}

}  // namespace relaxmon::cli
