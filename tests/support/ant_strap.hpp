#pragma once
// A simulated ANT+ heart-rate strap for tests: the broadcasts a strap sends (every 8070/32768 s)
// while a heart beats with the given RR intervals. Paged by default (page 4 with the previous
// beat time, page 7 battery for one 4-message block in 16, toggle bit flipping every 4 messages);
// legacy straps send page 0 with no toggle.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace relaxmon::test {

struct HrmBroadcast {
    double t_s;  // when the strap sends it
    int beat;    // index of the beat it reports (0 = the first beat)
    std::array<std::uint8_t, 8> data;
};

std::vector<HrmBroadcast> hrm_broadcasts(std::span<const double> rr_ms, bool legacy = false);
// The intervals as the strap measures them (event times in 1/1024 s, differences in ms): [k] ends
// at beat k (the heart beat once before beat 0, which page 4 of beat 0 tells).
std::vector<double> hrm_quantised_rr_ms(std::span<const double> rr_ms);

inline constexpr std::uint8_t kStrapBatteryPct = 87;

}  // namespace relaxmon::test
