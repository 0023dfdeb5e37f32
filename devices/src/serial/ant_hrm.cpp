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
    first_beat_.reset();
    // Beats waiting for the paging decision are real: they stay and go out with the next ones.
}

std::vector<HrmBeat> HrmBeatDecoder::push(const HrmPage& p, double arrival_s) {
    // Paged or legacy: the toggle bit of a paged strap flips every 4 messages, so five messages
    // without a flip make a legacy strap.
    if (!first_toggle_) first_toggle_ = p.toggle;
    if (p.toggle != *first_toggle_) paged_ = true;
    if (paged_ && p.page == kPageBattery && p.specific[0] <= 100) battery_pct_ = p.specific[0];
    const bool knew_paging = paging_known_;
    if (!paging_known_ && (paged_ || ++messages_ >= 5)) paging_known_ = true;

    std::vector<HrmBeat> out = decode(p, arrival_s);
    if (!paging_known_) {
        waiting_.insert(waiting_.end(), out.begin(), out.end());
        return {};
    }
    if (!knew_paging) {
        // Paging just became known: the first message's beat (if page 4 gave it), then those that
        // waited, then this message's.
        std::vector<HrmBeat> all;
        if (first_beat_ && paged_) {
            all.push_back(*first_beat_);
            if (waiting_.empty() && out.empty()) last_given_ = first_raw_;
        }
        all.insert(all.end(), waiting_.begin(), waiting_.end());
        all.insert(all.end(), out.begin(), out.end());
        waiting_.clear();
        first_beat_.reset();
        out = std::move(all);
    }
    emitted_any_ = emitted_any_ || !out.empty();
    return out;
}

std::vector<HrmBeat> HrmBeatDecoder::decode(const HrmPage& p, double arrival_s) {
    std::vector<HrmBeat> out;
    if (!last_) {
        last_ = p;
        last_arrival_s_ = arrival_s;
        last_event_s_ = p.event_time * kTick_s;
        // Page 4's previous beat time: the interval ending at this beat. A re-acquisition follows
        // lost beats; the very first beat of a session has nothing before it.
        const bool repeated = last_given_ && last_given_->event_time == p.event_time &&
                              last_given_->count == p.beat_count;
        if (p.page == kPagePreviousBeat && !repeated) {
            const auto prev = static_cast<std::uint16_t>(p.specific[1] | (p.specific[2] << 8));
            const double rr_s = ((p.event_time - prev) & 0xFFFF) * kTick_s;
            // Lost beats lie before it unless its previous beat is the last one given out.
            const bool follows_last =
                last_given_ && last_given_->event_time == prev &&
                static_cast<std::uint8_t>(last_given_->count + 1) == p.beat_count;
            if (rr_s > 0.0) {
                first_beat_ =
                    HrmBeat{last_event_s_, rr_s * 1000.0, emitted_any_ && !follows_last, arrival_s};
                first_raw_ = RawBeat{p.event_time, p.beat_count};
            }
        }
        if (paging_known_) {
            if (first_beat_ && paged_) {
                out.push_back(*first_beat_);
                last_given_ = first_raw_;
            }
            first_beat_.reset();
        }
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
        out.push_back({event_s, dt_s * 1000.0, false, arrival_s});
    } else if (beats > 1) {
        // Only page 4 knows the newest beat's own interval.
        if (paged_ && p.page == kPagePreviousBeat) {
            const auto prev = static_cast<std::uint16_t>(p.specific[1] | (p.specific[2] << 8));
            const double rr_s = ((p.event_time - prev) & 0xFFFF) * kTick_s;
            if (rr_s > 0.0) out.push_back({event_s, rr_s * 1000.0, true, arrival_s});
        }
        lost_beats_ += static_cast<std::size_t>(beats) - out.size();
        // Without it, this beat only becomes the reference: the next interval is contiguous with
        // it, but the beats before it are gone, so the next one follows a gap.
        if (out.empty()) pending_gap_ = true;
    }
    if (!out.empty()) last_given_ = RawBeat{p.event_time, p.beat_count};
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
