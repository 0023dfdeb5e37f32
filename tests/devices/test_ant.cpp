// ANT framing, the HRM channel setup and the heart-rate pages: PROTOCOLS.md section 4's vectors,
// and a simulated strap broadcasting a real RR series with lost messages.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "ant_strap.hpp"
#include "relaxmon/devices/serial/ant_hrm.hpp"
#include "relaxmon/devices/serial/ant_message.hpp"
#include "test_support.hpp"

using namespace relaxmon::devices::ant;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("ANT: the captured frames decode, checksums verified", "[devices][ant]") {
    const Bytes stream{0xA4, 0x09, 0x4E, 0x01, 0x83, 0x01, 0x01, 0x33, 0xE0, 0x27, 0x22, 0x48,
                       0xFF, 0xA4, 0x09, 0x4E, 0x01, 0x80, 0xFF, 0xFF, 0xFF, 0x49, 0x2A, 0x24,
                       0x48, 0x92, 0xA4, 0x09, 0x4E, 0x01, 0x00, 0xFF, 0xFF, 0xFF, 0x31, 0x2B,
                       0x25, 0x48, 0x6A, 0xA4, 0x03, 0x40, 0x00, 0x01, 0x03, 0xE5};
    AntFrameDecoder d;
    const auto msgs = d.push(stream);
    REQUIRE(msgs.size() == 4);
    CHECK(d.skipped_bytes() == 0);
    const auto p0 = parse_hrm_page(std::span(msgs[0].payload).subspan(1));
    REQUIRE(p0);
    CHECK(p0->page == 3);
    CHECK(p0->toggle);
    CHECK(p0->event_time == 10208);
    CHECK(p0->beat_count == 34);
    CHECK(p0->hr_bpm == 72);
    const auto p1 = parse_hrm_page(std::span(msgs[1].payload).subspan(1));
    CHECK((p1->page == 0 && p1->toggle && p1->event_time == 10825 && p1->beat_count == 36));
    const auto p2 = parse_hrm_page(std::span(msgs[2].payload).subspan(1));
    CHECK((p2->page == 0 && !p2->toggle && p2->event_time == 11057 && p2->beat_count == 37));
    const auto ev = parse_channel_response(msgs[3]);
    REQUIRE(ev);
    CHECK((ev->channel == 0 && ev->message_id == 0x01 && ev->code == 0x03));
    // The network-key acknowledgement.
    const auto ack = d.push(Bytes{0xA4, 0x03, 0x40, 0x00, 0x46, 0x00, 0xA1});
    REQUIRE(ack.size() == 1);
    CHECK(parse_channel_response(ack[0])->message_id == kNetworkKey);
}

TEST_CASE("ANT: resynchronises after padding, garbage and a damaged frame, byte by byte",
          "[devices][ant]") {
    const Bytes good = encode(kBroadcastData, Bytes{0, 4, 1, 2, 3, 4, 5, 6, 7});
    Bytes damaged = good;
    damaged[6] ^= 0x10;
    Bytes stream{0x00, 0x00, 0x13, 0xA4, 0x7F};  // padding, noise, a SYNC with an absurd length
    stream.insert(stream.end(), good.begin(), good.end());
    stream.insert(stream.end(), damaged.begin(), damaged.end());
    stream.insert(stream.end(), {0x00, 0x00});
    stream.insert(stream.end(), good.begin(), good.end());
    for (std::size_t chunk : {stream.size(), std::size_t{1}, std::size_t{5}}) {
        AntFrameDecoder d;
        std::vector<AntMessage> got;
        for (std::size_t i = 0; i < stream.size(); i += chunk) {
            const auto part = std::span(stream).subspan(i, std::min(chunk, stream.size() - i));
            for (auto& m : d.push(part)) got.push_back(m);
        }
        INFO("chunk " << chunk);
        REQUIRE(got.size() == 2);
        CHECK(got[0].payload == got[1].payload);
        CHECK(d.checksum_errors() == 1);
    }
}

