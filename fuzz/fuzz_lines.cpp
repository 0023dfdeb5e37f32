// libFuzzer target: the text-line splitter and the rr, ecg and pulsesensor line parsers on any
// bytes. Built and run by scripts/fuzz (clang, -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <span>

#include "relaxmon/devices/serial/text_lines.hpp"

namespace serial = relaxmon::devices::serial;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    serial::LineSplitter lines;
    for (const std::string& line : lines.push(std::span(data, size))) {
        if (line.empty() || line.size() > serial::LineSplitter::kMaxLine) __builtin_trap();
        if (const auto rr = serial::parse_rr_line(line))
            if (!(*rr >= serial::kMinRr_ms && *rr <= serial::kMaxRr_ms)) __builtin_trap();
        (void)serial::parse_ecg_line(line);
        if (const auto p = serial::parse_pulsesensor_line(line))
            if (const auto* q = std::get_if<serial::PulseIbi>(&*p); q && !(q->ibi_ms >= 200.0))
                __builtin_trap();
    }
    return 0;
}
