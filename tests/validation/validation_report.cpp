// Writes docs/validation.md: relaxmon's HRV numbers beside those of NeuroKit2, hrv-analysis and
// the PhysioNet Cardiovascular Signal Toolbox on the reference recordings of ../shared/data, the
// exact answers on synthetic signals, and the artifact detector's sensitivity and specificity.
// Usage: validation_report DATA_DIR > docs/validation.md   (scripts/validation)
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "artifact_injection.hpp"
#include "frontier_section.hpp"
#include "index_section.hpp"
#include "posture_section.hpp"
#include "real_splices.hpp"
#include "realism_section.hpp"
#include "realistic_section.hpp"
#include "reference_series.hpp"
#include "relaxation_runs.hpp"
#include "relaxmon/devices/formats/ecg_file.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/dsp/artifact_correction.hpp"
#include "relaxmon/dsp/beat_matching.hpp"
#include "relaxmon/dsp/hrv_analysis.hpp"
#include "relaxmon/dsp/qrs_detector.hpp"
#include "relaxmon/dsp/resample.hpp"

namespace fs = std::filesystem;
using namespace relaxmon;

namespace {

struct Table {
    std::vector<std::string> header;
    std::vector<std::map<std::string, std::string>> rows;
};

Table read_table(const fs::path& p) {
    std::ifstream in(p);
    Table t;
    std::string line;
    auto split = [](const std::string& l) {
        std::vector<std::string> f(1);
        bool q = false;
        for (char c : l) {
            if (c == '"')
                q = !q;
            else if (c == ',' && !q)
                f.emplace_back();
            else
                f.back() += c;
        }
        return f;
    };
    if (!std::getline(in, line)) return t;
    t.header = split(line);
    while (std::getline(in, line)) {
        const auto f = split(line);
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < t.header.size() && i < f.size(); ++i) row[t.header[i]] = f[i];
        t.rows.push_back(row);
    }
    return t;
}

double num(const std::map<std::string, std::string>& row, const std::string& key) {
    auto it = row.find(key);
    return it == row.end() || it->second.empty() ? NAN : std::stod(it->second);
}

std::string pct(double ours, double ref) {
    if (!std::isfinite(ours) || !std::isfinite(ref) || ref == 0.0) return "-";
    return fmt::format("{:+.2f}%", 100.0 * (ours / ref - 1.0));
}

const std::map<std::string, std::string>& kSeries = test::reference_rr_series();

void neurokit_section(const fs::path& data) {
    const Table ref = read_table(data / "reference_hrv.csv");
    fmt::print("## Time domain and nonlinear metrics against NeuroKit2 0.2.12\n\n");
    fmt::print(
        "Computed through the C++ API with NeuroKit2's parameters where its defaults differ from "
        "ours (DFA: half-overlapping boxes, alpha1 over 4-11 beats, alpha2 over 12-N/10; "
        "no artifact correction). Required: within 0.5% (DFA within 0.02).\n\n");
    fmt::print("| series | metric | relaxmon | NeuroKit2 | difference |\n|---|---|---|---|---|\n");
    for (const auto& [id, file] : kSeries) {
        auto it = std::find_if(ref.rows.begin(), ref.rows.end(),
                               [&](const auto& r) { return r.at("series_id") == id; });
        if (it == ref.rows.end()) continue;
        const auto s = devices::formats::read_rr_file(data / file);
        const auto td = dsp::hrv_time(s.rr_ms);
        const auto pc = dsp::poincare(s.rr_ms);
        const auto a1 = dsp::dfa_alpha(s.rr_ms, {4, 11, true});
        const auto a2 = dsp::dfa_alpha(s.rr_ms, {12, static_cast<int>(s.rr_ms.size() / 10), true});
        const auto se = dsp::sample_entropy(s.rr_ms);
        auto row = [&](const char* metric, double ours, double theirs, bool absolute = false) {
            fmt::print("| {} | {} | {:.4f} | {:.4f} | {} |\n", id, metric, ours, theirs,
                       absolute ? fmt::format("{:+.4f}", ours - theirs) : pct(ours, theirs));
        };
        row("MeanNN (ms)", td->mean_rr_ms, num(*it, "MeanNN_ms"));
        row("SDNN (ms)", *td->sdnn_ms, num(*it, "SDNN_ms"));
        row("RMSSD (ms)", *td->rmssd_ms, num(*it, "RMSSD_ms"));
        row("NN50 (count, exact rule)", double(td->nn50), num(*it, "NN50_count_exact_integer"),
            true);
        row("pNN50 (%)", *td->pnn50_pct, num(*it, "pNN50_pct"));
        row("SD1 (ms)", pc->sd1_ms, num(*it, "SD1_ms"));
        row("SD2 (ms)", pc->sd2_ms, num(*it, "SD2_ms"));
        row("DFA alpha1", *a1, num(*it, "DFA_alpha1"), true);
        row("DFA alpha2", *a2, num(*it, "DFA_alpha2"), true);
        row("SampEn", *se, num(*it, "SampEn"));
    }
    fmt::print(
        "\nWhere pNN50 differs it is NeuroKit2 counting exact 50 ms ties as above 50 "
        "(floating-point RR from sample indices); relaxmon compares at microsecond resolution, "
        "so its NN50 equals the exact integer count in every row (column "
        "`NN50_count_exact_integer` of the reference).\n\n");
}

