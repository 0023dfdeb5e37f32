#pragma once
// Each test's own X server. `xvfb-run -a` takes the first display without a lock file, so two
// tests starting at once (ctest -j2, or two servers in one test) could pick the same one and one
// of them fails with "Xvfb failed to start" (exit 1, seen on CI). Each call here starts its
// search somewhere else: from the process id and a counter.
#include <unistd.h>
#include <atomic>
#include <string>
#include <vector>

namespace relaxmon::test {

// `xvfb-run -a -n N -s "-screen 0 SCREEN"`, then `command`.
inline std::vector<std::string> under_xvfb(std::vector<std::string> command,
                                           const std::string& screen = "1280x800x24") {
    static std::atomic<int> calls{0};
    const int display = 100 + static_cast<int>(::getpid() % 2000) * 4 + calls++ % 4;
    std::vector<std::string> argv{"xvfb-run",           "-a", "-n", std::to_string(display), "-s",
                                  "-screen 0 " + screen};
    argv.insert(argv.end(), command.begin(), command.end());
    return argv;
}

}  // namespace relaxmon::test
