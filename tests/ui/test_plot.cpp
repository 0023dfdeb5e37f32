#include <catch2/catch.hpp>

#include "numbers_view.hpp"
#include "pacer.hpp"
#include "plot.hpp"

using namespace relaxmon::ui;

TEST_CASE("ticks fall on 1-2-5 steps inside the range", "[ui][plot]") {
    CHECK(nice_ticks({0.0, 100.0}, 5) == std::vector<double>{0, 20, 40, 60, 80, 100});
    CHECK(nice_ticks({63.0, 77.0}, 5) == std::vector<double>{64, 66, 68, 70, 72, 74, 76});
    CHECK(nice_ticks({0.0, 600.0}, 6) == std::vector<double>{0, 100, 200, 300, 400, 500, 600});
    const auto t = nice_ticks({0.001, 0.0042}, 4);
    REQUIRE(t.size() >= 3);
    CHECK(t[1] - t[0] == Approx(0.001));
    CHECK(nice_ticks({5.0, 5.0}, 5).empty());
}

TEST_CASE("time axes tick at clock steps", "[ui][plot]") {
    CHECK(clock_ticks({0.0, 600.0}, 8) == std::vector<double>{0, 120, 240, 360, 480, 600});
    CHECK(clock_ticks({250.0, 850.0}, 6) == std::vector<double>{360, 480, 600, 720, 840});
    CHECK(clock_ticks({0.0, 120.0}, 6) == std::vector<double>{0, 30, 60, 90, 120});
}

TEST_CASE("ranges are padded, snapped and never too narrow", "[ui][plot]") {
    const Range r = nice_range(61.0, 74.0, 10.0);
    CHECK(r.min <= 61.0);
    CHECK(r.max >= 74.0);
    CHECK(r.min > 50.0);
    CHECK(r.max < 85.0);
    const Range flat = nice_range(70.0, 70.0, 10.0);
    CHECK(flat.span() >= 10.0);
    CHECK(flat.min < 70.0);
    CHECK(flat.max > 70.0);
}

TEST_CASE("clock labels", "[ui][plot]") {
    CHECK(clock_label(0) == "0:00");
    CHECK(clock_label(75) == "1:15");
    CHECK(clock_label(3725) == "1:02:05");
    CHECK(clock_label(-100) == "-1:40");
}

TEST_CASE("the breathing pacer keeps wall-clock time", "[ui][pacer]") {
    using relaxmon::ui::pacer_pose;
    // 6 breaths/min at 1:2 (as the sound): 3.3 s in, 6.7 s out, whatever the session's speed
    // (it is not an input).
    CHECK(pacer_pose(0.0, 6.0).inhale);
    CHECK(pacer_pose(0.0, 6.0).size == Approx(0.0).margin(1e-9));
    CHECK(pacer_pose(10.0 / 3.0, 6.0).size == Approx(1.0));  // lungs full at the turn
    CHECK(pacer_pose(3.2, 6.0).inhale);
    CHECK_FALSE(pacer_pose(3.4, 6.0).inhale);
    CHECK(pacer_pose(10.0, 6.0).inhale);  // the next breath
    CHECK(pacer_pose(10.0 / 6.0, 6.0).size == Approx(0.5));
    CHECK(pacer_pose(10.0 / 3.0 + 10.0 / 3.0, 6.0).size == Approx(0.5));  // half way out
    // 1:1: 5 s in, 5 s out.
    CHECK(pacer_pose(4.9, 6.0, 0.5).inhale);
    CHECK_FALSE(pacer_pose(5.1, 6.0, 0.5).inhale);
    CHECK(pacer_pose(5.0, 6.0, 0.5).size == Approx(1.0));
    CHECK(pacer_pose(2.5, 6.0, 0.5).size == Approx(0.5));
    // One cycle is 60 / bpm seconds of the clock: the pose repeats after it, never sooner.
    for (double bpm : {3.0, 4.5, 6.0, 10.0}) {
        const double cycle_s = 60.0 / bpm;
        for (double t = 0.35; t < 30.0; t += 1.7) {
            CHECK(pacer_pose(t + cycle_s, bpm).size ==
                  Approx(pacer_pose(t, bpm).size).margin(1e-9));
            CHECK(pacer_pose(t + cycle_s, bpm).inhale == pacer_pose(t, bpm).inhale);
        }
        CHECK(pacer_pose(cycle_s * 0.2, bpm).size != Approx(pacer_pose(cycle_s * 0.5, bpm).size));
    }
}

TEST_CASE("breathing shows a dash while its rate is unsure, never the number", "[ui][breathing]") {
    relaxmon::session::Snapshot s;
    CHECK(relaxmon::ui::breathing_value(s) == "--");  // nothing counted yet
    s.resp_rate_short_bpm = 8.0;                      // e.g. the harmonic of 4/min, unconfirmed
    s.resp_rate_short_confident = false;
    CHECK(relaxmon::ui::breathing_value(s) == "--");
    s.resp_rate_short_bpm = 4.04;
    s.resp_rate_short_confident = true;
    CHECK(relaxmon::ui::breathing_value(s) == "4.0");
}
