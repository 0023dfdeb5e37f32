// End to end: `relaxmon record` on the simulator, checked against DESIGN.md's session directory.
#include <sys/wait.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <csignal>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "test_support.hpp"

using namespace relaxmon::test;

namespace {
double mean_hr(const std::vector<double>& t, const std::vector<double>& rr, double from,
               double to) {
    double sum = 0;
    int n = 0;
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i] > from && t[i] <= to) {
            sum += rr[i];
            ++n;
        }
    return 60000.0 / (sum / n);
}
}  // namespace

TEST_CASE("record: a 30-minute massage session at full speed", "[cli][record][e2e]") {
    TempDir tmp;
    const auto dir = tmp / "massage";
    const auto r = run_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=7",
                                "--duration", "30m", "--speed", "max", "--out", dir.string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.empty());
    CHECK_THAT(r.out, Catch::Contains("Recorded 30:00") && Catch::Contains("heart rate"));

    const CsvTable beats = read_csv(dir / "beats.csv");
    CHECK(beats.header ==
          std::vector<std::string>{"t_s", "rr_ms", "hr_bpm", "artifact", "rr_corrected_ms"});
    CHECK(beats.rows.size() > 1700);
    CHECK(beats.rows.size() < 2400);
    const auto t = beats.numbers("t_s"), rr = beats.numbers("rr_ms"), hr = beats.numbers("hr_bpm"),
               corrected = beats.numbers("rr_corrected_ms");
    for (std::size_t i = 0; i < beats.rows.size(); ++i) {
        REQUIRE(beats.rows[i].size() == 5);
        if (i) REQUIRE(t[i] > t[i - 1]);
        REQUIRE(hr[i] == Approx(60000.0 / rr[i]).margin(0.01));
        REQUIRE(corrected[i] > 300.0);
        const std::string& a = beats.rows[i][3];
        REQUIRE(
            (a.empty() || std::regex_match(a, std::regex("missed|extra|ectopic|long|short|gap"))));
    }
    CHECK(t.back() <= 1800.0);
    CHECK(t.back() > 1795.0);
    // The relaxation response: mean HR over the last 5 minutes is below the first 5.
    CHECK(mean_hr(t, rr, 1500, 1800) < mean_hr(t, rr, 0, 300) - 3.0);

    const auto rr_txt = read_lines(dir / "rr.txt");
    REQUIRE(rr_txt.size() == beats.rows.size());
    for (std::size_t i = 0; i < rr_txt.size(); ++i) REQUIRE(std::stod(rr_txt[i]) == rr[i]);

    const CsvTable metrics = read_csv(dir / "metrics.csv");
    CHECK(metrics.header == std::vector<std::string>{"t_s", "window_s", "mean_hr_bpm", "rmssd_ms",
                                                     "sdnn_ms", "lf_ms2", "hf_ms2", "lf_hf",
                                                     "resp_rate_bpm", "relax_index", "state"});
    CHECK(metrics.rows.size() == beats.rows.size());
    const auto rmssd = metrics.numbers("rmssd_ms");
    CHECK(rmssd.back() > 5.0);
    CHECK(rmssd.back() < 200.0);
    // The streaming spectrum follows the scripted breathing: ~14/min at baseline, ~7 relaxed.
    const auto resp = metrics.numbers("resp_rate_bpm"), mt = metrics.numbers("t_s");
    const auto truth = nlohmann::json::parse(read_file(dir / "session.json"))["ground_truth"];
    auto resp_at = [&](double t_s) {
        for (std::size_t i = 0; i < mt.size(); ++i)
            if (mt[i] >= t_s) return resp[i];
        return resp.back();
    };
    CHECK(resp_at(250.0) == Approx(truth["baseline"]["breathing_bpm"].get<double>()).margin(1.5));
    CHECK(resp_at(1790.0) == Approx(truth["changed"]["breathing_bpm"].get<double>()).margin(1.5));
    CHECK(metrics.numbers("lf_ms2").back() > 0.0);
    CHECK(metrics.numbers("lf_hf").back() > 0.0);

    const CsvTable events = read_csv(dir / "events.csv");
    CHECK(events.header == std::vector<std::string>{"t_s", "kind", "label"});
    // Connected, lying face-down (the massage streams the chest), and the relaxation response
    // after the scripted onset, within 3 minutes (the turnover comes after 30 minutes).
    REQUIRE(events.rows.size() == 3);
    CHECK(events.rows[0][1] == "connected");
    CHECK(events.rows[1][1] == "posture");
    CHECK(events.rows[1][2] == "prone");
    const double scripted =
        nlohmann::json::parse(read_file(dir / "session.json"))["relaxation_onset_s"];
    CHECK(events.rows[2][1] == "relaxation_onset");
    CHECK(std::stod(events.rows[2][0]) > scripted);
    CHECK(std::stod(events.rows[2][0]) < scripted + 180.0);
    // The relax index and state fill metrics.csv once the baseline is learnt.
    const auto idx = metrics.numbers("relax_index");
    CHECK(std::isnan(idx[100]));  // ~1.5 min: still learning the baseline
    CHECK(metrics.rows[100][10] == "baseline");
    CHECK(idx.back() > 75.0);  // relaxed
    CHECK(metrics.rows.back()[10] == "relaxed");
    const auto summary =
        nlohmann::json::parse(read_file(dir / "session.json"))["summary"]["relaxation"];
    CHECK(summary["change"]["hr_bpm"]["change"].get<double>() < -4.0);
    CHECK(summary["change"]["rmssd_ms"]["percent"].get<double>() > 20.0);
    CHECK(summary["time_relaxed_s"].get<double>() > 900.0);

    const auto json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["status"] == "complete");
    CHECK(json["source"] == "sim:massage?seed=7");
    CHECK(json["device_name"] == "Simulated strap (massage, seed 7)");
    CHECK(std::regex_match(json["start_time"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d)")));
    CHECK(json["version"].is_string());
    CHECK(json["parameters"]["metrics_window_s"] == 60.0);
    CHECK(json["ground_truth"]["scenario"] == "massage");
    CHECK(json["relaxation_onset_s"].get<double>() > 240.0);
    CHECK(json["beats"] == beats.rows.size());
}

TEST_CASE("record: artifacts scenario marks gaps and device events", "[cli][record][e2e]") {
    TempDir tmp;
    const auto dir = tmp / "artifacts";
    const auto r = run_process({relaxmon_binary(), "record", "--source", "sim:artifacts?seed=3",
                                "--duration", "30m", "--speed", "max", "--out", dir.string()});
    REQUIRE(r.status == 0);
    const CsvTable events = read_csv(dir / "events.csv");
    std::vector<std::string> kinds;
    int onsets = 0;
    for (const auto& row : events.rows) {
        if (row[1] == "relaxation_onset")
            ++onsets;
        else
            kinds.push_back(row[1]);
    }
    CHECK(kinds == std::vector<std::string>{"connected", "disconnected", "connected",
                                            "contact_lost", "contact_restored"});
    CHECK(onsets == 1);  // the relaxation response, despite the artifacts
    const CsvTable beats = read_csv(dir / "beats.csv");
    int gaps = 0, flagged = 0;
    for (const auto& row : beats.rows) {
        gaps += row[3] == "gap";
        flagged += !row[3].empty() && row[3] != "gap";
    }
    CHECK(gaps == 2);
    CHECK(flagged >= 10);
}

TEST_CASE("record: after kill -9 every beat received is on disk", "[cli][record][crash]") {
    TempDir tmp;
    const auto full = tmp / "full", killed = tmp / "killed";
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=11",
                         "--duration", "10m", "--speed", "max", "--out", full.string()})
                .status == 0);
    // The same session at 100x real time, killed without warning after ~1.5 s (~150 s of beats).
    const pid_t pid =
        spawn_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=11", "--duration",
                       "10m", "--speed", "100", "--out", killed.string()},
                      tmp / "out", tmp / "err");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));

    const auto got = read_lines(killed / "beats.csv");
    const auto want = read_lines(full / "beats.csv");
    CHECK(got.size() > 100);  // it did record for a while
    REQUIRE(got.size() < want.size());
    for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(got[i] == want[i]);  // whole lines only
    CHECK(read_lines(killed / "rr.txt").size() + 1 >= got.size() - 1);
    const auto json = nlohmann::json::parse(read_file(killed / "session.json"));
    CHECK(json["status"] == "recording");  // says it never finished
}

