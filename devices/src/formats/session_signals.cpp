#include "relaxmon/devices/formats/session_signals.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "relaxmon/devices/formats/rr_file.hpp"

namespace relaxmon::devices::formats {

namespace {

// Rows of numbers under an exact header: row[0] is t_s, then the values.
struct Table {
    std::vector<double> t_s;
    std::vector<std::vector<double>> values;  // one per value column
};

Table read_table(const std::filesystem::path& path, std::string_view header) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FormatError(fmt::format("{}: cannot read it", path.string()));
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    const std::size_t columns =
        static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1;
    Table t;
    t.values.resize(columns - 1);
    std::size_t at = 0;
    int line = 0;
    while (at < text.size()) {
        ++line;
        const std::size_t end = text.find('\n', at);
        if (end == std::string::npos) break;  // a torn last line: nothing after it counts
        std::string_view row(text.data() + at, end - at);
        at = end + 1;
        if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
        if (line == 1) {
            if (row != header)
                throw FormatError(
                    fmt::format("{}:1: expected the header {}", path.string(), header));
            continue;
        }
        if (row.empty()) continue;
        std::size_t col = 0, from = 0;
        for (;;) {
            const std::size_t comma = std::min(row.find(',', from), row.size());
            if (col >= columns)
                throw FormatError(fmt::format("{}:{}: more than {} fields ({})", path.string(),
                                              line, columns, header));
            double v = 0.0;
            const auto field = row.substr(from, comma - from);
            const auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
            if (ec != std::errc() || p != field.data() + field.size() || !std::isfinite(v))
                throw FormatError(fmt::format("{}:{}: '{}' is not a number", path.string(), line,
                                              excerpt(std::string(field))));
            if (col == 0)
                t.t_s.push_back(v);
            else
                t.values[col - 1].push_back(v);
            ++col;
            if (comma == row.size()) break;
            from = comma + 1;
        }
        if (col != columns)
            throw FormatError(
                fmt::format("{}:{}: {} fields, expected {}", path.string(), line, col, header));
        if (t.t_s.size() >= 2 && !(t.t_s.back() > t.t_s[t.t_s.size() - 2]))
            throw FormatError(fmt::format("{}:{}: time {} does not follow {}", path.string(), line,
                                          t.t_s.back(), t.t_s[t.t_s.size() - 2]));
    }
    return t;
}

// Where each block starts (indices into the samples), and the sampling rate.
struct Blocks {
    double fs_hz = 0.0;
    std::vector<std::size_t> starts;
};

Blocks split(const std::vector<double>& t_s, std::size_t block_samples) {
    Blocks b;
    if (t_s.empty()) return b;
    std::vector<double> dt;
    for (std::size_t i = 1; i < t_s.size() && dt.size() < 4096; ++i)
        dt.push_back(t_s[i] - t_s[i - 1]);
    if (dt.empty()) return b;
    std::nth_element(dt.begin(), dt.begin() + static_cast<std::ptrdiff_t>(dt.size() / 2), dt.end());
    const double spacing = dt[dt.size() / 2];  // times are rounded: good enough for breaks
    const auto broken = [&](std::size_t i) {
        return std::abs(t_s[i] - t_s[i - 1] - spacing) > 0.5 * spacing;
    };
    // The rate from the longest unbroken run (its span, not one rounded step), to 0.01 Hz.
    std::size_t run_from = 0, best_from = 0, best_to = 0;
    for (std::size_t i = 1; i <= t_s.size(); ++i)
        if (i == t_s.size() || broken(i)) {
            if (i - 1 - run_from > best_to - best_from) {
                best_from = run_from;
                best_to = i - 1;
            }
            run_from = i;
        }
    const double span_s = t_s[best_to] - t_s[best_from];
    b.fs_hz = best_to > best_from && span_s > 0.0
                  ? std::round(100.0 * static_cast<double>(best_to - best_from) / span_s) / 100.0
                  : std::round(100.0 / spacing) / 100.0;
    // A new block after a break, every block_samples, and wherever the block's own clock (its
    // first time plus i / fs) would no longer give the recorded time to within its rounding:
    // the strap's frames arrive with their own timestamps.
    constexpr double kTimeTolerance_s = 0.00006;
    b.starts.push_back(0);
    for (std::size_t i = 1; i < t_s.size(); ++i) {
        const std::size_t from = b.starts.back();
        const double predicted = t_s[from] + static_cast<double>(i - from) / b.fs_hz;
        if (broken(i) || i - from >= block_samples ||
            std::abs(predicted - t_s[i]) > kTimeTolerance_s)
            b.starts.push_back(i);
    }
    return b;
}

// The samples of `t` as blocks; `append(block, i)` adds sample i to a block.
template <class Block, class Append>
std::vector<Block> to_blocks(const Table& t, std::size_t block_samples, Append append) {
    const Blocks b = split(t.t_s, std::max<std::size_t>(1, block_samples));
    std::vector<Block> out;
    for (std::size_t k = 0; k < b.starts.size(); ++k) {
        const std::size_t to = k + 1 < b.starts.size() ? b.starts[k + 1] : t.t_s.size();
        Block block;
        block.t0_s = t.t_s[b.starts[k]];
        block.fs_hz = b.fs_hz;
        for (std::size_t i = b.starts[k]; i < to; ++i) append(block, i);
        out.push_back(std::move(block));
    }
    return out;
}

}  // namespace

std::vector<EcgBlock> read_session_ecg(const std::filesystem::path& path,
                                       std::size_t block_samples) {
    const Table t = read_table(path, "t_s,ecg_uv");
    return to_blocks<EcgBlock>(t, block_samples, [&](EcgBlock& block, std::size_t i) {
        block.samples_uv.push_back(static_cast<float>(t.values[0][i]));
    });
}

std::vector<AccBlock> read_session_acc(const std::filesystem::path& path,
                                       std::size_t block_samples) {
    const Table t = read_table(path, "t_s,x_mg,y_mg,z_mg");
    const auto mg = [](double v) {
        return static_cast<std::int16_t>(std::clamp(std::round(v), -32768.0, 32767.0));
    };
    return to_blocks<AccBlock>(t, block_samples, [&](AccBlock& block, std::size_t i) {
        block.samples_mg.push_back({mg(t.values[0][i]), mg(t.values[1][i]), mg(t.values[2][i])});
    });
}

}  // namespace relaxmon::devices::formats
