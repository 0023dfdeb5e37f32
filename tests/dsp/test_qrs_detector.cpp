// The QRS detector on synthetic ECG (known beats), and on the MIT-BIH / SVDB / Polar H10
// recordings against their reference annotations, at native rate and resampled to 130 Hz.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <set>
#include <vector>

#include "relaxmon/devices/formats/ecg_file.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/dsp/beat_matching.hpp"
#include "relaxmon/dsp/qrs_detector.hpp"
#include "relaxmon/dsp/resample.hpp"
#include "test_support.hpp"

using namespace relaxmon;
using namespace relaxmon::dsp;

namespace {

// A crude but honest ECG: Gaussian P, QRS (q, R, s) and T waves on a wandering baseline, with
// beats at the given times. Amplitudes in microvolts.
std::vector<float> synthetic_ecg(const std::vector<double>& beats_s, double fs, double seconds,
                                 double r_uv = 1000.0, double noise_uv = 10.0) {
    std::vector<float> x(static_cast<std::size_t>(seconds * fs));
    std::mt19937_64 rng(5);
    std::normal_distribution<double> g(0.0, 1.0);
    auto wave = [](double t, double c, double w, double a) {
        return a * std::exp(-0.5 * (t - c) * (t - c) / (w * w));
    };
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double t = static_cast<double>(i) / fs;
        double v = 150.0 * std::sin(2 * std::numbers::pi * 0.25 * t) + noise_uv * g(rng);
        for (double b : beats_s) {
            if (std::abs(t - b) > 0.6) continue;
            v += wave(t, b - 0.16, 0.025, 0.12 * r_uv) + wave(t, b - 0.02, 0.008, -0.1 * r_uv) +
                 wave(t, b, 0.01, r_uv) + wave(t, b + 0.025, 0.01, -0.2 * r_uv) +
                 wave(t, b + 0.28, 0.05, 0.3 * r_uv);
        }
        x[i] = static_cast<float>(v);
    }
    return x;
}

std::vector<double> regular_beats(double seconds, double rr_s) {
    std::vector<double> b;
    for (double t = 0.7; t < seconds - 0.7; t += rr_s + 0.03 * std::sin(t)) b.push_back(t);
    return b;
}

std::vector<double> times(const std::vector<DetectedBeat>& beats) {
    std::vector<double> t;
    for (const auto& b : beats) t.push_back(b.t_s);
    return t;
}

std::vector<float> resample_to(const std::vector<float>& x, double fs, double target) {
    std::vector<double> t(x.size()), y(x.begin(), x.end());
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = static_cast<double>(i) / fs;
    const auto e = resample_even(t, y, target, Interpolation::cubic);
    return {e.data(), e.data() + e.size()};
}

}  // namespace

TEST_CASE("synthetic ECG: every beat found, R located to a fraction of a sample", "[dsp][qrs]") {
    for (double fs : {100.0, 130.0, 250.0, 360.0, 1000.0}) {
        const auto truth = regular_beats(60.0, 0.8);
        const auto x = synthetic_ecg(truth, fs, 60.0);
        const auto beats = detect_qrs(x, fs);
        const auto s = score_beats(times(beats), truth, 0.15, 1.5);
        INFO("fs " << fs << " TP " << s.tp << " FP " << s.fp << " FN " << s.fn);
        CHECK(s.fn == 0);
        CHECK(s.fp == 0);
        // RR precision better than a sample period: compare detected RR with the true ones.
        double worst = 0.0;
        for (std::size_t i = 2; i < beats.size(); ++i) {
            const double rr = (beats[i].t_s - beats[i - 1].t_s);
            const auto k =
                std::lower_bound(truth.begin(), truth.end(), beats[i].t_s - 0.05) - truth.begin();
            worst = std::max(worst, std::abs(rr - (truth[k] - truth[k - 1])));
        }
        CHECK(worst < 0.5 / fs + 1e-3);
    }
}

TEST_CASE("inverted leads and tiny or huge amplitudes", "[dsp][qrs]") {
    const auto truth = regular_beats(60.0, 0.9);
    for (double scale : {-1.0, 0.05, 20.0}) {
        auto x = synthetic_ecg(truth, 250.0, 60.0, 1000.0 * scale, 10.0 * std::abs(scale));
        const auto s = score_beats(times(detect_qrs(x, 250.0)), truth, 0.15, 1.5);
        INFO("scale " << scale);
        CHECK(s.fn == 0);
        CHECK(s.fp == 0);
    }
}

TEST_CASE("any block size gives the same beats, each within 0.5 s of its R peak", "[dsp][qrs]") {
    const auto truth = regular_beats(120.0, 0.75);
    const auto x = synthetic_ecg(truth, 130.0, 120.0);
    std::vector<std::vector<DetectedBeat>> runs;
    for (std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
        QrsDetector d(130.0);
        std::vector<DetectedBeat> all;
        for (std::size_t i = 0; i < x.size(); i += block) {
            const std::size_t n = std::min(block, x.size() - i);
            for (const auto& b : d.push({x.data() + i, n})) {
                // Emitted now, after sample i + n - 1: latency from the R peak.
                if (block == 1 && b.t_s > 1.5)
                    CHECK((static_cast<double>(i + n) - b.sample) / 130.0 <= 0.5);
                all.push_back(b);
            }
        }
        runs.push_back(all);
    }
    REQUIRE(runs[0].size() == runs[1].size());
    REQUIRE(runs[0].size() == runs[2].size());
    for (std::size_t i = 0; i < runs[0].size(); ++i) {
        CHECK(runs[0][i].sample == runs[1][i].sample);
        CHECK(runs[0][i].sample == runs[2][i].sample);
    }
}

