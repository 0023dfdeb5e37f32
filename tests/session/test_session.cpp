#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "session/session.hpp"
#include "session/suspend_watch.hpp"
#include "test_support.hpp"

using namespace relaxmon::session;
using namespace relaxmon::test;

namespace {
// A session of `duration_s` as fast as possible, recorded into `dir`.
SessionConfig full_speed(std::string source, double duration_s, std::filesystem::path dir) {
    SessionConfig cfg;
    cfg.source = std::move(source);
    cfg.speed = 0.0;
    cfg.duration_s = duration_s;
    cfg.record_dir = std::move(dir);
    return cfg;
}

// Starts the session and waits (at most `limit`) until its source has ended.
void run_to_end(Session& s, std::chrono::seconds limit) {
    s.start();
    REQUIRE(s.wait_finished(limit));
    s.stop();
}

// Polls the session's snapshots for up to 4 s until `pred` holds; whether it did.
template <class Pred>
bool wait_until(const Session& s, Pred pred) {
    for (int i = 0; i < 200 && !pred(*s.snapshot()); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return pred(*s.snapshot());
}
}  // namespace

TEST_CASE("a session records a simulated strap and publishes snapshots", "[session]") {
    TempDir tmp;
    Session s(full_speed("sim:massage?seed=7", 600.0, tmp / "rec"));
    run_to_end(s, std::chrono::seconds(20));

    const auto snap = s.snapshot();
    CHECK(snap->finished);
    CHECK(snap->connected);
    CHECK(snap->beats > 550);
    CHECK(snap->beats < 900);
    REQUIRE(snap->hr_bpm);
    CHECK(*snap->hr_bpm > 45.0);
    CHECK(*snap->hr_bpm < 95.0);
    REQUIRE(snap->rmssd_ms);
    CHECK(*snap->rmssd_ms > 5.0);
    CHECK(snap->trend.back().t_s - snap->trend.front().t_s <= 600.0);
    CHECK(snap->trend.size() == snap->tachogram.size());

    const auto sum = s.summary();
    CHECK(sum.beats == snap->beats);
    CHECK(sum.duration_s == Approx(600.0));
    const auto beats = read_csv(tmp / "rec" / "beats.csv");
    CHECK(beats.rows.size() == sum.beats);
    const auto json = nlohmann::json::parse(read_file(tmp / "rec" / "session.json"));
    CHECK(json["status"] == "complete");
    CHECK(json["beats"] == sum.beats);
}

TEST_CASE("the dashboard's breathing follows the breaths, the relaxed phase's in session.json",
          "[session]") {
    // The simulated massage slows breathing from ~14 to ~7 a minute; at the end the breath count
    // (snapshot) and the relaxed phase (summary) are at the scripted rate.
    TempDir tmp;
    Session s(full_speed("sim:massage?seed=7", 1200.0, tmp / "rec"));
    run_to_end(s, std::chrono::seconds(30));
    const auto json = nlohmann::json::parse(read_file(tmp / "rec" / "session.json"));
    const auto& truth = json["ground_truth"];
    const double changed = truth["changed"]["breathing_bpm"].get<double>();
    const double baseline = truth["baseline"]["breathing_bpm"].get<double>();
    REQUIRE(changed < baseline - 4.0);
    const auto snap = s.snapshot();
    REQUIRE(snap->resp_rate_short_bpm);
    CHECK_FALSE(snap->resp_from_chest);
    CHECK(*snap->resp_rate_short_bpm == Approx(changed).margin(1.0));
    const auto& relax = json["summary"]["relaxation"];
    INFO(relax.dump());
    CHECK(relax["baseline"]["resp_rate_bpm"].get<double>() == Approx(baseline).margin(1.0));
    CHECK(relax["relaxed"]["resp_rate_bpm"].get<double>() == Approx(changed).margin(1.0));
}

TEST_CASE("the tachogram carries each beat's artifact class, as beats.csv records it",
          "[session][artifacts]") {
    TempDir tmp;
    // Bursts of short and long intervals in the last 10 minutes.
    Session s(full_speed("sim:artifacts?seed=4", 1500.0, tmp / "rec"));
    run_to_end(s, std::chrono::seconds(20));
    const auto snap = s.snapshot();
    std::map<std::string, int> in_snapshot, in_file;
    for (const auto& p : snap->tachogram)
        if (p.artifact != relaxmon::dsp::ArtifactClass::none)
            ++in_snapshot[std::string(relaxmon::dsp::artifact_name(p.artifact))];
    const double from_s = snap->tachogram.front().t_s;
    for (const auto& row : read_csv(tmp / "rec" / "beats.csv").rows)
        if (std::stod(row[0]) >= from_s - 1e-9 && !row[3].empty() && row[3] != "gap")
            ++in_file[row[3]];
    CHECK(in_snapshot == in_file);
    CHECK(in_snapshot.size() >= 2);  // more than one class in the last 10 minutes
    CHECK(in_snapshot.count("long"));
    CHECK(in_snapshot.count("short"));
}

TEST_CASE("markers and recordings can be started and stopped from another thread", "[session]") {
    TempDir tmp;
    SessionConfig cfg;
    cfg.source = "sim:rest?seed=1&speed=50";
    cfg.sessions_root = tmp.path();
    Session s(cfg);
    s.start();
    s.start_recording();
    const auto wait_for = [&](auto pred) { return wait_until(s, pred); };
    REQUIRE(wait_for([](const Snapshot& x) { return x.recording && x.beats > 20; }));
    s.add_marker("neck");
    s.add_marker();
    REQUIRE(wait_for([](const Snapshot& x) { return x.markers.size() == 2; }));
    s.stop_recording();
    REQUIRE(wait_for([](const Snapshot& x) { return !x.recording; }));
    const std::string dir = s.snapshot()->recording_dir;
    s.stop();

    const auto events = read_csv(std::filesystem::path(dir) / "events.csv");
    std::vector<std::string> labels;
    for (const auto& r : events.rows)
        if (r[1] == "marker") labels.push_back(r[2]);
    CHECK(labels == std::vector<std::string>{"neck", "Marker 2"});
    const auto beats = read_csv(std::filesystem::path(dir) / "beats.csv");
    CHECK(beats.rows.size() > 5);
    // The recording's clock starts at the recording, not at the session.
    CHECK(std::stod(beats.rows.front()[0]) < 2.0);
}

TEST_CASE("the label and notes typed during a session reach its recording at once",
          "[session][notes]") {
    TempDir tmp;
    SessionConfig cfg;
    cfg.source = "sim:rest?seed=1&speed=50";
    cfg.sessions_root = tmp.path();
    cfg.notes = "first words";
    Session s(cfg);
    s.start();
    s.start_recording();
    const auto wait_for = [&](auto pred) { return wait_until(s, pred); };
    REQUIRE(wait_for([](const Snapshot& x) { return x.recording && x.beats > 5; }));
    const std::filesystem::path dir = s.snapshot()->recording_dir;
    CHECK(read_file(dir / "notes.txt") == "first words");  // given before the recording began
    s.set_label("Anna K, back");
    s.set_notes("Tense shoulders.\nAsked for less pressure, \"quote\", done.");
    REQUIRE(wait_for([](const Snapshot& x) { return x.label == "Anna K, back"; }));
    // While it records: session.json already has the label (a crash keeps it), notes.txt the
    // notes.
    auto json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["label"] == "Anna K, back");
    CHECK(json["status"] == "recording");
    CHECK(read_file(dir / "notes.txt") ==
          "Tense shoulders.\nAsked for less pressure, \"quote\", done.");
    // "baseline end" ends the baseline like "massage start": the detector has one at once,
    // before the 3.5 minutes it would otherwise learn for.
    REQUIRE(wait_for([](const Snapshot& x) { return x.t_s > 150.0; }));
    CHECK_FALSE(s.snapshot()->rmssd_baseline_ms.has_value());
    s.add_marker("baseline end");
    REQUIRE(wait_for([](const Snapshot& x) { return !x.markers.empty(); }));
    const auto marked = s.snapshot();
    CHECK(marked->t_s < 200.0);
    CHECK(marked->rmssd_baseline_ms.has_value());
    s.stop();
    json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["label"] == "Anna K, back");
    CHECK(json["status"] == "complete");
}

TEST_CASE("a suspend of the computer is noticed from the two clocks", "[session][suspend]") {
    SuspendWatch w;
    CHECK_FALSE(w.check(100.0, 150.0));        // the first reading only sets the offset
    CHECK_FALSE(w.check(101.0, 151.0));        // both clocks ran: awake
    CHECK_FALSE(w.check(102.0, 152.5));        // jitter under the threshold
    const auto slept = w.check(103.0, 753.5);  // the boot clock ran 10 minutes more
    REQUIRE(slept);
    CHECK(*slept == Approx(600.0));
    CHECK_FALSE(w.check(104.0, 754.5));
    // The real clocks, read twice a moment apart: no sleep in between.
    SuspendWatch real;
    CHECK_FALSE(real.check_now());
    CHECK_FALSE(real.check_now());
}
