// `relaxmon analyze INPUT`: HRV of an RR/beat file - artifact detection and correction, then all
// metrics over the whole record and, with --step, over sliding windows.
#include <fmt/format.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/devices/formats/session_events.hpp"
#include "relaxmon/dsp/artifact_correction.hpp"
#include "relaxmon/dsp/hrv_analysis.hpp"
#include "session/metrics_json.hpp"
#include "session/pipeline.hpp"

namespace relaxmon::cli {

namespace {

constexpr double kMinCoverage = 0.8;  // a window needs beats over 80% of its length
// Fewer beats, or a shorter span, than any metric needs (ultra-short RMSSD: 30 s, Munoz 2015).
constexpr std::size_t kMinBeats = 10;
constexpr double kMinSpan_s = 30.0;
constexpr double kDominatedPct = 20.0;  // flagged beats above this share: the record is reported
constexpr std::size_t kProgressAbove = 200;

struct AnalyzeArgs {
    std::string input;
    double window_s = 300.0;
    double step_s = 0.0;
    std::string artifacts = "auto";
    std::string column;
    bool json = false;
    std::string csv;
    std::string method = "welch";
};

std::vector<dsp::ArtifactClass> classify(const devices::formats::RrSeries& s,
                                         const std::string& mode) {
    std::vector<dsp::ArtifactClass> cls(s.rr_ms.size(), dsp::ArtifactClass::none);
    if (mode == "auto")
        cls = dsp::detect_artifacts_auto(s.rr_ms);
    else if (mode == "threshold")
        cls = dsp::detect_artifacts_threshold(s.rr_ms);
    // What the file itself says (annotated ectopic beats, recorded gaps) always stands.
    for (std::size_t i = 0; i < cls.size(); ++i)
        if (s.known[i] != dsp::ArtifactClass::none) cls[i] = s.known[i];
    return cls;
}

std::string format_value(const nlohmann::json& v) {
    if (v.is_null()) return "--";
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    return fmt::format("{:.4g}", v.get<double>());
}

int run(const AnalyzeArgs& a) {
    if (!(a.window_s >= 10.0)) throw UsageError("--window must be at least 10 seconds");
    if (a.step_s < 0.0) throw UsageError("--step must be positive");
    // A session directory: its beats, and its "massage start" markers as baselines.
    std::filesystem::path input = a.input;
    struct BaselineMark {
        double t_s;
        bool undo;  // a baseline set by hand, taken back
    };
    std::vector<BaselineMark> baseline_marks;
    if (std::filesystem::is_directory(input)) {
        const auto events = input / "events.csv";
        input /= "beats.csv";
        if (std::filesystem::exists(events))
            for (const auto& e : devices::formats::read_session_events(events)) {
                if (e.kind != "marker") continue;
                if (devices::formats::marker_ends_baseline(e.label))
                    baseline_marks.push_back({e.t_s, false});
                else if (devices::formats::marker_undoes_baseline(e.label))
                    baseline_marks.push_back({e.t_s, true});
            }
    }
    const auto series = devices::formats::read_rr_file(
        input, a.column.empty() ? std::nullopt : std::optional<std::string>(a.column));
    // Too little to say anything: one line, exit 1 (not a table of dashes).
    const double span_s = series.t_s.size() >= 2 ? series.t_s.back() - series.t_s.front() : 0.0;
    if (series.rr_ms.size() < kMinBeats || span_s < kMinSpan_s)
        throw std::runtime_error(fmt::format(
            "{}: {} beat{} over {:.0f} s is too short for HRV: it needs at least {} beats over "
            "{:.0f} s (5 minutes for the standard short-term metrics)",
            a.input, series.rr_ms.size(), series.rr_ms.size() == 1 ? "" : "s", span_s, kMinBeats,
            kMinSpan_s));
    const auto classes = classify(series, a.artifacts);
    const auto nn = dsp::correct_artifacts(series.t_s, series.rr_ms, classes, series.follows_gap);
    std::size_t flagged = 0;
    for (auto c : classes) flagged += c != dsp::ArtifactClass::none && c != dsp::ArtifactClass::gap;
    const double flagged_pct = 100.0 * static_cast<double>(flagged) / series.rr_ms.size();

    dsp::HrvOptions opts;
    opts.frequency.method = a.method == "lomb" ? dsp::SpectrumMethod::lomb
                            : a.method == "ar" ? dsp::SpectrumMethod::ar
                                               : dsp::SpectrumMethod::welch;
    nlohmann::json out;
    out["input"] = a.input;
    out["beats"] = series.rr_ms.size();
    out["artifacts_pct"] = flagged_pct;
    // A record dominated by ectopic beats or artifacts: its HRV describes the rhythm disorder or
    // the recording, not autonomic tone (Task Force 1996 analyses sinus rhythm only).
    if (flagged_pct >= kDominatedPct) {
        out["quality_note"] = fmt::format(
            "{:.0f}% of the beats are ectopic or artifacts: the HRV of this record describes the "
            "arrhythmia or the recording, not autonomic tone",
            flagged_pct);
        fmt::print(stderr, "relaxmon: {}: {}\n", a.input, out["quality_note"].get<std::string>());
    }
    out["metrics"] =
        session::metrics_to_json(dsp::compute_hrv(nn.t_s, nn.rr_ms, nn.follows_gap, opts));
    out["windows"] = nlohmann::json::array();
    // The relaxation detector over the whole input, beat by beat as in a live session: on a
    // thread of its own while the windows are computed (both are most of the time of a day).
    auto relaxation_pass = std::async(std::launch::async, [&nn, &baseline_marks] {
        nlohmann::json events = nlohmann::json::array();
        session::Pipeline pipeline(60.0, session::Pipeline::Use::analysis);
        std::size_t next_marker = 0;
        for (std::size_t i = 0; i < nn.rr_ms.size(); ++i) {
            for (; next_marker < baseline_marks.size() &&
                   baseline_marks[next_marker].t_s <= nn.t_s[i];
                 ++next_marker) {
                const BaselineMark& mark = baseline_marks[next_marker];
                if (mark.undo)
                    pipeline.undo_baseline();
                else
                    pipeline.set_baseline(mark.t_s, false);
            }
            if (nn.follows_gap[i])
                pipeline.on_status(devices::DeviceStatus{nn.t_s[i], false, {}, {}, {}, {}});
            pipeline.on_beat(devices::RrBeat{nn.t_s[i], nn.rr_ms[i], 0});
            if (const auto& ev = pipeline.relax().event)
                events.push_back({{"t_s", ev->t_s}, {"kind", ev->kind}, {"label", ev->label}});
        }
        return std::pair{std::move(events),
                         session::relaxation_summary_to_json(pipeline.detector().summary())};
    });

    if (a.step_s > 0.0 && !nn.t_s.empty()) {
        const double end = nn.t_s.back();
        const auto total =
            static_cast<std::size_t>(std::max(0.0, (end - a.window_s) / a.step_s) + 1);
        const bool progress = total > kProgressAbove && ::isatty(STDERR_FILENO);
        std::size_t done = 0;
        for (double start = 0.0; start + a.window_s <= end + 1e-9; start += a.step_s, ++done) {
            const auto lo = std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start) - nn.t_s.begin();
            const auto hi =
                std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start + a.window_s) - nn.t_s.begin();
            const auto count = static_cast<std::size_t>(hi - lo);
            const std::span<const double> t(nn.t_s.data() + lo, count),
                rr(nn.rr_ms.data() + lo, count);
            std::vector<std::uint8_t> gaps(nn.follows_gap.begin() + lo,
                                           nn.follows_gap.begin() + hi);
            if (!gaps.empty()) gaps[0] = 0;
            double covered = 0.0;
            for (double x : rr) covered += x / 1000.0;
            dsp::HrvMetrics m;
            if (covered >= kMinCoverage * a.window_s) m = dsp::compute_hrv(t, rr, gaps, opts);
            out["windows"].push_back({{"t_s", start}, {"metrics", session::metrics_to_json(m)}});
            if (progress && done % 50 == 0)
                fmt::print(stderr, "\ranalyzing windows {}/{}", done, total);
        }
        if (progress) fmt::print(stderr, "\r{:<40}\r", "");
    }
    {
        auto [events, summary] = relaxation_pass.get();
        out["events"] = std::move(events);
        out["summary"] = std::move(summary);
    }

