// Speed figures for issue 3: a 24-hour record (nsr2db nsr001, ~100k beats) analysed whole and in
// 5-minute windows every 30 s; the per-beat streaming update and the spectrum refresh.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/dsp/artifact_correction.hpp"
#include "relaxmon/dsp/hrv_analysis.hpp"

using Clock = std::chrono::steady_clock;
using namespace relaxmon;

namespace {
double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path record =
        argc > 1 ? argv[1] : std::filesystem::path(RELAXMON_SHARED_DATA) / "rr/nsr2db/nsr001.ecg";
    if (!std::filesystem::exists(record)) {
        std::printf("bench_hrv: %s is absent, skipped\n", record.c_str());
        return 0;
    }
    auto t0 = Clock::now();
    const auto s = devices::formats::read_rr_file(record);
    const double t_read = since(t0);
    t0 = Clock::now();
    const auto cls = dsp::detect_artifacts_auto(s.rr_ms);
    const double t_detect = since(t0);
    t0 = Clock::now();
    const auto nn = dsp::correct_artifacts(s.t_s, s.rr_ms, cls, s.follows_gap);
    const double t_correct = since(t0);

    dsp::HrvOptions opts;
    t0 = Clock::now();
    dsp::HrvOptions time_only = opts;
    time_only.with_frequency = time_only.with_nonlinear = false;
    const auto whole_time = dsp::compute_hrv(nn.t_s, nn.rr_ms, nn.follows_gap, time_only);
    const double t_whole_time = since(t0);
    t0 = Clock::now();
    const auto whole_freq = dsp::hrv_frequency(nn.t_s, nn.rr_ms, opts.frequency);
    const double t_whole_freq = since(t0);
    t0 = Clock::now();
    const auto se = dsp::sample_entropy(nn.rr_ms);
    const double t_whole_sampen = since(t0);
    t0 = Clock::now();
    const auto a1 = dsp::dfa_alpha(nn.rr_ms, opts.dfa1);
    const auto a2 = dsp::dfa_alpha(nn.rr_ms, opts.dfa2);
    const double t_whole_dfa = since(t0);

    t0 = Clock::now();
    std::size_t windows = 0;
    double checksum = 0.0;
    for (double start = 0.0; start + 300.0 <= nn.t_s.back(); start += 30.0, ++windows) {
        const auto lo = std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start) - nn.t_s.begin();
        const auto hi =
            std::upper_bound(nn.t_s.begin(), nn.t_s.end(), start + 300.0) - nn.t_s.begin();
        const auto n = static_cast<std::size_t>(hi - lo);
        const auto m = dsp::compute_hrv({nn.t_s.data() + lo, n}, {nn.rr_ms.data() + lo, n},
                                        {nn.follows_gap.data() + lo, n}, opts);
        if (m.frequency) checksum += m.frequency->hf_ms2;
    }
    const double t_windows = since(t0);
    const double total = t_read + t_detect + t_correct + t_whole_time + t_whole_freq +
                         t_whole_sampen + t_whole_dfa + t_windows;
    std::printf("HRV of %s: %zu beats, %zu windows of 300 s every 30 s\n",
                record.filename().c_str(), s.rr_ms.size(), windows);
    std::printf(
        "  read %.3f s, artifacts %.3f + %.3f s, whole record: time %.3f s, spectrum %.3f s, "
        "sampen %.3f s, dfa %.3f s; windows %.3f s (%.2f ms each)\n",
        t_read, t_detect, t_correct, t_whole_time, t_whole_freq, t_whole_sampen, t_whole_dfa,
        t_windows, 1e3 * t_windows / windows);
    std::printf("  total %.3f s (target < 1 s)  [checksum %.1f %d %d %d %d]\n", total, checksum,
                whole_time.time.has_value(), whole_freq.has_value(), se.has_value(),
                a1.has_value() && a2.has_value());
    return 0;
}
