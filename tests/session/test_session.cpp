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

// The simulated strap at rest, 50 times real time, recording (when asked) under `root`.
SessionConfig rest_at_50x(const std::filesystem::path& root, int seed = 1) {
    SessionConfig cfg;
    cfg.source = "sim:rest?seed=" + std::to_string(seed) + "&speed=50";
    cfg.sessions_root = root;
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
    SessionConfig cfg = rest_at_50x(tmp.path());
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
    // Started with the session: it holds it from its first beat.
    CHECK(std::stod(beats.rows.front()[0]) < 2.0);
}

TEST_CASE("the label and notes typed during a session reach its recording at once",
          "[session][notes]") {
    TempDir tmp;
    SessionConfig cfg = rest_at_50x(tmp.path());
    cfg.notes = "first words";
    Session s(cfg);
    s.start();
    s.start_recording();
    const auto wait_for = [&](auto pred) { return wait_until(s, pred); };
    REQUIRE(wait_for([](const Snapshot& x) { return x.recording && x.beats > 5; }));
    const std::filesystem::path first_dir = s.snapshot()->recording_dir;
    CHECK(read_file(first_dir / "notes.txt") == "first words");  // given before it began
    // Commands run in the order posted: once the label shows, the notes before it are written.
    s.set_notes("Tense shoulders.\nAsked for less pressure, \"quote\", done.");
    s.set_label("Anna K, back");
    REQUIRE(wait_for([](const Snapshot& x) { return x.label == "Anna K, back"; }));
    // The folder, named before anyone typed a label, takes it (date and time kept).
    const std::filesystem::path dir = s.snapshot()->recording_dir;
    CHECK(dir.filename().string() == first_dir.filename().string() + "_Anna_K__back");
    CHECK_FALSE(std::filesystem::exists(first_dir));
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

TEST_CASE("a late recording holds the whole session, in the session's own times",
          "[session][record]") {
    // Record pressed after 2 minutes: the folder still gets every beat, metrics row and marker
    // since the first beat, at the times the screen shows (its baseline and onset with them).
    TempDir tmp;
    SessionConfig cfg = rest_at_50x(tmp.path());
    Session s(cfg);
    s.start();
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.t_s > 60.0; }));
    CHECK_FALSE(s.snapshot()->recording);
    CHECK(std::filesystem::is_empty(tmp.path()));  // nothing recorded unless asked
    s.add_marker("neck");
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.markers.size() == 1; }));
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.t_s > 120.0; }));
    s.start_recording();
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.recording && x.t_s > 150.0; }));
    s.stop();
    const auto snap = s.snapshot();
    const std::filesystem::path dir = snap->recording_dir;
    const auto beats = read_csv(dir / "beats.csv");
    CHECK(beats.rows.size() == snap->beats);
    CHECK(std::stod(beats.rows.front()[0]) < 2.0);
    CHECK(read_csv(dir / "metrics.csv").rows.size() == snap->beats);
    std::optional<double> neck_s;
    for (const auto& r : read_csv(dir / "events.csv").rows)
        if (r[1] == "marker" && r[2] == "neck") neck_s = std::stod(r[0]);
    REQUIRE(neck_s);
    CHECK(*neck_s == Approx(snap->markers.front().t_s).margin(0.001));
    const auto json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["recording_started_at_session_s"] == 0.0);
}

TEST_CASE("recorded from the first beat: no beat leaves no folder", "[session][record]") {
    TempDir tmp;
    SessionConfig cfg;
    cfg.source = "sim:rest?seed=1";  // real time: the first beat is most of a second away
    cfg.sessions_root = tmp / "none";
    cfg.record_from_first_beat = true;
    {
        Session s(cfg);
        s.start();
        CHECK(s.snapshot()->record_pending);
        s.stop();
        CHECK(s.snapshot()->beats == 0);
    }
    CHECK_FALSE(std::filesystem::exists(tmp / "none"));
    cfg.source = "sim:rest?seed=1&speed=50";
    cfg.sessions_root = tmp / "some";
    Session s(cfg);
    s.start();
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.recording && x.beats > 30; }));
    s.stop();
    const std::filesystem::path dir = s.snapshot()->recording_dir;
    CHECK(dir.parent_path() == tmp / "some");
    CHECK(read_csv(dir / "beats.csv").rows.size() == s.snapshot()->beats);
}

