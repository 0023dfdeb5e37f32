#pragma once
// Pure parsers for Polar Measurement Data (PMD) on the Polar H10: control-point responses and
// feature reads, and data frames (ECG int24 microvolts, ACC int16 milli-g), after the layouts of
// polar-ble-sdk's PmdDataFrame and PROTOCOLS.md section 2. Compressed (delta) frames are
// reported as unsupported rather than misread.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace relaxmon::devices::ble {

inline constexpr std::uint8_t kPmdEcg = 0x00, kPmdAcc = 0x02;
// Seconds between the Unix epoch and the PMD epoch 2000-01-01T00:00:00Z.
inline constexpr std::uint64_t kPmdEpochOffset_s = 946684800ULL;

struct PmdFeatures {
    bool ecg = false, ppg = false, acc = false, ppi = false, gyro = false, mag = false;
};
std::optional<PmdFeatures> parse_pmd_features(std::span<const std::uint8_t> value);  // "0F xx"

struct PmdControlResponse {
    std::uint8_t opcode = 0, measurement = 0, error = 0;
    bool more_frames = false;
    std::vector<std::uint8_t> parameters;
    // Settings of a "get settings" reply: type -> values (0 sample rate Hz, 1 resolution bits,
    // 2 range g, 4 channels).
    std::vector<std::pair<std::uint8_t, std::vector<std::uint16_t>>> settings() const;
};
std::optional<PmdControlResponse> parse_pmd_control_response(std::span<const std::uint8_t> value);
std::string pmd_error_name(std::uint8_t error);

// The commands relaxmon writes to the control point.
std::vector<std::uint8_t> pmd_request_settings(std::uint8_t measurement);
std::vector<std::uint8_t> pmd_start_ecg(std::uint16_t rate_hz = 130, std::uint16_t bits = 14);
std::vector<std::uint8_t> pmd_start_acc(std::uint16_t rate_hz = 200, std::uint16_t bits = 16,
                                        std::uint16_t range_g = 2);
std::vector<std::uint8_t> pmd_stop(std::uint8_t measurement);

struct PmdEcgFrame {
    std::uint64_t timestamp_ns = 0;  // sensor time of the last sample, since 2000-01-01
    std::vector<std::int32_t> samples_uv;
};
struct PmdAccFrame {
    std::uint64_t timestamp_ns = 0;
    std::vector<std::array<std::int16_t, 3>> samples_mg;
};
struct PmdUnsupported {
    std::uint8_t measurement = 0, frame_type = 0;
    std::string reason;
};
using PmdFrame = std::variant<PmdEcgFrame, PmdAccFrame, PmdUnsupported>;

// nullopt when the frame is too short or its samples do not fill whole records.
std::optional<PmdFrame> parse_pmd_data(std::span<const std::uint8_t> value);

}  // namespace relaxmon::devices::ble
