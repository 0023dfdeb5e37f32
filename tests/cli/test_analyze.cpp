// `relaxmon analyze` as a user runs it.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/json_text.hpp"
#include "test_support.hpp"

using namespace relaxmon::test;

namespace {
ProcessResult analyze(std::vector<std::string> args) {
    args.insert(args.begin(), {relaxmon_binary(), "analyze"});
    return run_process(args);
}
// A 30-minute simulated session recorded at full speed into `dir`, as a user records one.
ProcessResult record_30_min(const std::string& source, const std::filesystem::path& dir) {
    return run_process({relaxmon_binary(), "record", "--source", source, "--duration", "30m",
                        "--speed", "max", "--out", dir.string()});
}
const std::vector<std::string> kKeys{
    "mean_rr_ms", "sdnn_ms",    "rmssd_ms",    "sdsd_ms",    "pnn50_pct",       "mean_hr_bpm",
    "min_hr_bpm", "max_hr_bpm", "vlf_ms2",     "lf_ms2",     "hf_ms2",          "lf_hf",
    "lf_nu",      "hf_nu",      "lf_peak_hz",  "hf_peak_hz", "total_power_ms2", "sd1_ms",
    "sd2_ms",     "sd1_sd2",    "dfa_alpha1",  "dfa_alpha2", "sampen",          "resp_rate_bpm",
    "pns_index",  "sns_index",  "stress_index"};
}  // namespace

TEST_CASE("analyze: a 24-hour nsr2db record in sliding windows", "[cli][analyze][reference]") {
    const auto ecg = shared_data("rr/nsr2db/nsr001.ecg");
    const auto ref_csv =
        shared_data("rr/nsr2db/pcst_reference_NSR_HRV_allwindows_nsr001_nsr004.csv");
    if (!ecg || !ref_csv) return;
    const auto r = analyze({ecg->string(), "--step", "30", "--json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["input"] == ecg->string());
    CHECK(j["beats"].get<int>() > 100000);
    CHECK(j["artifacts_pct"].get<double>() < 2.0);
    for (const auto& k : kKeys) {
        INFO(k);
        REQUIRE(j["metrics"].contains(k));
        CHECK(j["metrics"][k].is_number());
    }
    const auto& windows = j["windows"];
    CHECK(windows.size() > 2600);
    // One thread or every core: the same bytes (the windows are worked and written in parallel).
    const auto one = analyze({ecg->string(), "--step", "30", "--json", "--jobs", "1"});
    CHECK(one.status == 0);
    CHECK(one.out == r.out);
    CHECK(windows[1]["t_s"] == 30.0);
    CHECK(j["events"].is_array());

    // Against the PhysioNet Cardiovascular Signal Toolbox (its own NN cleaning): RMSSD and SDNN
    // of the first two hours agree in the median within 5%.
    const CsvTable ref = read_csv(*ref_csv);
    std::vector<double> rmssd_rel, sdnn_rel;
    const auto t = ref.numbers("t_start"), rmssd = ref.numbers("RMSSD"), sdnn = ref.numbers("SDNN");
    for (std::size_t i = 0; i < ref.rows.size(); ++i) {
        if (ref.rows[i][0] != "nsr001") continue;
        const auto& w = windows[static_cast<std::size_t>(t[i] / 30.0)];
        REQUIRE(w["t_s"] == t[i]);
        rmssd_rel.push_back(w["metrics"]["rmssd_ms"].get<double>() / rmssd[i] - 1.0);
        sdnn_rel.push_back(w["metrics"]["sdnn_ms"].get<double>() / sdnn[i] - 1.0);
    }
    REQUIRE(rmssd_rel.size() > 200);
    std::nth_element(rmssd_rel.begin(), rmssd_rel.begin() + rmssd_rel.size() / 2, rmssd_rel.end());
    std::nth_element(sdnn_rel.begin(), sdnn_rel.begin() + sdnn_rel.size() / 2, sdnn_rel.end());
    CHECK(std::abs(rmssd_rel[rmssd_rel.size() / 2]) < 0.05);
    CHECK(std::abs(sdnn_rel[sdnn_rel.size() / 2]) < 0.05);
}

TEST_CASE("analyze: readable summary and CSV output", "[cli][analyze][reference]") {
    const auto rr = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!rr) return;
    const auto r = analyze({rr->string()});
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("1000 beats") && Catch::Contains("rmssd_ms") &&
                          Catch::Contains("resp_rate_bpm"));
    TempDir tmp;
    const auto c = analyze({rr->string(), "--step", "60", "--window", "300", "--csv",
                            (tmp / "w.csv").string(), "--artifacts", "threshold"});
    REQUIRE(c.status == 0);
    const CsvTable table = read_csv(tmp / "w.csv");
    CHECK(table.header.size() == 2 + kKeys.size());
    CHECK(table.rows.size() == 7);  // 718 s: windows at 0, 60, ..., 360
    CHECK(std::stod(table.rows[0][table.header.size() - 1]) > 0.0);
}

