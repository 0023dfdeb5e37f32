// libFuzzer target: the ANT frame decoder, channel responses, HRM pages and the beat decoder on
// any byte stream. Built and run by scripts/fuzz (clang, -fsanitize=fuzzer,address,undefined).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "relaxmon/devices/serial/ant_hrm.hpp"
#include "relaxmon/devices/serial/ant_message.hpp"

namespace ant = relaxmon::devices::ant;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    ant::AntFrameDecoder frames;
    ant::HrmBeatDecoder beats;
    double t = 0.0;
    // Fed in two pieces: a frame split anywhere must decode the same.
    for (const auto part : {bytes.first(size / 2), bytes.subspan(size / 2)}) {
        for (const auto& m : frames.push(part)) {
            if (m.payload.size() > ant::kMaxPayload) __builtin_trap();
            (void)ant::parse_channel_response(m);
            if (m.id != ant::kBroadcastData || m.payload.size() < 9) continue;
            const auto page = ant::parse_hrm_page(std::span(m.payload).subspan(1, 8));
            if (!page) __builtin_trap();
            for (const auto& b : beats.push(*page, t += 0.25))
                // An interval is at most one wrap of the event time, and positive.
                if (!(b.rr_ms > 0.0 && b.rr_ms <= 64000.0)) __builtin_trap();
        }
    }
    (void)ant::parse_network_key(std::string(bytes.begin(), bytes.end()));
    return 0;
}
