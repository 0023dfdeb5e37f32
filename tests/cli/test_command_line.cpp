// The command line as a user meets it: exit statuses and one clear line on stderr.
#include <catch2/catch.hpp>
#include <fstream>

#include "test_support.hpp"

using namespace relaxmon::test;

namespace {
int lines(const std::string& s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

ProcessResult run_relaxmon(std::vector<std::string> args,
                           const std::map<std::string, std::optional<std::string>>& env = {}) {
    args.insert(args.begin(), relaxmon_binary());
    return run_process(args, env);
}
}  // namespace

TEST_CASE("version and help", "[cli]") {
    const auto v = run_relaxmon({"--version"});
    CHECK(v.status == 0);
    CHECK_THAT(v.out, Catch::StartsWith("relaxmon "));
    const auto h = run_relaxmon({"--help"});
    CHECK(h.status == 0);
    CHECK_THAT(h.out, Catch::Contains("record") && Catch::Contains("dashboard"));
}

TEST_CASE("usage errors exit 2 with one line", "[cli]") {
    TempDir tmp;
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"record", "--duration", "1m"}, "--source is required"},
        {{"record", "--source", "sim", "--duration", "20"}, "bad --duration '20'"},
        {{"record", "--source", "polar", "--duration", "1m"}, "unknown source 'polar'"},
        {{"record", "--source", "sim:nap", "--duration", "1m"}, "unknown scenario 'nap'"},
        {{"record", "--source", "sim", "--speed", "0", "--duration", "1m"}, "bad speed '0'"},
        {{"record", "--source", "sim", "--speed", "max"}, "needs a --duration"},
        {{"frobnicate"}, "frobnicate"},
    };
    for (const auto& [args, message] : cases) {
        auto a = args;
        a.push_back("--out");
        a.push_back((tmp / "never").string());
        if (args[0] == "frobnicate") a = args;
        const auto r = run_relaxmon(a);
        INFO(r.err);
        CHECK(r.status == 2);
        CHECK(lines(r.err) == 1);
        CHECK_THAT(r.err, Catch::StartsWith("relaxmon: ") && Catch::Contains(message));
        CHECK_FALSE(std::filesystem::exists(tmp / "never"));  // nothing half-written
    }
}

TEST_CASE("failures exit 1 with one line naming the culprit", "[cli]") {
    TempDir tmp;
    std::ofstream(tmp / "taken.txt") << "x";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
        {{"record", "--source", "sim", "--duration", "1m", "--out", "/proc/relaxmon-x"},
         "cannot create directory /proc/relaxmon-x"},
        {{"record", "--source", "sim", "--duration", "1m", "--out", tmp.path().string()},
         "is not empty"},
        {{"record", "--source", "serial:/dev/relaxmon-none?protocol=rr", "--duration", "1m",
          "--out", (tmp / "b").string()},
         "serial port /dev/relaxmon-none does not exist"},
    };
    for (const auto& [args, message] : cases) {
        const auto r = run_relaxmon(args);
        INFO(r.err);
        CHECK(r.status == 1);
        CHECK(lines(r.err) == 1);
        CHECK_THAT(r.err, Catch::StartsWith("relaxmon: ") && Catch::Contains(message));
    }
}

TEST_CASE("without a display the dashboard says what to do instead", "[cli][ui]") {
    const auto r = run_relaxmon({}, {{"DISPLAY", std::nullopt}, {"WAYLAND_DISPLAY", std::nullopt}});
    CHECK(r.status == 1);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::Contains("no display") && Catch::Contains("relaxmon record") &&
                          Catch::Contains("xvfb-run"));
}

TEST_CASE("the dashboard's options work without the word dashboard", "[cli][ui]") {
    const std::map<std::string, std::optional<std::string>> no_display{
        {"DISPLAY", std::nullopt}, {"WAYLAND_DISPLAY", std::nullopt}};
    // `relaxmon --source ...` is `relaxmon dashboard --source ...`: here it reaches the
    // dashboard, which has no display to open.
    const auto r = run_relaxmon({"--source", "sim:rest?seed=2", "--speed", "10"}, no_display);
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("cannot open the dashboard"));
    // A dashboard option that is wrong is a usage error of the dashboard, as with the word.
    const auto bad = run_relaxmon({"--speed"}, no_display);
    CHECK(bad.status == 2);
    // --help and --version stay the program's own.
    CHECK_THAT(run_relaxmon({"--help"}).out, Catch::Contains("Subcommands:"));
    CHECK_THAT(run_relaxmon({"--version"}).out, Catch::StartsWith("relaxmon "));
}
