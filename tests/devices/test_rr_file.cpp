#include <catch2/catch.hpp>
#include <fstream>

#include "relaxmon/devices/formats/rr_file.hpp"
#include "test_support.hpp"

using namespace relaxmon::devices::formats;
using namespace relaxmon::test;
using relaxmon::dsp::ArtifactClass;

namespace {
std::filesystem::path write(const TempDir& dir, const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
}
}  // namespace

TEST_CASE("RR text in milliseconds or seconds, with comments", "[devices][formats]") {
    TempDir tmp;
    const auto ms =
        read_rr_file(write(tmp, "ms.txt", "# from a strap\n800\n 810.5 \n\n790 # note\r\n"));
    CHECK(ms.kind == "rr text");
    CHECK(ms.rr_ms == std::vector<double>{800.0, 810.5, 790.0});
    CHECK(ms.t_s.back() == Approx(2.4005));
    const auto s = read_rr_file(write(tmp, "s.txt", "0.800\n0.8105\n0.790\n"));
    CHECK(s.rr_ms[1] == Approx(810.5));
}

TEST_CASE("CSV files: ours, Polar's, and any column by name", "[devices][formats]") {
    TempDir tmp;
    const auto ours = read_rr_file(write(tmp, "beats.csv",
                                         "t_s,rr_ms,hr_bpm,artifact,rr_corrected_ms\n"
                                         "0.800,800.000,75.00,,800.000\n"
                                         "1.610,810.000,74.07,,810.000\n"
                                         "20.000,1000.000,60.00,gap,1000.000\n"));
    CHECK(ours.kind == "beats.csv");
    CHECK(ours.t_s == std::vector<double>{0.8, 1.61, 20.0});
    CHECK(ours.follows_gap == std::vector<std::uint8_t>{0, 0, 1});
    CHECK(ours.known[2] == ArtifactClass::gap);

    const auto polar =
        read_rr_file(write(tmp, "sensor_logger.txt",
                           "Phone timestamp;RR-interval "
                           "[ms]\n2024-05-05T10:00:00.100;812\n2024-05-05T10:00:00.900;798\n"));
    CHECK(polar.rr_ms == std::vector<double>{812.0, 798.0});

    const auto named = read_rr_file(write(tmp, "x.csv", "time,ibi_s,hr\n1,0.9,66\n2,0.95,63\n"),
                                    std::string("ibi_s"));
    CHECK(named.rr_ms == std::vector<double>{900.0, 950.0});
}

TEST_CASE("bad files get one line naming file, line and problem", "[devices][formats]") {
    TempDir tmp;
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "a.txt", "800\n810\nabc\n")),
                      Catch::Contains("a.txt:3: 'abc' is not an RR interval"));
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "b.txt", "800\n-5\n")),
                      Catch::Contains("b.txt:2") && Catch::Contains("not positive"));
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "c.csv", "time,value\n1,2\n")),
                      Catch::Contains("c.csv:1: no RR column found") &&
                          Catch::Contains("columns are: time, value"));
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "d.csv", "t,rr\n1,800\n2\n"), std::string("rr")),
                      Catch::Contains("d.csv:3: 1 fields"));
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "e.csv", "t,rr\n1,800\n"), std::string("RR")),
                      Catch::Contains("no column named 'RR'"));
    CHECK_THROWS_WITH(read_rr_file(tmp / "missing.txt"),
                      Catch::Contains("missing.txt: cannot open"));
    // Binary without a header beside it, and an annotation file cut in the middle.
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "f.atr", std::string("\x00\xec\x00\x00", 4))),
                      Catch::Contains("no header f.hea"));
    write(tmp, "g.hea", "g 0 250 0\n");
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "g.atr", std::string("\x00\xec\x00", 3))),
                      Catch::Contains("g.atr: byte 0: truncated"));
    write(tmp, "h.hea", "h 0 fast 0\n");
    CHECK_THROWS_WITH(read_rr_file(write(tmp, "h.atr", std::string("\x01\x04\x00\x00", 4))),
                      Catch::Contains("h.hea:1: sampling rate 'fast'"));
}

TEST_CASE("empty files are empty series, not errors", "[devices][formats]") {
    TempDir tmp;
    CHECK(read_rr_file(write(tmp, "empty.txt", "")).rr_ms.empty());
    CHECK(read_rr_file(write(tmp, "comments.txt", "# nothing yet\n\n")).rr_ms.empty());
}

TEST_CASE("WFDB annotations: nsr2db 24-hour record", "[devices][formats][reference]") {
    const auto ecg = shared_data("rr/nsr2db/nsr001.ecg");
    const auto csv = shared_data("rr/nsr2db/nsr001_annotations.csv");
    if (!ecg || !csv) return;
    const auto anns = read_mit_annotations(*ecg);
    const CsvTable ref = read_csv(*csv);
    REQUIRE(anns.size() == ref.rows.size());
    const auto samples = ref.numbers("sample");
    for (std::size_t i = 0; i < anns.size(); ++i) REQUIRE(anns[i].sample == samples[i]);
    const auto s = read_rr_file(*ecg);
    CHECK(s.kind == "wfdb");
    // Beats (N, A, V) less one: the noise marks '~' are not beats.
    std::size_t beats = 0, normal_pairs = 0;
    for (const auto& r : ref.rows) beats += r[1] != "~";
    CHECK(s.rr_ms.size() == beats - 1);
    for (auto k : s.known) normal_pairs += k == ArtifactClass::none;
    CHECK(normal_pairs > 0.99 * s.rr_ms.size());
    CHECK(s.rr_ms[0] == Approx((samples[1] - samples[0]) / 128.0 * 1000.0));
}

TEST_CASE("WFDB annotations: MIT-BIH 100 with its A and V beats flagged",
          "[devices][formats][reference]") {
    const auto atr = shared_data("ecg/mitdb/100.atr");
    if (!atr) return;
    const auto s = read_rr_file(*atr);
    CHECK(s.rr_ms.size() == 2273 - 1);
    std::size_t flagged = 0;
    for (auto k : s.known) flagged += k == ArtifactClass::ectopic;
    // 33 A beats and 1 V beat, each touching two intervals (a few adjacent).
    CHECK(flagged >= 60);
    CHECK(flagged <= 68);
}
