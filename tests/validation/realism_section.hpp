#pragma once
// docs/validation.md, issue 17: statistics of real resting bodies beside the simulated scenarios'.
#include <filesystem>

namespace relaxmon::validation {

void realism_section(const std::filesystem::path& data);

}  // namespace relaxmon::validation
