// The live pipeline against artifacts: the simulator's artifacts scenario is the massage session of
// the same seed plus ectopic and missed beats, a dropout and a contact loss, so beat by beat the
// detector's features with artifacts can be held against those without.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <vector>

#include "relaxation_runs.hpp"

using namespace relaxmon;
using devices::sim::Scenario;

namespace {

// The detector's features at each beat (keyed by its time in ms) over 30 minutes.
std::map<long, dsp::RelaxFeatures> features(Scenario sc, std::uint64_t seed) {
    std::map<long, dsp::RelaxFeatures> out;
    for (const auto& f : test::run_relaxation(sc, seed, 1800.0, true).features)
        out[std::lround(f.t_s * 1000.0)] = f;
    return out;
}

struct Drift {
    double sum = 0.0, sum_abs = 0.0;
    int n = 0;
    void add(double d) {
        sum += d;
        sum_abs += std::abs(d);
        ++n;
    }
    double mean() const { return sum / n; }
    double mean_abs() const { return sum_abs / n; }
};

}  // namespace

TEST_CASE("ectopic and missed beats leave the detector's features as they were",
          "[session][artifacts]") {
    // Stand-ins for artifacts (the local median for a premature beat, the pair's mean for it and
    // its pause) are made up: fed on as they are, they add near-zero or arbitrary successive
    // differences (RMSSD moves) and a step on the crest of the RSA swing (one breath more, a
    // smaller swing). Neither must happen.
    Drift ln_rmssd, ln_rsa, breathing, hr;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        const auto clean = features(Scenario::massage, seed);
        for (const auto& [t_ms, a] : features(Scenario::artifacts, seed)) {
            const auto it = clean.find(t_ms);
            if (it == clean.end() || !a.usable) continue;
            const auto& c = it->second;
            if (a.rmssd_ms && c.rmssd_ms) ln_rmssd.add(std::log(*a.rmssd_ms / *c.rmssd_ms));
            if (a.rsa_amplitude_ms && c.rsa_amplitude_ms)
                ln_rsa.add(std::log(*a.rsa_amplitude_ms / *c.rsa_amplitude_ms));
            if (a.resp_rate_bpm && c.resp_rate_bpm)
                breathing.add(*a.resp_rate_bpm - *c.resp_rate_bpm);
            if (a.hr_bpm && c.hr_bpm) hr.add(*a.hr_bpm - *c.hr_bpm);
        }
    }
    REQUIRE(ln_rmssd.n > 10000);
    INFO("ln RMSSD " << ln_rmssd.mean() << " (|" << ln_rmssd.mean_abs() << "|), ln RSA "
                     << ln_rsa.mean() << " (|" << ln_rsa.mean_abs() << "|), breathing "
                     << breathing.mean() << "/min (|" << breathing.mean_abs() << "|), HR "
                     << hr.mean() << " bpm (|" << hr.mean_abs() << "|)");
    CHECK(std::abs(ln_rmssd.mean()) < 0.004);
    CHECK(ln_rmssd.mean_abs() < 0.012);
    CHECK(std::abs(ln_rsa.mean()) < 0.005);
    CHECK(ln_rsa.mean_abs() < 0.01);
    CHECK(std::abs(breathing.mean()) < 0.03);
    CHECK(breathing.mean_abs() < 0.1);
    CHECK(std::abs(hr.mean()) < 0.05);
    CHECK(hr.mean_abs() < 0.035);
}

TEST_CASE("a flagged beat never spikes the RMSSD the screen and the files show",
          "[session][artifacts]") {
    // The 60-s RMSSD of metrics.csv and the dashboard, beat by beat, with artifacts against the
    // same body without them. A premature beat that passes as sinus and is unmasked by its pause
    // is taken back: both stand in as the pair's mean. Left as they came, the pair's two large
    // differences sent RMSSD from 48 to 103 ms for a minute.
    std::vector<double> ln_ratio;
    for (std::uint64_t seed = 1; seed <= 8; ++seed) {
        const auto clean = features(Scenario::massage, seed);
        for (const auto& [t_ms, a] : features(Scenario::artifacts, seed)) {
            const auto it = clean.find(t_ms);
            if (it == clean.end() || !a.rmssd_report_ms || !it->second.rmssd_report_ms) continue;
            // Within a minute of a dropout or contact loss the windows hold different beats.
            if (!a.usable) continue;
            ln_ratio.push_back(
                std::abs(std::log(*a.rmssd_report_ms / *it->second.rmssd_report_ms)));
        }
    }
    REQUIRE(ln_ratio.size() > 10000);
    std::sort(ln_ratio.begin(), ln_ratio.end());
    const double p99 = ln_ratio[ln_ratio.size() * 99 / 100], worst = ln_ratio.back();
    INFO("|ln RMSSD ratio| p99 " << p99 << ", max " << worst);
    // Measured: p99 0.043, max 0.127 (the median stand-in alone: 0.227 and 0.349).
    CHECK(p99 < 0.08);
    CHECK(worst < 0.2);
}
