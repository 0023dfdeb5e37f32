#pragma once
// What devices deliver to a session. Times are seconds since the device was started (the
// session's clock); a beat's time is the R peak that closes its interval.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace relaxmon::devices {

struct RrBeat {
    double t_s = 0.0;
    double rr_ms = 0.0;
    std::uint32_t flags = 0;
    static constexpr std::uint32_t kNoContact = 1u << 0;  // strap reported no skin contact
    static constexpr std::uint32_t kAfterGap = 1u << 1;   // beats were lost just before this one
};

struct EcgBlock {
    double t0_s = 0.0;
    double fs_hz = 0.0;
    std::vector<float> samples_uv;
    // A recording's ECG played back: shown and recorded, not detected again (the beats found
    // live are replayed with it).
    bool replayed = false;
};

struct AccBlock {
    double t0_s = 0.0;
    double fs_hz = 0.0;
    std::vector<std::array<std::int16_t, 3>> samples_mg;
};

struct DeviceStatus {
    double t_s = 0.0;
    bool connected = false;
    std::optional<bool> contact;  // unknown when the strap does not report it
    std::optional<int> battery_pct;
    std::optional<int> rssi_dbm;
    std::string name;
};

// A marker in a replayed session (as the user set it live, e.g. "massage start").
struct Marker {
    double t_s = 0.0;
    std::string label;
};

// The source has nothing more to send (end of a replay, end of a scripted run).
struct EndOfStream {
    double t_s = 0.0;
};

// The source cannot go on (no adapter, no permission, no strap found): one line for the user.
struct DeviceError {
    double t_s = 0.0;
    std::string message;
};

using Measurement =
    std::variant<RrBeat, EcgBlock, AccBlock, DeviceStatus, Marker, EndOfStream, DeviceError>;

}  // namespace relaxmon::devices
