#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "relaxmon/dsp/hrv_time.hpp"
#include "relaxmon/dsp/rolling_hrv.hpp"
#include "test_support.hpp"

using relaxmon::dsp::hrv_time;
using relaxmon::dsp::RollingHrv;

namespace {
// Batch reference: time domain of the beats in (t - window, t].
relaxmon::dsp::TimeDomain batch(const std::vector<double>& t, const std::vector<double>& rr,
                                const std::vector<std::uint8_t>& gap, std::size_t last,
                                double window_s) {
    std::vector<double> w_rr;
    std::vector<std::uint8_t> w_gap;
    for (std::size_t i = 0; i <= last; ++i)
        if (t[i] > t[last] - window_s) {
            w_rr.push_back(rr[i]);
            w_gap.push_back(w_gap.empty() ? 0 : gap[i]);
        }
    return *hrv_time(w_rr, w_gap);
}
}  // namespace

TEST_CASE("rolling window keeps exactly the last window of beats", "[dsp][rolling]") {
    RollingHrv r(60.0);
    for (int i = 1; i <= 100; ++i) r.push(i * 1.0, 1000.0, false);
    const auto v = r.values();
    CHECK(v.beats == 60);  // t in (40, 100]
    CHECK(*v.mean_hr_bpm == Approx(60.0));
    CHECK(*v.rmssd_ms == 0.0);
    CHECK(*v.sdnn_ms == Approx(0.0).margin(1e-9));
}

TEST_CASE("rolling values wait for enough beats", "[dsp][rolling]") {
    RollingHrv r(60.0, 5);
    r.push(1.0, 1000.0, false);
    r.push(2.0, 1000.0, false);
    CHECK_FALSE(r.values().rmssd_ms);
    CHECK_FALSE(r.values().mean_hr_bpm);
}

TEST_CASE("rolling metrics equal batch metrics at every beat of a real recording",
          "[dsp][rolling][reference]") {
    using namespace relaxmon::test;
    const auto path = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!path) return;
    const auto rr = read_rr_ms(*path);
    std::vector<double> t;
    std::vector<std::uint8_t> gap(rr.size(), 0);
    double now = 0.0;
    for (std::size_t i = 0; i < rr.size(); ++i) {
        now += rr[i] / 1000.0;
        t.push_back(now);
        if (i % 97 == 50) gap[i] = 1;  // a few gaps, to check they are honoured
    }
    RollingHrv r(60.0, 2);
    for (std::size_t i = 0; i < rr.size(); ++i) {
        r.push(t[i], rr[i], gap[i] != 0);
        const auto v = r.values();
        const auto ref = batch(t, rr, gap, i, 60.0);
        REQUIRE(v.beats == ref.beats);
        if (ref.beats >= 2) {
            REQUIRE(*v.sdnn_ms == Approx(*ref.sdnn_ms).epsilon(1e-9));
            REQUIRE(*v.mean_hr_bpm == Approx(ref.mean_hr_bpm).epsilon(1e-12));
        }
        if (ref.rmssd_ms) REQUIRE(*v.rmssd_ms == Approx(*ref.rmssd_ms).epsilon(1e-9));
    }
}

TEST_CASE("rolling sums do not drift over a day of beats", "[dsp][rolling]") {
    std::mt19937_64 rng(1);
    std::normal_distribution<double> noise(0.0, 40.0);
    RollingHrv r(60.0);
    std::vector<double> t, rr;
    double now = 0.0;
    for (int i = 0; i < 100000; ++i) {
        const double x = 850.0 + 120.0 * std::sin(i * 0.3) + noise(rng);
        now += x / 1000.0;
        t.push_back(now);
        rr.push_back(x);
        r.push(now, x, false);
    }
    const std::vector<std::uint8_t> no_gaps(rr.size(), 0);
    const auto ref = batch(t, rr, no_gaps, rr.size() - 1, 60.0);
    CHECK(*r.values().sdnn_ms == Approx(*ref.sdnn_ms).epsilon(1e-9));
    CHECK(*r.values().rmssd_ms == Approx(*ref.rmssd_ms).epsilon(1e-9));
}

TEST_CASE("amending the newest beat gives what the amended series would have", "[dsp][rolling]") {
    // A premature beat (600 ms) known only by its pause: amended to the pair's mean, the window's
    // sums and its successive difference are those of the series that had the mean all along.
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 30.0);
    std::vector<double> rr;
    for (int i = 0; i < 120; ++i) rr.push_back(900.0 + noise(rng));
    RollingHrv amended(60.0), direct(60.0);
    double t = 0.0;
    for (std::size_t i = 0; i < rr.size(); ++i) {
        t += rr[i] / 1000.0;
        const bool premature = i == 80;
        amended.push(t, premature ? 600.0 : rr[i], false);
        if (premature) amended.amend_last(rr[i]);
        direct.push(t, rr[i], false);
        const auto a = amended.values(), d = direct.values();
        REQUIRE(a.beats == d.beats);
        if (d.rmssd_ms) CHECK(*a.rmssd_ms == Approx(*d.rmssd_ms).epsilon(1e-9));
        if (d.sdnn_ms) CHECK(*a.sdnn_ms == Approx(*d.sdnn_ms).epsilon(1e-9));
        if (d.mean_hr_bpm) CHECK(*a.mean_hr_bpm == Approx(*d.mean_hr_bpm).epsilon(1e-12));
    }
}
