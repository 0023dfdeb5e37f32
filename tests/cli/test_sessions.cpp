// The session library: listing, labels, and recovery of a recording killed mid-line.
#include <signal.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "test_support.hpp"

using namespace relaxmon::test;
namespace fs = std::filesystem;

namespace {
std::vector<std::string> env_argv(const TempDir& tmp, std::vector<std::string> args) {
    std::vector<std::string> argv{"/usr/bin/env", "XDG_DATA_HOME=" + (tmp / "data").string(),
                                  relaxmon_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}
ProcessResult relaxmon_in(const TempDir& tmp, std::vector<std::string> args) {
    return run_process(env_argv(tmp, std::move(args)));
}
fs::path only_session(const TempDir& tmp, const std::string& label) {
    for (const auto& d : fs::directory_iterator(tmp / "data" / "relaxmon" / "sessions"))
        if (d.path().filename().string().find(label) != std::string::npos) return d.path();
    return {};
}
}  // namespace

TEST_CASE("sessions: a recording killed mid-line is repaired, completed and listed",
          "[cli][sessions][crash]") {
    TempDir tmp;
    const pid_t pid =
        spawn_process(env_argv(tmp, {"record", "--source", "sim:artifacts?seed=21", "--duration",
                                     "60m", "--speed", "200", "--label", "killed"}),
                      tmp / "rec.out", tmp / "rec.err");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ::kill(pid, SIGKILL);
    wait_exit(pid);
    const fs::path dir = only_session(tmp, "killed");
    REQUIRE(!dir.empty());
    CHECK(nlohmann::json::parse(read_file(dir / "session.json"))["status"] == "recording");
    // Power lost in the middle of writing a line.
    std::ofstream(dir / "beats.csv", std::ios::app) << "301.25,81";
    const auto lines_before = read_lines(dir / "beats.csv");

    const auto r = relaxmon_in(tmp, {"sessions"});
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Recovered the unfinished session") &&
                          Catch::Contains("killed") && Catch::Contains("recovered"));
    const auto lines = read_lines(dir / "beats.csv");
    REQUIRE(lines.size() == lines_before.size() - 1);  // the torn line, and only it, is gone
    for (std::size_t i = 0; i < lines.size(); ++i) REQUIRE(lines[i] == lines_before[i]);
    const std::string text = read_file(dir / "beats.csv");
    CHECK(text.back() == '\n');
    const auto json = nlohmann::json::parse(read_file(dir / "session.json"));
    CHECK(json["status"] == "recovered");
    CHECK(json["beats"] == lines.size() - 1);
    CHECK(json["torn_lines_cut_bytes"]["beats.csv"] == 9);
    CHECK(json["summary"]["duration_s"].get<double>() > 100.0);
    CHECK_FALSE(fs::exists(dir / "session.lock"));
    // The recovered session replays like any other.
    const auto replay = relaxmon_in(tmp, {"record", "--source", "file:" + dir.string(), "--speed",
                                          "max", "--out", (tmp / "replayed").string()});
    CHECK(replay.status == 0);
    CHECK(read_lines(tmp / "replayed" / "beats.csv").size() == lines.size());
    // A second look finds nothing more to recover.
    CHECK_THAT(relaxmon_in(tmp, {"sessions"}).out,
               !Catch::Contains("Recovered the unfinished session"));
}

