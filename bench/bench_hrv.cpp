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
#include "relaxmon/dsp/sliding_hrv.hpp"

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

    // Streaming: every beat of the record through SlidingHrv (60-s time domain each beat, 5-min
    // spectrum every 5 s), timing each push; the pushes that refreshed the spectrum separately.
    dsp::SlidingHrv live;
    std::vector<double> beat_us, refresh_us;
    beat_us.reserve(nn.rr_ms.size());
    for (std::size_t i = 0; i < nn.rr_ms.size(); ++i) {
        const auto b0 = Clock::now();
        const bool refreshed = live.push(nn.t_s[i], nn.rr_ms[i], nn.follows_gap[i] != 0);
        const double us = 1e6 * since(b0);
        (refreshed ? refresh_us : beat_us).push_back(us);
    }
    auto median = [](std::vector<double> v) {
        std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    auto p99 = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() * 99 / 100];
    };
    std::printf(
        "  streaming: per-beat update median %.2f us (p99 %.2f us, target < 50 us); spectrum "
        "refresh median %.3f ms (p99 %.3f ms, target < 2 ms; %zu refreshes)\n",
        median(beat_us), p99(beat_us), median(refresh_us) / 1e3, p99(refresh_us) / 1e3,
        refresh_us.size());
    return 0;
}
