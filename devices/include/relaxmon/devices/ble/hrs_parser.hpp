#pragma once
// Pure parsers for the Bluetooth Heart Rate Service (HRS 1.0, GATT specification supplement):
// the Heart Rate Measurement characteristic 0x2A37 and Body Sensor Location 0x2A38. Bytes in,
// values out, no I/O; every captured payload of PROTOCOLS.md is a test vector.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace relaxmon::devices::ble {

enum class SensorContact { not_supported, not_detected, detected };

struct HeartRateMeasurement {
    std::uint16_t hr_bpm = 0;
    SensorContact contact = SensorContact::not_supported;
    std::optional<std::uint16_t> energy_kj;
    std::vector<std::uint16_t> rr_raw;  // 1/1024 s, as sent, including rejected values
    std::vector<double> rr_ms;          // accepted intervals, in ms
    std::size_t rejected_rr = 0;        // impossible intervals dropped (Garmin's spurious RR)
};

// nullopt when the value is too short for the fields its flags announce. An odd trailing byte
// after the RR values is ignored; reserved flag bits are ignored.
std::optional<HeartRateMeasurement> parse_hr_measurement(std::span<const std::uint8_t> value);

// 0 Other, 1 Chest, 2 Wrist, 3 Finger, 4 Hand, 5 Ear lobe, 6 Foot; nullopt otherwise.
std::optional<std::string_view> body_sensor_location(std::span<const std::uint8_t> value);

// RR intervals shorter than this (HR above 240 bpm) are not heartbeats: the Garmin HRM-Dual
// appends such a value to some notifications.
inline constexpr double kMinPlausibleRr_ms = 250.0;

}  // namespace relaxmon::devices::ble
