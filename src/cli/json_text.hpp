#pragma once
// A large JSON object as text, the same bytes as `dump(2)`, with its long arrays (the windows of
// a day's record) written by several threads: a day's JSON is over 100,000 numbers to format.
#include <nlohmann/json.hpp>
#include <string>

namespace relaxmon::cli {

std::string dump_indented(const nlohmann::json& j, unsigned threads);

}  // namespace relaxmon::cli