    if (!a.csv.empty()) {
        std::ofstream csv(a.csv);
        if (!csv) throw std::runtime_error(fmt::format("cannot write {}", a.csv));
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
        if (out["windows"].empty()) row(0.0, nn.t_s.empty() ? 0.0 : nn.t_s.back(), out["metrics"]);
        for (const auto& w : out["windows"]) row(w["t_s"].get<double>(), a.window_s, w["metrics"]);
        if (!csv) throw std::runtime_error(fmt::format("cannot write {}", a.csv));
    }
    if (a.json) {
        fmt::print("{}\n", out.dump(2));
    } else if (a.csv.empty()) {
        fmt::print("{} ({}): {} beats, {:.1f}% artifacts corrected ({})\n", a.input, series.kind,
                   series.rr_ms.size(),
                   out["artifacts_pct"].is_null() ? 0.0 : out["artifacts_pct"].get<double>(),
                   a.artifacts);
        for (const auto& k : session::metric_keys())
            fmt::print("  {:<16}{:>12}\n", k, format_value(out["metrics"][k]));
        if (!out["windows"].empty())
            fmt::print(
                "  {} windows of {:.0f} s every {:.0f} s (use --json or --csv to see them)\n",
                out["windows"].size(), a.window_s, a.step_s);
    }
    return kExitOk;
}

}  // namespace

void add_analyze_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<AnalyzeArgs>();
    CLI::App* cmd =
        app.add_subcommand("analyze", "HRV of an RR or beat file (Kubios-style metrics)");
    cmd->add_option("input", args->input,
                    "RR text, beats.csv, a CSV (see --column) or WFDB annotations")
        ->required();
    cmd->add_option("--window", args->window_s, "Window length in seconds (default 300)");
    cmd->add_option("--step", args->step_s, "Step between sliding windows in seconds");
    cmd->add_option("--artifacts", args->artifacts, "Artifact correction: auto, threshold or none")
        ->check(CLI::IsMember({"auto", "threshold", "none"}));
    cmd->add_option("--column", args->column, "CSV column holding the RR intervals");
    cmd->add_option("--method", args->method, "Spectrum: welch (default), lomb or ar")
        ->check(CLI::IsMember({"welch", "lomb", "ar"}));
    auto* json = cmd->add_flag("--json", args->json, "Print everything as JSON");
    cmd->add_option("--csv", args->csv, "Write the (window) metrics to a CSV file")->excludes(json);
    cmd->callback([&action, args] { action = [args] { return run(*args); }; });
}

}  // namespace relaxmon::cli
