#include "relaxmon/devices/ble/pmd_parser.hpp"

namespace relaxmon::devices::ble {

namespace {
constexpr std::uint8_t kResponse = 0xF0, kFeatures = 0x0F;
constexpr std::uint8_t kCompressed = 0x80;
constexpr std::size_t kHeader = 10;  // type, 8-byte timestamp, frame type
}  // namespace

std::optional<PmdFeatures> parse_pmd_features(std::span<const std::uint8_t> v) {
    if (v.size() < 2 || v[0] != kFeatures) return std::nullopt;
    const std::uint8_t f = v[1];
    return PmdFeatures{(f & 0x01) != 0, (f & 0x02) != 0, (f & 0x04) != 0,
                       (f & 0x08) != 0, (f & 0x20) != 0, (f & 0x40) != 0};
}

std::optional<PmdControlResponse> parse_pmd_control_response(std::span<const std::uint8_t> v) {
    if (v.size() < 4 || v[0] != kResponse) return std::nullopt;
    PmdControlResponse r;
    r.opcode = v[1];
    r.measurement = v[2];
    r.error = v[3];
    if (v.size() >= 5) r.more_frames = v[4] != 0;
    if (v.size() > 5) r.parameters.assign(v.begin() + 5, v.end());
    return r;
}

std::vector<std::pair<std::uint8_t, std::vector<std::uint16_t>>> PmdControlResponse::settings()
    const {
    std::vector<std::pair<std::uint8_t, std::vector<std::uint16_t>>> out;
    std::size_t at = 0;
    while (at + 2 <= parameters.size()) {
        const std::uint8_t type = parameters[at];
        const std::uint8_t count = parameters[at + 1];
        at += 2;
        const std::size_t width = type == 4 ? 1 : 2;  // CHANNELS values are one byte
        std::vector<std::uint16_t> values;
        for (std::uint8_t i = 0; i < count && at + width <= parameters.size(); ++i, at += width)
            values.push_back(width == 1 ? parameters[at]
                                        : static_cast<std::uint16_t>(parameters[at] |
                                                                     (parameters[at + 1] << 8)));
        out.emplace_back(type, std::move(values));
    }
    return out;
}

std::string pmd_error_name(std::uint8_t e) {
    static const char* kNames[] = {
        "success",          "invalid op code",    "invalid measurement type",
        "not supported",    "invalid length",     "invalid parameter",
        "already in state", "invalid resolution", "invalid sample rate",
        "invalid range",    "invalid MTU",        "invalid number of channels",
        "invalid state",    "device in charger"};
    return e < std::size(kNames) ? kNames[e] : "unknown error " + std::to_string(e);
}

std::vector<std::uint8_t> pmd_request_settings(std::uint8_t measurement) {
    return {0x01, measurement};
}

namespace {
// A PMD setting: type, count 1, one little-endian uint16 value.
void add_setting(std::vector<std::uint8_t>& cmd, std::uint8_t type, std::uint16_t value) {
    cmd.insert(cmd.end(), {type, 0x01, static_cast<std::uint8_t>(value & 0xff),
                           static_cast<std::uint8_t>(value >> 8)});
}
}  // namespace

std::vector<std::uint8_t> pmd_start_ecg(std::uint16_t rate_hz, std::uint16_t bits) {
    std::vector<std::uint8_t> cmd{0x02, kPmdEcg};
    add_setting(cmd, 0x00, rate_hz);
    add_setting(cmd, 0x01, bits);
    return cmd;
}

std::vector<std::uint8_t> pmd_start_acc(std::uint16_t rate_hz, std::uint16_t bits,
                                        std::uint16_t range_g) {
    std::vector<std::uint8_t> cmd{0x02, kPmdAcc};
    add_setting(cmd, 0x00, rate_hz);
    add_setting(cmd, 0x01, bits);
    add_setting(cmd, 0x02, range_g);
    return cmd;
}

std::vector<std::uint8_t> pmd_stop(std::uint8_t measurement) {
    return {0x03, measurement};
}

std::optional<PmdFrame> parse_pmd_data(std::span<const std::uint8_t> v) {
    if (v.size() < kHeader) return std::nullopt;
    const std::uint8_t measurement = v[0];
    std::uint64_t ts = 0;
    for (int i = 8; i >= 1; --i) ts = (ts << 8) | v[static_cast<std::size_t>(i)];
    const std::uint8_t frame_type = v[9];
    const auto body = v.subspan(kHeader);
    if (frame_type & kCompressed)
        return PmdUnsupported{measurement, frame_type,
                              "compressed (delta) PMD frames are not supported"};
    if (measurement == kPmdEcg && frame_type == 0x00) {
        if (body.size() % 3 != 0) return std::nullopt;
        PmdEcgFrame f{ts, {}};
        for (std::size_t i = 0; i + 2 < body.size(); i += 3) {
            std::int32_t s = body[i] | (body[i + 1] << 8) | (body[i + 2] << 16);
            if (s & 0x800000) s -= 0x1000000;  // int24, two's complement
            f.samples_uv.push_back(s);
        }
        return f;
    }
    if (measurement == kPmdAcc && frame_type == 0x01) {
        if (body.size() % 6 != 0) return std::nullopt;
        PmdAccFrame f{ts, {}};
        for (std::size_t i = 0; i + 5 < body.size(); i += 6) {
            std::array<std::int16_t, 3> xyz{};
            for (std::size_t k = 0; k < 3; ++k)
                xyz[k] = static_cast<std::int16_t>(body[i + 2 * k] | (body[i + 2 * k + 1] << 8));
            f.samples_mg.push_back(xyz);
        }
        return f;
    }
    return PmdUnsupported{measurement, frame_type, "measurement or frame type not supported"};
}

}  // namespace relaxmon::devices::ble