void hrvanalysis_section(const fs::path& data) {
    const Table ref = read_table(data / "reference_hrv_hrvanalysis.csv");
    fmt::print("## Frequency domain against hrv-analysis 1.0.5 (computed the same way)\n\n");
    fmt::print(
        "hrv-analysis: 4 Hz linear interpolation, mean removed (no detrending), Welch with Hann "
        "windows of 256 samples and nfft 4096, trapezoidal band integration. relaxmon was run "
        "with the same choices through `FrequencyOptions`. Required: within 10%.\n\n");
    fmt::print(
        "| series | LF relaxmon | LF ref | diff | HF relaxmon | HF ref | diff | LF/HF diff |\n");
    fmt::print("|---|---|---|---|---|---|---|---|\n");
    for (const auto& [id, file] : kSeries) {
        auto it = std::find_if(ref.rows.begin(), ref.rows.end(),
                               [&](const auto& r) { return r.at("series_id") == id; });
        if (it == ref.rows.end() || id == "detectPVC_polar_h10_rr") continue;
        const auto s = devices::formats::read_rr_file(data / file);
        std::vector<double> t;
        double acc = 0.0;
        for (double x : s.rr_ms) t.push_back((acc += x) / 1000.0 - s.rr_ms[0] / 1000.0);
        dsp::FrequencyOptions o;
        o.interpolation = dsp::Interpolation::linear;
        o.detrend_lambda.reset();
        o.welch.segment_samples = 256;
        o.welch.nfft = 4096;
        const auto fd = dsp::hrv_frequency(t, s.rr_ms, o);
        const double lf = num(*it, "lf_ms2"), hf = num(*it, "hf_ms2");
        fmt::print("| {} | {:.1f} | {:.1f} | {} | {:.1f} | {:.1f} | {} | {} |\n", id, fd->lf_ms2,
                   lf, pct(fd->lf_ms2, lf), fd->hf_ms2, hf, pct(fd->hf_ms2, hf),
                   pct(*fd->lf_hf, num(*it, "lf_hf_ratio")));
    }
    fmt::print(
        "\nThe remaining few percent: hrv-analysis integrates with the trapezoid rule over the "
        "bins inside each band (losing half a bin at each edge) where relaxmon sums bin powers "
        "(exact for a tone, see below), and its grid stops one sample before the last beat.\n\n");
}

void synthetic_section() {
    fmt::print("## Synthetic signals with known spectra\n\n");
    fmt::print(
        "RR = 1000 ms + A sin(2 pi f t) sampled at the beats, 10 minutes; LF power should be "
        "A^2/2 exactly. Defaults (cubic spline at 4 Hz, smoothness priors lambda 500).\n\n");
    fmt::print(
        "| signal | method | LF (ms^2) | expected | difference | LF peak (Hz) "
        "|\n|---|---|---|---|---|---|\n");
    for (double amp : {20.0, 40.0})
        for (bool detrend : {true, false}) {
            std::vector<double> t, rr;
            double now = 0.0;
            while (now < 600.0) {
                const double x = 1000.0 + amp * std::sin(2 * std::numbers::pi * 0.1 * now);
                now += x / 1000.0;
                t.push_back(now);
                rr.push_back(x);
            }
            for (auto [m, name] :
                 {std::pair{dsp::SpectrumMethod::welch, "Welch"},
                  std::pair{dsp::SpectrumMethod::lomb, "Lomb-Scargle"},
                  std::pair{dsp::SpectrumMethod::ar, "Burg AR(16), pole residues"}}) {
                dsp::FrequencyOptions o;
                o.method = m;
                if (!detrend) o.detrend_lambda.reset();
                const auto fd = dsp::hrv_frequency(t, rr, o);
                fmt::print("| A = {:.0f} ms at 0.1 Hz | {}{} | {:.1f} | {:.1f} | {} | {:.4f} |\n",
                           amp, name, detrend ? "" : ", no detrending", fd->lf_ms2, amp * amp / 2,
                           pct(fd->lf_ms2, amp * amp / 2), *fd->lf_peak_hz);
            }
        }
    fmt::print(
        "\nWith detrending the shortfall of 1.3% is the smoothness-priors filter itself: its "
        "high-pass response at 0.1 Hz (4 Hz sampling, lambda 500) is 0.993 in amplitude, 0.987 "
        "in power. Lomb-Scargle and AR lose another ~1% with detrending "
        "because the trend is read at the beats (Lomb) and the AR model spends order on it.\n\n");
}