TEST_CASE("ANT: the HRM channel setup is the documented byte sequence", "[devices][ant]") {
    CHECK(reset_command() == Bytes{0xA4, 0x01, 0x4A, 0x00, 0xEF});
    const std::array<std::uint8_t, 8> key{1, 2, 3, 4, 5, 6, 7, 8};
    const auto setup = hrm_channel_setup(key);
    REQUIRE(setup.size() == 7);
    CHECK(setup[0] == encode(kNetworkKey, Bytes{0, 1, 2, 3, 4, 5, 6, 7, 8}));
    CHECK(setup[1] == Bytes{0xA4, 0x03, 0x42, 0x00, 0x00, 0x00, 0xE5});
    CHECK(setup[2] == Bytes{0xA4, 0x05, 0x51, 0x00, 0x00, 0x00, 0x78, 0x00, 0x88});
    CHECK(setup[3] == Bytes{0xA4, 0x03, 0x43, 0x00, 0x86, 0x1F, 0x7D});
    CHECK(setup[4] == Bytes{0xA4, 0x02, 0x44, 0x00, 0x0C, 0xEE});
    CHECK(setup[5] == Bytes{0xA4, 0x02, 0x45, 0x00, 0x39, 0xDA});
    CHECK(setup[6] == Bytes{0xA4, 0x01, 0x4B, 0x00, 0xEE});
    CHECK(request_channel_id_command() == Bytes{0xA4, 0x02, 0x4D, 0x00, 0x51, 0xBA});

    CHECK(parse_network_key("0123456789abcdef") ==
          std::array<std::uint8_t, 8>{0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF});
    CHECK(parse_network_key("0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF") ==
          parse_network_key("0123456789ABCDEF"));
    CHECK_FALSE(parse_network_key("0123456789abcde"));
    CHECK_FALSE(parse_network_key("0123456789abcdeg"));
    CHECK_FALSE(parse_network_key(""));
}

namespace {
struct Decoded {
    std::vector<HrmBeat> beats;
    std::optional<int> battery;
    std::size_t lost = 0;
};
// Feeds the broadcasts (skipping those in `drop`) through a decoder, arriving when sent.
Decoded decode(const std::vector<relaxmon::test::HrmBroadcast>& bc,
               const std::vector<std::pair<std::size_t, std::size_t>>& drop = {}) {
    HrmBeatDecoder d;
    Decoded out;
    for (std::size_t i = 0; i < bc.size(); ++i) {
        bool dropped = false;
        for (const auto& [a, b] : drop) dropped |= i >= a && i < b;
        if (dropped) continue;
        for (const auto& b : d.push(*parse_hrm_page(bc[i].data), bc[i].t_s)) out.beats.push_back(b);
    }
    out.battery = d.battery_pct();
    out.lost = d.lost_beats();
    return out;
}
}  // namespace

TEST_CASE("ANT HRM: a real RR series comes back exactly, across 64-s wraps", "[devices][ant]") {
    const auto path = relaxmon::test::shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!path) return;
    const auto rr = relaxmon::test::read_rr_ms(*path);
    const auto want = relaxmon::test::hrm_quantised_rr_ms(rr);
    REQUIRE(want.size() > 200);  // minutes of beats: the event time wraps several times
    for (bool legacy : {false, true}) {
        const auto got = decode(relaxmon::test::hrm_broadcasts(rr, legacy));
        INFO((legacy ? "legacy" : "paged"));
        // A paged strap's first message (page 4) gives the interval ending at its beat too; a
        // legacy strap's starts with the second beat.
        const std::size_t first = legacy ? 1 : 0;
        REQUIRE(got.beats.size() == want.size() - first);
        for (std::size_t k = 0; k < got.beats.size(); ++k) {
            REQUIRE(got.beats[k].rr_ms == want[k + first]);
            REQUIRE_FALSE(got.beats[k].after_gap);
        }
        CHECK(got.beats.back().event_s - got.beats.front().event_s ==
              Approx(std::accumulate(want.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                                     want.end(), 0.0) /
                     1000.0));
        if (legacy)
            CHECK_FALSE(got.battery);
        else
            CHECK(got.battery == relaxmon::test::kStrapBatteryPct);
    }
}

