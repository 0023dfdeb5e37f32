#include "relaxmon/devices/user_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <cstdlib>
#include <stdexcept>

namespace relaxmon::devices {

std::filesystem::path user_config_path() {
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
        return std::filesystem::path(x) / "relaxmon" / "config.toml";
    const char* home = std::getenv("HOME");
    return std::filesystem::path(home ? home : ".") / ".config" / "relaxmon" / "config.toml";
}

std::optional<std::string> user_config_string(const std::string& key) {
    const auto path = user_config_path();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    toml::table table;
    try {
        table = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(
            fmt::format("{}:{}: {}", path.string(), e.source().begin.line, e.description()));
    }
    const auto node = table[key];
    if (!node) return std::nullopt;
    if (const auto* s = node.as_string()) return s->get();
    throw std::runtime_error(fmt::format("{}:{}: {} must be a string in quotes", path.string(),
                                         node.node()->source().begin.line, key));
}

}  // namespace relaxmon::devices
