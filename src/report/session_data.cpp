#include "report/session_data.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>

namespace relaxmon::report {

namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A CSV of our own making: header, comma-separated numbers (empty = missing).
class CsvReader {
  public:
    CsvReader(const fs::path& path, const std::vector<std::string>& needed)
        : path_(path), in_(path) {
        if (!in_) throw std::runtime_error(fmt::format("{}: cannot read it", path.string()));
        std::string header;
        std::getline(in_, header);
        if (!header.empty() && header.back() == '\r') header.pop_back();
        std::size_t i = 0;
        for (std::size_t at = 0; at <= header.size();) {
            const auto comma = std::min(header.find(',', at), header.size());
            columns_[header.substr(at, comma - at)] = i++;
            at = comma + 1;
        }
        for (const auto& n : needed)
            if (!columns_.count(n))
                throw std::runtime_error(fmt::format("{}:1: no column '{}' (header: {})",
                                                     path.string(), n, header.substr(0, 200)));
    }
    // The next row's fields; false at the end (a torn last line is the end too).
    bool next(std::vector<std::string>& fields) {
        std::string line;
        while (std::getline(in_, line)) {
            ++line_;
            if (in_.eof() && !line.empty()) return false;  // no newline: torn by a crash
            if (!line.empty() && line.back() == '\r') line.pop_back();
            if (line.empty()) continue;
            if (line.size() > 4096)
                throw std::runtime_error(fmt::format("{}:{}: a line of {} bytes is not a row",
                                                     path_.string(), line_ + 1, line.size()));
            fields.clear();
            for (std::size_t at = 0; at <= line.size();) {
                const auto comma = std::min(line.find(',', at), line.size());
                fields.push_back(line.substr(at, comma - at));
                at = comma + 1;
            }
            if (fields.size() < columns_.size())
                throw std::runtime_error(fmt::format("{}:{}: {} fields, the header has {}",
                                                     path_.string(), line_ + 1, fields.size(),
                                                     columns_.size()));
            return true;
        }
        return false;
    }
    double number(const std::vector<std::string>& f, const std::string& column) const {
        const std::string& s = f[columns_.at(column)];
        if (s.empty()) return kNaN;
        double v = 0.0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
            throw std::runtime_error(fmt::format("{}:{}: '{}' in column '{}' is not a number",
                                                 path_.string(), line_ + 1, s.substr(0, 40),
                                                 column));
        return v;
    }
    const std::string& text(const std::vector<std::string>& f, const std::string& column) const {
        return f[columns_.at(column)];
    }

  private:
    fs::path path_;
    std::ifstream in_;
    std::map<std::string, std::size_t> columns_;
    std::size_t line_ = 0;
};

}  // namespace

SessionData read_session_data(const fs::path& dir) {
    if (!fs::is_directory(dir))
        throw std::runtime_error(fmt::format("{}: not a session folder", dir.string()));
    SessionData d;
    {
        std::ifstream in(dir / "session.json");
        if (!in)
            throw std::runtime_error(
                fmt::format("{}: cannot read it", (dir / "session.json").string()));
        try {
            d.info = nlohmann::json::parse(in);
        } catch (const nlohmann::json::parse_error& e) {
            throw std::runtime_error(
                fmt::format("{}: not valid JSON ({})", (dir / "session.json").string(), e.what()));
        }
        if (!d.info.is_object())
            throw std::runtime_error(
                fmt::format("{}: not a JSON object", (dir / "session.json").string()));
    }
    std::vector<std::string> f;
    CsvReader beats(dir / "beats.csv", {"t_s", "rr_ms", "artifact", "rr_corrected_ms"});
    while (beats.next(f)) {
        const double rr = beats.number(f, "rr_corrected_ms");
        d.beat_t_s.push_back(beats.number(f, "t_s"));
        d.beat_hr_bpm.push_back(rr > 0.0 ? 60000.0 / rr : kNaN);
        d.beat_artifact.push_back(beats.text(f, "artifact"));
    }
    CsvReader metrics(dir / "metrics.csv",
                      {"t_s", "mean_hr_bpm", "rmssd_ms", "hf_ms2", "resp_rate_bpm", "relax_index"});
    while (metrics.next(f)) {
        d.m_t_s.push_back(metrics.number(f, "t_s"));
        d.m_hr_bpm.push_back(metrics.number(f, "mean_hr_bpm"));
        d.m_rmssd_ms.push_back(metrics.number(f, "rmssd_ms"));
        d.m_hf_ms2.push_back(metrics.number(f, "hf_ms2"));
        d.m_resp_bpm.push_back(metrics.number(f, "resp_rate_bpm"));
        d.m_relax_index.push_back(metrics.number(f, "relax_index"));
    }
    try {
        d.events = devices::formats::read_session_events(dir / "events.csv");
    } catch (const std::exception& e) {
        throw std::runtime_error(e.what());
    }
    if (!d.beat_t_s.empty()) d.duration_s = d.beat_t_s.back();
    if (d.info.contains("summary") && d.info["summary"].is_object() &&
        d.info["summary"].contains("duration_s") && d.info["summary"]["duration_s"].is_number())
        d.duration_s = std::max(d.duration_s, d.info["summary"]["duration_s"].get<double>());
    return d;
}

}  // namespace relaxmon::report