TEST_CASE("analyze: short, empty and malformed inputs", "[cli][analyze]") {
    TempDir tmp;
    // Too short for any metric: one line that says so, exit 1 (no table of dashes).
    std::ofstream(tmp / "three.txt") << "800\n810\n790\n";
    std::ofstream(tmp / "empty.txt") << "";
    for (const char* name : {"three.txt", "empty.txt"}) {
        const auto r = analyze({(tmp / name).string(), "--json"});
        INFO(name << ": " << r.err);
        CHECK(r.status == 1);
        CHECK(r.out.empty());
        CHECK_THAT(r.err, Catch::StartsWith("relaxmon: ") && Catch::Contains(name) &&
                              Catch::Contains("too short for HRV"));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
    // 40 s: enough for the time domain.
    {
        std::ofstream f(tmp / "forty.txt");
        for (int i = 0; i < 50; ++i) f << (i % 2 ? 790 : 810) << "\n";
    }
    const auto r = analyze({(tmp / "forty.txt").string(), "--json"});
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["beats"] == 50);
    CHECK(j["metrics"]["mean_rr_ms"] == Approx(800.0));
    CHECK(j["metrics"]["rmssd_ms"] == Approx(20.0));
    CHECK_FALSE(j.contains("quality_note"));
    // A premature beat and its pause every other beat (bigeminy): reported as such.
    {
        std::ofstream f(tmp / "bigeminy.txt");
        for (int i = 0; i < 200; ++i) f << (i % 4 == 1 ? 520 : i % 4 == 2 ? 1080 : 800) << "\n";
    }
    const auto q = analyze({(tmp / "bigeminy.txt").string(), "--json"});
    REQUIRE(q.status == 0);
    const auto qj = nlohmann::json::parse(q.out);
    INFO(q.err);
    CHECK(qj["artifacts_pct"].get<double>() >= 20.0);
    CHECK_THAT(qj["quality_note"].get<std::string>(), Catch::Contains("ectopic or artifacts"));
    CHECK_THAT(q.err, Catch::Contains("not autonomic tone"));

    std::ofstream(tmp / "bad.txt") << "800\n8l0\n";
    const auto b = analyze({(tmp / "bad.txt").string()});
    CHECK(b.status == 1);
    CHECK_THAT(b.err, Catch::StartsWith("relaxmon: ") && Catch::Contains("bad.txt:2: '8l0'"));
    CHECK(std::count(b.err.begin(), b.err.end(), '\n') == 1);

    const auto u = analyze({(tmp / "three.txt").string(), "--json", "--csv", "x.csv"});
    CHECK(u.status == 2);
    const auto w = analyze({(tmp / "three.txt").string(), "--artifacts", "magic"});
    CHECK(w.status == 2);
}

TEST_CASE("analyze: a progress bar on a terminal for long inputs", "[cli][analyze][reference]") {
    const auto ecg = shared_data("rr/nsr2db/nsr004.ecg");
    if (!ecg) return;
    TempDir tmp;
    const auto r = run_in_pty({relaxmon_binary(), "analyze", ecg->string(), "--step", "30", "--csv",
                               (tmp / "w.csv").string()});
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("analyzing windows"));
    CHECK(read_csv(tmp / "w.csv").rows.size() > 2000);
}

