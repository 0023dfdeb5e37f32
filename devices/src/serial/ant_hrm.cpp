#include "relaxmon/devices/serial/ant_hrm.hpp"

#include <cmath>

namespace relaxmon::devices::ant {

namespace {
constexpr double kTick_s = 1.0 / 1024.0;
constexpr double kWrap_s = 65536.0 / 1024.0;  // the event time wraps every 64 s
constexpr std::uint8_t kPagePreviousBeat = 4, kPageBattery = 7;
}  // namespace

std::optional<HrmPage> parse_hrm_page(std::span<const std::uint8_t> d) {
    if (d.size() != 8) return std::nullopt;
    HrmPage p;
    p.page = d[0] & 0x7F;
    p.toggle = (d[0] & 0x80) != 0;
    p.specific = {d[1], d[2], d[3]};
    p.event_time = static_cast<std::uint16_t>(d[4] | (d[5] << 8));
    p.beat_count = d[6];
    p.hr_bpm = d[7];
    return p;
}

void HrmBeatDecoder::reset() {
    last_.reset();
    first_toggle_.reset();
    pending_gap_ = false;
}

std::vector<HrmBeat> HrmBeatDecoder::push(const HrmPage& p, double arrival_s) {
    std::vector<HrmBeat> out;
    // Paged or legacy: the toggle bit of a paged strap flips every 4 messages.
    if (!first_toggle_) first_toggle_ = p.toggle;
    if (p.toggle != *first_toggle_) paged_ = true;
    if (paged_ && p.page == kPageBattery && p.specific[0] <= 100) battery_pct_ = p.specific[0];

    if (!last_) {
        last_ = p;
        last_arrival_s_ = arrival_s;
        last_event_s_ = p.event_time * kTick_s;
        return out;
    }
    const int beats = (p.beat_count - last_->beat_count) & 0xFF;
    if (beats == 0) {  // the same beat repeated
        last_arrival_s_ = arrival_s;
        last_ = p;
        return out;
    }
    // Event-time difference, with as many 64-s wraps as the arrival times say went by.
    double dt_s = ((p.event_time - last_->event_time) & 0xFFFF) * kTick_s;
    const double elapsed_s = arrival_s - last_arrival_s_;
    while (dt_s + kWrap_s <= elapsed_s + kWrap_s / 2.0 && elapsed_s > kWrap_s / 2.0)
        dt_s += kWrap_s;
    const double event_s = last_event_s_ + dt_s;

    if (beats == 1 && dt_s > 0.0) {
        out.push_back({event_s, dt_s * 1000.0, false});
    } else if (beats > 1) {
        // Only page 4 knows the newest beat's own interval.
        if (paged_ && p.page == kPagePreviousBeat) {
            const auto prev = static_cast<std::uint16_t>(p.specific[1] | (p.specific[2] << 8));
            const double rr_s = ((p.event_time - prev) & 0xFFFF) * kTick_s;
            if (rr_s > 0.0) out.push_back({event_s, rr_s * 1000.0, true});
        }
        lost_beats_ += static_cast<std::size_t>(beats) - out.size();
        // Without it, this beat only becomes the reference: the next interval is contiguous with
        // it, but the beats before it are gone, so the next one follows a gap.
        if (out.empty()) pending_gap_ = true;
    }
    if (!out.empty() && pending_gap_) {
        out.front().after_gap = true;
        pending_gap_ = false;
    }
    last_ = p;
    last_arrival_s_ = arrival_s;
    last_event_s_ = event_s;
    return out;
}

}  // namespace relaxmon::devices::ant
