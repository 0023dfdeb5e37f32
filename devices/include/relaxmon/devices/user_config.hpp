#pragma once
// The user's configuration file, $XDG_CONFIG_HOME/relaxmon/config.toml (~/.config/... when
// XDG_CONFIG_HOME is unset). Only what a source needs and must not ship with relaxmon lives
// there, such as the licensed ANT+ network key, and what is the therapist's own, such as the
// dashboard's quick markers:
//     ant_network_key = "0123456789ABCDEF"
//     quick_markers = ["back", "neck", "turned over", "legs"]
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace relaxmon::devices {

std::filesystem::path user_config_path();

// The string value of a top-level key; nullopt when the file or the key is absent. Throws
// std::runtime_error naming file and line when the file is not valid TOML or the value is not a
// string.
std::optional<std::string> user_config_string(const std::string& key);

// The list of strings under a top-level key; nullopt when the file or the key is absent. Throws
// as above, and when the value is not an array of strings.
std::optional<std::vector<std::string>> user_config_strings(const std::string& key);

}  // namespace relaxmon::devices