void artifact_section(const fs::path& data) {
    fmt::print("## Artifact detection (Lipponen & Tarvainen 2019)\n\n");
    fmt::print(
        "Known artifacts injected every 25-50 beats into the five clean RR series (20 "
        "repetitions, seed 2019): premature beats 15-40% early with a full compensatory pause, "
        "missed beats (two intervals merged), extra beats (an interval split at 20-50%). "
        "Published target: 100% of missed/extra and ~97% of ectopic beats at ~99.9% "
        "specificity.\n\n");
    std::vector<std::vector<double>> series;
    for (const auto& [id, file] : kSeries)
        if (id != "detectPVC_polar_h10_rr")
            series.push_back(devices::formats::read_rr_file(data / file).rr_ms);
    std::mt19937_64 rng(2019);
    test::DetectionScore score;
    for (int repeat = 0; repeat < 20; ++repeat)
        for (const auto& clean : series) {
            const auto inj = test::inject_artifacts(clean, rng, 25);
            test::score_detection(inj, dsp::detect_artifacts_auto(inj.rr), score);
        }
    fmt::print(
        "| class | injected | detected | sensitivity | classified as injected "
        "|\n|---|---|---|---|---|\n");
    const char* names[3] = {"ectopic", "missed", "extra"};
    for (int k = 0; k < 3; ++k)
        fmt::print("| {} | {} | {} | {:.1f}% | {:.1f}% |\n", names[k], score.total[k],
                   score.found[k], 100.0 * score.found[k] / score.total[k],
                   100.0 * score.right_class[k] / score.total[k]);
    fmt::print(
        "\nSpecificity: {:.2f}% ({} false flags among {} clean beats). relaxmon adds one thing to "
        "the paper: thresholds never fall below 10% of the local median RR, because on steady "
        "or coarsely quantised recordings (nsr2db stores RR in 1/128 s steps) the quartile "
        "deviation is a few milliseconds and ordinary sinus variation would be flagged: without "
        "the floor, nsr001's clean excerpt alone had 35 false flags in 469 beats.\n\n",
        100.0 * score.specificity(), score.false_flags, score.clean_beats);
}

