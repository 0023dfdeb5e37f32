// `relaxmon analyze` as a user runs it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace relaxmon::test;

namespace {
ProcessResult analyze(std::vector<std::string> args) {
    args.insert(args.begin(), {relaxmon_binary(), "analyze"});
    return run_process(args);
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
