#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "reference_series.hpp"
#include "relaxmon/dsp/hrv_time.hpp"
#include "test_support.hpp"

using relaxmon::dsp::hrv_time;

TEST_CASE("constant RR has no variability", "[dsp][hrv_time]") {
    const std::vector<double> rr(120, 800.0);
    const auto td = hrv_time(rr);
    REQUIRE(td);
    CHECK(td->beats == 120);
    CHECK(td->mean_rr_ms == Approx(800.0));
    CHECK(td->mean_hr_bpm == Approx(75.0));
    CHECK(*td->rmssd_ms == 0.0);
    CHECK(*td->sdnn_ms == 0.0);
}

TEST_CASE("alternating RR has the hand-derived RMSSD and SDNN", "[dsp][hrv_time]") {
    // 800, 900, 800, ... : every successive difference is 100 ms, so RMSSD = 100 ms;
    // deviations are +-50 ms, so SDNN = sqrt(n * 2500 / (n - 1)).
    std::vector<double> rr;
    for (int i = 0; i < 100; ++i) rr.push_back(i % 2 ? 900.0 : 800.0);
    const auto td = hrv_time(rr);
    REQUIRE(td);
    CHECK(*td->rmssd_ms == Approx(100.0));
    CHECK(*td->sdnn_ms == Approx(std::sqrt(100.0 * 2500.0 / 99.0)));
    CHECK(td->mean_hr_bpm == Approx(60000.0 / 850.0));
    CHECK(td->differences == 99);
}

TEST_CASE("differences across a gap are not used", "[dsp][hrv_time]") {
    const std::vector<double> rr{800, 810, 820, 1200, 1210, 1220};
    const std::vector<std::uint8_t> gap{0, 0, 0, 1, 0, 0};
    const auto td = hrv_time(rr, gap);
    REQUIRE(td);
    CHECK(td->differences == 4);
    CHECK(*td->rmssd_ms == Approx(10.0));
}

TEST_CASE("too short input gives no values", "[dsp][hrv_time]") {
    CHECK_FALSE(hrv_time(std::vector<double>{}));
    const auto one = hrv_time(std::vector<double>{1000.0});
    REQUIRE(one);
    CHECK_FALSE(one->sdnn_ms);
    CHECK_FALSE(one->rmssd_ms);
}

TEST_CASE("time domain matches NeuroKit2 on the reference RR series",
          "[dsp][hrv_time][reference]") {
    using namespace relaxmon::test;
    const auto ref_path = shared_data("reference_hrv.csv");
    if (!ref_path) return;
    const CsvTable ref = read_csv(*ref_path);
    const auto mean = ref.numbers("MeanNN_ms"), sdnn = ref.numbers("SDNN_ms"),
               rmssd = ref.numbers("RMSSD_ms");
    const auto& files = reference_rr_series();
    int compared = 0;
    for (std::size_t i = 0; i < ref.rows.size(); ++i) {
        const auto it = files.find(ref.rows[i][0]);
        if (it == files.end()) continue;
        const auto path = shared_data(it->second);
        if (!path) continue;
        const auto rr = read_rr_ms(*path);
        const auto td = hrv_time(rr);
        INFO(it->first);
        REQUIRE(td);
        // Series stored with 4 decimals: agreement to well under a microsecond.
        CHECK(td->mean_rr_ms == Approx(mean[i]).epsilon(1e-6));
        CHECK(*td->sdnn_ms == Approx(sdnn[i]).epsilon(1e-5));
        CHECK(*td->rmssd_ms == Approx(rmssd[i]).epsilon(1e-5));
        ++compared;
    }
    CHECK(compared == 6);
}

TEST_CASE("Baevsky stress index from its histogram definition", "[dsp][hrv_time]") {
    // 10 intervals: 6 in the 800-850 bin (mode centre 0.825 s, AMo 60%), range 0.2 s.
    const std::vector<double> rr{800, 810, 820, 830, 840, 845, 700, 750, 900, 760};
    const auto si = relaxmon::dsp::baevsky_stress_index(rr);
    REQUIRE(si);
    CHECK(*si == Approx(60.0 / (2 * 0.825 * 0.2)));
    CHECK(*relaxmon::dsp::hrv_time(rr)->stress_index == Approx(std::sqrt(*si)));
}
