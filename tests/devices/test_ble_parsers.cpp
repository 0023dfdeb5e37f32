// Every captured payload of PROTOCOLS.md sections 1 and 2, and the synthetic edge cases.
#include <catch2/catch.hpp>
#include <sstream>

#include "relaxmon/devices/ble/hrs_parser.hpp"
#include "relaxmon/devices/ble/pmd_parser.hpp"
#include "test_support.hpp"

using namespace relaxmon::devices::ble;
using Bytes = std::vector<std::uint8_t>;

namespace {
Bytes hex(const std::string& text) {
    Bytes b;
    std::istringstream in(text);
    for (std::string byte; in >> byte;)
        b.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
    return b;
}
}  // namespace

TEST_CASE("HRS captured payloads", "[devices][ble]") {
    struct Vector {
        const char* name;
        const char* bytes;
        std::uint16_t hr;
        SensorContact contact;
        std::vector<std::uint16_t> rr_raw;
        std::size_t rejected;
    };
    using C = SensorContact;
    const std::vector<Vector> vectors{
        {"P1 Polar H7", "06 3c", 60, C::detected, {}, 0},
        {"P1b Polar H7", "16 3c 11 04", 60, C::detected, {1041}, 0},
        {"P1c Polar H7", "16 3c f5 03", 60, C::detected, {1013}, 0},
        {"P2 Polar H10", "10 3b 53 04", 59, C::not_supported, {1107}, 0},
        {"U1", "16 34 e4 04", 52, C::detected, {1252}, 0},
        {"U2", "16 34 a5 04", 52, C::detected, {1189}, 0},
        {"U3", "16 33 ea 04", 51, C::detected, {1258}, 0},
        {"U4", "16 33 de 04", 51, C::detected, {1246}, 0},
        {"W1 Wahoo", "14 46 59 03 58 03", 70, C::not_detected, {857, 856}, 0},
        {"G2 Garmin HRM-Dual", "10 38 2d 04 35 00", 56, C::not_supported, {1069, 53}, 1},
        {"M1", "16 48 54 01 ec 02", 72, C::detected, {340, 748}, 0},
    };
    for (const auto& v : vectors) {
        INFO(v.name);
        const auto m = parse_hr_measurement(hex(v.bytes));
        REQUIRE(m);
        CHECK(m->hr_bpm == v.hr);
        CHECK(m->contact == v.contact);
        CHECK(m->rr_raw == v.rr_raw);
        CHECK(m->rejected_rr == v.rejected);
        CHECK(m->rr_ms.size() == v.rr_raw.size() - v.rejected);
    }
    CHECK(parse_hr_measurement(hex("16 3c 11 04"))->rr_ms[0] == Approx(1016.6).margin(0.05));
    CHECK(parse_hr_measurement(hex("10 38 2d 04 35 00"))->rr_ms ==
          std::vector<double>{1069 * 1000.0 / 1024.0});
}

TEST_CASE("HRS edge cases: u16 HR, energy, large RR, odd bytes, truncation", "[devices][ble]") {
    CHECK(parse_hr_measurement(hex("01 80 80"))->hr_bpm == 32896);
    CHECK(parse_hr_measurement(hex("09 00 00 FF FF"))->energy_kj == 65535);
    const auto rr = parse_hr_measurement(hex("11 00 00 FF FF 7F 80"));
    REQUIRE(rr);
    CHECK(rr->rr_raw == std::vector<std::uint16_t>{65535, 32895});
    // An odd trailing byte is ignored; reserved flag bits are ignored.
    const auto odd = parse_hr_measurement(hex("f6 3c 11 04 99"));
    REQUIRE(odd);
    CHECK(odd->rr_raw == std::vector<std::uint16_t>{1041});
    // Announced fields missing: not a measurement.
    CHECK_FALSE(parse_hr_measurement(hex("")));
    CHECK_FALSE(parse_hr_measurement(hex("16")));
    CHECK_FALSE(parse_hr_measurement(hex("01 80")));
    CHECK_FALSE(parse_hr_measurement(hex("08 3c 01")));
    // RR flag with no values: a measurement with no intervals.
    CHECK(parse_hr_measurement(hex("10 3c"))->rr_raw.empty());
    CHECK(body_sensor_location(hex("01")) == "chest");
    CHECK_FALSE(body_sensor_location(hex("07")));
}

