#pragma once
// Readers for RR-interval files, recognised by content:
// - RR text: one interval per line, `#` comments and blank lines ignored; seconds or
//   milliseconds decided from the median (below 10 means seconds, as RR never lasts 10 ms);
// - CSV with a header (`,` or `;` separated): our beats.csv (t_s, rr_ms, artifact), the Polar
//   H10 exports, Polar Sensor Logger's `Phone timestamp;RR-interval [ms]`, or any file with the
//   column named by `column`;
// - PhysioNet WFDB beat annotations in MIT format (.atr, .qrs, nsr2db's .ecg ...), with the
//   sampling rate from the record's .hea beside them; intervals between two normal beats are
//   NN, others are flagged `ectopic`.
// Errors are FormatError with one line naming the file, the line (or byte) and the problem.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "relaxmon/dsp/artifact_screen.hpp"

namespace relaxmon::devices::formats {

struct FormatError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A piece of a file quoted in an error: at most `max` characters, anything unprintable as '?',
// so one damaged line (a megabyte of digits, binary noise) still gives one short line.
std::string excerpt(std::string_view text, std::size_t max = 40);

struct RrSeries {
    std::vector<double> t_s;  // time of the beat closing each interval (s from the first beat)
    std::vector<double> rr_ms;
    std::vector<std::uint8_t> follows_gap;  // 1 after a recorded gap or dropout
    std::vector<dsp::ArtifactClass> known;  // classes the file already states
    std::string kind;                       // "rr text", "beats.csv", "csv", "wfdb"
};

RrSeries read_rr_file(const std::filesystem::path& path,
                      const std::optional<std::string>& column = std::nullopt);

// One MIT-format annotation: its sample number and code (1 = N, 5 = V, ...; see ecgcodes.h).
struct Annotation {
    std::int64_t sample;
    int code;
};
std::vector<Annotation> read_mit_annotations(const std::filesystem::path& path);
// Sampling rate from a WFDB header (`name nsig fs[/counter][(base)] ...`).
double read_wfdb_sampling_rate(const std::filesystem::path& hea);

}  // namespace relaxmon::devices::formats