namespace {
// A synthetic RR file: `beats` intervals around `mean_ms` with a 12/min breathing swing.
void write_rr(const std::filesystem::path& path, int beats, double mean_ms, double swing_ms) {
    std::ofstream f(path);
    double t_s = 0.0;
    for (int i = 0; i < beats; ++i) {
        const double rr = mean_ms + swing_ms * std::sin(2.0 * M_PI * 0.2 * t_s) + (i % 7) * 3.0;
        f << static_cast<int>(rr) << "\n";
        t_s += rr / 1000.0;
    }
}
}  // namespace

TEST_CASE("analyze: a study in one call, one row per input in the order given", "[cli][analyze]") {
    TempDir tmp;
    write_rr(tmp / "a.txt", 600, 800.0, 40.0);
    write_rr(tmp / "b.txt", 500, 1000.0, 80.0);
    std::ofstream(tmp / "bad.txt") << "800\n8l0\n";
    write_rr(tmp / "c.txt", 700, 650.0, 15.0);
    const std::vector<std::string> inputs{(tmp / "a.txt").string(), (tmp / "bad.txt").string(),
                                          (tmp / "missing.txt").string(), (tmp / "b.txt").string(),
                                          (tmp / "c.txt").string()};
    for (const char* jobs : {"1", "2", "4"}) {
        INFO("--jobs " << jobs);
        std::vector<std::string> args = inputs;
        args.insert(args.end(), {"--csv", (tmp / "study.csv").string(), "--jobs", jobs});
        const auto r = analyze(args);
        // The bad inputs fail, one line each on stderr and a summary; the others all finish.
        CHECK(r.status == 1);
        CHECK_THAT(r.err, Catch::Contains("bad.txt:2: '8l0'") &&
                              Catch::Contains("missing.txt: cannot open") &&
                              Catch::Contains("2 of 5 inputs could not be analyzed"));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 3);
        const CsvTable t = read_csv(tmp / "study.csv");
        REQUIRE(t.rows.size() == 5);
        CHECK(t.header.size() == 3 + kKeys.size() + 4);
        const auto col = [&](const std::string& name) {
            return static_cast<std::size_t>(std::find(t.header.begin(), t.header.end(), name) -
                                            t.header.begin());
        };
        REQUIRE(col("error") < t.header.size());
        for (std::size_t i = 0; i < inputs.size(); ++i) CHECK(t.rows[i][0] == inputs[i]);
        CHECK(t.rows[0][col("beats")] == "600");
        CHECK(t.rows[1][col("beats")].empty());
        CHECK_THAT(t.rows[1][col("error")], Catch::Contains("'8l0'"));
        CHECK_THAT(t.rows[2][col("error")], Catch::Contains("cannot open"));
        CHECK(t.rows[4][col("error")].empty());
        // Each row says what analyzing that file alone says.
        for (std::size_t i : {0u, 3u, 4u}) {
            const auto one = analyze({inputs[i], "--json"});
            REQUIRE(one.status == 0);
            const auto j = nlohmann::json::parse(one.out);
            CHECK(std::stoi(t.rows[i][col("beats")]) == j["beats"].get<int>());
            for (const char* k : {"rmssd_ms", "sdnn_ms", "mean_hr_bpm", "hf_ms2", "sampen"}) {
                INFO(inputs[i] << " " << k);
                CHECK(std::stod(t.rows[i][col(k)]) ==
                      Approx(j["metrics"][k].get<double>()).epsilon(1e-5));
            }
            CHECK(std::stod(t.rows[i][col("time_relaxed_s")]) ==
                  Approx(j["summary"]["time_relaxed_s"].get<double>()).margin(1e-3));
        }
        CHECK(std::stod(t.rows[3][col("mean_hr_bpm")]) == Approx(60.0).epsilon(0.02));
    }
    // One JSON object per line, windows and all; the error as its own object.
    const auto j = analyze({inputs[0], inputs[2], inputs[3], "--json", "--step", "60"});
    CHECK(j.status == 1);
    std::istringstream lines(j.out);
    std::vector<nlohmann::json> objects;
    for (std::string line; std::getline(lines, line);)
        objects.push_back(nlohmann::json::parse(line));
    REQUIRE(objects.size() == 3);
    CHECK(objects[0]["input"] == inputs[0]);
    CHECK(objects[0]["windows"].size() >= 3);
    CHECK_THAT(objects[1]["error"].get<std::string>(), Catch::Contains("cannot open"));
    CHECK(objects[2]["beats"] == 500);
    // Readable lines without --csv or --json.
    const auto text = analyze({inputs[0], inputs[1]});
    CHECK_THAT(text.out, Catch::Contains("a.txt: 600 beats") &&
                             Catch::Contains("bad.txt: not analyzed: line 2: '8l0'"));
}

