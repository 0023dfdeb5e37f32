#include "relaxmon/devices/ble/hrs_parser.hpp"

namespace relaxmon::devices::ble {

namespace {
constexpr std::uint8_t kHr16Bit = 1u << 0;
constexpr std::uint8_t kContactDetected = 1u << 1;
constexpr std::uint8_t kContactSupported = 1u << 2;
constexpr std::uint8_t kEnergyPresent = 1u << 3;
constexpr std::uint8_t kRrPresent = 1u << 4;

std::uint16_t u16(std::span<const std::uint8_t> b, std::size_t at) {
    return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
}  // namespace

std::optional<HeartRateMeasurement> parse_hr_measurement(std::span<const std::uint8_t> v) {
    if (v.size() < 2) return std::nullopt;
    const std::uint8_t flags = v[0];
    HeartRateMeasurement m;
    std::size_t at = 1;
    if (flags & kHr16Bit) {
        if (v.size() < 3) return std::nullopt;
        m.hr_bpm = u16(v, 1);
        at = 3;
    } else {
        m.hr_bpm = v[1];
        at = 2;
    }
    if (flags & kContactSupported)
        m.contact =
            (flags & kContactDetected) ? SensorContact::detected : SensorContact::not_detected;
    if (flags & kEnergyPresent) {
        if (v.size() < at + 2) return std::nullopt;
        m.energy_kj = u16(v, at);
        at += 2;
    }
    if (flags & kRrPresent) {
        for (; at + 1 < v.size(); at += 2) {  // an odd trailing byte is ignored
            const std::uint16_t raw = u16(v, at);
            m.rr_raw.push_back(raw);
            const double ms = raw * 1000.0 / 1024.0;
            if (ms >= kMinPlausibleRr_ms)
                m.rr_ms.push_back(ms);
            else
                ++m.rejected_rr;
        }
    }
    return m;
}

std::optional<std::string_view> body_sensor_location(std::span<const std::uint8_t> v) {
    static constexpr std::string_view kNames[] = {"other", "chest",    "wrist", "finger",
                                                  "hand",  "ear lobe", "foot"};
    if (v.empty() || v[0] > 6) return std::nullopt;
    return kNames[v[0]];
}

}  // namespace relaxmon::devices::ble
