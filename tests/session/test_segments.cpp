// The parts of a massage: bounds from markers and posture changes, medians and changes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "session/segments.hpp"

using relaxmon::devices::formats::SessionEvent;
using namespace relaxmon::session;

TEST_CASE("segments: markers and changes of posture cut the session after the baseline",
          "[session][segments]") {
    const std::vector<SessionEvent> events{
        {0.0, "connected", "strap"},
        {3.0, "posture", "prone"},  // the first posture is no change
        {100.0, "marker", "before the baseline ended"},
        {210.0, "marker", "massage start"},  // ended the baseline: names the first part
        {400.0, "marker", "back"},
        {700.0, "marker", "baseline undone"},  // no part
        {900.0, "posture", "prone"},           // the same posture again: no change
        {1100.0, "marker", "turned over"},
        {1112.0, "posture", "supine"},  // 12 s later: the same boundary
        {1500.0, "marker", "legs"},
        {1700.0, "marker", "massage start"},  // a baseline marker that did not end this one
        {1900.0, "posture", "left_side"},
        {2500.0, "marker", "after the end"},
    };
    const auto b = segment_bounds(events, 210.0, 2400.0);
    REQUIRE(b.size() == 6);
    CHECK(b[0].label == "massage start");
    CHECK(b[0].start_s == 210.0);
    CHECK(b[0].end_s == 400.0);
    CHECK(b[1].label == "back");
    CHECK(b[1].end_s == 1100.0);
    CHECK(b[2].label == "turned over / face-up");
    CHECK(b[2].start_s == 1100.0);
    CHECK(b[3].label == "legs");
    CHECK(b[4].label == "massage start");
    CHECK(b[4].start_s == 1700.0);
    CHECK(b[5].label == "on the left side");
    CHECK(b[5].end_s == 2400.0);
    // A baseline that ended by itself: the first part says so.
    const auto own = segment_bounds(events, 150.0, 2400.0);
    CHECK(own[0].label == "after the baseline");
    CHECK(own[1].label == "massage start");
    CHECK(segment_bounds(events, 2400.0, 2400.0).empty());
}

TEST_CASE("segments: medians over each part and their change from the baseline",
          "[session][segments]") {
    std::vector<SegmentSample> samples;
    for (int t = 0; t < 600; ++t) {
        const bool second = t >= 300;
        SegmentSample s{double(t), second ? 60.0 : 70.0, second ? 50.0 : 40.0, second ? 6.0 : 12.0,
                        std::nullopt};
        if (t % 7 == 0) s.hr_bpm = 200.0;  // outliers do not move a median
        if (t >= 100) s.relax_index = second ? 80.0 : 55.0;
        samples.push_back(s);
    }
    const std::vector<SegmentBound> bounds{
        {0.0, 300.0, "first"}, {300.0, 600.0, "second"}, {600.0, 700.0, "empty"}};
    const auto seg = measure_segments(bounds, samples, 70.0, 40.0);
    REQUIRE(seg.size() == 3);
    CHECK(*seg[0].hr_bpm == 70.0);
    CHECK(*seg[0].d_hr_bpm == 0.0);
    CHECK(*seg[0].relax_index == 55.0);
    CHECK(*seg[1].hr_bpm == 60.0);
    CHECK(*seg[1].d_hr_bpm == -10.0);
    CHECK(*seg[1].d_rmssd_pct == Approx(25.0));
    CHECK(*seg[1].resp_rate_bpm == 6.0);
    CHECK_FALSE(seg[2].hr_bpm);
    const auto j = segments_to_json(seg);
    CHECK(j[1]["label"] == "second");
    CHECK(j[1]["d_rmssd_pct"].get<double>() == Approx(25.0));
    CHECK(j[2]["hr_bpm"].is_null());
    for (const char* key : {"start_s", "end_s", "label", "hr_bpm", "rmssd_ms", "resp_rate_bpm",
                            "relax_index", "d_hr_bpm", "d_rmssd_pct"})
        CHECK(j[0].contains(key));
}
