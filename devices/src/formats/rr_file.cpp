#include "relaxmon/devices/formats/rr_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <set>

namespace relaxmon::devices::formats {

std::string excerpt(std::string_view text, std::size_t max) {
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out += c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?';
    }
    if (text.size() > max) out += "...";
    return out;
}

namespace fs = std::filesystem;

namespace {

constexpr double kSecondsIfMedianBelow = 10.0;  // no heartbeat interval lasts 10 ms

std::string trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        if (c == sep && !quoted) {
            out.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(trim(cur));
    return out;
}

std::optional<double> to_number(const std::string& s) {
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_binary(const std::string& bytes) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 4096);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == 0 || (c < 32 && c != '\n' && c != '\r' && c != '\t')) return true;
    }
    return false;
}

void to_milliseconds(std::vector<double>& rr) {
    if (rr.empty()) return;
    std::vector<double> sorted = rr;
    std::nth_element(sorted.begin(),
                     sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    if (sorted[sorted.size() / 2] < kSecondsIfMedianBelow)
        for (double& x : rr) x *= 1000.0;
}

void fill_times(RrSeries& s) {
    s.t_s.resize(s.rr_ms.size());
    double t = 0.0;
    for (std::size_t i = 0; i < s.rr_ms.size(); ++i) s.t_s[i] = t += s.rr_ms[i] / 1000.0;
}

void check_positive(const RrSeries& s, const fs::path& path, const std::vector<int>& lines) {
    for (std::size_t i = 0; i < s.rr_ms.size(); ++i)
        if (!(s.rr_ms[i] > 0.0))
            throw FormatError(fmt::format("{}:{}: RR interval {} is not positive", path.string(),
                                          lines[i], s.rr_ms[i]));
}

RrSeries read_text(const fs::path& path, const std::vector<std::string>& lines) {
    RrSeries s;
    s.kind = "rr text";
    std::vector<int> line_of;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string l = lines[i];
        if (auto hash = l.find('#'); hash != std::string::npos) l.erase(hash);
        l = trim(l);
        if (l.empty()) continue;
        const auto v = to_number(l);
        if (!v)
            throw FormatError(fmt::format("{}:{}: '{}' is not an RR interval (a number in ms or s)",
                                          path.string(), i + 1, excerpt(l)));
        s.rr_ms.push_back(*v);
        line_of.push_back(static_cast<int>(i + 1));
    }
    to_milliseconds(s.rr_ms);
    check_positive(s, path, line_of);
    fill_times(s);
    s.follows_gap.assign(s.rr_ms.size(), 0);
    s.known.assign(s.rr_ms.size(), dsp::ArtifactClass::none);
    return s;
}

RrSeries read_csv(const fs::path& path, const std::vector<std::string>& lines,
                  std::size_t header_at, const std::optional<std::string>& column) {
    const std::string& header_line = lines[header_at];
    const char sep = std::count(header_line.begin(), header_line.end(), ';') >
                             std::count(header_line.begin(), header_line.end(), ',')
                         ? ';'
                         : ',';
    const auto header = split(header_line, sep);
    auto find = [&](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return i;
        return std::nullopt;
    };
    std::optional<std::size_t> rr_col;
    if (column) {
        rr_col = find(*column);
    } else if (!(rr_col = find("rr_ms"))) {
        for (std::size_t i = 0; i < header.size() && !rr_col; ++i) {
            const std::string h = lower(header[i]);
            if (h.find("rr") != std::string::npos || h.find("ibi") != std::string::npos ||
                h.find("nn") != std::string::npos)
                rr_col = i;
        }
    }
    if (!rr_col) {
        std::string names;
        for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
        throw FormatError(
            fmt::format("{}:{}: {}; columns are: {}", path.string(), header_at + 1,
                        column ? fmt::format("no column named '{}'", excerpt(*column))
                               : std::string("no RR column found (name it with --column)"),
                        excerpt(names, 160)));
    }
    const auto t_col = find("t_s");
    const auto artifact_col = find("artifact");
    const bool ours = t_col && artifact_col && header[*rr_col] == "rr_ms";

    RrSeries s;
    s.kind = ours ? "beats.csv" : "csv";
    std::vector<int> line_of;
    std::vector<double> times;
    for (std::size_t i = header_at + 1; i < lines.size(); ++i) {
        if (trim(lines[i]).empty()) continue;
        const auto f = split(lines[i], sep);
        if (*rr_col >= f.size())
            throw FormatError(fmt::format("{}:{}: {} fields, but column '{}' is number {}",
                                          path.string(), i + 1, f.size(), excerpt(header[*rr_col]),
                                          *rr_col + 1));
        if (f[*rr_col].empty()) continue;  // a row without an interval (e.g. HR-only samples)
        const auto v = to_number(f[*rr_col]);
        if (!v)
            throw FormatError(fmt::format("{}:{}: '{}' in column '{}' is not a number",
                                          path.string(), i + 1, excerpt(f[*rr_col]),
                                          excerpt(header[*rr_col])));
        s.rr_ms.push_back(*v);
        line_of.push_back(static_cast<int>(i + 1));
        if (ours) {
            const auto t = to_number(f[*t_col]);
            if (!t)
                throw FormatError(fmt::format("{}:{}: '{}' in column 't_s' is not a number",
                                              path.string(), i + 1, excerpt(f[*t_col])));
            times.push_back(*t);
            const std::string& a = *artifact_col < f.size() ? f[*artifact_col] : std::string();
            s.follows_gap.push_back(a == "gap" ? 1 : 0);
        }
    }
    to_milliseconds(s.rr_ms);
    check_positive(s, path, line_of);
    if (ours)
        s.t_s = times;
    else
        fill_times(s);
    s.follows_gap.resize(s.rr_ms.size(), 0);
    s.known.assign(s.rr_ms.size(), dsp::ArtifactClass::none);
    for (std::size_t i = 0; i < s.rr_ms.size(); ++i)
        if (s.follows_gap[i]) s.known[i] = dsp::ArtifactClass::gap;
    return s;
}

