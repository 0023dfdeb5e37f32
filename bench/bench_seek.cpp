// Seeking back in a 3-hour replay (issue 21): the dashboard answers a seek backwards by starting
// the replay again at the target (Session with start_at_s), which runs every beat before it
// through the pipeline at full speed. Timed from the new session's start until its snapshot
// stands at the target, as the dashboard waits for it.
#include <unistd.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "session/session.hpp"

using Clock = std::chrono::steady_clock;
using namespace relaxmon;

int main() {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      ("relaxmon-bench-seek-" + std::to_string(::getpid()));
    {
        session::SessionConfig rec;
        rec.source = "sim:artifacts?seed=7";
        rec.speed = 0.0;
        rec.duration_s = 3 * 3600.0;
        rec.record_dir = dir;
        rec.live_view = false;
        session::Session s(rec);
        s.start();
        s.wait_finished(std::chrono::minutes(5));
    }
    for (const double target_s : {5400.0, 10740.0}) {
        double best_s = 1e9;
        for (int run = 0; run < 3; ++run) {
            session::SessionConfig cfg;
            cfg.source = "file:" + dir.string();
            cfg.speed = 1.0;
            cfg.start_at_s = target_s;
            const auto t0 = Clock::now();
            session::Session s(cfg);
            s.start();
            while (s.snapshot()->t_s < target_s - 5.0 && !s.snapshot()->finished)
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            best_s = std::min(best_s, std::chrono::duration<double>(Clock::now() - t0).count());
            s.stop();
        }
        std::printf(
            "  seek in a 3-hour replay to %.0f min (replays every beat before it): %.3f s "
            "(target <= 0.3 s)\n",
            target_s / 60.0, best_s);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
