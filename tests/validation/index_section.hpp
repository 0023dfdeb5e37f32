#pragma once
// docs/validation.md, issue 17 point 4: the relax index's spread once a relaxation has set in,
// whether a deeper relaxation reads higher, and how close it comes to its ceiling.
#include <filesystem>

namespace relaxmon::validation {

void index_section(const std::filesystem::path& data);

}  // namespace relaxmon::validation
