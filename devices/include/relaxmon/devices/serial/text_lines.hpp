#pragma once
// Text-line serial devices (PROTOCOLS.md section 5), as pure parts: a line splitter that accepts
// LF, CR, CRLF and LFCR endings and refuses over-long lines, and one parser per protocol:
// - `rr`: one RR interval a line, in ms (a value under 10 is taken as seconds, as Kubios does);
// - `ecg`: one raw ADC sample a line, or `!` while the electrodes are off (SparkFun's AD8232
//   sketch);
// - `pulsesensor`: PulseSensor Playground's PROCESSING_VISUALIZER output, `S<signal>` per sample,
//   `B<bpm>` and `Q<IBI ms>` per beat.
// Anything else (banners such as "Initialized!", noise) is a garbage line: counted and skipped.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace relaxmon::devices::serial {

class LineSplitter {
  public:
    static constexpr std::size_t kMaxLine = 128;
    // Complete lines in these bytes (without their endings); empty lines are dropped.
    std::vector<std::string> push(std::span<const std::uint8_t> bytes);
    void reset();
    std::size_t overlong_lines() const { return overlong_; }

  private:
    std::string line_;
    bool overlong_now_ = false;
    std::size_t overlong_ = 0;
};

// rr: the interval in ms, or nullopt for a garbage line or an impossible interval.
inline constexpr double kMinRr_ms = 100.0, kMaxRr_ms = 10000.0;
std::optional<double> parse_rr_line(const std::string& line);

struct LeadsOff {};
// ecg: a sample, LeadsOff for "!", nullopt for garbage.
std::optional<std::variant<double, LeadsOff>> parse_ecg_line(const std::string& line);

struct PulseSignal {
    int value;
};
struct PulseBpm {
    int bpm;
};
struct PulseIbi {
    double ibi_ms;
};
using PulseLine = std::variant<PulseSignal, PulseBpm, PulseIbi>;
std::optional<PulseLine> parse_pulsesensor_line(const std::string& line);

}  // namespace relaxmon::devices::serial