TEST_CASE("record: a live progress line on a terminal, a summary at the end", "[cli][record]") {
    TempDir tmp;
    const auto r = run_in_pty({relaxmon_binary(), "record", "--source", "sim:rest?seed=2",
                               "--duration", "2m", "--speed", "80", "--out", (tmp / "s").string()});
    REQUIRE(r.status == 0);
    // The line is redrawn in place (carriage returns) and shows time, HR, RMSSD, beats, artifacts.
    CHECK(std::count(r.out.begin(), r.out.end(), '\r') >= 4);
    CHECK_THAT(r.out, Catch::Contains("HR ") && Catch::Contains("RMSSD ") &&
                          Catch::Contains("beats ") && Catch::Contains("artifacts "));
    CHECK_THAT(r.out, Catch::Contains("Recorded 02:00"));
    // Without a terminal there is no progress line, only the summary.
    const auto plain =
        run_process({relaxmon_binary(), "record", "--source", "sim:rest?seed=2", "--duration", "2m",
                     "--speed", "max", "--out", (tmp / "t").string()});
    CHECK(plain.out.find('\r') == std::string::npos);
    CHECK_THAT(plain.out, Catch::StartsWith("Recorded 02:00"));
}

TEST_CASE("record: Ctrl-C ends the recording cleanly", "[cli][record]") {
    TempDir tmp;
    const auto dir = tmp / "s";
    const pid_t pid = spawn_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=4",
                                     "--speed", "50", "--out", dir.string()},
                                    tmp / "out", tmp / "err");
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const auto json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["status"] == "complete");
    const auto beats = read_csv(dir / "beats.csv");
    CHECK(json["beats"] == beats.rows.size());
    CHECK(beats.rows.size() > 30);
    CHECK_THAT(read_file(tmp / "out"), Catch::Contains("Recorded"));
}

