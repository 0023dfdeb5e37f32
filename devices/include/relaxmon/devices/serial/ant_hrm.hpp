#pragma once
// ANT+ heart-rate monitor broadcasts (ANT+ Device Profile Heart Rate; PROTOCOLS.md section 4).
// parse_hrm_page is a pure function of the 8 data bytes. HrmBeatDecoder turns the stream of
// pages (about 4 a second, each repeating the last beat's event time and count) into RR
// intervals: RR = difference of beat event times (1/1024 s, wrapping at 64 s) when the beat count
// rose by one. When messages were lost and the count jumped, the intervals in between are
// unknown and never invented: page 4's "previous beat time" still gives the newest interval, and
// that beat is flagged as following a gap. Page numbers only mean something once the toggle bit
// has been seen to flip (older straps send legacy pages with undefined byte 0 bits). The first
// message of a connection (and of each re-acquisition) is page 4 on most straps: its previous
// beat time gives the interval ending at its beat, which is kept (never invented: two event times
// the strap itself calls consecutive). On a new strap the beats wait the one second (five
// messages at most) it takes to know the strap pages.
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
    double heard_s = 0.0;    // arrival of the message that carried it (host clock)
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
    std::vector<HrmBeat> decode(const HrmPage& p, double arrival_s);  // the beats p adds
    std::optional<HrmPage> last_;
    double last_arrival_s_ = 0.0;
    double last_event_s_ = 0.0;  // unwrapped
    std::optional<bool> first_toggle_;
    bool paged_ = false;
    std::optional<int> battery_pct_;
    std::size_t lost_beats_ = 0;
    bool pending_gap_ = false;  // beats were lost and the next emitted one must say so
    // Until paging is known (the toggle flipped, or five messages without a flip: legacy), beats
    // wait, and so does the interval the first message's page 4 may give.
    bool paging_known_ = false;
    std::size_t messages_ = 0;
    std::optional<HrmBeat> first_beat_;
    // The newest beat given out (event time, count), kept across a reset: a re-acquired strap's
    // first message may repeat it, or its page 4 may show it was the beat just before.
    struct RawBeat {
        std::uint16_t event_time;
        std::uint8_t count;
    };
    std::optional<RawBeat> last_given_, first_raw_;
    std::vector<HrmBeat> waiting_;
    bool emitted_any_ = false;
};

}  // namespace relaxmon::devices::ant