TEST_CASE("a baseline set by hand needs 2 minutes, can be taken back, and is a what-if in a replay",
          "[session][baseline]") {
    TempDir tmp;
    SessionConfig cfg = rest_at_50x(tmp.path(), 2);
    cfg.record_from_first_beat = true;
    Session s(cfg);
    s.start();
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.t_s > 45.0; }));
    s.mark_baseline();  // 45 s in: too short, refused with the reason
    REQUIRE(wait_until(s, [](const Snapshot& x) { return !x.baseline_note.empty(); }));
    auto snap = s.snapshot();
    INFO(snap->baseline_note);
    CHECK(snap->baseline_note.rfind("Baseline kept: only", 0) == 0);
    CHECK(snap->baseline_refused);
    CHECK(snap->markers.empty());
    CHECK_FALSE(snap->baseline_span_s);
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.t_s > 150.0; }));
    s.mark_baseline();
    // (The relax index comes with the first beat judged against the new baseline.)
    REQUIRE(wait_until(s, [](const Snapshot& x) { return x.baseline_marked && x.relax_index; }));
    snap = s.snapshot();
    REQUIRE(snap->baseline_span_s);
    // The 3 minutes before the mark, or all there was (a loaded machine may take the mark late).
    CHECK(snap->baseline_span_s->first ==
          Approx(std::max(0.0, snap->markers.back().t_s - 180.0)).margin(1e-6));
    CHECK(snap->baseline_span_s->second == Approx(snap->markers.back().t_s));
    CHECK(snap->baseline_undoable);
    CHECK(snap->relax_index);
    s.undo_baseline();
    REQUIRE(wait_until(s, [](const Snapshot& x) { return !x.baseline_undoable; }));
    snap = s.snapshot();
    CHECK_FALSE(snap->baseline_span_s);  // back to learning it from the first minutes
    CHECK_FALSE(snap->relax_index);
    CHECK(snap->markers.back().label == "massage start (undone)");
    s.stop();
    const std::filesystem::path dir = s.snapshot()->recording_dir;
    std::vector<std::string> markers;
    for (const auto& r : read_csv(dir / "events.csv").rows)
        if (r[1] == "marker") markers.push_back(r[2]);
    CHECK(markers == std::vector<std::string>{"massage start", "baseline undone"});

    // In a replay: a what-if that no file hears of.
    const std::string events_before = read_file(dir / "events.csv");
    SessionConfig rc;
    rc.source = "file:" + dir.string();
    rc.speed = 0.0;
    Session replay(rc);
    replay.start();
    REQUIRE(replay.wait_finished(std::chrono::seconds(20)));
    REQUIRE(replay.snapshot()->markers.size() == 1);  // the recording's own, replayed
    CHECK(replay.snapshot()->markers[0].label == "massage start (undone)");  // ... the undo too
    CHECK_FALSE(replay.snapshot()->baseline_span_s);
    replay.stop();
    SessionConfig wc = rc;
    wc.speed = 1.0;
    wc.start_at_s = 140.0;
    Session what_if(wc);
    what_if.start();
    REQUIRE(wait_until(what_if, [](const Snapshot& x) { return x.t_s > 139.0; }));
    what_if.mark_baseline();
    REQUIRE(wait_until(what_if, [](const Snapshot& x) { return x.baseline_marked; }));
    CHECK(what_if.snapshot()->baseline_note.rfind("What if", 0) == 0);
    what_if.stop();
    CHECK(read_file(dir / "events.csv") == events_before);
}

TEST_CASE("the dashboard's whole-session view is cut into the massage's parts: the turnover",
          "[session][segments]") {
    // The massage simulator lies face-down, settles (the hands-free baseline), turns over between
    // 15 and 35 minutes: two parts, the second named by the chest's new posture.
    TempDir tmp;
    Session s(full_speed("sim:massage?seed=3", 2400.0, tmp / "rec"));
    run_to_end(s, std::chrono::seconds(60));
    const auto snap = s.snapshot();
    REQUIRE(snap->baseline_span_s);
    REQUIRE(snap->segments.size() == 2);
    CHECK(snap->segments[0].start_s == Approx(snap->baseline_span_s->second));
    CHECK(snap->segments[0].label == "after the baseline");
    CHECK(snap->segments[1].label == "face-up");
    CHECK(snap->segments[1].start_s > 15 * 60.0);
    CHECK(snap->segments[1].start_s < 36 * 60.0);
    CHECK(snap->segments[0].end_s == snap->segments[1].start_s);
    CHECK(snap->segments[1].end_s == Approx(snap->t_s));
    // The same cut as events.csv's posture change.
    const auto events = read_csv(tmp / "rec" / "events.csv");
    std::vector<double> postures;
    for (const auto& r : events.rows)
        if (r[1] == "posture") postures.push_back(std::stod(r[0]));
    REQUIRE(postures.size() == 2);
    CHECK(snap->segments[1].start_s == Approx(postures[1]).margin(1e-3));
}