TEST_CASE("record: a disk that stays full - the session goes on, then one clear line",
          "[cli][record]") {
    TempDir tmp;
    const auto dir = tmp / "s";
    // A 24 KiB file-size limit: beats.csv fills up after some 700 beats, as on a full disk that
    // never frees up again.
    const auto r = run_process({"bash", "-c", "ulimit -f 24 && exec \"$0\" \"$@\"",
                                relaxmon_binary(), "record", "--source", "sim:massage?seed=7",
                                "--duration", "30m", "--speed", "max", "--out", dir.string()});
    CHECK(r.status == 1);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::Contains("recording incomplete") &&
                          Catch::Contains("lines could not be written to " + dir.string()) &&
                          Catch::Contains("File too large"));
    // The session ran to its end (the summary covers 30 minutes) ...
    CHECK_THAT(r.out, Catch::Contains("Recorded 30:00"));
    // ... and what fitted is intact, line by line; session.json says the recording is incomplete.
    const auto lines = read_lines(dir / "beats.csv");
    CHECK(lines.size() > 100);
    for (std::size_t i = 1; i < lines.size(); ++i) REQUIRE(split_csv(lines[i]).size() == 5);
    const auto json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["status"] == "incomplete");
    CHECK_THAT(json["error"].get<std::string>(),
               Catch::Contains("lines could not be written") && Catch::Contains("File too large"));
}

TEST_CASE("record: a strap streaming raw ECG - beats come from the ECG detector",
          "[cli][record][ecg]") {
    TempDir tmp;
    const auto rr_dir = tmp / "rr", ecg_dir = tmp / "ecg";
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=5",
                         "--duration", "10m", "--speed", "max", "--out", rr_dir.string()})
                .status == 0);
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=5&ecg=1",
                         "--duration", "10m", "--speed", "max", "--out", ecg_dir.string()})
                .status == 0);
    const CsvTable ecg = read_csv(ecg_dir / "ecg.csv");
    CHECK(ecg.header == std::vector<std::string>{"t_s", "ecg_uv"});
    CHECK(ecg.rows.size() == Approx(600 * 130).epsilon(0.01));
    // The same heart, seen through its ECG: the beats match the strap's own, RR to within a
    // millisecond (the 1/1024-s quantisation of the strap's RR is the larger error).
    const auto truth = read_csv(rr_dir / "beats.csv"), got = read_csv(ecg_dir / "beats.csv");
    const auto tt = truth.numbers("t_s"), tr = truth.numbers("rr_ms");
    const auto gt = got.numbers("t_s"), gr = got.numbers("rr_ms");
    CHECK(gt.size() >= tt.size() - 3);
    CHECK(gt.size() <= tt.size());
    std::vector<double> err;
    std::size_t j = 0;
    for (std::size_t i = 0; i < gt.size(); ++i) {
        while (j < tt.size() && tt[j] < gt[i] - 0.05) ++j;
        if (j < tt.size() && std::abs(tt[j] - gt[i]) < 0.05) err.push_back(std::abs(tr[j] - gr[i]));
    }
    CHECK(err.size() >= gt.size() - 2);
    std::sort(err.begin(), err.end());
    CHECK(err[err.size() / 2] < 1.0);
    CHECK(err[err.size() * 99 / 100] < 4.0);
}
