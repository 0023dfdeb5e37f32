#include "relaxmon/devices/formats/session_events.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "relaxmon/devices/formats/rr_file.hpp"

namespace relaxmon::devices::formats {

namespace {
// Splits one CSV record starting at `at` in `text`; advances `at` past its line ending.
std::vector<std::string> record(const std::string& text, std::size_t& at, bool& ok) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    ok = true;
    for (; at < text.size(); ++at) {
        const char c = text[at];
        if (quoted) {
            if (c == '"' && at + 1 < text.size() && text[at + 1] == '"') {
                fields.back() += '"';
                ++at;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back() += c;
            }
        } else if (c == '"' && fields.back().empty()) {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else if (c == '\n') {
            ++at;
            return fields;
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    ok = !quoted;
    return fields;
}
}  // namespace

std::vector<SessionEvent> read_session_events(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FormatError(fmt::format("{}: cannot read it", path.string()));
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::size_t at = 0;
    int line = 1;
    bool ok = true;
    const auto header = record(text, at, ok);
    if (header != std::vector<std::string>{"t_s", "kind", "label"})
        throw FormatError(fmt::format("{}:1: expected the header t_s,kind,label", path.string()));
    std::vector<SessionEvent> out;
    while (at < text.size()) {
        ++line;
        const std::size_t start = at;
        const auto f = record(text, at, ok);
        line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(start),
                                            text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) -
                1;
        if (f.size() == 1 && f[0].empty()) continue;  // a blank line
        if (!ok)  // a torn last line (a crash while writing it): nothing after it
            break;
        if (f.size() != 3)
            throw FormatError(fmt::format("{}:{}: {} fields, expected t_s,kind,label",
                                          path.string(), line, f.size()));
        double t = 0.0;
        const auto [end, ec] = std::from_chars(f[0].data(), f[0].data() + f[0].size(), t);
        if (ec != std::errc() || end != f[0].data() + f[0].size() || !std::isfinite(t))
            throw FormatError(fmt::format("{}:{}: '{}' in column 't_s' is not a number",
                                          path.string(), line, excerpt(f[0])));
        out.push_back({t, f[1], f[2]});
    }
    return out;
}

bool marker_ends_baseline(std::string_view label) {
    std::string lower(label);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("massage start") != std::string::npos ||
           lower.find("baseline end") != std::string::npos;
}

bool marker_undoes_baseline(std::string_view label) {
    return label == kBaselineUndoneMarker;
}

}  // namespace relaxmon::devices::formats
