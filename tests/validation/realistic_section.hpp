#pragma once
// docs/validation.md, issue 17: the detector and the breathing estimate on the realistic simulated
// body (`real=1`) and on real meditation recordings.
#include <filesystem>

namespace relaxmon::validation {

void realistic_section(const std::filesystem::path& data);

}  // namespace relaxmon::validation