void pcst_section(const fs::path& data) {
    const Table ref =
        read_table(data / "rr/nsr2db/pcst_reference_NSR_HRV_allwindows_nsr001_nsr004.csv");
    fmt::print("## 24-hour records against the PhysioNet Cardiovascular Signal Toolbox\n\n");
    fmt::print(
        "`relaxmon analyze nsrXXX.ecg --step 30` (Kubios defaults, automatic artifact "
        "correction) beside the toolbox's 300-s windows every 30 s over the first 2 hours. The "
        "toolbox cleans NN intervals its own way and uses Lomb-Scargle; medians over the "
        "windows of the per-window relative difference:\n\n");
    fmt::print(
        "| record | metric | windows | median difference | median abs. difference "
        "|\n|---|---|---|---|---|\n");
    for (const std::string rec : {"nsr001", "nsr004"}) {
        const auto s = devices::formats::read_rr_file(data / "rr/nsr2db" / (rec + ".ecg"));
        auto cls = dsp::detect_artifacts_auto(s.rr_ms);
        for (std::size_t i = 0; i < cls.size(); ++i)
            if (s.known[i] != dsp::ArtifactClass::none) cls[i] = s.known[i];
        const auto nn = dsp::correct_artifacts(s.t_s, s.rr_ms, cls, s.follows_gap);
        dsp::HrvOptions welch, lomb;
        lomb.frequency.method = dsp::SpectrumMethod::lomb;
        std::map<std::string, std::vector<double>> rel;
        for (const auto& row : ref.rows) {
            if (row.at("patID") != rec) continue;
            const double start = num(row, "t_start");
            const auto lo = std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start) - nn.t_s.begin();
            const auto hi =
                std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start + 300.0) - nn.t_s.begin();
            const auto n = static_cast<std::size_t>(hi - lo);
            const std::span<const double> t(nn.t_s.data() + lo, n), rr(nn.rr_ms.data() + lo, n);
            const auto m = dsp::compute_hrv(t, rr, {}, welch);
            const auto l = dsp::hrv_frequency(t, rr, lomb.frequency);
            auto add = [&](const std::string& k, double ours, double theirs) {
                if (std::isfinite(ours) && std::isfinite(theirs) && theirs != 0.0)
                    rel[k].push_back(ours / theirs - 1.0);
            };
            add("mean NN", m.time->mean_rr_ms, num(row, "NNmean"));
            add("SDNN", *m.time->sdnn_ms, num(row, "SDNN"));
            add("RMSSD", *m.time->rmssd_ms, num(row, "RMSSD"));
            add("SD1", m.poincare->sd1_ms, num(row, "SD1"));
            add("SD2", m.poincare->sd2_ms, num(row, "SD2"));
            if (m.sampen) add("SampEn", *m.sampen, num(row, "SampEn"));
            add("LF (Lomb)", l->lf_ms2, num(row, "lf"));
            add("HF (Lomb)", l->hf_ms2, num(row, "hf"));
            if (l->lf_hf) add("LF/HF (Lomb)", *l->lf_hf, num(row, "lfhf"));
        }
        for (auto& [k, v] : rel) {
            std::vector<double> a(v.size());
            std::transform(v.begin(), v.end(), a.begin(), [](double x) { return std::abs(x); });
            std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2),
                             v.end());
            std::nth_element(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(a.size() / 2),
                             a.end());
            fmt::print("| {} | {} | {} | {:+.1f}% | {:.1f}% |\n", rec, k, v.size(),
                       100.0 * v[v.size() / 2], 100.0 * a[a.size() / 2]);
        }
    }
    fmt::print(
        "\nExplained: the toolbox drops beats its quality rules reject (its `btsdet` counts ~3% "
        "fewer beats than ours in the first window), which lowers SDNN/SD2 in windows with "
        "ectopy and shifts mean NN by about 2%; where relaxmon corrects an ectopic pair by "
        "moving the beat, the toolbox removes both intervals. Its Lomb-Scargle band powers are "
        "20-50% above ours: it does not detrend (slow power leaks into LF and HF) and "
        "normalises the periodogram differently, while relaxmon's is scaled so a tone of "
        "amplitude A carries A^2/2 (table above); the LF/HF ratio, free of scaling, agrees "
        "within a few percent in the median. SampEn over 300 s of 1/128-s quantised data moves "
        "with the tolerance "
        "r = 0.2 SD, which follows each tool's cleaning.\n\n");
}

std::vector<double> beat_times(const std::vector<dsp::DetectedBeat>& beats) {
    std::vector<double> t;
    for (const auto& b : beats) t.push_back(b.t_s);
    return t;
}

