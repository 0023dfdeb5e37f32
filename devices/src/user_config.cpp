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

namespace {
// The file's table; nullopt when there is no file.
std::optional<toml::table> read_config(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    try {
        return toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(
            fmt::format("{}:{}: {}", path.string(), e.source().begin.line, e.description()));
    }
}
}  // namespace

std::optional<std::string> user_config_string(const std::string& key) {
    const auto path = user_config_path();
    auto table = read_config(path);
    if (!table) return std::nullopt;
    const auto node = (*table)[key];
    if (!node) return std::nullopt;
    if (const auto* s = node.as_string()) return s->get();
    throw std::runtime_error(fmt::format("{}:{}: {} must be a string in quotes", path.string(),
                                         node.node()->source().begin.line, key));
}

std::optional<std::vector<std::string>> user_config_strings(const std::string& key) {
    const auto path = user_config_path();
    auto table = read_config(path);
    if (!table) return std::nullopt;
    const auto node = (*table)[key];
    if (!node) return std::nullopt;
    const auto wrong = [&] {
        return std::runtime_error(
            fmt::format("{}:{}: {} must be a list of strings in quotes, "
                        "e.g. [\"back\", \"neck\"]",
                        path.string(), node.node()->source().begin.line, key));
    };
    const auto* array = node.as_array();
    if (!array) throw wrong();
    std::vector<std::string> out;
    for (const auto& item : *array) {
        const auto* s = item.as_string();
        if (!s) throw wrong();
        out.push_back(s->get());
    }
    return out;
}

}  // namespace relaxmon::devices
