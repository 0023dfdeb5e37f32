// libFuzzer target: the Heart Rate Measurement and Body Sensor Location parsers on any bytes.
// Built and run by scripts/fuzz (clang, -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <span>

#include "relaxmon/devices/ble/hrs_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    if (const auto m = relaxmon::devices::ble::parse_hr_measurement(bytes)) {
        // Every accepted interval is a plausible heartbeat and came from the raw values.
        if (m->rr_ms.size() + m->rejected_rr != m->rr_raw.size()) __builtin_trap();
        for (double rr : m->rr_ms)
            if (rr < relaxmon::devices::ble::kMinPlausibleRr_ms) __builtin_trap();
    }
    (void)relaxmon::devices::ble::body_sensor_location(bytes);
    return 0;
}
