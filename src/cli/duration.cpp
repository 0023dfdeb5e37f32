#include "cli/duration.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace relaxmon::cli {

namespace {
std::optional<double> parse_number(std::string_view s) {
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) || v < 0)
        return std::nullopt;
    return v;
}

std::optional<double> parse_clock(std::string_view text) {  // H:MM:SS or MM:SS
    double total = 0.0;
    int fields = 0;
    while (true) {
        const auto colon = text.find(':');
        const auto part = parse_number(text.substr(0, colon));
        if (!part) return std::nullopt;
        total = total * 60.0 + *part;
        ++fields;
        if (colon == std::string_view::npos) break;
        text.remove_prefix(colon + 1);
    }
    if (fields < 2 || fields > 3) return std::nullopt;
    return total;
}
}  // namespace

std::optional<double> parse_duration_s(std::string_view text) {
    if (text.find(':') != std::string_view::npos) {
        auto v = parse_clock(text);
        return v && *v > 0.0 ? v : std::nullopt;
    }
    double total = 0.0;
    bool any = false;
    int last_rank = 4;  // units must come in order h, m, s, each at most once
    while (!text.empty()) {
        std::size_t i = 0;
        while (i < text.size() &&
               (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
            ++i;
        if (i == 0 || i == text.size()) return std::nullopt;  // no number, or a number without unit
        const auto value = parse_number(text.substr(0, i));
        if (!value) return std::nullopt;
        const char unit = text[i];
        const int rank = unit == 'h' ? 3 : unit == 'm' ? 2 : unit == 's' ? 1 : 0;
        if (rank == 0 || rank >= last_rank) return std::nullopt;
        last_rank = rank;
        total += *value * (rank == 3 ? 3600.0 : rank == 2 ? 60.0 : 1.0);
        any = true;
        text.remove_prefix(i + 1);
    }
    if (!any || total <= 0.0) return std::nullopt;
    return total;
}

}  // namespace relaxmon::cli
