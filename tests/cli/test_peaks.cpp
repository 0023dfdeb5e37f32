// `relaxmon peaks` as a user runs it.
#include <catch2/catch.hpp>
#include <fstream>

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
