#pragma once
// docs/validation.md, issue 17: how soon the detector can see a relaxation response on the
// realistic body against how often it fires at rest, over a range of settings: the trade-off the
// evidence allows, and why the detector keeps the setting it has.
#include <filesystem>

namespace relaxmon::validation {

void frontier_section(const std::filesystem::path& data);

}  // namespace relaxmon::validation
