#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <vector>

#include "reference_series.hpp"
#include "relaxmon/dsp/detrend.hpp"
#include "relaxmon/dsp/hrv_frequency.hpp"
#include "test_support.hpp"

using namespace relaxmon::dsp;

namespace {
// Beats whose RR follows 1000 + sum A_k sin(2 pi f_k t): the intervals sampled at the beats.
struct Beats {
    std::vector<double> t, rr;
};
Beats modulated(std::vector<std::pair<double, double>> tones, double seconds,
                double mean = 1000.0) {
    Beats b;
    double t = 0.0;
    while (t < seconds) {
        double rr = mean;
        for (auto [amp, f] : tones) rr += amp * std::sin(2 * std::numbers::pi * f * t);
        t += rr / 1000.0;
        b.t.push_back(t);
        b.rr.push_back(rr);
    }
    return b;
}
}  // namespace

TEST_CASE("a 0.1 Hz modulation of amplitude A carries A^2/2 of LF power", "[dsp][spectrum]") {
    const double A = 40.0;
    const auto b = modulated({{A, 0.1}}, 600.0);
    for (auto method : {SpectrumMethod::welch, SpectrumMethod::lomb, SpectrumMethod::ar}) {
        FrequencyOptions o;
        o.method = method;
        const auto fd = hrv_frequency(b.t, b.rr, o);
        REQUIRE(fd);
        INFO("method " << static_cast<int>(method));
        CHECK(fd->lf_ms2 == Approx(A * A / 2).epsilon(0.03));
        CHECK(fd->hf_ms2 < 0.01 * fd->lf_ms2);
        CHECK(*fd->lf_peak_hz == Approx(0.1).margin(0.005));
    }
}

TEST_CASE("without detrending a tone's power is exact", "[dsp][spectrum]") {
    const double A = 30.0;
    const auto b = modulated({{A, 0.1}}, 600.0);
    for (auto method : {SpectrumMethod::welch, SpectrumMethod::lomb, SpectrumMethod::ar}) {
        FrequencyOptions o;
        o.method = method;
        o.detrend_lambda.reset();
        const auto fd = hrv_frequency(b.t, b.rr, o);
        REQUIRE(fd);
        INFO("method " << static_cast<int>(method));
        CHECK(fd->lf_ms2 ==
              Approx(A * A / 2).epsilon(method == SpectrumMethod::lomb ? 0.01 : 0.002));
    }
}

TEST_CASE("two tones split between LF and HF as their amplitudes say", "[dsp][spectrum]") {
    const auto b = modulated({{30.0, 0.09}, {20.0, 0.25}}, 600.0);
    const auto fd = hrv_frequency(b.t, b.rr);
    REQUIRE(fd);
    CHECK(fd->lf_ms2 == Approx(450.0).epsilon(0.03));
    CHECK(fd->hf_ms2 == Approx(200.0).epsilon(0.03));
    CHECK(*fd->lf_hf == Approx(2.25).epsilon(0.05));
    CHECK(*fd->lf_nu == Approx(100.0 * 450 / 650).margin(1.0));
    CHECK(*fd->hf_peak_hz == Approx(0.25).margin(0.005));
    // Breathing at 15/min is the strongest peak in the breathing range? No: 0.09 Hz is larger,
    // but lies below the breathing search range only when slower than 5/min; here both count.
    REQUIRE(fd->resp_rate_bpm);
}

TEST_CASE("respiration rate from the RSA peak, with confidence", "[dsp][spectrum]") {
    const auto calm = modulated({{50.0, 0.2}, {8.0, 0.1}}, 300.0);
    const auto fd = hrv_frequency(calm.t, calm.rr);
    REQUIRE(fd);
    CHECK(*fd->resp_rate_bpm == Approx(12.0).margin(0.5));
    CHECK(fd->resp_confident);
    // Two equal peaks: no confident answer.
    const auto split = modulated({{30.0, 0.15}, {30.0, 0.3}}, 300.0);
    const auto fs = hrv_frequency(split.t, split.rr);
    REQUIRE(fs);
    CHECK_FALSE(fs->resp_confident);
}

TEST_CASE("smoothness priors remove a slow trend and keep the LF band", "[dsp][detrend]") {
    const int n = 2400;  // 10 min at 4 Hz
    Eigen::VectorXd z(n);
    for (int i = 0; i < n; ++i) {
        const double t = i / 4.0;
        z[i] = 900.0 + 0.2 * t + 30.0 * std::sin(2 * std::numbers::pi * 0.1 * t);
    }
    const Eigen::VectorXd d = smoothness_priors_detrend(z, 500.0);
    // What is left is the 0.1 Hz tone, attenuated by ~0.7% (H = 0.993 at 0.1 Hz, 4 Hz).
    double ss = 0.0;
    for (int i = 200; i < n - 200; ++i) ss += d[i] * d[i];
    CHECK(std::sqrt(ss / (n - 400)) == Approx(30.0 / std::sqrt(2.0)).epsilon(0.02));
    CHECK(std::abs(d.segment(200, n - 400).mean()) < 0.5);
}

TEST_CASE("Welch band powers agree with hrv-analysis computed the same way",
          "[dsp][spectrum][reference]") {
    using namespace relaxmon::test;
    const auto ref_path = shared_data("reference_hrv_hrvanalysis.csv");
    if (!ref_path) return;
    const CsvTable ref = read_csv(*ref_path);
    const auto lf = ref.numbers("lf_ms2"), hf = ref.numbers("hf_ms2");
    const auto& files = reference_rr_series();
    int compared = 0;
    for (std::size_t i = 0; i < ref.rows.size(); ++i) {
        const auto it = files.find(ref.rows[i][0]);
        if (it == files.end() || it->first == "detectPVC_polar_h10_rr") continue;
        const auto path = shared_data(it->second);
        if (!path) continue;
        const auto rr = read_rr_ms(*path);
        // hrv-analysis: beat times from the cumulative sum, first beat at 0; 4 Hz linear
        // interpolation; mean removed; Hann, 256-sample segments, nfft 4096.
        std::vector<double> t;
        double acc = 0.0;
        for (double x : rr) t.push_back((acc += x) / 1000.0 - rr[0] / 1000.0);
        FrequencyOptions o;
        o.interpolation = Interpolation::linear;
        o.detrend_lambda.reset();
        o.welch.segment_samples = 256;
        o.welch.nfft = 4096;
        const auto fd = hrv_frequency(t, rr, o);
        REQUIRE(fd);
        INFO(it->first << ": LF " << fd->lf_ms2 << " vs " << lf[i] << ", HF " << fd->hf_ms2
                       << " vs " << hf[i]);
        CHECK(fd->lf_ms2 == Approx(lf[i]).epsilon(0.10));
        CHECK(fd->hf_ms2 == Approx(hf[i]).epsilon(0.10));
        ++compared;
    }
    CHECK(compared == 5);
}
