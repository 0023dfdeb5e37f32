// WFDB signal formats (WFDB Programmer's Guide, signal(5)): format 16 stores each sample as a
// 16-bit little-endian two's complement integer; format 212 packs two 12-bit samples in three
// bytes (the first sample in byte 0 and the low nibble of byte 1, the second in byte 2 and the
// high nibble of byte 1). Samples of all signals are interleaved. Physical value =
// (adc - baseline) / gain, gain in ADC units per mV (default 200), baseline defaulting to the
// ADC zero.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

#include "relaxmon/devices/formats/ecg_file.hpp"

namespace relaxmon::devices::formats {

namespace fs = std::filesystem;

namespace {

struct SignalSpec {
    std::string file;
    int format = 0;
    double gain = 200.0;
    double baseline = 0.0;
    std::string description;
};

struct Header {
    double fs = 250.0;
    long samples = -1;
    std::vector<SignalSpec> signals;
};

Header read_header(const fs::path& hea) {
    std::ifstream in(hea);
    if (!in) throw FormatError(fmt::format("{}: cannot open", hea.string()));
    Header h;
    std::string line;
    int line_no = 0, nsig = -1;
    while (std::getline(in, line)) {
        ++line_no;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::istringstream f(line);
        if (nsig < 0) {
            std::string name, fs_text;
            if (!(f >> name >> nsig))
                throw FormatError(fmt::format("{}:{}: record line without a signal count",
                                              hea.string(), line_no));
            if (f >> fs_text) {
                try {
                    h.fs = std::stod(fs_text);
                } catch (const std::exception&) {
                    throw FormatError(fmt::format("{}:{}: sampling rate '{}' is not a number",
                                                  hea.string(), line_no, excerpt(fs_text)));
                }
            }
            f >> h.samples;
            continue;
        }
        SignalSpec s;
        std::string format_text, gain_text;
        if (!(f >> s.file >> format_text))
            throw FormatError(
                fmt::format("{}:{}: signal line without file and format", hea.string(), line_no));
        try {
            s.format = std::stoi(format_text);  // stops at 'x' (skew) or ':' (offset)
        } catch (const std::exception&) {
            throw FormatError(fmt::format("{}:{}: format '{}' is not a number", hea.string(),
                                          line_no, excerpt(format_text)));
        }
        double adc_zero = 0.0;
        bool has_baseline = false;
        if (f >> gain_text) {
            // gain[(baseline)][/units]
            const auto paren = gain_text.find('(');
            try {
                s.gain = std::stod(gain_text);
                if (paren != std::string::npos) {
                    s.baseline = std::stod(gain_text.substr(paren + 1));
                    has_baseline = true;
                }
            } catch (const std::exception&) {
                throw FormatError(fmt::format("{}:{}: gain '{}' is not a number", hea.string(),
                                              line_no, excerpt(gain_text)));
            }
            if (s.gain == 0.0) s.gain = 200.0;  // WFDB: 0 means uncalibrated, default gain
            int adc_res = 0;
            if (f >> adc_res) f >> adc_zero;
        }
        if (!has_baseline) s.baseline = adc_zero;
        double init = 0;
        long checksum = 0, block = 0;
        f >> init >> checksum >> block;
        std::getline(f, s.description);
        s.description.erase(0, s.description.find_first_not_of(' '));
        h.signals.push_back(s);
    }
    if (nsig < 0) throw FormatError(fmt::format("{}: no record line", hea.string()));
    if (static_cast<int>(h.signals.size()) != nsig)
        throw FormatError(fmt::format("{}: says {} signals but describes {}", hea.string(), nsig,
                                      h.signals.size()));
    return h;
}

EcgSignal read_wfdb(const fs::path& hea, int channel) {
    const Header h = read_header(hea);
    if (channel < 0 || channel >= static_cast<int>(h.signals.size()))
        throw FormatError(fmt::format("{}: no signal {} (the record has {})", hea.string(), channel,
                                      h.signals.size()));
    const SignalSpec& sig = h.signals[static_cast<std::size_t>(channel)];
    // Signals in the same file are interleaved; find this one's place among them.
    int frame = 0, index = 0;
    for (int i = 0; i < static_cast<int>(h.signals.size()); ++i) {
        if (h.signals[static_cast<std::size_t>(i)].file != sig.file) continue;
        if (h.signals[static_cast<std::size_t>(i)].format != sig.format)
            throw FormatError(fmt::format("{}: signals of {} mix formats", hea.string(), sig.file));
        if (i == channel) index = frame;
        ++frame;
    }
    if (sig.format != 212 && sig.format != 16)
        throw FormatError(
            fmt::format("{}: signal {} has format {}; formats 212 and 16 are supported",
                        hea.string(), channel, sig.format));
    const fs::path dat = hea.parent_path() / sig.file;
    std::ifstream in(dat, std::ios::binary);
    if (!in)
        throw FormatError(
            fmt::format("{}: cannot open the signal file named in {}", dat.string(), hea.string()));
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                           std::istreambuf_iterator<char>());

