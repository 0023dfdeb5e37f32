// `relaxmon peaks ECG`: R-peak detection on a raw ECG file, written as
// `sample,t_s,rr_ms,quality`; with --against, scored against reference annotations (EC57).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <set>

#include "cli/commands.hpp"
#include "relaxmon/devices/formats/ecg_file.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/dsp/beat_matching.hpp"
#include "relaxmon/dsp/qrs_detector.hpp"

namespace relaxmon::cli {

namespace {

struct PeaksArgs {
    std::string ecg;
    double fs_hz = 0.0;
    std::string column;
    int channel = 0;
    std::string out;
    std::string against;
    double skip_s = 0.0;
};

// Reference beat times (s): MIT annotations (beat codes only) or a CSV with a time column
// (t_s/time_s) or a sample column and the signal's rate.
std::vector<double> reference_beats(const std::filesystem::path& path, double fs_hz) {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw devices::formats::FormatError(fmt::format("{}: cannot open", path.string()));
    char head[512];
    probe.read(head, sizeof head);
    bool text = true;  // annotation files hold NULs and control bytes; CSV does not
    for (std::streamsize i = 0; i < probe.gcount(); ++i) {
        const auto c = static_cast<unsigned char>(head[i]);
        if (c == 0 || (c < 32 && c != '\n' && c != '\r' && c != '\t')) text = false;
    }
    std::vector<double> t;
    if (!text) {
        static const std::set<int> kBeats{1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                          11, 12, 13, 25, 30, 34, 35, 37, 38, 41};
        std::filesystem::path hea = path;
        hea.replace_extension(".hea");
        const double ann_fs =
            std::filesystem::exists(hea) ? devices::formats::read_wfdb_sampling_rate(hea) : fs_hz;
        for (const auto& a : devices::formats::read_mit_annotations(path))
            if (kBeats.count(a.code)) t.push_back(static_cast<double>(a.sample) / ann_fs);
        return t;
    }
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::string cell;
    for (char c : line + ",") {
        if (c == ',') {
            header.push_back(cell);
            cell.clear();
        } else if (c != '\r' && c != '"') {
            cell += c;
        }
    }
    int time_col = -1, sample_col = -1;
    for (int i = 0; i < static_cast<int>(header.size()); ++i) {
        if (header[i] == "t_s" || header[i] == "time_s") time_col = i;
        if (header[i] == "sample") sample_col = i;
    }
    if (time_col < 0 && sample_col < 0)
        throw devices::formats::FormatError(fmt::format(
            "{}:1: no t_s, time_s or sample column for the reference beats", path.string()));
    int line_no = 1;
    while (std::getline(in, line)) {
        ++line_no;
        std::vector<std::string> f(1);
        for (char c : line) {
            if (c == ',')
                f.emplace_back();
            else if (c != '\r')
                f.back() += c;
        }
        const int col = time_col >= 0 ? time_col : sample_col;
        if (col >= static_cast<int>(f.size()) || f[static_cast<std::size_t>(col)].empty()) continue;
        try {
            const double v = std::stod(f[static_cast<std::size_t>(col)]);
            t.push_back(time_col >= 0 ? v : v / fs_hz);
        } catch (const std::exception&) {
            throw devices::formats::FormatError(fmt::format("{}:{}: '{}' is not a number",
                                                            path.string(), line_no,
                                                            f[static_cast<std::size_t>(col)]));
        }
    }
    return t;
}

int run(const PeaksArgs& a) {
    devices::formats::EcgReadOptions o;
    if (a.fs_hz > 0.0) o.fs_hz = a.fs_hz;
    if (!a.column.empty()) o.column = a.column;
    o.channel = a.channel;
    const auto ecg = devices::formats::read_ecg_file(a.ecg, o);
    if (!(ecg.fs_hz >= 50.0 && ecg.fs_hz <= 2000.0))
        throw UsageError(fmt::format("sampling rate {} Hz is outside 50-2000 Hz", ecg.fs_hz));
    const auto beats = dsp::detect_qrs(ecg.samples_uv, ecg.fs_hz);

    std::FILE* out = stdout;
    if (!a.out.empty()) {
        out = std::fopen(a.out.c_str(), "w");
        if (!out) throw std::runtime_error(fmt::format("cannot write {}", a.out));
    }
    fmt::print(out, "sample,t_s,rr_ms,quality\n");
    for (const auto& b : beats)
        fmt::print(out, "{:.2f},{:.4f},{},{:.2f}\n", b.sample, b.t_s,
                   b.rr_ms ? fmt::format("{:.2f}", *b.rr_ms) : std::string(), b.quality);
    if (out != stdout && std::fclose(out) != 0)
        throw std::runtime_error(fmt::format("cannot write {}", a.out));

    if (!a.against.empty()) {
        const auto ref = reference_beats(a.against, ecg.fs_hz);
        std::vector<double> det;
        for (const auto& b : beats) det.push_back(b.t_s);
        const auto s = dsp::score_beats(det, ref, 0.15, a.skip_s);
        // The score goes to stderr when the beats go to stdout, so both stay usable.
        std::FILE* report = a.out.empty() ? stderr : stdout;
        fmt::print(report,
                   "TP {} FP {} FN {} Se {:.2f}% +P {:.2f}% ({} reference beats, {:.0f} Hz)\n",
                   s.tp, s.fp, s.fn, 100.0 * s.sensitivity(), 100.0 * s.positive_predictivity(),
                   s.tp + s.fn, ecg.fs_hz);
    }
    return kExitOk;
}

}  // namespace

void add_peaks_command(CLI::App& app, Action& action) {
    auto args = std::make_shared<PeaksArgs>();
    CLI::App* cmd = app.add_subcommand("peaks", "R-peak detection on a raw ECG file");
    cmd->add_option("ecg", args->ecg, "WFDB record (.hea/.dat) or CSV/text of samples")->required();
    cmd->add_option("--fs", args->fs_hz, "Sampling rate (Hz) for CSV/text input");
    cmd->add_option("--column", args->column, "CSV column holding the ECG");
    cmd->add_option("--channel", args->channel, "WFDB signal number (default 0, the first)");
    cmd->add_option("--out", args->out, "Write the beats here instead of stdout");
    cmd->add_option("--against", args->against, "Reference beats (.atr or CSV) to score against");
    cmd->add_option("--skip", args->skip_s, "Seconds at the start left out of the score");
    cmd->callback([&action, args] { action = [args] { return run(*args); }; });
}

}  // namespace relaxmon::cli
