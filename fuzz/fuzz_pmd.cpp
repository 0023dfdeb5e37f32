// libFuzzer target: the Polar PMD control-point and data-frame parsers on any bytes.
// Built and run by scripts/fuzz (clang, -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>

#include "relaxmon/devices/ble/pmd_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace relaxmon::devices::ble;
    const std::span<const std::uint8_t> bytes(data, size);
    if (const auto r = parse_pmd_control_response(bytes)) {
        (void)r->settings();
        (void)pmd_error_name(r->error);
    }
    (void)parse_pmd_features(bytes);
    if (const auto f = parse_pmd_data(bytes)) {
        // A parsed ECG frame accounts for every byte after the 10-byte header, 3 per sample.
        if (const auto* ecg = std::get_if<PmdEcgFrame>(&*f))
            if (ecg->samples_uv.size() * 3 + 10 != size) __builtin_trap();
        if (const auto* acc = std::get_if<PmdAccFrame>(&*f))
            if (acc->samples_mg.size() * 6 + 10 != size) __builtin_trap();
    }
    return 0;
}