TEST_CASE("sessions: a live recording is left alone - labels, newest first, JSON",
          "[cli][sessions]") {
    TempDir tmp;
    CHECK(relaxmon_in(tmp, {"record", "--source", "sim:massage?seed=2", "--duration", "25m",
                            "--speed", "max", "--label", "Anna B."})
              .status == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a later folder name
    const pid_t live =
        spawn_process(env_argv(tmp, {"record", "--source", "sim:rest?seed=2", "--label", "live"}),
                      tmp / "live.out", tmp / "live.err");
    fs::path dir;
    for (int i = 0; i < 100 && dir.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (fs::exists(tmp / "data" / "relaxmon" / "sessions")) dir = only_session(tmp, "live");
    }
    REQUIRE(!dir.empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto r = relaxmon_in(tmp, {"sessions", "--json"});
    ::kill(live, SIGINT);
    CHECK(wait_exit(live) == 0);
    INFO(r.out << r.err);
    REQUIRE(r.status == 0);
    const auto list = nlohmann::json::parse(r.out);
    REQUIRE(list.size() == 2);
    CHECK(list[0]["label"] == "live");
    CHECK(list[0]["status"] == "recording");
    CHECK(list[1]["label"] == "Anna B.");
    CHECK(list[1]["status"] == "complete");
    CHECK(list[1]["duration_s"] == 1500.0);
    CHECK(list[1]["beats"].get<int>() > 1000);
    CHECK(list[1]["relaxation_onset_s"].is_number());
    CHECK(list[1]["time_relaxed_s"].get<double>() > 60.0);
    CHECK(nlohmann::json::parse(read_file(dir / "session.json"))["status"] == "complete");
    CHECK_THAT(relaxmon_in(tmp, {"sessions"}).out,
               Catch::Contains("Anna B.") && Catch::Contains("25:00"));
}

namespace {
fs::perms mode_of(const fs::path& p) {
    return fs::symlink_status(p).permissions() & fs::perms::all;
}
constexpr fs::perms kDirMode = fs::perms::owner_all;
constexpr fs::perms kFileMode = fs::perms::owner_read | fs::perms::owner_write;
// Every file in a session folder 0600 and the folder 0700.
void check_private(const fs::path& dir) {
    INFO(dir.string());
    CHECK(mode_of(dir) == kDirMode);
    std::size_t files = 0;
    for (const auto& f : fs::directory_iterator(dir)) {
        INFO(f.path().filename().string());
        CHECK(mode_of(f.path()) == kFileMode);
        ++files;
    }
    CHECK(files >= 5);
}
}  // namespace

TEST_CASE("sessions: a client's data is private whatever the umask", "[cli][sessions][privacy]") {
    const mode_t old_umask = ::umask(022);  // the default on a shared computer: group/other read
    TempDir tmp;
    // A recording with a label and notes, its report, a replay of it, a recovery.
    const auto rec =
        relaxmon_in(tmp, {"record", "--source", "sim:massage?seed=3", "--duration", "3m", "--speed",
                          "max", "--label", "Maria Sanchez, shoulders and neck"});
    INFO(rec.out << rec.err);
    REQUIRE(rec.status == 0);
    const fs::path root = tmp / "data" / "relaxmon" / "sessions";
    CHECK(mode_of(root) == kDirMode);
    CHECK(mode_of(root.parent_path()) == kDirMode);  // relaxmon made it: private too
    const fs::path dir = only_session(tmp, "Maria");
    REQUIRE(!dir.empty());
    REQUIRE(relaxmon_in(tmp, {"report", dir.string()}).status == 0);
    CHECK(mode_of(dir / "report.html") == kFileMode);
    check_private(dir);
    // A report written elsewhere, to hand over, follows the umask.
    REQUIRE(
        relaxmon_in(tmp, {"report", dir.string(), "-o", (tmp / "handout.html").string()}).status ==
        0);
    CHECK(mode_of(tmp / "handout.html") ==
          (kFileMode | fs::perms::group_read | fs::perms::others_read));
    REQUIRE(relaxmon_in(tmp, {"record", "--source", "file:" + dir.string(), "--speed", "max",
                              "--out", (tmp / "replayed").string()})
                .status == 0);
    check_private(tmp / "replayed");
    const pid_t pid =
        spawn_process(env_argv(tmp, {"record", "--source", "sim:rest?seed=4", "--duration", "60m",
                                     "--speed", "200", "--label", "killed"}),
                      tmp / "rec.out", tmp / "rec.err");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    ::kill(pid, SIGKILL);
    wait_exit(pid);
    CHECK_THAT(relaxmon_in(tmp, {"sessions"}).out,
               Catch::Contains("Recovered the unfinished session"));
    check_private(only_session(tmp, "killed"));

    // Folders an older relaxmon left readable: `sessions` makes them private, saying so once.
    fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir / "session.json",
                    kFileMode | fs::perms::group_read | fs::perms::others_read);
    const auto listed = relaxmon_in(tmp, {"sessions"});
    CHECK_THAT(listed.out, Catch::Contains("Made 2 session folders private"));
    CHECK_THAT(listed.out, Catch::Contains("Maria Sanchez, shoulders and neck"));  // in full
    CHECK(mode_of(root) == kDirMode);
    check_private(dir);
    CHECK_THAT(relaxmon_in(tmp, {"sessions"}).out, !Catch::Contains("Made"));
    ::umask(old_umask);
}
