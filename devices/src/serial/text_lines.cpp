#include "relaxmon/devices/serial/text_lines.hpp"

#include <charconv>
#include <cmath>

namespace relaxmon::devices::serial {

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The whole of `s` as a number, or nullopt.
template <class T>
std::optional<T> number(std::string_view s) {
    s = trim(s);
    if (s.empty()) return std::nullopt;
    T v{};
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    if constexpr (std::is_floating_point_v<T>)
        if (!std::isfinite(v)) return std::nullopt;
    return v;
}
}  // namespace

std::vector<std::string> LineSplitter::push(std::span<const std::uint8_t> bytes) {
    std::vector<std::string> out;
    for (std::uint8_t b : bytes) {
        if (b == '\n' || b == '\r') {
            if (overlong_now_)
                ++overlong_;
            else if (!line_.empty())
                out.push_back(line_);
            line_.clear();
            overlong_now_ = false;
            continue;
        }
        if (overlong_now_) continue;
        if (line_.size() >= kMaxLine) {  // no device sends this: skip to the next line ending
            overlong_now_ = true;
            line_.clear();
            continue;
        }
        line_ += static_cast<char>(b);
    }
    return out;
}

void LineSplitter::reset() {
    line_.clear();
    overlong_now_ = false;
}

std::optional<double> parse_rr_line(const std::string& line) {
    std::string_view s = trim(line);
    if (s.size() > 2 && s.substr(s.size() - 2) == "ms") s = trim(s.substr(0, s.size() - 2));
    auto v = number<double>(s);
    if (!v) return std::nullopt;
    if (*v > 0.0 && *v < 10.0) *v *= 1000.0;  // seconds
    // Long and short intervals go on to the artifact screen, which classifies them and keeps
    // them in beats.csv; only what no heart can produce is refused.
    if (*v < kMinRr_ms || *v > kMaxRr_ms) return std::nullopt;
    return v;
}

std::optional<std::variant<double, LeadsOff>> parse_ecg_line(const std::string& line) {
    const std::string_view s = trim(line);
    if (s == "!") return LeadsOff{};
    if (auto v = number<double>(s)) return *v;
    return std::nullopt;
}

std::optional<PulseLine> parse_pulsesensor_line(const std::string& line) {
    const std::string_view s = trim(line);
    if (s.size() < 2) return std::nullopt;
    const std::string_view rest = s.substr(1);
    switch (s.front()) {
        case 'S':
            if (auto v = number<int>(rest)) return PulseSignal{*v};
            break;
        case 'B':
            if (auto v = number<int>(rest); v && *v > 0 && *v < 300) return PulseBpm{*v};
            break;
        case 'Q':
            if (auto v = number<double>(rest); v && *v >= 200.0 && *v <= 3000.0)
                return PulseIbi{*v};
            break;
        default:
            break;
    }
    return std::nullopt;
}

}  // namespace relaxmon::devices::serial
