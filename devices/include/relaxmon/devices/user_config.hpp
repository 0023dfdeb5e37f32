#pragma once
// The user's configuration file, $XDG_CONFIG_HOME/relaxmon/config.toml (~/.config/... when
// XDG_CONFIG_HOME is unset). Only what a source needs and must not ship with relaxmon lives
// there, such as the licensed ANT+ network key:
//     ant_network_key = "0123456789ABCDEF"
#include <filesystem>
#include <optional>
#include <string>

namespace relaxmon::devices {

std::filesystem::path user_config_path();

// The string value of a top-level key; nullopt when the file or the key is absent. Throws
// std::runtime_error naming file and line when the file is not valid TOML or the value is not a
// string.
std::optional<std::string> user_config_string(const std::string& key);

}  // namespace relaxmon::devices
