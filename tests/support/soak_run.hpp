#pragma once
// A long simulated session recorded at full speed by a `relaxmon record` child, its resident
// memory sampled every millisecond against its progress (the size of beats.csv): shared by the
// soak test (reduced) and bench_soak (the full 8 hours).
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace relaxmon::test {

struct SoakResult {
    int status = -1;
    double seconds = 0.0;
    double rss_at_first_hour_kib = 0.0, peak_after_kib = 0.0;
    double growth_pct() const { return 100.0 * (peak_after_kib / rss_at_first_hour_kib - 1.0); }
};

inline double rss_kib(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6));
    return 0.0;
}

inline SoakResult soak_run(const std::string& binary, const std::string& source, double hours,
                           const std::filesystem::path& out) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string duration = std::to_string(static_cast<int>(hours * 60)) + "m";
    const pid_t pid = ::fork();
    if (pid == 0) {
        std::freopen("/dev/null", "w", stdout);
        ::execl(binary.c_str(), binary.c_str(), "record", "--source", source.c_str(), "--duration",
                duration.c_str(), "--speed", "max", "--out", out.c_str(),
                static_cast<char*>(nullptr));
        _exit(127);
    }
    std::vector<std::pair<std::uintmax_t, double>> samples;  // beats.csv bytes, RSS
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(out / "beats.csv", ec);
        const double rss = rss_kib(pid);
        if (!ec && rss > 0.0) samples.emplace_back(size, rss);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    SoakResult r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::error_code ec;
    const auto total = std::filesystem::file_size(out / "beats.csv", ec);
    for (const auto& [size, rss] : samples) {
        if (static_cast<double>(size) <= static_cast<double>(total) / hours)
            r.rss_at_first_hour_kib = rss;
        else
            r.peak_after_kib = std::max(r.peak_after_kib, rss);
    }
    return r;
}

}  // namespace relaxmon::test
