#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <fstream>

#include "relaxmon/devices/formats/ecg_file.hpp"
#include "test_support.hpp"

using namespace relaxmon::devices::formats;
using namespace relaxmon::test;

namespace {
// WFDB headers carry, per signal, the first sample and a 16-bit checksum of all samples: both
// must come out of the decoded signal exactly.
void check_against_header(const EcgSignal& s, double gain, double baseline, int first,
                          int checksum) {
    std::int64_t sum = 0;
    for (float uv : s.samples_uv) sum += std::lround(uv * gain / 1000.0 + baseline);
    CHECK(std::lround(s.samples_uv[0] * gain / 1000.0 + baseline) == first);
    CHECK(static_cast<std::int16_t>(static_cast<std::uint16_t>(sum & 0xffff)) == checksum);
}
}  // namespace

TEST_CASE("WFDB format 212: MIT-BIH 100, both signals, checksums match",
          "[devices][ecg][reference]") {
    const auto hea = shared_data("ecg/mitdb/100.hea");
    if (!hea) return;
    const auto mlii = read_ecg_file(*hea);
    CHECK(mlii.fs_hz == 360.0);
    CHECK(mlii.samples_uv.size() == 650000);
    CHECK(mlii.lead == "MLII");
    check_against_header(mlii, 200, 1024, 995, -22131);
    EcgReadOptions o;
    o.channel = 1;
    const auto v5 = read_ecg_file(*hea, o);
    CHECK(v5.lead == "V5");
    check_against_header(v5, 200, 1024, 1011, 20052);
    // The .dat names the same record.
    CHECK(read_ecg_file(hea->parent_path() / "100.dat").samples_uv == mlii.samples_uv);
}

TEST_CASE("WFDB 212 at 128 Hz with baseline 0: SVDB 800", "[devices][ecg][reference]") {
    const auto hea = shared_data("ecg/svdb/800.hea");
    if (!hea) return;
    const auto s = read_ecg_file(*hea);
    CHECK(s.fs_hz == 128.0);
    CHECK(s.samples_uv.size() == 230400);
}

TEST_CASE("WFDB format 16 and the errors of bad records", "[devices][ecg]") {
    TempDir tmp;
    {
        std::ofstream(tmp / "r.hea") << "r 1 250 4\nr.dat 16 100(10)/mV 16 0 0 0 0 ECG\n";
        std::ofstream dat(tmp / "r.dat", std::ios::binary);
        for (std::int16_t v : {10, 110, -90, 10}) dat.write(reinterpret_cast<const char*>(&v), 2);
    }
    const auto s = read_ecg_file(tmp / "r.hea");
    CHECK(s.fs_hz == 250.0);
    CHECK(s.samples_uv == std::vector<float>{0.0f, 1000.0f, -1000.0f, 0.0f});

    std::ofstream(tmp / "long.hea") << "long 1 250 10\nr.dat 16 100 16 0 0 0 0 ECG\n";
    CHECK_THROWS_WITH(read_ecg_file(tmp / "long.hea"),
                      Catch::Contains("says 10 samples per signal but r.dat holds 4"));
    std::ofstream(tmp / "fmt.hea") << "fmt 1 250 4\nr.dat 80 100 16 0 0 0 0 ECG\n";
    CHECK_THROWS_WITH(read_ecg_file(tmp / "fmt.hea"), Catch::Contains("format 80"));
    std::ofstream(tmp / "odd.dat", std::ios::binary) << "abcde";
    std::ofstream(tmp / "odd.hea") << "odd 1 250\nodd.dat 212 200 12 0 0 0 0 ECG\n";
    CHECK_THROWS_WITH(read_ecg_file(tmp / "odd.hea"),
                      Catch::Contains("odd.dat: byte 3: file ends inside"));
    std::ofstream(tmp / "two.hea") << "two 2 250\nr.dat 16 100 16 0 0 0 0 ECG\n";
    CHECK_THROWS_WITH(read_ecg_file(tmp / "two.hea"),
                      Catch::Contains("says 2 signals but describes 1"));
    CHECK_THROWS_WITH(read_ecg_file(tmp / "r.hea", {std::nullopt, std::nullopt, 3}),
                      Catch::Contains("no signal 3"));
}

TEST_CASE("ECG from CSV: Polar H10 export, units and rate from the timestamps",
          "[devices][ecg][reference]") {
    const auto csv = shared_data("polar_h10/detectPVC_polar_h10_ecg_130hz.csv");
    if (!csv) return;
    const auto s = read_ecg_file(*csv);
    CHECK(s.lead == "ecg_mV");
    CHECK(s.samples_uv.size() == 78096);
    CHECK(s.fs_hz == Approx(130.16).margin(0.02));
    double peak = 0;
    for (float v : s.samples_uv) peak = std::max(peak, double(std::abs(v)));
    CHECK(peak > 300.0);  // millivolts became microvolts
}

TEST_CASE("ECG text: a bare column needs --fs, and bad samples name their line", "[devices][ecg]") {
    TempDir tmp;
    std::ofstream(tmp / "a.txt") << "12\n15\n-3\n";
    CHECK_THROWS_WITH(read_ecg_file(tmp / "a.txt"), Catch::Contains("no sampling rate: give --fs"));
    const auto s = read_ecg_file(tmp / "a.txt", {500.0, std::nullopt, 0});
    CHECK(s.samples_uv == std::vector<float>{12, 15, -3});
    std::ofstream(tmp / "b.csv") << "time_s,ECG\n0,1\n0.01,x2\n";
    CHECK_THROWS_WITH(read_ecg_file(tmp / "b.csv"),
                      Catch::Contains("b.csv:3: 'x2' is not a number"));
    std::ofstream(tmp / "c.csv") << "a,b\n1,2\n";
    CHECK_THROWS_WITH(read_ecg_file(tmp / "c.csv", {100.0, std::string("lead"), 0}),
                      Catch::Contains("no column named 'lead'; columns are: a, b"));
}
