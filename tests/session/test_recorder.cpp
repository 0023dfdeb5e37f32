#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "session/recorder.hpp"
#include "session/session.hpp"
#include "test_support.hpp"

using namespace relaxmon::session;
using namespace relaxmon::test;
using relaxmon::dsp::ArtifactClass;
namespace fs = std::filesystem;

TEST_CASE("the recorder writes the session directory of DESIGN.md", "[session][recorder]") {
    TempDir tmp;
    const auto dir = tmp / "s";
    {
        Recorder rec(dir, {{"source", "sim"}}, 10.0);
        auto json = nlohmann::json::parse(read_file(dir / "session.json"));
        CHECK(json["status"] == "recording");
        CHECK(std::regex_match(json["start_time"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)")));
        rec.beat({10.8, 800.0, 75.0, ArtifactClass::none, 800.0, {}});
        rec.beat({12.8, 2000.0, 30.0, ArtifactClass::missed, 1000.0, {}});
        relaxmon::dsp::SlidingHrv::Values v;
        v.time.mean_hr_bpm = 70.0;
        v.time.rmssd_ms = 31.25;
        v.lf_ms2 = 812.34;
        v.lf_hf = 1.5;
        relaxmon::dsp::RelaxationDetector::Output relax;
        relax.relax_index = 62.5;
        relax.state = relaxmon::dsp::RelaxState::relaxing;
        rec.metrics(metrics_row(12.8, v, 60.0, v.resp_rate_bpm, relax));
        rec.event(13.0, "marker", "Marker 1");
        rec.finish({{"summary", {{"beats", 2}}}});
        CHECK_FALSE(rec.error());
    }
    CHECK(read_lines(dir / "beats.csv") ==
          std::vector<std::string>{"t_s,rr_ms,hr_bpm,artifact,rr_corrected_ms",
                                   "0.800,800.000,75.00,,800.000",
                                   "2.800,2000.000,30.00,missed,1000.000"});
    CHECK(read_lines(dir / "rr.txt") == std::vector<std::string>{"800.000", "2000.000"});
    CHECK(read_lines(dir / "metrics.csv") ==
          std::vector<std::string>{"t_s,window_s,mean_hr_bpm,rmssd_ms,sdnn_ms,lf_ms2,hf_ms2,lf_hf,"
                                   "resp_rate_bpm,relax_index,state",
                                   "2.800,60,70.00,31.25,,812.3,,1.500,,62.5,relaxing"});
    CHECK(read_lines(dir / "events.csv") ==
          std::vector<std::string>{"t_s,kind,label", "3.000,marker,Marker 1"});
    const auto json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["status"] == "complete");
    CHECK(json["beats"] == 2);
    CHECK(json["source"] == "sim");
    CHECK(json["summary"]["beats"] == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "session.json.tmp"));
}

TEST_CASE("the recorder refuses a directory that holds something", "[session][recorder]") {
    TempDir tmp;
    std::ofstream(tmp / "notes.txt") << "mine";
    CHECK_THROWS_WITH(Recorder(tmp.path(), {}, 0.0), Catch::Contains("not empty"));
    CHECK(read_file(tmp / "notes.txt") == "mine");
}

TEST_CASE("an unwritable place is one clear error", "[session][recorder]") {
    // Tests may run as root, which ignores permission bits: use places no one can write.
    CHECK_THROWS_WITH(Recorder("/proc/relaxmon-session", {}, 0.0),
                      Catch::Contains("cannot create directory /proc/relaxmon-session"));
    TempDir tmp;
    std::ofstream(tmp / "file") << "x";
    CHECK_THROWS_AS(Recorder(tmp / "file", {}, 0.0), RecordError);
}

TEST_CASE("new session directories are named by local time and never reused",
          "[session][recorder]") {
    TempDir tmp;
    const auto a = new_session_dir(tmp.path());
    CHECK(std::regex_match(a.filename().string(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d)")));
    std::filesystem::create_directories(a);
    const auto b = new_session_dir(tmp.path());
    CHECK(b != a);
}

TEST_CASE("a disk that fills up and frees again loses nothing, and the events say so",
          "[session][recorder][full]") {
    TempDir tmp;
    auto run = [&](const fs::path& dir, bool squeeze) {
        SessionConfig cfg;
        cfg.source = "sim:massage?seed=12&speed=1500";
        cfg.duration_s = 1800.0;
        cfg.record_dir = dir;
        Session s(cfg);
        rlimit normal{};
        ::getrlimit(RLIMIT_FSIZE, &normal);
        if (squeeze) {
            // Files may not grow past 24 KiB, as if the disk were full; writing past that fails
            // with EFBIG (SIGXFSZ ignored) and relaxmon holds the lines in memory.
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit small = normal;
            small.rlim_cur = 24 * 1024;
            REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
        }
        s.start();
        if (squeeze) {
            bool held = false;
            for (int i = 0; i < 2000 && !held; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                held = s.snapshot()->recording_error.has_value();
            }
            CHECK(held);
            CHECK_THAT(*s.snapshot()->recording_error, Catch::Contains("kept in memory"));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            REQUIRE(::setrlimit(RLIMIT_FSIZE, &normal) == 0);  // room again
        }
        REQUIRE(s.wait_finished(std::chrono::seconds(60)));
        s.stop();
        CHECK_FALSE(s.snapshot()->recording_error);
    };
    run(tmp / "reference", false);
    run(tmp / "squeezed", true);
    // Every line, in order, whole: the same files as a run that never ran out of room.
    for (const char* f : {"beats.csv", "metrics.csv", "rr.txt"})
        CHECK(read_file(tmp / "squeezed" / f) == read_file(tmp / "reference" / f));
    std::vector<std::string> kinds;
    for (const auto& row : read_csv(tmp / "squeezed" / "events.csv").rows) kinds.push_back(row[1]);
    const auto held = std::find(kinds.begin(), kinds.end(), "recording_held");
    REQUIRE(held != kinds.end());
    CHECK(std::find(held, kinds.end(), "recording_resumed") != kinds.end());
    CHECK(nlohmann::json::parse(read_file(tmp / "squeezed" / "session.json"))["status"] ==
          "complete");
}
