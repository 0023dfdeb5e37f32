// PostureTracker on synthetic chest acceleration in the Polar H10 frame (x along the body, y
// across the chest, z out of it; milli-g with gravity): lying still and breathing, a turnover,
// a strap worn rotated, a side, a cough, a dropout.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "relaxmon/dsp/posture.hpp"

using relaxmon::dsp::Posture;
using relaxmon::dsp::PostureEvent;
using relaxmon::dsp::PostureTracker;

namespace {

constexpr double kFs = 200.0;
using Sample = std::array<std::int16_t, 3>;

// The body over time: gravity's direction (unit vector, body frame) and how hard it shakes.
struct Moment {
    double gx, gy, gz;
    double shake_mg;
};

// `body(t)` sampled at 200 Hz for `seconds`, with breathing (20 mG along z at 15/min, the
// heartbeat's 5 mG ring), 2 mG of noise, seen through a strap rotated by `tilt_deg` about x
// and y.
std::vector<Sample> chest(double seconds, const std::function<Moment(double)>& body,
                          double tilt_deg = 0.0, std::uint64_t seed = 1) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    const double a = tilt_deg * std::numbers::pi / 180.0;
    std::vector<Sample> out;
    double shake[3] = {0, 0, 0};
    for (int i = 0; i < static_cast<int>(seconds * kFs); ++i) {
        const double t = i / kFs;
        const Moment m = body(t);
        double v[3] = {1000.0 * m.gx, 1000.0 * m.gy, 1000.0 * m.gz};
        v[2] += 20.0 * std::sin(2.0 * std::numbers::pi * 0.25 * t);
        const double since_beat = std::fmod(t, 0.9);
        v[2] += 5.0 * std::exp(-since_beat / 0.06) *
                std::sin(2.0 * std::numbers::pi * 12.0 * since_beat);
        for (double& s : shake) s = 0.9 * s + 0.436 * gauss(rng);
        for (int k = 0; k < 3; ++k) v[k] += m.shake_mg * shake[k] + 2.0 * gauss(rng);
        // The strap's rotation: about x, then about y.
        const double y1 = v[1] * std::cos(a) - v[2] * std::sin(a);
        const double z1 = v[1] * std::sin(a) + v[2] * std::cos(a);
        const double x2 = v[0] * std::cos(a) + z1 * std::sin(a);
        const double z2 = -v[0] * std::sin(a) + z1 * std::cos(a);
        out.push_back({static_cast<std::int16_t>(std::lround(x2)),
                       static_cast<std::int16_t>(std::lround(y1)),
                       static_cast<std::int16_t>(std::lround(z2))});
    }
    return out;
}

// Fed in blocks of 0.2 s as the strap sends them.
std::vector<PostureEvent> track(PostureTracker& tracker, const std::vector<Sample>& s,
                                double t0_s = 0.0) {
    std::vector<PostureEvent> all;
    const std::size_t block = 40;
    for (std::size_t i = 0; i < s.size(); i += block) {
        const std::size_t n = std::min(block, s.size() - i);
        auto ev = tracker.push(t0_s + static_cast<double>(i) / kFs, kFs,
                               std::span<const Sample>(s.data() + i, n));
        all.insert(all.end(), ev.begin(), ev.end());
    }
    return all;
}

Moment lying_prone(double) {
    return {-0.06, 0.0, -1.0, 0.0};
}

}  // namespace

TEST_CASE("posture: lying still and breathing is one posture, no movement", "[dsp][posture]") {
    for (double tilt : {0.0, 20.0, -30.0}) {
        INFO("strap rotated by " << tilt << " degrees");
        PostureTracker tracker;
        const auto ev = track(tracker, chest(600.0, lying_prone, tilt));
        REQUIRE(ev.size() == 1);  // an hour-long stretch of this would say nothing more
        CHECK(ev[0].kind == "posture");
        CHECK(ev[0].label == "prone");
        CHECK(ev[0].t_s == Approx(3.0).margin(0.5));  // after 3 still seconds
        CHECK_FALSE(tracker.moving());
        CHECK(tracker.posture() == Posture::prone);
    }
}

TEST_CASE("posture: turning over is a movement and then face-up", "[dsp][posture]") {
    // Face-down for 5 min, 10 s of turning (rolled about the body's axis through a side, the
    // body shaking by ~250 mG), then face-up.
    auto body = [](double t) -> Moment {
        const double u = std::clamp((t - 300.0) / 10.0, 0.0, 1.0);
        const double roll = std::numbers::pi * u;
        return {-0.06, std::sin(roll), -std::cos(roll), u > 0.0 && u < 1.0 ? 250.0 : 0.0};
    };
    PostureTracker tracker;
    const auto ev = track(tracker, chest(600.0, body, 10.0));
    REQUIRE(ev.size() == 4);
    CHECK(ev[0].label == "prone");
    CHECK(ev[1].kind == "movement");
    CHECK(ev[1].label == "start");
    CHECK(ev[1].t_s == Approx(300.0).margin(1.0));
    CHECK(ev[2].label == "end");
    // 2 quiet seconds once the shaking has died away in the 0.5-s RMS: within 6 s of the turn.
    CHECK(ev[2].t_s > 310.0);
    CHECK(ev[2].t_s < 316.0);
    CHECK(ev[3].kind == "posture");
    CHECK(ev[3].label == "supine");
    CHECK(ev[3].t_s - ev[2].t_s == Approx(3.0).margin(0.5));
    CHECK(tracker.posture() == Posture::supine);
}

TEST_CASE("posture: a side, upright, and a cough that changes nothing", "[dsp][posture]") {
    {
        PostureTracker tracker;
        const auto ev = track(tracker, chest(30.0, [](double) {
                                  return Moment{0.0, 1.0, 0.1, 0};
                              }));
        REQUIRE(ev.size() == 1);
        CHECK(ev[0].label == "left_side");
    }
    {
        PostureTracker tracker;
        const auto ev = track(tracker, chest(30.0, [](double) {
                                  return Moment{-0.98, 0.05, 0.2, 0};
                              }));
        REQUIRE(ev.size() == 1);
        CHECK(ev[0].label == "upright");
    }
    // A cough: half a second of 300 mG shaking while lying face-down.
    auto cough = [](double t) -> Moment {
        return {-0.06, 0.0, -1.0, t > 60.0 && t < 60.5 ? 300.0 : 0.0};
    };
    PostureTracker tracker;
    const auto ev = track(tracker, chest(120.0, cough));
    REQUIRE(ev.size() == 3);
    CHECK(ev[0].label == "prone");
    CHECK(ev[1].label == "start");
    CHECK(ev[2].label == "end");
    CHECK(ev[2].t_s - ev[1].t_s < 6.5);
    CHECK(tracker.posture() == Posture::prone);
    REQUIRE(tracker.still_since_s());
    CHECK(*tracker.still_since_s() == Approx(ev[2].t_s));
}

TEST_CASE("posture: a dropout restarts the filters, not the posture", "[dsp][posture]") {
    PostureTracker tracker;
    auto ev = track(tracker, chest(60.0, lying_prone));
    REQUIRE(ev.size() == 1);
    // 20 s lost, then the same posture: nothing new to say.
    ev = track(tracker, chest(60.0, lying_prone, 0.0, 2), 80.0);
    CHECK(ev.empty());
    CHECK(tracker.posture() == Posture::prone);
    // Bad blocks: nothing.
    CHECK(tracker.push(200.0, 0.0, {}).empty());
}