TEST_CASE("PMD control point: features, settings, errors, commands", "[devices][ble]") {
    const auto f = parse_pmd_features(hex("0F 05"));
    REQUIRE(f);
    CHECK(f->ecg);
    CHECK(f->acc);
    CHECK_FALSE(f->ppg);
    const auto settings = parse_pmd_control_response(hex("f0 01 00 00 00 00 01 82 00 01 01 0e 00"));
    REQUIRE(settings);
    CHECK(settings->opcode == 1);
    CHECK(settings->error == 0);
    const auto s = settings->settings();
    REQUIRE(s.size() == 2);
    CHECK(s[0].first == 0);
    CHECK(s[0].second == std::vector<std::uint16_t>{130});
    CHECK(s[1].second == std::vector<std::uint16_t>{14});
    const auto bad = parse_pmd_control_response(hex("f0 02 00 05 00"));
    REQUIRE(bad);
    CHECK(pmd_error_name(bad->error) == "invalid parameter");
    CHECK(pmd_error_name(parse_pmd_control_response(hex("f0 01 00 0a"))->error) == "invalid MTU");
    CHECK(pmd_start_ecg() == hex("02 00 00 01 82 00 01 01 0e 00"));
    CHECK(pmd_start_acc() == hex("02 02 00 01 c8 00 01 01 10 00 02 01 02 00"));
    CHECK(pmd_stop(0) == hex("03 00"));
    CHECK(pmd_request_settings(0) == hex("01 00"));
    CHECK_FALSE(parse_pmd_control_response(hex("0f 05")));
}

TEST_CASE("PMD data: the six captured Polar H10 ECG frames", "[devices][ble][reference]") {
    const auto path = relaxmon::test::shared_data("polar_h10/pmd_ecg_frames.txt");
    if (!path) return;
    std::vector<PmdEcgFrame> frames;
    for (const auto& line : relaxmon::test::read_lines(*path)) {
        if (line.empty() || line[0] == '#') continue;
        const auto bytes = hex(line);
        CHECK(bytes.size() == 229);
        const auto f = parse_pmd_data(bytes);
        REQUIRE(f);
        REQUIRE(std::holds_alternative<PmdEcgFrame>(*f));
        frames.push_back(std::get<PmdEcgFrame>(*f));
    }
    REQUIRE(frames.size() == 6);
    CHECK(frames[0].timestamp_ns == 599622173760485265ULL);
    REQUIRE(frames[0].samples_uv.size() == 73);
    CHECK(
        std::vector<std::int32_t>(frames[0].samples_uv.begin(), frames[0].samples_uv.begin() + 3) ==
        std::vector<std::int32_t>{122, 103, 131});
    CHECK(*std::min_element(frames[0].samples_uv.begin(), frames[0].samples_uv.end()) == -262);
    CHECK(*std::max_element(frames[0].samples_uv.begin(), frames[0].samples_uv.end()) == 2233);
    CHECK(
        std::vector<std::int32_t>(frames[5].samples_uv.begin(), frames[5].samples_uv.begin() + 3) ==
        std::vector<std::int32_t>{117, 115, 99});
    CHECK(frames[5].samples_uv[14] == -4);
    // 73 samples every 560.8 ms: 130.17 Hz.
    const double dt_s = (frames[1].timestamp_ns - frames[0].timestamp_ns) / 1e9;
    CHECK(73.0 / dt_s == Approx(130.17).margin(0.05));
}

TEST_CASE("PMD data: ACC, compressed and malformed frames", "[devices][ble]") {
    const auto acc = parse_pmd_data(hex("02 00 00 00 00 00 00 00 00 01 F7 FF FF FF E7 03"));
    REQUIRE(acc);
    REQUIRE(std::holds_alternative<PmdAccFrame>(*acc));
    CHECK(std::get<PmdAccFrame>(*acc).samples_mg[0] == std::array<std::int16_t, 3>{-9, -1, 999});
    const auto delta = parse_pmd_data(hex("02 00 00 00 00 00 00 00 00 81 01 02 03"));
    REQUIRE(delta);
    REQUIRE(std::holds_alternative<PmdUnsupported>(*delta));
    CHECK_THAT(std::get<PmdUnsupported>(*delta).reason, Catch::Contains("compressed"));
    CHECK_FALSE(parse_pmd_data(hex("00 01 02")));                                // no header
    CHECK_FALSE(parse_pmd_data(hex("00 00 00 00 00 00 00 00 00 00 01 02")));     // 2 bytes of int24
    CHECK_FALSE(parse_pmd_data(hex("02 00 00 00 00 00 00 00 00 01 01 02 03")));  // partial xyz
}