void qrs_section(const fs::path& data) {
    fmt::print("## R-peak detection\n\n");
    fmt::print(
        "`relaxmon peaks` (the streaming `QrsDetector`) against the reference beat annotations, "
        "ANSI/AAMI EC57 matching within 150 ms, the whole record scored (the first 5 minutes "
        "included). \"130 Hz\" is the same record resampled to the Polar H10's rate (cubic "
        "spline). Targets: Se and +P at least 99.7% on the clean records at their native rate, "
        "99.5% at 130 Hz, 98% on record 105. For comparison, Pan-Tompkins re-evaluated on the "
        "whole MIT-BIH database: Se 99.54%, +P 99.75%; the best published detectors reach about "
        "99.9% / 99.9%.\n\n");
    fmt::print(
        "| record | rate | reference beats | TP | FP | FN | Se | +P "
        "|\n|---|---|---|---|---|---|---|---|\n");
    static const std::set<int> kBeats{1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                      11, 12, 13, 25, 30, 34, 35, 37, 38, 41};
    for (const char* rec :
         {"ecg/mitdb/100", "ecg/mitdb/105", "ecg/svdb/800", "ecg/mitdb_100s_excerpt/100s"}) {
        const auto sig = devices::formats::read_ecg_file(data / (std::string(rec) + ".hea"));
        std::vector<double> ref;
        for (const auto& a :
             devices::formats::read_mit_annotations(data / (std::string(rec) + ".atr")))
            if (kBeats.count(a.code)) ref.push_back(static_cast<double>(a.sample) / sig.fs_hz);
        for (bool resampled : {false, true}) {
            std::vector<float> x = sig.samples_uv;
            double fs = sig.fs_hz;
            if (resampled) {
                std::vector<double> t(x.size()), y(x.begin(), x.end());
                for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(i) / fs;
                const auto e = dsp::resample_even(t, y, 130.0, dsp::Interpolation::cubic);
                x.assign(e.data(), e.data() + e.size());
                fs = 130.0;
            }
            const auto sc = dsp::score_beats(beat_times(dsp::detect_qrs(x, fs)), ref);
            fmt::print("| {} | {:.0f} Hz | {} | {} | {} | {} | {:.2f}% | {:.2f}% |\n",
                       fs::path(rec).filename().string(), fs, ref.size(), sc.tp, sc.fp, sc.fn,
                       100.0 * sc.sensitivity(), 100.0 * sc.positive_predictivity());
        }
    }
    // Polar H10: the strap's own RR sequence gives its beats, up to an unknown time offset.
    const auto ecg =
        devices::formats::read_ecg_file(data / "polar_h10/detectPVC_polar_h10_ecg_130hz.csv");
    const auto strap =
        devices::formats::read_rr_file(data / "polar_h10/detectPVC_polar_h10_rr.csv");
    const auto det = beat_times(dsp::detect_qrs(ecg.samples_uv, ecg.fs_hz));
    dsp::BeatScore best;
    for (int k = -400; k <= 400; ++k) {
        std::vector<double> ref{k * 0.01};
        for (double x : strap.rr_ms) ref.push_back(ref.back() + x / 1000.0);
        const auto sc = dsp::score_beats(det, ref);
        if (sc.tp > best.tp) best = sc;
    }
    fmt::print(
        "| Polar H10 (vs the strap's RR) | {:.2f} Hz | {} | {} | {} | {} | {:.2f}% | {:.2f}% |\n\n",
        ecg.fs_hz, best.tp + best.fn, best.tp, best.fp, best.fn, 100.0 * best.sensitivity(),
        100.0 * best.positive_predictivity());
    fmt::print(
        "Record 105 is the noisiest of MIT-BIH (muscle noise and baseline shifts), the record on "
        "which every published detector loses most. The Polar H10 subject has frequent PVCs: the "
        "strap "
        "and relaxmon place the R wave of a PVC up to ~25 ms apart (each on its own fiducial "
        "point), well inside the 150-ms match, and the strap's timestamps run on another clock "
        "than the ECG's (130.16 Hz by the phone's timestamps).\n\n");
}

// The detector's evidence, beat by beat, kept to weigh other settings on the same sessions.
struct Evidence {
    struct Scripted {
        double onset_s;
        std::vector<dsp::RelaxFeatures> features;
    };
    std::vector<Scripted> massage[2];  // seeds 1-100, 101-200
    std::vector<std::vector<dsp::RelaxFeatures>> rest, stress;
    std::vector<test::RealSessions> real;
};

