// Speed figures for issue 4: R-peak detection on a 30-minute 360 Hz record (MIT-BIH 100), whole
// and in streaming blocks of various sizes.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "relaxmon/devices/formats/ecg_file.hpp"
#include "relaxmon/dsp/qrs_detector.hpp"

using Clock = std::chrono::steady_clock;
using namespace relaxmon;

int main(int argc, char** argv) {
    const std::filesystem::path record =
        argc > 1 ? argv[1] : std::filesystem::path(RELAXMON_SHARED_DATA) / "ecg/mitdb/100.hea";
    if (!std::filesystem::exists(record)) {
        std::printf("bench_qrs: %s is absent, skipped\n", record.c_str());
        return 0;
    }
    const auto sig = devices::formats::read_ecg_file(record);
    const double minutes = static_cast<double>(sig.samples_uv.size()) / sig.fs_hz / 60.0;
    std::printf("QRS detection on %s: %.1f min at %.0f Hz (%zu samples)\n",
                record.filename().c_str(), minutes, sig.fs_hz, sig.samples_uv.size());
    for (std::size_t block : {sig.samples_uv.size(), std::size_t{4096}, std::size_t{130},
                              std::size_t{7}, std::size_t{1}}) {
        std::vector<double> runs;
        std::size_t beats = 0;
        for (int rep = 0; rep < 5; ++rep) {
            const auto t0 = Clock::now();
            dsp::QrsDetector d(sig.fs_hz);
            beats = 0;
            for (std::size_t i = 0; i < sig.samples_uv.size(); i += block)
                beats +=
                    d.push({sig.samples_uv.data() + i, std::min(block, sig.samples_uv.size() - i)})
                        .size();
            beats += d.flush().size();
            runs.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        }
        std::sort(runs.begin(), runs.end());
        const double s = runs[runs.size() / 2];
        std::printf("  blocks of %7zu: %7.1f ms (%6.1f ns/sample, %8.0fx real time; %zu beats)%s\n",
                    block, 1e3 * s, 1e9 * s / double(sig.samples_uv.size()), minutes * 60.0 / s,
                    beats, block == sig.samples_uv.size() ? "  target < 50 ms" : "");
    }
    return 0;
}