RrSeries read_wfdb(const fs::path& path) {
    fs::path hea = path;
    hea.replace_extension(".hea");
    if (!fs::exists(hea))
        throw FormatError(
            fmt::format("{}: binary file taken as WFDB annotations, but there is no "
                        "header {} beside it for the sampling rate",
                        path.string(), hea.filename().string()));
    const double fs_hz = read_wfdb_sampling_rate(hea);
    // Beat codes (ecgcodes.h isqrs); of these, sinus beats count as normal for NN intervals.
    static const std::set<int> kBeats{1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                      11, 12, 13, 25, 30, 34, 35, 37, 38, 41};
    static const std::set<int> kNormal{1, 2, 3, 25};  // N, L, R, B
    RrSeries s;
    s.kind = "wfdb";
    std::optional<Annotation> prev;
    double first_t = 0.0;
    for (const Annotation& a : read_mit_annotations(path)) {
        if (!kBeats.count(a.code)) continue;
        if (!prev) {
            prev = a;
            first_t = static_cast<double>(a.sample) / fs_hz;
            continue;
        }
        const double rr = static_cast<double>(a.sample - prev->sample) / fs_hz * 1000.0;
        if (rr <= 0.0) {
            prev = a;
            continue;  // two annotations on one sample: keep the later
        }
        s.rr_ms.push_back(rr);
        s.t_s.push_back(static_cast<double>(a.sample) / fs_hz - first_t);
        s.follows_gap.push_back(0);
        s.known.push_back(kNormal.count(a.code) && kNormal.count(prev->code)
                              ? dsp::ArtifactClass::none
                              : dsp::ArtifactClass::ectopic);
        prev = a;
    }
    return s;
}

}  // namespace

RrSeries read_rr_file(const fs::path& path, const std::optional<std::string>& column) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FormatError(fmt::format("{}: cannot open", path.string()));
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) return RrSeries{{}, {}, {}, {}, "empty"};
    if (is_binary(bytes)) return read_wfdb(path);

    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= bytes.size()) {
        std::size_t end = bytes.find('\n', start);
        if (end == std::string::npos) end = bytes.size();
        std::string l = bytes.substr(start, end - start);
        if (!l.empty() && l.back() == '\r') l.pop_back();
        lines.push_back(l);
        start = end + 1;
    }
    if (!lines.empty() && lines[0].rfind("\xEF\xBB\xBF", 0) == 0) lines[0].erase(0, 3);  // BOM
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string t = trim(lines[i]);
        if (t.empty() || t[0] == '#') continue;
        const bool has_letters = std::any_of(t.begin(), t.end(), [](unsigned char c) {
            return std::isalpha(c) && c != 'e' && c != 'E';
        });
        if (has_letters || column) return read_csv(path, lines, i, column);
        return read_text(path, lines);
    }
    return RrSeries{{}, {}, {}, {}, "empty"};
}

}  // namespace relaxmon::devices::formats