TEST_CASE("analyze: one progress bar for a batch on a terminal", "[cli][analyze]") {
    TempDir tmp;
    std::vector<std::string> args{relaxmon_binary(), "analyze"};
    for (int i = 0; i < 6; ++i) {
        write_rr(tmp / fmt::format("s{}.txt", i), 400 + 50 * i, 850.0, 30.0);
        args.push_back((tmp / fmt::format("s{}.txt", i)).string());
    }
    args.insert(args.end(), {"--csv", (tmp / "out.csv").string()});
    const auto r = run_in_pty(args);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("] 6/6 inputs"));
    CHECK(read_csv(tmp / "out.csv").rows.size() == 6);
}

TEST_CASE(
    "analyze: a session folder's chest gives the posture, movement and relaxation events "
    "it gave live",
    "[cli][analyze][posture]") {
    // A massage streams the chest; seed 4 turns over at about 18 minutes.
    TempDir tmp;
    REQUIRE(record_30_min("sim:massage?seed=4", tmp / "s").status == 0);
    REQUIRE(std::filesystem::exists(tmp / "s" / "acc.csv"));
    const auto r = analyze({(tmp / "s").string(), "--json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto events = nlohmann::json::parse(r.out)["events"];
    std::vector<std::vector<std::string>> live;
    for (const auto& row : read_csv(tmp / "s" / "events.csv").rows)
        if (row[1] != "connected") live.push_back(row);
    REQUIRE(live.size() == 5);  // prone, onset, movement start and end, supine
    REQUIRE(events.size() == live.size());
    for (std::size_t i = 0; i < live.size(); ++i) {
        INFO(events[i].dump());
        CHECK(events[i]["kind"] == live[i][1]);
        // Posture and movement from the same samples; the onset from the batch-corrected beats.
        CHECK(events[i]["t_s"].get<double>() ==
              Approx(std::stod(live[i][0])).margin(live[i][1] == "relaxation_onset" ? 15.0 : 0.01));
        if (live[i][1] != "relaxation_onset") CHECK(events[i]["label"] == live[i][2]);
    }
}

TEST_CASE("analyze: a session's parts between markers and posture changes, against its beats",
          "[cli][analyze][segments]") {
    TempDir tmp;
    const auto dir = tmp / "s";
    REQUIRE(record_30_min("sim:massage?seed=4", dir).status == 0);
    // The therapist's markers (seed 4 turns over at 18:03, face-up 16 s later).
    {
        std::ofstream ev(dir / "events.csv", std::ios::app);
        ev << "300.000,marker,massage start\n420.000,marker,back\n800.000,marker,neck\n"
              "1088.000,marker,turned over\n1500.000,marker,\"legs, feet\"\n";
    }
    const auto r = analyze({dir.string(), "--json"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const auto j = nlohmann::json::parse(r.out);
    const auto& seg = j["segments"];
    REQUIRE(seg.size() == 5);
    const std::vector<std::string> labels{"massage start", "back", "neck", "turned over / face-up",
                                          "legs, feet"};
    const std::vector<double> starts{300.0, 420.0, 800.0, 1088.0, 1500.0};
    const auto beats = read_csv(dir / "beats.csv");
    const auto t = beats.numbers("t_s"), hr = beats.numbers("hr_bpm"),
               rr = beats.numbers("rr_corrected_ms");
    const double base_hr = j["summary"]["baseline"]["hr_bpm"].get<double>();
    const double base_rmssd = j["summary"]["baseline"]["rmssd_ms"].get<double>();
    for (std::size_t k = 0; k < seg.size(); ++k) {
        INFO(seg[k].dump());
        CHECK(seg[k]["label"] == labels[k]);
        CHECK(seg[k]["start_s"].get<double>() == starts[k]);
        const double end_s = seg[k]["end_s"].get<double>();
        CHECK(end_s == Approx(k + 1 < seg.size() ? starts[k + 1] : t.back()));
        // From beats.csv: the median heart rate, and RMSSD over the part's successive beats.
        std::vector<double> part_hr;
        double sum_sq = 0.0;
        int diffs = 0;
        for (std::size_t i = 1; i < t.size(); ++i)
            if (t[i] >= starts[k] && t[i] < end_s) {
                part_hr.push_back(hr[i]);
                sum_sq += (rr[i] - rr[i - 1]) * (rr[i] - rr[i - 1]);
                ++diffs;
            }
        std::sort(part_hr.begin(), part_hr.end());
        const double hr_bpm = seg[k]["hr_bpm"].get<double>();
        CHECK(hr_bpm == Approx(part_hr[part_hr.size() / 2]).margin(1.5));
        CHECK(seg[k]["rmssd_ms"].get<double>() == Approx(std::sqrt(sum_sq / diffs)).epsilon(0.25));
        CHECK(seg[k]["d_hr_bpm"].get<double>() == Approx(hr_bpm - base_hr));
        CHECK(seg[k]["d_rmssd_pct"].get<double>() ==
              Approx(100.0 * (seg[k]["rmssd_ms"].get<double>() / base_rmssd - 1.0)));
        CHECK(seg[k]["relax_index"].is_number());
        CHECK(seg[k]["resp_rate_bpm"].is_number());
    }
    // Relaxing from about 6 minutes: the later parts read calmer than the first.
    CHECK(seg[3]["d_hr_bpm"].get<double>() < seg[0]["d_hr_bpm"].get<double>() - 3.0);
    CHECK(seg[3]["relax_index"].get<double>() > seg[0]["relax_index"].get<double>() + 20.0);
    // An RR file has no parts.
    const auto plain = analyze({(dir / "beats.csv").string(), "--json"});
    CHECK_FALSE(nlohmann::json::parse(plain.out).contains("segments"));
}

TEST_CASE("analyze: JSON written by several threads is dump(2)'s text", "[cli][analyze]") {
    nlohmann::json j{{"input", "a \"day\"\nof beats"},
                     {"empty", nlohmann::json::array()},
                     {"none", nullptr},
                     {"object", nlohmann::json::object()},
                     {"summary", {{"baseline", {{"hr_bpm", 61.25}, {"rmssd_ms", nullptr}}}}}};
    for (int i = 0; i < 300; ++i)
        j["windows"].push_back({{"t_s", 30.0 * i},
                                {"metrics", {{"rmssd_ms", 1.0 / (i + 3)}, {"lf_hf", nullptr}}},
                                {"flags", {i % 2 == 0, "x"}}});
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
        INFO(threads);
        CHECK(relaxmon::cli::dump_indented(j, threads) == j.dump(2));
    }
    CHECK(relaxmon::cli::dump_indented(nlohmann::json::object(), 2) == "{}");
    CHECK(relaxmon::cli::dump_indented(nlohmann::json::array({1, 2}), 2) == "[\n  1,\n  2\n]");
}

TEST_CASE("analyze: the relaxation pass on helper threads gives one thread's bytes",
          "[cli][analyze]") {
    // With threads to spare, the pass's 2-min spectra and breath count are worked out first, on
    // threads of their own, then read by the pass (session::Pipeline::Streams). Without
    // correction beforehand the pass's own screen meets the session's ectopic and missed beats,
    // its dropout and its contact loss: premature pairs amended, stand-ins rebuilt, restarts.
    TempDir tmp;
    const auto dir = tmp / "s";
    REQUIRE(record_30_min("sim:artifacts?seed=5", dir).status == 0);
    const auto one = analyze({dir.string(), "--json", "--artifacts", "none", "--jobs", "1"});
    const auto two = analyze({dir.string(), "--json", "--artifacts", "none", "--jobs", "2"});
    INFO(one.err << two.err);
    REQUIRE(one.status == 0);
    REQUIRE(two.status == 0);
    CHECK(one.out == two.out);
    const auto j = nlohmann::json::parse(two.out);
    CHECK(j["artifacts_pct"].get<double>() == 0.0);  // nothing corrected beforehand
    CHECK(j["summary"]["baseline"]["hr_bpm"].is_number());
    CHECK(std::count_if(j["events"].begin(), j["events"].end(),
                        [](const auto& e) { return e["kind"] == "relaxation_onset"; }) == 1);
}
