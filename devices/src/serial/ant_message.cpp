#include "relaxmon/devices/serial/ant_message.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <cmath>

namespace relaxmon::devices::ant {

std::vector<AntMessage> AntFrameDecoder::push(std::span<const std::uint8_t> bytes) {
    buf_.insert(buf_.end(), bytes.begin(), bytes.end());
    std::vector<AntMessage> out;
    std::size_t at = 0;
    while (true) {
        // Resynchronise: everything before a SYNC byte is padding or garbage.
        const auto sync =
            std::find(buf_.begin() + static_cast<std::ptrdiff_t>(at), buf_.end(), kSync);
        skipped_ += static_cast<std::size_t>(sync - buf_.begin()) - at;
        at = static_cast<std::size_t>(sync - buf_.begin());
        if (buf_.size() - at < 2) break;
        const std::size_t len = buf_[at + 1];
        if (len > kMaxPayload) {  // not a frame: skip this SYNC byte and look again
            ++skipped_;
            ++at;
            continue;
        }
        const std::size_t total = len + 4;
        if (buf_.size() - at < total) break;  // wait for the rest
        std::uint8_t x = 0;
        for (std::size_t i = 0; i < total; ++i) x ^= buf_[at + i];
        if (x != 0) {
            ++bad_checksums_;
            ++skipped_;
            ++at;  // the frame is damaged: resynchronise after its SYNC byte
            continue;
        }
        AntMessage m;
        m.id = buf_[at + 2];
        m.payload.assign(buf_.begin() + static_cast<std::ptrdiff_t>(at + 3),
                         buf_.begin() + static_cast<std::ptrdiff_t>(at + 3 + len));
        out.push_back(std::move(m));
        at += total;
    }
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(at));
    return out;
}

std::vector<std::uint8_t> encode(std::uint8_t id, std::span<const std::uint8_t> payload) {
    std::vector<std::uint8_t> f{kSync, static_cast<std::uint8_t>(payload.size()), id};
    f.insert(f.end(), payload.begin(), payload.end());
    std::uint8_t x = 0;
    for (std::uint8_t b : f) x ^= b;
    f.push_back(x);
    return f;
}

namespace {
std::vector<std::uint8_t> command(std::uint8_t id, std::initializer_list<std::uint8_t> payload) {
    return encode(id, std::vector<std::uint8_t>(payload));
}
}  // namespace

std::vector<std::uint8_t> reset_command() {
    return command(kResetSystem, {0x00});
}

std::vector<std::vector<std::uint8_t>> hrm_channel_setup(const std::array<std::uint8_t, 8>& key,
                                                         double search_s) {
    const auto units = static_cast<std::uint8_t>(std::clamp(std::ceil(search_s / 2.5), 1.0, 254.0));
    std::vector<std::uint8_t> net{0x00};
    net.insert(net.end(), key.begin(), key.end());
    return {
        encode(kNetworkKey, net),
        command(kAssignChannel, {0x00, 0x00, 0x00}),  // channel 0, receive, network 0
        command(kChannelId, {0x00, 0x00, 0x00, kHrmDeviceType, 0x00}),  // any strap
        command(kChannelPeriod, {0x00, kHrmPeriod & 0xFF, kHrmPeriod >> 8}),
        command(kSearchTimeout, {0x00, units}),  // then the channel closes and is reopened
        command(kRfFrequency, {0x00, kAntPlusRf}),
        open_channel_command(),
    };
}

std::vector<std::uint8_t> open_channel_command() {
    return command(kOpenChannel, {0x00});
}

std::vector<std::uint8_t> request_channel_id_command() {
    return command(kRequestMessage, {0x00, kChannelId});
}

std::optional<std::array<std::uint8_t, 8>> parse_network_key(const std::string& text) {
    std::string hex;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '0' && i + 1 < text.size() && (text[i + 1] == 'x' || text[i + 1] == 'X')) {
            ++i;
            continue;
        }
        if (c == ' ' || c == ',' || c == ':' || c == '-') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
        hex += c;
    }
    if (hex.size() != 16) return std::nullopt;
    std::array<std::uint8_t, 8> key{};
    for (std::size_t i = 0; i < 8; ++i)
        key[i] = static_cast<std::uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
    return key;
}

std::optional<ChannelResponse> parse_channel_response(const AntMessage& m) {
    if (m.id != kChannelEvent || m.payload.size() < 3) return std::nullopt;
    return ChannelResponse{m.payload[0], m.payload[1], m.payload[2]};
}

std::string response_code_name(std::uint8_t code) {
    switch (code) {
        case 0x00:
            return "no error";
        case 0x15:
            return "channel in wrong state";
        case 0x16:
            return "channel not opened";
        case 0x18:
            return "channel id not set";
        case 0x28:
            return "invalid message";
        case 0x29:
            return "invalid network number";
        case 0x30:
            return "invalid list id";
        default:
            return fmt::format("code 0x{:02X}", code);
    }
}

}  // namespace relaxmon::devices::ant
