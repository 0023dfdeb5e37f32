// `relaxmon analyze INPUT...`: HRV of RR/beat files or session folders - artifact detection and
// correction, then all metrics over the whole record and, with --step, over sliding windows, and
// the relaxation detector over every beat. Several inputs: a batch (cli/analyze_batch.hpp).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <thread>

#include "cli/analysis.hpp"
#include "cli/analyze_batch.hpp"
#include "cli/commands.hpp"
#include "cli/json_text.hpp"
#include "session/metrics_json.hpp"

namespace relaxmon::cli {

namespace {

constexpr std::size_t kProgressAbove = 200;  // windows

struct AnalyzeArgs {
    std::vector<std::string> inputs;
    AnalysisOptions options;
    bool json = false;
    std::string csv;
    unsigned jobs = 0;  // 0: every core
};

std::string format_value(const nlohmann::json& v) {
    if (v.is_null()) return "--";
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    return fmt::format("{:.4g}", v.get<double>());
}

// The windows (or, without them, the whole record) as CSV rows: t_s, window_s, every metric.
void write_windows_csv(const std::string& path, const Analysis& analysis, double window_s) {
    const nlohmann::json& out = analysis.json;
    std::ofstream csv(path);
    if (!csv) throw std::runtime_error(fmt::format("cannot write {}", path));
    csv << "t_s,window_s";
    for (const auto& k : session::metric_keys()) csv << ',' << k;
    csv << '\n';
    auto row = [&](double t, double w, const nlohmann::json& m) {
        csv << fmt::format("{:.3f},{:.3f}", t, w);
        for (const auto& k : session::metric_keys())
            csv << ','
                << (m[k].is_null() ? std::string() : fmt::format("{:.6g}", m[k].get<double>()));
        csv << '\n';
    };
    if (out["windows"].empty()) row(0.0, analysis.last_beat_t_s, out["metrics"]);
    for (const auto& w : out["windows"]) row(w["t_s"].get<double>(), window_s, w["metrics"]);
    if (!csv) throw std::runtime_error(fmt::format("cannot write {}", path));
}

int run_one(const AnalyzeArgs& a, unsigned jobs) {
    const std::string& input = a.inputs.front();
    const bool progress = ::isatty(STDERR_FILENO);
    auto show = [&](std::size_t done, std::size_t total) {
        if (progress && total > kProgressAbove)
            fmt::print(stderr, "\ranalyzing windows {}/{}", done, total);
    };
    // Kept to the end of the process, which takes its memory back at once: taking a day's
    // windows apart node by node would add a hundredth of a second to the wait.
    static Analysis* kept = nullptr;
    kept = new Analysis(analyze_input(input, a.options, jobs, show));
    const Analysis& analysis = *kept;
    if (progress) fmt::print(stderr, "\r{:<40}\r", "");
    const nlohmann::json& out = analysis.json;
    if (out.contains("quality_note"))
        fmt::print(stderr, "relaxmon: {}: {}\n", input, out["quality_note"].get<std::string>());
    if (!a.csv.empty()) write_windows_csv(a.csv, analysis, a.options.window_s);
    if (a.json) {
        fmt::print("{}\n", dump_indented(out, jobs));
    } else if (a.csv.empty()) {
        fmt::print("{} ({}): {} beats, {:.1f}% artifacts corrected ({})\n", input, analysis.format,
                   out["beats"].get<std::size_t>(), out["artifacts_pct"].get<double>(),
                   a.options.artifacts);
        for (const auto& k : session::metric_keys())
            fmt::print("  {:<16}{:>12}\n", k, format_value(out["metrics"][k]));
        if (!out["windows"].empty())
            fmt::print(
                "  {} windows of {:.0f} s every {:.0f} s (use --json or --csv to see them)\n",
                out["windows"].size(), a.options.window_s, a.options.step_s);
    }
    return kExitOk;
}

int run(const AnalyzeArgs& a) {
    if (!(a.options.window_s >= 10.0)) throw UsageError("--window must be at least 10 seconds");
    if (a.options.step_s < 0.0) throw UsageError("--step must be positive");
    const unsigned jobs = a.jobs > 0 ? a.jobs : std::max(1u, std::thread::hardware_concurrency());
    if (a.inputs.size() == 1) return run_one(a, jobs);
    return analyze_batch(a.inputs, a.options, jobs, BatchOutput{a.json, a.csv});
}

}  // namespace

void add_analyze_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<AnalyzeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "analyze", "HRV of RR or beat files or session folders (Kubios-style metrics)");
    cmd->add_option("input", args->inputs,
                    "RR text, beats.csv, a session folder, a CSV (see --column) or WFDB "
                    "annotations; several: one row (--csv) or JSON line (--json) each")
        ->required();
    AnalysisOptions& o = args->options;
    cmd->add_option("--window", o.window_s, "Window length in seconds (default 300)");
    cmd->add_option("--step", o.step_s, "Step between sliding windows in seconds");
    cmd->add_option("--artifacts", o.artifacts, "Artifact correction: auto, threshold or none")
        ->check(CLI::IsMember({"auto", "threshold", "none"}));
    cmd->add_option("--column", o.column, "CSV column holding the RR intervals");
    cmd->add_option("--method", o.method, "Spectrum: welch (default), lomb or ar")
        ->check(CLI::IsMember({"welch", "lomb", "ar"}));
    auto* json = cmd->add_flag("--json", args->json, "Print everything as JSON");
    cmd->add_option("--csv", args->csv,
                    "Write the (window) metrics to a CSV file; several inputs: one row each")
        ->excludes(json);
    cmd->add_option("--jobs", args->jobs, "Threads to use (default: every core)")
        ->check(CLI::Range(1u, 1024u));
    cmd->callback([&action, args] { action = [args] { return run(*args); }; });
}

}  // namespace relaxmon::cli
