#pragma once
// Readers for a session's raw signals, for replay: ecg.csv (`t_s,ecg_uv`) and acc.csv
// (`t_s,x_mg,y_mg,z_mg`), returned as blocks of evenly spaced samples the way a strap sends
// them: a new block after a break in the samples (leads off, a dropout) and every
// `block_samples`. The sampling rate is that of the median spacing. A torn last line (a crash
// while writing it) ends the file; anything else malformed is a FormatError naming file and line.
#include <cstddef>
#include <filesystem>
#include <vector>

#include "relaxmon/devices/measurement.hpp"

namespace relaxmon::devices::formats {

std::vector<EcgBlock> read_session_ecg(const std::filesystem::path& path,
                                       std::size_t block_samples = 73);
std::vector<AccBlock> read_session_acc(const std::filesystem::path& path,
                                       std::size_t block_samples = 36);

}  // namespace relaxmon::devices::formats
