#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <vector>

#include "relaxmon/dsp/hrv_frequency.hpp"
#include "relaxmon/dsp/sliding_hrv.hpp"
#include "test_support.hpp"

using namespace relaxmon::dsp;

TEST_CASE("sliding spectrum equals the batch spectrum of its window", "[dsp][sliding]") {
    using namespace relaxmon::test;
    const auto path = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!path) return;
    const auto rr = read_rr_ms(*path);
    SlidingHrv s;
    std::vector<double> t;
    double now = 0.0;
    int refreshes = 0;
    double last_refresh = -1e9;
    for (std::size_t i = 0; i < rr.size(); ++i) {
        now += rr[i] / 1000.0;
        t.push_back(now);
        if (!s.push(now, rr[i], false)) continue;
        ++refreshes;
        CHECK(now - last_refresh >= s.params().spectrum_every_s);
        last_refresh = now;
        // The batch reference over (now - 300, now].
        std::vector<double> wt, wr;
        for (std::size_t j = 0; j <= i; ++j)
            if (t[j] > now - 300.0) {
                wt.push_back(t[j]);
                wr.push_back(rr[j]);
            }
        const auto fd = hrv_frequency(wt, wr);
        REQUIRE(fd);
        REQUIRE(s.values().lf_ms2);
        CHECK(*s.values().lf_ms2 == Approx(fd->lf_ms2).epsilon(1e-9));
        CHECK(*s.values().hf_ms2 == Approx(fd->hf_ms2).epsilon(1e-9));
    }
    // ~12 minutes of beats, a refresh every 5 s once 60 s are in.
    CHECK(refreshes > 100);
    CHECK(s.values().time.rmssd_ms);
}

TEST_CASE("sliding breathing rate follows slowing breathing", "[dsp][sliding]") {
    // RSA at 15/min for 5 minutes, then 6/min.
    SlidingHrv s;
    double t = 0.0;
    std::optional<double> early, late;
    while (t < 660.0) {
        const double f = t < 300.0 ? 0.25 : 0.1;
        const double rr = 900.0 + 40.0 * std::sin(2 * std::numbers::pi * f * t);
        t += rr / 1000.0;
        s.push(t, rr, false);
        if (t > 290.0 && t < 295.0) early = s.values().resp_rate_bpm;
    }
    late = s.values().resp_rate_bpm;
    REQUIRE(early);
    REQUIRE(late);
    CHECK(*early == Approx(15.0).margin(0.7));
    CHECK(*late == Approx(6.0).margin(0.7));
}

TEST_CASE("a gap restarts the spectrum rather than bridging it", "[dsp][sliding]") {
    SlidingHrv s;
    double t = 0.0;
    for (int i = 0; i < 200; ++i) s.push(t += 1.0, 1000.0 + 30.0 * std::sin(i * 1.3), false);
    REQUIRE(s.values().lf_ms2);
    t += 30.0;  // a dropout
    s.push(t, 1000.0, true);
    for (int i = 0; i < 20; ++i) s.push(t += 1.0, 1000.0 + 30.0 * std::sin(i * 1.3), false);
    CHECK_FALSE(s.values().lf_ms2);  // only 20 s since the gap: no spectrum yet
}
