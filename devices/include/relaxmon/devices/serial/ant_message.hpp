#pragma once
// ANT serial messages (ANT Message Protocol and Usage, section 7.1): SYNC 0xA4, payload length,
// message ID, payload, XOR checksum over everything before it. AntFrameDecoder is a pure byte
// stream -> message decoder that resynchronises on 0xA4 after garbage, padding or a checksum
// error, and counts what it had to skip. The encoder builds the commands relaxmon sends.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace relaxmon::devices::ant {

inline constexpr std::uint8_t kSync = 0xA4;
inline constexpr std::size_t kMaxPayload = 32;  // longer "frames" are garbage

// Message IDs relaxmon uses.
enum : std::uint8_t {
    kChannelEvent = 0x40,  // channel response or event: [ch, msg id (1 = event), code]
    kAssignChannel = 0x42,
    kChannelPeriod = 0x43,
    kSearchTimeout = 0x44,
    kRfFrequency = 0x45,
    kNetworkKey = 0x46,
    kResetSystem = 0x4A,
    kOpenChannel = 0x4B,
    kRequestMessage = 0x4D,
    kBroadcastData = 0x4E,
    kChannelId = 0x51,
    kStartup = 0x6F,
};

// Channel event codes (message 0x40 with msg id 0x01).
enum : std::uint8_t {
    kEventRxSearchTimeout = 0x01,
    kEventRxFail = 0x02,  // one broadcast missed
    kEventChannelClosed = 0x07,
    kEventRxFailGoToSearch = 0x08,  // the strap is lost: searching again
};

struct AntMessage {
    std::uint8_t id = 0;
    std::vector<std::uint8_t> payload;
};

class AntFrameDecoder {
  public:
    // Appends bytes; returns every complete, valid message they finish.
    std::vector<AntMessage> push(std::span<const std::uint8_t> bytes);
    void reset() { buf_.clear(); }
    std::size_t skipped_bytes() const { return skipped_; }
    std::size_t checksum_errors() const { return bad_checksums_; }

  private:
    std::vector<std::uint8_t> buf_;
    std::size_t skipped_ = 0, bad_checksums_ = 0;
};

std::vector<std::uint8_t> encode(std::uint8_t id, std::span<const std::uint8_t> payload);

// The ANT+ heart-rate channel setup on channel 0, network 0 (PROTOCOLS.md section 4), in order
// after the reset: network key, assign (receive), channel id (any device, type 120), period 8070,
// search timeout (`search_s`, in the stick's 2.5-s units), RF 57 (2457 MHz), open.
inline constexpr std::uint8_t kHrmDeviceType = 120;
inline constexpr std::uint16_t kHrmPeriod = 8070;  // 32768/8070 = 4.06 Hz
inline constexpr std::uint8_t kAntPlusRf = 57;
std::vector<std::uint8_t> reset_command();
std::vector<std::vector<std::uint8_t>> hrm_channel_setup(const std::array<std::uint8_t, 8>& key,
                                                         double search_s = 30.0);
std::vector<std::uint8_t> open_channel_command();
std::vector<std::uint8_t> request_channel_id_command();

// "0123456789abcdef" (16 hex digits, optional spaces, commas or 0x prefixes) -> 8 bytes.
std::optional<std::array<std::uint8_t, 8>> parse_network_key(const std::string& text);

// What a channel response/event message says: the command it answers (or 0x01 for an event)
// and its code (0 = no error).
struct ChannelResponse {
    std::uint8_t channel = 0, message_id = 0, code = 0;
};
std::optional<ChannelResponse> parse_channel_response(const AntMessage& m);
std::string response_code_name(std::uint8_t code);

}  // namespace relaxmon::devices::ant