void alternatives_table(const Evidence& e) {
    using Params = dsp::RelaxationDetector::Params;
    struct Setting {
        const char* name;
        Params p;
    };
    Params fewer = {}, short15 = {}, short20 = {}, old_weights = {}, no_sustain = {};
    fewer.h_up = 4.0;
    short15.sustain_s = 15.0;
    short20.sustain_s = 20.0;
    no_sustain.sustain_s = 0.0;
    old_weights.w_rmssd = 0.25;
    old_weights.w_rsa = 0.3;
    const std::vector<Setting> settings{{"as built", {}},
                                        {"onset on 4 z-s instead of 8", fewer},
                                        {"sustain 20 s instead of 25", short20},
                                        {"sustain 15 s", short15},
                                        {"no sustain rule", no_sustain},
                                        {"RMSSD weighs 0.25, RSA 0.3 (before)", old_weights}};
    fmt::print(
        "\nOther settings on the same evidence (the features above, beat by beat, through a "
        "detector with other parameters):\n\n"
        "| setting | massage median, seeds 1-100 / 101-200 | onsets before the scripted one (200 "
        "sessions) | "
        "false onsets in 100 h of rest | stress sessions reporting relaxation | real sessions "
        "failing | onsets in {} real half-hours |\n|---|---|---|---|---|---|---|\n",
        [&] {
            std::size_t n = 0;
            for (const auto& r : e.real) n += r.half_hours.size();
            return n;
        }());
    for (const auto& s : settings) {
        std::string medians;
        int early = 0;
        for (const auto& seeds : e.massage) {
            std::vector<double> lat;
            for (const auto& run : seeds) {
                const auto d = test::detection(test::onsets_with(s.p, run.features), run.onset_s);
                early += d.early;
                if (d.latency_s) lat.push_back(*d.latency_s);
            }
            std::sort(lat.begin(), lat.end());
            medians += (medians.empty() ? "" : " / ") +
                       (lat.empty() ? std::string("none detected")
                                    : fmt::format("{:.1f} s", test::median_of_sorted(lat)));
        }
        int rest = 0, stress = 0;
        for (const auto& f : e.rest) rest += static_cast<int>(test::onsets_with(s.p, f).size());
        for (const auto& f : e.stress) stress += !test::onsets_with(s.p, f).empty();
        std::vector<std::string> failing;
        for (std::size_t i = 0; i < e.real.size(); ++i) {
            const auto& r = e.real[i];
            const std::string rec = fmt::format("nsr00{}", i == 0 ? 1 : 4);
            for (const auto& [name, sp] :
                 {std::pair{"busiest day", &r.busiest}, std::pair{"calm day", &r.calm}}) {
                const auto on = test::onsets_with(s.p, sp->features);
                if (on.empty() || on.front() <= sp->splice_s || on.front() >= sp->splice_s + 300.0)
                    failing.push_back(fmt::format(
                        "{} {} (onset at {})", rec, name,
                        on.empty() ? std::string("none") : fmt::format("{:.0f} s", on.front())));
            }
            if (!test::onsets_with(s.p, r.steady_features).empty())
                failing.push_back(rec + " steadiest stretch");
        }
        std::size_t ambulatory = 0;
        for (const auto& r : e.real)
            for (const auto& f : r.half_hours) ambulatory += test::onsets_with(s.p, f).size();
        std::string fails;
        for (const auto& f : failing) fails += (fails.empty() ? "" : ", ") + f;
        fmt::print("| {} | {} | {} | {} | {} | {} | {} |\n", s.name, medians, early, rest, stress,
                   fails.empty() ? std::string("none") : fails, ambulatory);
    }
    fmt::print(
        "\nThe real half-hours are the two records cut into consecutive 30-minute sessions, each "
        "against its own first minutes: ambulatory life (walking, sitting down, sleep stages) "
        "holds genuine falls of heart rate with rising RSA as well as concordant episodes of "
        "20-30 s that are not a relaxation response, so their count is no error rate; a setting "
        "that adds onsets there fires on shorter or weaker episodes. When this table was first "
        "made (before the floors and the heart-rate rule of issue 17, with onsets at a median 89.5 "
        "s): "
        "firing on less evidence (4 z-s) gained 3-4 s but failed both calm days, tripled the "
        "false onsets at rest and reported relaxation under stress; the 25-s sustain (the score "
        "held above 0.25) cost ~1.5 s against no sustain rule and kept out 2 false onsets in 100 "
        "h of rest and a sixth of the onsets in the real half-hours; moving weight from RMSSD "
        "over 30 s to the breath-by-breath RSA amplitude, which carries the same vagal signal "
        "sooner, gained ~1.5 s for one false onset in 100 h.\n\n");
}

