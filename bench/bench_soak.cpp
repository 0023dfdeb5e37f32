// The soak benchmark: an 8-hour simulated session recorded at full speed, twice with the same
// seed; prints the memory growth after the first hour and whether the files are identical.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "soak_run.hpp"

namespace {
std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

int main() {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("relaxmon-bench-soak-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string source = "sim:artifacts?seed=8";
    const auto a = relaxmon::test::soak_run(RELAXMON_BINARY, source, 8.0, dir / "a");
    const auto b = relaxmon::test::soak_run(RELAXMON_BINARY, source, 8.0, dir / "b");
    bool same = true;
    for (const char* f : {"beats.csv", "metrics.csv", "events.csv", "rr.txt"})
        same = same && slurp(dir / "a" / f) == slurp(dir / "b" / f);
    std::printf(
        "Soak, 8-hour %s session at --speed max: %.2f s; RSS %.0f KiB after the first hour, peak "
        "%.0f KiB after it (growth %+.1f%%, target < 10%%); second run with the same seed: files "
        "%s\n",
        source.c_str(), a.seconds, a.rss_at_first_hour_kib, a.peak_after_kib, a.growth_pct(),
        same ? "identical" : "DIFFERENT");
    std::filesystem::remove_all(dir);
    return a.status == 0 && b.status == 0 && same ? 0 : 1;
}
