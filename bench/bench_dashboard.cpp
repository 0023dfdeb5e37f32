// The dashboard's cost, under Xvfb with Mesa's llvmpipe (software OpenGL, so rendering is CPU
// time too): CPU time per minute of relaxmon alone (the X server started here and excluded)
// showing a live simulated session at real time, and the frame time of the whole-session view
// of a 3-hour recording.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

// Runs relaxmon with `args` on DISPLAY; its own CPU seconds (user + system), and its stdout.
double run_relaxmon(const std::string& display, const std::vector<std::string>& args,
                    const fs::path& out) {
    std::fflush(stdout);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::setenv("DISPLAY", display.c_str(), 1);
        std::freopen(out.c_str(), "w", stdout);
        std::vector<char*> argv{const_cast<char*>(RELAXMON_BINARY)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(RELAXMON_BINARY, argv.data());
        _exit(127);
    }
    int status = 0;
    rusage ru{};
    ::wait4(pid, &status, 0, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

std::string first_line(const fs::path& p) {
    std::FILE* f = std::fopen(p.c_str(), "r");
    if (!f) return {};
    char buf[256] = {};
    if (!std::fgets(buf, sizeof buf, f)) buf[0] = 0;
    std::fclose(f);
    std::string s = buf;
    if (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

}  // namespace

int main() {
    const fs::path dir =
        fs::temp_directory_path() / ("relaxmon-bench-ui-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string display = ":" + std::to_string(90 + ::getpid() % 100);
    std::fflush(stdout);
    const pid_t xvfb = ::fork();
    if (xvfb == 0) {
        std::freopen("/dev/null", "w", stderr);
        ::execlp("Xvfb", "Xvfb", display.c_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp",
                 static_cast<char*>(nullptr));
        _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    ::setenv("XDG_DATA_HOME", (dir / "data").c_str(), 1);

    const double minute = 30.0;
    const double cpu = run_relaxmon(
        display,
        {"dashboard", "--source", "sim:massage?seed=7", "--quit-after", std::to_string(minute)},
        dir / "live.out");
    std::printf(
        "Dashboard, live simulated session at 1x under Xvfb/llvmpipe (pacer off, "
        "no window manager): %.2f s CPU per minute of relaxmon = %.1f%% of one core (target < 5%%; "
        "X server excluded)\n",
        cpu * 60.0 / minute, 100.0 * cpu / minute);

    const double cpu_pacer = run_relaxmon(display,
                                          {"dashboard", "--source", "sim:massage?seed=7", "--pacer",
                                           "6", "--quit-after", std::to_string(minute)},
                                          dir / "pacer.out");
    std::printf(
        "Dashboard, the same with the breathing pacer animating (12 frames/s, between whole "
        "frames the pacer's rectangle alone): %.1f%% of one core (target <= 5%%; 20.2%% when "
        "every frame was whole)\n",
        100.0 * cpu_pacer / minute);

    std::system((std::string(RELAXMON_BINARY) +
                 " record --source 'sim:artifacts?seed=7' "
                 "--duration 3h --speed max --out " +
                 (dir / "s3").string() + " >/dev/null")
                    .c_str());
    run_relaxmon(display,
                 {"dashboard", "--source", "file:" + (dir / "s3").string(), "--speed", "max",
                  "--view", "session", "--frame-stats", "--quit-after", "8"},
                 dir / "frames.out");
    std::printf("Dashboard, whole-session view of a 3-hour recording (replayed): %s\n",
                first_line(dir / "frames.out").c_str());
    ::kill(xvfb, SIGTERM);
    ::waitpid(xvfb, nullptr, 0);
    fs::remove_all(dir);
    return 0;
}
