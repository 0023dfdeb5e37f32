#pragma once
// ANT+ heart-rate monitor broadcasts (ANT+ Device Profile Heart Rate; PROTOCOLS.md section 4).
// parse_hrm_page is a pure function of the 8 data bytes. HrmBeatDecoder turns the stream of
// pages (about 4 a second, each repeating the last beat's event time and count) into RR
// intervals: RR = difference of beat event times (1/1024 s, wrapping at 64 s) when the beat count
// rose by one. When messages were lost and the count jumped, the intervals in between are
// unknown and never invented: page 4's "previous beat time" still gives the newest interval, and
// that beat is flagged as following a gap. Page numbers only mean something once the toggle bit
// has been seen to flip (older straps send legacy pages with undefined byte 0 bits).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace relaxmon::devices::ant {

struct HrmPage {
    std::uint8_t page = 0;         // bits 0-6 of byte 0
    bool toggle = false;           // bit 7 of byte 0
    std::uint16_t event_time = 0;  // last beat, 1/1024 s
    std::uint8_t beat_count = 0;
    std::uint8_t hr_bpm = 0;                 // computed by the strap; 0 = invalid
    std::array<std::uint8_t, 3> specific{};  // bytes 1-3
};
std::optional<HrmPage> parse_hrm_page(std::span<const std::uint8_t> data);  // 8 bytes

struct HrmBeat {
    double event_s = 0.0;  // beat time on the strap's clock (unwrapped, seconds)
    double rr_ms = 0.0;
    bool after_gap = false;  // beats were lost just before this one
};

class HrmBeatDecoder {
  public:
    // `arrival_s`: the host's time the message arrived (resolves wraps after long losses).
    std::vector<HrmBeat> push(const HrmPage& p, double arrival_s);
    void reset();  // a new connection: the next page only sets the reference
    bool paged() const { return paged_; }
    std::optional<int> battery_pct() const { return battery_pct_; }
    std::size_t lost_beats() const { return lost_beats_; }  // beats never emitted

  private:
    std::optional<HrmPage> last_;
    double last_arrival_s_ = 0.0;
    double last_event_s_ = 0.0;  // unwrapped
    std::optional<bool> first_toggle_;
    bool paged_ = false;
    std::optional<int> battery_pct_;
    std::size_t lost_beats_ = 0;
    bool pending_gap_ = false;  // beats were lost and the next emitted one must say so
};

}  // namespace relaxmon::devices::ant
