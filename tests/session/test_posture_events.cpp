// Posture and movement from chest acceleration, end to end: the simulated strap with acc=1 (a
// client face-down who turns over), and a replayed session whose acc.csv this test writes.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <numbers>
#include <random>

#include "test_support.hpp"

using namespace relaxmon::test;

namespace {
struct Event {
    double t_s;
    std::string kind, label;
};
std::vector<Event> events_of(const std::filesystem::path& dir) {
    std::vector<Event> out;
    for (const auto& r : read_csv(dir / "events.csv").rows)
        out.push_back({std::stod(r[0]), r[1], r[2]});
    return out;
}
std::vector<Event> only(const std::vector<Event>& ev, const std::string& kind) {
    std::vector<Event> out;
    for (const auto& e : ev)
        if (e.kind == kind) out.push_back(e);
    return out;
}
// Chest acceleration written as a Polar H10 records it (acc.csv, 200 Hz): gravity along `g(t)`
// (body frame, mG), breathing 15 mG at 13/min, 2 mG noise, `shake(t)` mG of movement, the strap
// rotated by 12 degrees about the body's axis.
struct Body {
    std::array<double, 3> g;
    double shake_mg;
};
void write_acc(const std::filesystem::path& path, double seconds,
               const std::function<Body(double)>& body) {
    std::ofstream acc(path);
    acc << "t_s,x_mg,y_mg,z_mg\n";
    std::mt19937_64 rng(7);
    std::normal_distribution<double> gauss(0.0, 1.0);
    const double tilt = 12.0 * std::numbers::pi / 180.0;
    double shake[3] = {0, 0, 0};
    for (int i = 0; i < static_cast<int>(seconds * 200.0); ++i) {
        const double t = i / 200.0;
        const Body b = body(t);
        double g[3] = {b.g[0], b.g[1], b.g[2]};
        g[2] += 15.0 * std::sin(2.0 * std::numbers::pi * 0.22 * t);
        for (double& x : shake) x = 0.9 * x + 0.436 * gauss(rng);
        for (int k = 0; k < 3; ++k) g[k] += b.shake_mg * shake[k] + 2.0 * gauss(rng);
        const double y = g[1] * std::cos(tilt) - g[2] * std::sin(tilt);
        const double z = g[1] * std::sin(tilt) + g[2] * std::cos(tilt);
        acc << fmt::format("{:.4f},{},{},{}\n", t, std::lround(g[0]), std::lround(y),
                           std::lround(z));
    }
}
// The beats of a resting session of `minutes` (sim:rest, `seed`) with a chest this test draws,
// replayed through `relaxmon record`: the replay's folder.
std::filesystem::path replay_with_chest(const TempDir& tmp, const std::string& seed, int minutes,
                                        const std::function<Body(double)>& body) {
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:rest?seed=" + seed,
                         "--duration", std::to_string(minutes) + "m", "--speed", "max", "--out",
                         (tmp / "s").string()})
                .status == 0);
    write_acc(tmp / "s" / "acc.csv", 60.0 * minutes, body);
    const auto r =
        run_process({relaxmon_binary(), "record", "--source", "file:" + (tmp / "s").string(),
                     "--speed", "max", "--out", (tmp / "replay").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    return tmp / "replay";
}
}  // namespace

TEST_CASE("the simulated strap streams the chest: face-down, a turnover, face-up",
          "[session][posture]") {
    TempDir tmp;
    const auto r =
        run_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=4&acc=1",
                     "--duration", "40m", "--speed", "max", "--out", (tmp / "s").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto info = nlohmann::json::parse(read_file(tmp / "s" / "session.json"));
    REQUIRE(info["turnover_s"].is_number());
    const double turnover_s = info["turnover_s"].get<double>();
    CHECK(turnover_s >= 15 * 60.0);
    CHECK(turnover_s <= 35 * 60.0);
    CHECK(info["device"]["acc_hz"] == 200.0);
    // acc.csv at 200 Hz through the whole session, face-down at first (z about -1000 mG).
    const auto acc = read_csv(tmp / "s" / "acc.csv");
    CHECK(acc.rows.size() > 0.99 * 200 * 2400);
    CHECK(std::stod(acc.rows[1000][3]) < -800.0);
    CHECK(std::stod(acc.rows.back()[3]) > 800.0);  // face-up at the end

    const auto ev = events_of(tmp / "s");
    const auto postures = only(ev, "posture"), moves = only(ev, "movement");
    REQUIRE(postures.size() == 2);  // no other: lying still and breathing says nothing more
    CHECK(postures[0].label == "prone");
    CHECK(postures[0].t_s < 5.0);
    CHECK(postures[1].label == "supine");
    REQUIRE(moves.size() == 2);
    CHECK(moves[0].label == "start");
    CHECK(moves[0].t_s == Approx(turnover_s).margin(1.0));
    CHECK(moves[1].label == "end");
    CHECK(postures[1].t_s > moves[1].t_s);
    CHECK(postures[1].t_s - turnover_s < 30.0);
    // The relaxation seen before the turn goes on through it: no end, no alarm.
    CHECK(only(ev, "relaxation_onset").size() == 1);
    CHECK(only(ev, "relaxation_end").empty());
    for (const auto& row : read_csv(tmp / "s" / "metrics.csv").rows)
        if (std::stod(row[0]) > turnover_s) CHECK(row[10] != "aroused");
}