    std::vector<int> values;  // all samples of this file, interleaved
    if (sig.format == 16) {
        if (bytes.size() % 2)
            throw FormatError(fmt::format("{}: byte {}: odd length for format 16", dat.string(),
                                          bytes.size() - 1));
        values.reserve(bytes.size() / 2);
        for (std::size_t i = 0; i + 1 < bytes.size(); i += 2)
            values.push_back(static_cast<std::int16_t>(bytes[i] | (bytes[i + 1] << 8)));
    } else {
        values.reserve(bytes.size() / 3 * 2);
        std::size_t i = 0;
        for (; i + 2 < bytes.size(); i += 3) {
            int a = bytes[i] | ((bytes[i + 1] & 0x0f) << 8);
            int b = bytes[i + 2] | ((bytes[i + 1] & 0xf0) << 4);
            if (a & 0x800) a -= 0x1000;
            if (b & 0x800) b -= 0x1000;
            values.push_back(a);
            values.push_back(b);
        }
        if (i != bytes.size())
            throw FormatError(
                fmt::format("{}: byte {}: file ends inside a 3-byte sample pair", dat.string(), i));
    }
    const long frames = static_cast<long>(values.size()) / frame;
    if (h.samples >= 0 && frames < h.samples)
        throw FormatError(fmt::format("{}: header says {} samples per signal but {} holds {}",
                                      hea.string(), h.samples, dat.filename().string(), frames));
    const long used = h.samples >= 0 ? h.samples : frames;
    EcgSignal out;
    out.fs_hz = h.fs;
    out.lead = sig.description;
    out.samples_uv.reserve(static_cast<std::size_t>(used));
    for (long k = 0; k < used; ++k) {
        const int adc = values[static_cast<std::size_t>(k * frame + index)];
        out.samples_uv.push_back(static_cast<float>((adc - sig.baseline) / sig.gain * 1000.0));
    }
    return out;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out(1);
    for (char c : line) {
        if (c == sep)
            out.emplace_back();
        else if (c != '"' && c != '\r')
            out.back() += c;
    }
    for (auto& f : out) {
        f.erase(0, f.find_first_not_of(" \t"));
        f.erase(f.find_last_not_of(" \t") + 1);
    }
    return out;
}

EcgSignal read_csv(const fs::path& path, const EcgReadOptions& o) {
    std::ifstream in(path);
    if (!in) throw FormatError(fmt::format("{}: cannot open", path.string()));
    std::string line;
    int line_no = 0;
    std::vector<std::string> header;
    char sep = ',';
    std::size_t col = 0;
    std::optional<std::size_t> time_col;
    double scale = 1.0;  // to microvolts
    EcgSignal out;
    std::vector<double> times;
    bool first = true;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        if (first) {
            first = false;
            sep = std::count(line.begin(), line.end(), ';') >
                          std::count(line.begin(), line.end(), ',')
                      ? ';'
                      : ',';
            const bool has_header = std::any_of(line.begin(), line.end(), [](unsigned char c) {
                return std::isalpha(c) && c != 'e' && c != 'E';
            });
            if (has_header) {
                header = split(line, sep);
                std::optional<std::size_t> found;
                for (std::size_t i = 0; i < header.size(); ++i) {
                    const std::string h = lower(header[i]);
                    if (o.column ? header[i] == *o.column
                                 : (!found && h.find("ecg") != std::string::npos))
                        found = i;
                    if (h == "time_ns" || h == "t_s" || h == "time_s") time_col = i;
                }
                if (!found && !o.column)
                    found = time_col && *time_col == 0 && header.size() > 1 ? 1 : 0;
                if (!found) {
                    std::string names;
                    for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
                    throw FormatError(fmt::format("{}:{}: no column named '{}'; columns are: {}",
                                                  path.string(), line_no, excerpt(*o.column),
                                                  excerpt(names, 160)));
                }
                col = *found;
                const std::string h = lower(header[col]);
                if (h.find("mv") != std::string::npos)
                    scale = 1000.0;
                else if (h.find("uv") != std::string::npos || h.find("µv") != std::string::npos)
                    scale = 1.0;
                out.lead = header[col];
                continue;
            }
        }
        const auto f = split(line, sep);
        if (col >= f.size())
            throw FormatError(fmt::format("{}:{}: {} fields, expected column {}", path.string(),
                                          line_no, f.size(), col + 1));
        double v = 0.0;
        const auto [end, ec] = std::from_chars(f[col].data(), f[col].data() + f[col].size(), v);
        if (f[col].empty() || ec != std::errc() || end != f[col].data() + f[col].size() ||
            !std::isfinite(v))
            throw FormatError(fmt::format("{}:{}: '{}' is not a number", path.string(), line_no,
                                          excerpt(f[col])));
        out.samples_uv.push_back(static_cast<float>(v * scale));
        if (time_col && *time_col < f.size()) {
            double t = 0.0;
            std::from_chars(f[*time_col].data(), f[*time_col].data() + f[*time_col].size(), t);
            times.push_back(lower(header[*time_col]) == "time_ns" ? t / 1e9 : t);
        }
    }
    if (o.fs_hz) {
        out.fs_hz = *o.fs_hz;
    } else if (times.size() >= 2 && times.back() > times.front()) {
        out.fs_hz = static_cast<double>(times.size() - 1) / (times.back() - times.front());
    } else {
        throw FormatError(fmt::format("{}: no sampling rate: give --fs (or a time_ns/t_s column)",
                                      path.string()));
    }
    return out;
}

}  // namespace

EcgSignal read_ecg_file(const fs::path& path, const EcgReadOptions& o) {
    const std::string ext = lower(path.extension().string());
    if (ext == ".hea") return read_wfdb(path, o.channel);
    if (ext == ".dat") {
        fs::path hea = path;
        hea.replace_extension(".hea");
        if (!fs::exists(hea))
            throw FormatError(
                fmt::format("{}: no header {} beside it", path.string(), hea.filename().string()));
        return read_wfdb(hea, o.channel);
    }
    fs::path hea = path;
    hea += ".hea";  // `relaxmon peaks 100` names the record
    if (!fs::exists(path) && fs::exists(hea)) return read_wfdb(hea, o.channel);
    return read_csv(path, o);
}

}  // namespace relaxmon::devices::formats