TEST_CASE("lead-off and saturation produce no beats and are reported", "[dsp][qrs]") {
    const double fs = 250.0;
    const auto truth = regular_beats(60.0, 0.8);
    auto x = synthetic_ecg(truth, fs, 60.0);
    // 20-30 s: electrode off (flat, a little noise); 40-45 s: amplifier clipped at +5 mV.
    std::mt19937_64 rng(1);
    std::normal_distribution<double> g(0.0, 2.0);
    for (std::size_t i = 20 * 250; i < 30 * 250; ++i) x[i] = static_cast<float>(g(rng));
    for (std::size_t i = 40 * 250; i < 45 * 250; ++i) x[i] = 5000.0f;
    QrsDetector d(fs);
    auto beats = d.push(x);
    for (const auto& b : d.flush()) beats.push_back(b);
    for (const auto& b : beats) {
        CHECK_FALSE((b.t_s > 20.3 && b.t_s < 30.0));
        CHECK_FALSE((b.t_s > 40.0 && b.t_s < 45.0));
    }
    int lead_off = 0, saturated = 0;
    for (const auto& q : d.take_quality()) {
        lead_off += q.quality == SignalQuality::lead_off;
        saturated += q.quality == SignalQuality::saturated;
    }
    CHECK(lead_off >= 8);
    CHECK(saturated >= 4);
    // Beats resume after each bad stretch, and no RR spans one.
    const auto s = score_beats(times(beats), truth, 0.15, 47.0);
    CHECK(s.fn <= 1);
    for (const auto& b : beats)
        if (b.rr_ms) CHECK(*b.rr_ms < 1200.0);
}

TEST_CASE("MIT-BIH and SVDB records meet the accuracy targets", "[dsp][qrs][reference]") {
    using namespace relaxmon::test;
    static const std::set<int> kBeats{1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                      11, 12, 13, 25, 30, 34, 35, 37, 38, 41};
    struct Record {
        const char* hea;
        const char* atr;
        double target;  // Se and +P, native rate
        double target_130;
    };
    for (const Record r : {Record{"ecg/mitdb/100.hea", "ecg/mitdb/100.atr", 0.997, 0.995},
                           Record{"ecg/mitdb/105.hea", "ecg/mitdb/105.atr", 0.98, 0.98},
                           Record{"ecg/svdb/800.hea", "ecg/svdb/800.atr", 0.997, 0.995},
                           Record{"ecg/mitdb_100s_excerpt/100s.hea",
                                  "ecg/mitdb_100s_excerpt/100s.atr", 0.997, 0.995}}) {
        const auto hea = shared_data(r.hea);
        const auto atr = shared_data(r.atr);
        if (!hea || !atr) continue;
        const auto sig = devices::formats::read_ecg_file(*hea);
        std::vector<double> ref;
        for (const auto& a : devices::formats::read_mit_annotations(*atr))
            if (kBeats.count(a.code)) ref.push_back(static_cast<double>(a.sample) / sig.fs_hz);
        const auto native = score_beats(times(detect_qrs(sig.samples_uv, sig.fs_hz)), ref);
        const auto at130 = score_beats(
            times(detect_qrs(resample_to(sig.samples_uv, sig.fs_hz, 130.0), 130.0)), ref);
        INFO(r.hea << " native Se " << native.sensitivity() << " +P "
                   << native.positive_predictivity() << "; 130 Hz Se " << at130.sensitivity()
                   << " +P " << at130.positive_predictivity());
        CHECK(native.sensitivity() >= r.target);
        CHECK(native.positive_predictivity() >= r.target);
        CHECK(at130.sensitivity() >= r.target_130);
        CHECK(at130.positive_predictivity() >= r.target_130);
    }
}

TEST_CASE("Polar H10 ECG: the detected beats are the strap's own", "[dsp][qrs][reference]") {
    using namespace relaxmon::test;
    const auto ecg = shared_data("polar_h10/detectPVC_polar_h10_ecg_130hz.csv");
    const auto rr = shared_data("polar_h10/detectPVC_polar_h10_rr.csv");
    if (!ecg || !rr) return;
    const auto sig = devices::formats::read_ecg_file(*ecg);
    CHECK(sig.fs_hz == Approx(130.16).margin(0.05));
    const auto det = times(detect_qrs(sig.samples_uv, sig.fs_hz));
    // The strap's beats from its RR sequence; the two clocks share no origin, so the best offset
    // is searched (EC57 matching within 150 ms at each).
    const auto strap = devices::formats::read_rr_file(*rr);
    BeatScore best;
    for (int k = -400; k <= 400; ++k) {
        std::vector<double> ref{k * 0.01};
        for (double x : strap.rr_ms) ref.push_back(ref.back() + x / 1000.0);
        const auto s = score_beats(det, ref);
        if (s.tp > best.tp) best = s;
    }
    INFO("TP " << best.tp << " FP " << best.fp << " FN " << best.fn);
    CHECK(best.sensitivity() >= 0.99);
    CHECK(best.positive_predictivity() >= 0.99);
}