void relaxation_section(const fs::path& data) {
    fmt::print("## Relaxation response detector\n\n");
    fmt::print(
        "Simulated sessions (`sim` scenarios, seeds 1-100, and 101-200 as a hold-out; `stress` "
        "1-30) through the live "
        "per-beat "
        "pipeline (artifact screen, SlidingHrv, RelaxationDetector), 20 minutes each (rest: 60 "
        "minutes). Latency is the time from the scripted start of the relaxation response to the "
        "`relaxation_onset` event; the scripted response then takes 2-5 minutes to unfold.\n\n");
    fmt::print(
        "| scenario | sessions | detected | onsets before the scripted one | median latency | 95th "
        "percentile | target |\n");
    fmt::print("|---|---|---|---|---|---|---|\n");
    // Seeds 1-100 are the figures; 101-200 a second sample, against fitting one's noise.
    std::vector<double> paired_cost_s;  // artifacts minus massage, seed by seed (1-100)
    Evidence evidence;
    for (int first : {1, 101}) {
        const std::string seeds = first == 1 ? "" : " (seeds 101-200)";
        std::map<int, double> massage_latency;
        for (auto [sc, name] : {std::pair{devices::sim::Scenario::massage, "massage"},
                                std::pair{devices::sim::Scenario::artifacts, "artifacts"}}) {
            int detected = 0, early = 0;
            std::vector<double> lat;
            for (int seed = first; seed < first + 100; ++seed) {
                auto r = test::run_relaxation(sc, static_cast<std::uint64_t>(seed), 1200.0,
                                              sc == devices::sim::Scenario::massage);
                if (sc == devices::sim::Scenario::massage)
                    evidence.massage[first == 1 ? 0 : 1].push_back(
                        {*r.script.onset_s, std::move(r.features)});
                const auto d = test::detection(r.onsets_s, *r.script.onset_s);
                early += d.early;
                if (d.latency_s) {
                    ++detected;
                    lat.push_back(*d.latency_s);
                    if (sc == devices::sim::Scenario::massage)
                        massage_latency[seed] = *d.latency_s;
                    else if (first == 1 && massage_latency.count(seed))
                        paired_cost_s.push_back(*d.latency_s - massage_latency[seed]);
                }
            }
            std::sort(lat.begin(), lat.end());
            fmt::print(
                "| {}{} | 100 | {}% | {} | {:.1f} s | {:.0f} s | >= 95%, median <= 120 s, p95 <= "
                "240 s |\n",
                name, seeds, detected, early, test::median_of_sorted(lat),
                test::p95_of_sorted(lat));
        }
        int false_onsets = 0;
        for (int seed = first; seed < first + 100; ++seed) {
            auto r = test::run_relaxation(devices::sim::Scenario::rest,
                                          static_cast<std::uint64_t>(seed), 3600.0, first == 1);
            false_onsets += static_cast<int>(r.onsets_s.size());
            if (first == 1) evidence.rest.push_back(std::move(r.features));
        }
        fmt::print(
            "| rest (60 min){} | 100 | - | {} false onsets in 100 h | - | - | <= 2 in 100 h |\n",
            seeds, false_onsets);
    }
    int stress_relax = 0, stress_aroused = 0;
    for (int seed = 1; seed <= 30; ++seed) {
        auto r = test::run_relaxation(devices::sim::Scenario::stress,
                                      static_cast<std::uint64_t>(seed), 1200.0, true);
        stress_relax += !r.onsets_s.empty();
        evidence.stress.push_back(std::move(r.features));
        stress_aroused += r.aroused;
    }
    fmt::print(
        "| stress | 30 | {} reported relaxation | - | - | - | none; all reach `aroused` ({} of 30 "
        "did) |\n\n",
        stress_relax, stress_aroused);
    std::sort(paired_cost_s.begin(), paired_cost_s.end());
    if (paired_cost_s.empty()) paired_cost_s.push_back(std::nan(""));
    const double mean_cost_s = std::accumulate(paired_cost_s.begin(), paired_cost_s.end(), 0.0) /
                               static_cast<double>(paired_cost_s.size());
    fmt::print(
        "The scripted response is a raised-cosine ramp over 2-5 minutes, so 90 s after its start "
        "only ~20-40% of the change has happened (39% for the median ramp). The evidence follows "
        "the body breath by breath: breathing rate and peak-to-trough RSA amplitude are counted "
        "per breath over the last ~15 s (RsaBreaths, after Schafer & Kratky 2008) instead of "
        "read from 64-s and 2-min spectra, which lag by half their window; heart rate is taken "
        "over 10 s and RMSSD over 30 s. Seeds 101-200, a second sample watched while the "
        "parameters were chosen so as not to fit the noise of one, are in the table.\n\n"
        "The `artifacts` scenario is the `massage` session of the same seed with its artifacts "
        "injected (each rewrites two sinus intervals and keeps their sum), so the two compare "
        "seed by seed: with artifacts the onset comes {:+.1f} s later on average (median {:+.1f} "
        "s, from {:+.0f} to {:+.0f} s over seeds 1-100). An artifact must leave the detector's "
        "evidence as it was: the live screen hands on the local median for an ectopic beat, and "
        "at its compensatory pause both become the pair's mean (the two sinus cycles the pair "
        "spans; it keeps the elapsed time); a "
        "premature beat hidden in the trough of a large RSA swing is caught by a drop beyond 5.2 "
        "quartile deviations of the successive differences (Lipponen & Tarvainen 2019) or "
        "unmasked by its pause; RMSSD takes differences between true beats only; the breath "
        "counter rebuilds the stand-ins as evenly spaced sinus intervals instead of cutting the "
        "median's step into the RSA swing. `tests/session/test_pipeline.cpp` holds the features "
        "with artifacts against those without, beat by beat.\n\n",
        mean_cost_s, test::median_of_sorted(paired_cost_s), paired_cost_s.front(),
        paired_cost_s.back());
    fmt::print(
        "Real recordings (`tests/session/real_splices.hpp`, through the live pipeline; the "
        "record's beat annotations, artifacts corrected as `analyze` does). Busiest day: the 700 "
        "beats of highest heart rate (effort and the recovery after it) before the 2100 beats "
        "of lowest heart rate (night). Calm day: the steadiest 10 minutes among those with heart "
        "rate above the record's median (awake and still, as a client before a massage) before the "
        "same "
        "night. Steadiest stretch: the 2100 beats (~30 minutes) with the least spread of "
        "1-minute heart rate and RMSSD, in the detector's floors. The onset must come after the "
        "splice, within 5 minutes; the steady stretch must give none.\n\n");
    fmt::print(
        "| record | session | heart rate day -> night | splice | first onset | target |\n"
        "|---|---|---|---|---|---|\n");
    for (const char* rec : {"nsr001", "nsr004"}) {
        const auto path = data / "rr" / "nsr2db" / (std::string(rec) + ".ecg");
        if (!fs::exists(path)) continue;
        auto r = test::real_sessions(path, true);
        for (const auto& [name, sp] :
             {std::pair{"busiest day -> night", r.busiest}, std::pair{"calm day -> night", r.calm}})
            fmt::print(
                "| {} | {} | {:.0f} -> {:.0f} bpm | {:.0f} s | {} | after the splice, within "
                "300 s |\n",
                rec, name, sp.day_hr_bpm, sp.night_hr_bpm, sp.splice_s,
                sp.onsets_s.empty() ? std::string("none")
                                    : fmt::format("{:+.0f} s", sp.onsets_s.front() - sp.splice_s));
        fmt::print("| {} | steadiest stretch (spread {:.1f} floors) | - | - | {} | none |\n", rec,
                   r.steady_spread,
                   r.steady_onsets_s.empty() ? std::string("none")
                                             : fmt::format("{} onsets", r.steady_onsets_s.size()));
        evidence.real.push_back(std::move(r));
    }
    alternatives_table(evidence);
}

}  // namespace

