#include "cli/analyze_batch.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "session/csv_file.hpp"
#include "session/metrics_json.hpp"

namespace relaxmon::cli {

namespace {

struct Outcome {
    std::optional<Analysis> analysis;
    std::string error;  // one line naming the input
};

std::string number_or_empty(const nlohmann::json& v) {
    return v.is_number() ? fmt::format("{:.6g}", v.get<double>()) : std::string();
}

std::string csv_header() {
    std::string h = "input,beats,artifacts_pct";
    for (const auto& k : session::metric_keys()) h += ',' + k;
    return h + ",relaxation_onset_s,time_to_onset_s,time_relaxed_s,error\n";
}

std::string csv_row(const std::string& input, const Outcome& o) {
    std::string row = session::csv_field(input);
    if (!o.analysis) {
        row += ",,";
        for (std::size_t i = 0; i < session::metric_keys().size() + 3; ++i) row += ',';
        return row + ',' + session::csv_field(o.error) + '\n';
    }
    const nlohmann::json& j = o.analysis->json;
    row +=
        fmt::format(",{},{}", j["beats"].get<std::size_t>(), number_or_empty(j["artifacts_pct"]));
    for (const auto& k : session::metric_keys()) row += ',' + number_or_empty(j["metrics"][k]);
    const nlohmann::json& s = j["summary"];
    row += ',' + number_or_empty(s["relaxation_onset_s"]) + ',' +
           number_or_empty(s["time_to_onset_s"]) + ',' + number_or_empty(s["time_relaxed_s"]);
    return row + ",\n";
}

std::string readable_line(const std::string& input, const Outcome& o) {
    if (!o.analysis) {
        // The error names the input itself: "INPUT: why" or "INPUT:LINE: why".
        std::string why = o.error;
        if (why.rfind(input + ": ", 0) == 0)
            why.erase(0, input.size() + 2);
        else if (why.rfind(input + ":", 0) == 0)
            why = "line " + why.substr(input.size() + 1);
        return fmt::format("{}: not analyzed: {}\n", input, why);
    }
    const nlohmann::json& j = o.analysis->json;
    const nlohmann::json& m = j["metrics"];
    auto num = [](const nlohmann::json& v, const char* f) {
        return v.is_number() ? fmt::format(fmt::runtime(f), v.get<double>()) : std::string("--");
    };
    const nlohmann::json& onset = j["summary"]["relaxation_onset_s"];
    return fmt::format(
        "{}: {} beats, {} % artifacts, HR {} bpm, RMSSD {} ms, SDNN {} ms, {}\n", input,
        j["beats"].get<std::size_t>(), num(j["artifacts_pct"], "{:.1f}"),
        num(m["mean_hr_bpm"], "{:.1f}"), num(m["rmssd_ms"], "{:.1f}"), num(m["sdnn_ms"], "{:.1f}"),
        onset.is_number() ? fmt::format("relaxation onset at {:.0f} s", onset.get<double>())
                          : std::string("no relaxation onset"));
}

// One line on a terminal, redrawn in place: [#####.....] 12/50 inputs, 3.1/s.
void draw_progress(std::size_t done, std::size_t total, double elapsed_s) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / std::max<std::size_t>(total, 1));
    fmt::print(stderr, "\r[{}{}] {}/{} inputs, {:.1f}/s ", std::string(filled, '#'),
               std::string(kWidth - filled, '.'), done, total,
               elapsed_s > 0.0 ? static_cast<double>(done) / elapsed_s : 0.0);
}

}  // namespace

int analyze_batch(const std::vector<std::string>& inputs, const AnalysisOptions& options,
                  unsigned jobs, const BatchOutput& output) {
    const std::size_t n = inputs.size();
    jobs = std::max(1u, jobs);
    // Fewer inputs than threads: each input shares the rest among its windows.
    const unsigned per_input =
        std::max(1u, jobs / static_cast<unsigned>(std::max<std::size_t>(n, 1)));
    // A row holds the whole-record metrics only: the windows are for --json.
    AnalysisOptions per_file = options;
    if (!output.json) per_file.step_s = 0.0;

    std::ofstream csv;
    if (!output.csv_path.empty()) {
        csv.open(output.csv_path);
        if (!csv) throw std::runtime_error(fmt::format("cannot write {}", output.csv_path));
        csv << csv_header() << std::flush;
    }
    std::vector<std::optional<Outcome>> outcomes(n);
    std::size_t completed = 0;
    std::mutex mutex;
    std::condition_variable finished;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next++) < n;) {
            Outcome o;
            try {
                o.analysis = analyze_input(inputs[i], per_file, per_input);
            } catch (const std::exception& e) {
                o.error = e.what();
            }
            const std::scoped_lock lock(mutex);
            outcomes[i] = std::move(o);
            ++completed;
            finished.notify_one();
        }
    };
    const bool progress = ::isatty(STDERR_FILENO);
    const auto start = std::chrono::steady_clock::now();
    auto redraw = [&](std::size_t done) {
        if (progress)
            draw_progress(
                done, n,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    std::size_t failed = 0;
    {
        std::vector<std::jthread> workers;
        for (unsigned k = 0; k < std::min<std::size_t>(jobs, n); ++k) workers.emplace_back(work);
        // Rows go out in the order given, each as soon as it and those before it are done; the
        // bar counts every input done.
        for (std::size_t written = 0; written < n;) {
            std::unique_lock lock(mutex);
            if (!finished.wait_for(lock, std::chrono::milliseconds(250),
                                   [&] { return outcomes[written].has_value(); })) {
                const std::size_t done = completed;
                lock.unlock();
                redraw(done);
                continue;
            }
            Outcome o = std::move(*outcomes[written]);
            outcomes[written].reset();
            const std::size_t done = completed;
            lock.unlock();
            const std::string& input = inputs[written];
            if (progress) fmt::print(stderr, "\r{:<70}\r", "");
            if (!o.analysis) {
                ++failed;
                fmt::print(stderr, "relaxmon: {}\n", o.error);
            } else if (o.analysis->json.contains("quality_note")) {
                fmt::print(stderr, "relaxmon: {}: {}\n", input,
                           o.analysis->json["quality_note"].get<std::string>());
            }
            if (csv.is_open()) {
                csv << csv_row(input, o) << std::flush;
                if (!csv) throw std::runtime_error(fmt::format("cannot write {}", output.csv_path));
            } else if (output.json) {
                const nlohmann::json line =
                    o.analysis ? std::move(o.analysis->json)
                               : nlohmann::json{{"input", input}, {"error", o.error}};
                fmt::print("{}\n", line.dump());
            } else {
                fmt::print("{}", readable_line(input, o));
            }
            std::fflush(stdout);
            ++written;
            redraw(done);
        }
    }
    if (progress) fmt::print(stderr, "\r{:<70}\r", "");
    if (failed > 0) {
        fmt::print(stderr, "relaxmon: {} of {} inputs could not be analyzed\n", failed, n);
        return kExitFailure;
    }
    return kExitOk;
}

}  // namespace relaxmon::cli
