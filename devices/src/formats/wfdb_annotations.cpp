// PhysioNet MIT annotation format (WFDB Programmer's Guide, "annot(5)"): a stream of 16-bit
// little-endian words, annotation code in the top 6 bits and the sample interval in the low 10.
// Code 59 (SKIP) is followed by a 32-bit interval in PDP-11 order (high word first); 60-62 (NUM,
// SUB, CHN) set fields of the current annotation; 63 (AUX) carries a byte string of the length
// in its low bits, padded to an even size. A zero word ends the file.
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "relaxmon/devices/formats/rr_file.hpp"

namespace relaxmon::devices::formats {

namespace {
constexpr int kSkip = 59, kNum = 60, kSub = 61, kChn = 62, kAux = 63;
constexpr int kMaxAnnotationCode = 49;  // ACMAX in ecgcodes.h
}  // namespace

std::vector<Annotation> read_mit_annotations(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw FormatError(fmt::format("{}: cannot open", path.string()));
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                           std::istreambuf_iterator<char>());
    std::vector<Annotation> out;
    std::int64_t sample = 0;
    std::size_t pos = 0;
    auto word_at = [&](std::size_t p) {
        return static_cast<unsigned>(bytes[p] | (bytes[p + 1] << 8));
    };
    while (pos + 1 < bytes.size()) {
        const unsigned w = word_at(pos);
        const int code = static_cast<int>(w >> 10);
        const unsigned low = w & 0x3ff;
        if (w == 0) return out;  // end of annotations
        if (code == kSkip) {
            if (pos + 6 > bytes.size())
                throw FormatError(
                    fmt::format("{}: byte {}: truncated SKIP annotation", path.string(), pos));
            const std::int64_t hi = word_at(pos + 2), lo = word_at(pos + 4);
            std::int64_t interval = (hi << 16) | lo;
            if (interval & 0x80000000LL) interval -= 0x100000000LL;  // signed 32-bit
            sample += interval;
            pos += 6;
        } else if (code == kNum || code == kSub || code == kChn) {
            pos += 2;
        } else if (code == kAux) {
            pos += 2 + low + (low & 1);
        } else if (code >= 1 && code <= kMaxAnnotationCode) {
            sample += low;
            out.push_back({sample, code});
            pos += 2;
        } else if (code == 0) {
            sample += low;  // a pure time step (code 0 with a nonzero interval)
            pos += 2;
        } else {
            throw FormatError(
                fmt::format("{}: byte {}: annotation code {} is not valid (not an "
                            "MIT-format annotation file?)",
                            path.string(), pos, code));
        }
    }
    if (pos != bytes.size())
        throw FormatError(
            fmt::format("{}: byte {}: file ends inside an annotation", path.string(), pos));
    return out;
}

double read_wfdb_sampling_rate(const std::filesystem::path& hea) {
    std::ifstream in(hea);
    if (!in) throw FormatError(fmt::format("{}: cannot open the record header", hea.string()));
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name, fs_text;
        int nsig = 0;
        if (!(fields >> name >> nsig >> fs_text))
            throw FormatError(
                fmt::format("{}:{}: record line without a sampling rate", hea.string(), line_no));
        try {
            const double fs = std::stod(fs_text);  // stops at '/' or '('
            if (fs > 0) return fs;
        } catch (const std::exception&) {
        }
        throw FormatError(fmt::format("{}:{}: sampling rate '{}' is not a positive number",
                                      hea.string(), line_no, excerpt(fs_text)));
    }
    throw FormatError(fmt::format("{}: no record line", hea.string()));
}

}  // namespace relaxmon::devices::formats
