// `relaxmon peaks` as a user runs it.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace relaxmon::test;

TEST_CASE("peaks: beats of a WFDB record, scored against its annotations",
          "[cli][peaks][reference]") {
    const auto hea = shared_data("ecg/mitdb/100.hea");
    const auto atr = shared_data("ecg/mitdb/100.atr");
    if (!hea || !atr) return;
    TempDir tmp;
    const auto r = run_process({relaxmon_binary(), "peaks", hea->string(), "--against",
                                atr->string(), "--out", (tmp / "beats.csv").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("TP 2272") && Catch::Contains("Se 99.9") &&
                          Catch::Contains("+P 100.00%"));
    const CsvTable beats = read_csv(tmp / "beats.csv");
    CHECK(beats.header == std::vector<std::string>{"sample", "t_s", "rr_ms", "quality"});
    CHECK(beats.rows.size() == 2272);
    const auto rr = beats.numbers("rr_ms");
    CHECK(rr[10] > 600.0);
    CHECK(rr[10] < 1100.0);
    // A beats CSV works as the reference too.
    const auto csv_ref = shared_data("ecg/mitdb/100_beats.csv");
    const auto r2 =
        run_process({relaxmon_binary(), "peaks", hea->string(), "--against", csv_ref->string()});
    CHECK_THAT(r2.err, Catch::Contains("TP 2272"));
    CHECK_THAT(r2.out, Catch::StartsWith("sample,t_s,rr_ms,quality"));
}

TEST_CASE("peaks: CSV input with --fs, and bad input", "[cli][peaks]") {
    TempDir tmp;
    std::ofstream(tmp / "x.txt") << "1\n2\nthree\n";
    const auto bad =
        run_process({relaxmon_binary(), "peaks", (tmp / "x.txt").string(), "--fs", "250"});
    CHECK(bad.status == 1);
    CHECK_THAT(bad.err, Catch::StartsWith("relaxmon: ") && Catch::Contains("x.txt:3: 'three'"));
    std::ofstream(tmp / "y.txt") << "1\n2\n3\n";
    const auto no_fs = run_process({relaxmon_binary(), "peaks", (tmp / "y.txt").string()});
    CHECK(no_fs.status == 1);
    CHECK_THAT(no_fs.err, Catch::Contains("--fs"));
    const auto missing = run_process({relaxmon_binary(), "peaks", (tmp / "nope.hea").string()});
    CHECK(missing.status == 1);
    CHECK_THAT(missing.err, Catch::Contains("nope.hea: cannot open"));
}

TEST_CASE("peaks output feeds analyze: ECG beats take the same HRV path",
          "[cli][peaks][reference]") {
    const auto hea = shared_data("ecg/mitdb/100.hea");
    const auto atr = shared_data("ecg/mitdb/100.atr");
    if (!hea || !atr) return;
    TempDir tmp;
    REQUIRE(
        run_process({relaxmon_binary(), "peaks", hea->string(), "--out", (tmp / "b.csv").string()})
            .status == 0);
    const auto from_ecg =
        run_process({relaxmon_binary(), "analyze", (tmp / "b.csv").string(), "--json"});
    const auto from_atr = run_process({relaxmon_binary(), "analyze", atr->string(), "--json"});
    REQUIRE(from_ecg.status == 0);
    REQUIRE(from_atr.status == 0);
    const auto e = nlohmann::json::parse(from_ecg.out)["metrics"];
    const auto a = nlohmann::json::parse(from_atr.out)["metrics"];
    CHECK(e["mean_rr_ms"].get<double>() == Approx(a["mean_rr_ms"].get<double>()).epsilon(0.002));
    CHECK(e["rmssd_ms"].get<double>() == Approx(a["rmssd_ms"].get<double>()).epsilon(0.05));
    CHECK(e["sdnn_ms"].get<double>() == Approx(a["sdnn_ms"].get<double>()).epsilon(0.02));
}
