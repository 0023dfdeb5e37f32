#pragma once
// docs/validation.md, issue 17: the detector and the breathing estimate on the realistic simulated
// body (`real=1`) and on real meditation recordings.
#include <filesystem>
#include <optional>

namespace relaxmon::validation {

// `figures`: where the pictures of the real sessions go (docs/validation/), linked from the text
// by that folder's name; none without it.
void realistic_section(const std::filesystem::path& data,
                       const std::optional<std::filesystem::path>& figures);

}  // namespace relaxmon::validation