int main(int argc, char** argv) {
    // validation_report [DATA [FIGURES_DIR]]; RELAXMON_VALIDATION_ONLY=realism prints that
    // section alone (while working on it).
    const fs::path data = argc > 1 ? argv[1] : "../shared/data";
    std::optional<fs::path> figures;
    if (argc > 2) {
        figures = argv[2];
        fs::create_directories(*figures);
    }
    if (!fs::exists(data / "reference_hrv.csv")) {
        fmt::print(stderr, "validation_report: no reference data in {}\n", data.string());
        return 1;
    }
    if (const char* only = std::getenv("RELAXMON_VALIDATION_ONLY");
        only && std::string_view(only) == "realism") {
        validation::realism_section(data);
        return 0;
    }
    if (const char* only = std::getenv("RELAXMON_VALIDATION_ONLY");
        only && std::string_view(only) == "frontier") {
        validation::frontier_section(data);
        return 0;
    }
    if (const char* only = std::getenv("RELAXMON_VALIDATION_ONLY");
        only && std::string_view(only) == "index") {
        validation::index_section(data);
        return 0;
    }
    if (const char* only = std::getenv("RELAXMON_VALIDATION_ONLY");
        only && std::string_view(only) == "posture") {
        validation::posture_section();
        return 0;
    }
    fmt::print("# Validation of relaxmon's HRV numbers\n\n");
    fmt::print(
        "Generated by `scripts/validation` from the recordings in `../shared/data` (see its "
        "README for their origin and the reference tools' exact calls). Do not edit by hand.\n\n");
    neurokit_section(data);
    hrvanalysis_section(data);
    synthetic_section();
    artifact_section(data);
    pcst_section(data);
    qrs_section(data);
    relaxation_section(data);
    validation::realistic_section(data, figures);
    validation::posture_section();
    return 0;
}