TEST_CASE("a replayed acc.csv gives the same posture events", "[session][posture][replay]") {
    TempDir tmp;
    // Beats of a resting person, and a chest this test draws: face-down, turning over at 200 s
    // (8 s, shaking), face-up, lying on the left side from 400 s; the strap rotated by 12 deg.
    const auto replay = replay_with_chest(tmp, "2", 8, [](double t) {
        const double u = std::clamp((t - 200.0) / 8.0, 0.0, 1.0);
        const double roll = std::numbers::pi * u;
        Body b{{-60.0, 1000.0 * std::sin(roll), -1000.0 * std::cos(roll)}, 0.0};
        if (t >= 400.0) b.g = {-60.0, 1000.0, 100.0};
        if ((u > 0.0 && u < 1.0) || (t > 399.0 && t < 403.0)) b.shake_mg = 250.0;
        return b;
    });
    const auto ev = events_of(replay);
    const auto postures = only(ev, "posture"), moves = only(ev, "movement");
    REQUIRE(postures.size() == 3);
    CHECK(postures[0].label == "prone");
    CHECK(postures[1].label == "supine");
    CHECK(postures[1].t_s == Approx(214.0).margin(4.0));
    CHECK(postures[2].label == "left_side");
    REQUIRE(moves.size() == 4);
    CHECK(moves[0].t_s == Approx(200.0).margin(1.0));
    CHECK(moves[2].t_s == Approx(399.0).margin(1.5));
    // The replay wrote the acceleration again, sample for sample.
    CHECK(read_csv(tmp / "replay" / "acc.csv").rows.size() == 480u * 200u);
}

TEST_CASE("hands-free baseline: the first 3 minutes lying still, not getting onto the table",
          "[session][posture][baseline]") {
    TempDir tmp;
    // Sitting up on the table for 2 minutes, lying down (10 s of movement), face-down; then a
    // shuffle at 4 minutes, before 3 still minutes have passed: the baseline starts again.
    replay_with_chest(tmp, "3", 12, [](double t) {
        const double u = std::clamp((t - 120.0) / 10.0, 0.0, 1.0);
        const double lie = 0.5 * std::numbers::pi * u;
        Body b{{-1000.0 * std::cos(lie), 0.0, -1000.0 * std::sin(lie)}, 0.0};
        if ((u > 0.0 && u < 1.0) || (t > 240.0 && t < 244.0)) b.shake_mg = 250.0;
        return b;
    });
    const auto ev = events_of(tmp / "replay");
    const auto moves = only(ev, "movement");
    REQUIRE(moves.size() == 4);
    const double shuffle_end_s = moves[3].t_s;
    const auto info = nlohmann::json::parse(read_file(tmp / "replay" / "session.json"));
    const auto& relax = info["summary"]["relaxation"];
    INFO(relax.dump());
    CHECK(relax["baseline_kind"] == "lying_still");
    CHECK_THAT(relax["baseline_why"].get<std::string>(), Catch::Contains("lay still"));
    // From the end of the shuffle (and the 15 s after a movement), 3 minutes long.
    CHECK(relax["baseline_from_s"].get<double>() == Approx(shuffle_end_s + 15.0).margin(2.0));
    CHECK(relax["baseline_to_s"].get<double>() - relax["baseline_from_s"].get<double>() ==
          Approx(180.0).margin(3.0));

    // Without chest data: the first minutes, and session.json says so.
    std::filesystem::remove(tmp / "s" / "acc.csv");
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "file:" + (tmp / "s").string(),
                         "--speed", "max", "--out", (tmp / "plain").string()})
                .status == 0);
    const auto plain = nlohmann::json::parse(read_file(tmp / "plain" / "session.json"));
    CHECK(plain["summary"]["relaxation"]["baseline_kind"] == "first_minutes");
    CHECK(plain["summary"]["relaxation"]["baseline_from_s"] == 30.0);
}
