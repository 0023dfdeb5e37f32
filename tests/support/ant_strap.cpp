#include "ant_strap.hpp"

#include <cmath>

namespace relaxmon::test {

namespace {
// The heart beat at 1 s before the strap's first broadcast (ticks[0]); rr_ms[k] ends at beat k
// (ticks[k + 1]).
std::vector<std::int64_t> event_ticks(std::span<const double> rr_ms) {
    double t_ms = 1000.0;
    std::vector<std::int64_t> ticks{std::llround(t_ms * 1.024)};
    for (double rr : rr_ms) {
        t_ms += rr;
        ticks.push_back(std::llround(t_ms * 1.024));
    }
    return ticks;
}
}  // namespace

std::vector<double> hrm_quantised_rr_ms(std::span<const double> rr_ms) {
    const auto ticks = event_ticks(rr_ms);
    std::vector<double> out;
    for (std::size_t k = 1; k < ticks.size(); ++k)  // the interval ending at beat k - 1
        out.push_back(static_cast<double>(ticks[k] - ticks[k - 1]) * 1000.0 / 1024.0);
    return out;
}

std::vector<HrmBroadcast> hrm_broadcasts(std::span<const double> rr_ms, bool legacy) {
    const auto all_ticks = event_ticks(rr_ms);
    const std::span<const std::int64_t> ticks(all_ticks.begin() + 1, all_ticks.end());
    std::vector<HrmBroadcast> out;
    if (ticks.empty()) return out;
    const double period_s = 8070.0 / 32768.0;
    std::size_t beat = 0;
    for (int m = 0;; ++m) {
        const double t = static_cast<double>(ticks[0]) / 1024.0 + m * period_s;
        while (beat + 1 < ticks.size() && static_cast<double>(ticks[beat + 1]) / 1024.0 <= t)
            ++beat;
        if (beat + 1 == ticks.size() && t > static_cast<double>(ticks.back()) / 1024.0 + 1.0) break;
        const auto e = static_cast<std::uint16_t>(ticks[beat] & 0xFFFF);
        const auto prev = static_cast<std::uint16_t>(all_ticks[beat] & 0xFFFF);  // the one before
        const int block = m / 4;
        const bool toggle = block % 2 == 1;
        std::array<std::uint8_t, 8> d{};
        if (legacy) {
            d = {0x00, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0};
        } else if (block % 16 == 15) {
            d = {static_cast<std::uint8_t>(7 | (toggle ? 0x80 : 0)),
                 kStrapBatteryPct,
                 0x9A,
                 0x31,
                 0,
                 0,
                 0,
                 0};
        } else {
            d = {static_cast<std::uint8_t>(4 | (toggle ? 0x80 : 0)),
                 0xFF,
                 static_cast<std::uint8_t>(prev & 0xFF),
                 static_cast<std::uint8_t>(prev >> 8),
                 0,
                 0,
                 0,
                 0};
        }
        d[4] = static_cast<std::uint8_t>(e & 0xFF);
        d[5] = static_cast<std::uint8_t>(e >> 8);
        d[6] = static_cast<std::uint8_t>(beat & 0xFF);
        d[7] = static_cast<std::uint8_t>(std::lround(60000.0 / rr_ms[beat]));
        out.push_back({t, static_cast<int>(beat), d});
    }
    return out;
}

}  // namespace relaxmon::test