TEST_CASE("ANT HRM: lost messages lose beats, never invent them", "[devices][ant]") {
    const auto path = relaxmon::test::shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!path) return;
    const auto rr = relaxmon::test::read_rr_ms(*path);
    const auto want = relaxmon::test::hrm_quantised_rr_ms(rr);
    const auto bc = relaxmon::test::hrm_broadcasts(rr);
    // One message (no beat lost), 8 messages (about 2 s: beats lost), and 300 messages (over a
    // minute: the event time wrapped while nothing came through).
    const std::vector<std::pair<std::size_t, std::size_t>> drops{{40, 41}, {100, 108}, {400, 700}};
    for (bool legacy : {false, true}) {
        const auto got = decode(legacy ? relaxmon::test::hrm_broadcasts(rr, true) : bc, drops);
        INFO((legacy ? "legacy" : "paged"));
        // Which beat each emitted one is: by its time on the strap's clock.
        std::map<long, std::size_t> beat_at;
        double t = 0.0;
        for (std::size_t k = 0; k < want.size(); ++k) beat_at[std::lround((t += want[k]))] = k;
        const std::size_t first = legacy ? 1 : 0;  // the first beat given out
        const double t0 =
            got.beats.front().event_s * 1000.0 -
            std::accumulate(want.begin(), want.begin() + static_cast<std::ptrdiff_t>(first) + 1,
                            0.0);
        std::size_t gaps = 0, last = 0;
        for (const auto& b : got.beats) {
            const auto it = beat_at.find(std::lround(b.event_s * 1000.0 - t0));
            REQUIRE(it != beat_at.end());  // a real beat, at its own time
            CHECK(b.rr_ms == want[it->second]);
            if (it->second != 0) CHECK(b.after_gap == (it->second != last + 1));
            gaps += b.after_gap;
            last = it->second;
        }
        CHECK(gaps == 2);
        CHECK(got.beats.size() + got.lost + first == want.size());
    }
}

TEST_CASE("ANT HRM: every beat page 4 defines is kept at a (re)acquisition, none twice",
          "[devices][ant]") {
    const auto path = relaxmon::test::shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!path) return;
    auto rr = relaxmon::test::read_rr_ms(*path);
    rr.resize(60);
    const auto want = relaxmon::test::hrm_quantised_rr_ms(rr);
    const auto bc = relaxmon::test::hrm_broadcasts(rr);
    // 35 s of broadcasts with a silence of 3 s at 15 s, after which the stick searches again
    // (ant_protocol resets the decoder); and a silence of a quarter second (one message) after
    // which the strap's first message repeats the beat already given out.
    for (const double silence_s : {3.0, 0.25}) {
        INFO("silence " << silence_s << " s");
        HrmBeatDecoder d;
        std::vector<HrmBeat> got;
        std::set<int> defined;  // beats whose interval a received message defines
        int ref = -1;
        bool reset = false;
        for (const auto& b : bc) {
            if (b.t_s > bc.front().t_s + 35.0) break;
            const double since = b.t_s - bc.front().t_s;
            if (since >= 15.0 && since < 15.0 + silence_s) {
                reset = true;
                continue;
            }
            if (reset) {
                d.reset();
                reset = false;
                ref = -1;
            }
            const bool page4 = (b.data[0] & 0x7F) == 4;
            if (b.beat == ref + 1 || (b.beat != ref && page4)) defined.insert(b.beat);
            ref = b.beat;
            for (const auto& beat : d.push(*parse_hrm_page(b.data), b.t_s)) got.push_back(beat);
        }
        // Each beat given out once, in order, with its own interval.
        REQUIRE(got.size() == defined.size());
        std::size_t k = 0;
        for (const int beat : defined)
            CHECK(got[k++].rr_ms == want[static_cast<std::size_t>(beat)]);
        for (std::size_t i = 1; i < got.size(); ++i) CHECK(got[i].event_s > got[i - 1].event_s);
    }
}
