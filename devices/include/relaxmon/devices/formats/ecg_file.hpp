#pragma once
// Readers for raw ECG: PhysioNet WFDB records (`.hea` header with one line per signal: file,
// format 212 or 16, gain, baseline, ...) and CSV/text with a column of samples. Samples come out
// in microvolts. Errors are FormatError naming file and position.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "relaxmon/devices/formats/rr_file.hpp"

namespace relaxmon::devices::formats {

struct EcgSignal {
    double fs_hz = 0.0;
    std::vector<float> samples_uv;
    std::string lead;  // signal description, or the CSV column
};

struct EcgReadOptions {
    std::optional<double> fs_hz;        // required for CSV without a time column
    std::optional<std::string> column;  // CSV column (default: the first that looks like ECG)
    int channel = 0;                    // WFDB signal number
};

// `path` is a `.hea`, a `.dat` (its `.hea` beside it), or a CSV/text file.
EcgSignal read_ecg_file(const std::filesystem::path& path, const EcgReadOptions& o = {});

}  // namespace relaxmon::devices::formats
