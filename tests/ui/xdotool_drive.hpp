#pragma once
// The dashboard driven like a person would: a bash script under Xvfb (1280x800) that starts it,
// finds its window and types at it with xdotool.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "xvfb.hpp"

namespace relaxmon::test {

// Runs `script` under Xvfb at 1280x800; $1 is relaxmon, then `args`.
inline ProcessResult drive(const std::string& script, std::vector<std::string> args,
                           const std::map<std::string, std::optional<std::string>>& env) {
    REQUIRE(std::filesystem::exists("/usr/bin/xdotool"));
    std::vector<std::string> argv = under_xvfb({"bash", "-c", script, "drive", relaxmon_binary()});
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env);
}

// Starts the dashboard with "$@" after its first two arguments and waits for its window.
inline const std::string kStart =
    "\"$1\" dashboard \"${@:2}\" & pid=$!\n"
    "win=$(xdotool search --sync --name '^relaxmon$' | head -1)\n";

inline nlohmann::json read_json(const std::filesystem::path& p) {
    return nlohmann::json::parse(read_file(p));
}

}  // namespace relaxmon::test
