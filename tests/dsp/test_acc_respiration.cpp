// AccRespiration against synthetic chest movement with a known breathing rate: gravity seen by a
// strap in an arbitrary orientation, tilted by irregular breaths, plus heartbeat recoil, posture
// drift and sensor noise, in milli-g as the Polar H10 sends it.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "relaxmon/dsp/acc_respiration.hpp"
#include "relaxmon/dsp/breathing_rate.hpp"

using relaxmon::dsp::AccRespiration;

namespace {

struct ChestMotion {
    std::vector<std::array<std::int16_t, 3>> mg;
    double fs_hz = 200.0;
};

// Breathing at `bpm[k]` during segment k (each `segment_s` long), breath lengths jittered by up
// to `jitter` (+-10%: breathing at will; a person following a pacer keeps closer to it).
ChestMotion chest_motion(const std::vector<double>& bpm, double segment_s, std::uint64_t seed,
                         double jitter_fraction = 0.1) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0.0, 4.0);
    std::uniform_real_distribution<double> jitter(1.0 - jitter_fraction, 1.0 + jitter_fraction);
    ChestMotion m;
    const double total_s = segment_s * static_cast<double>(bpm.size());
    const auto n = static_cast<std::size_t>(total_s * m.fs_hz);
    // The strap's orientation: gravity mostly along -y, rotated about x and z.
    const double ax = 0.35, az = -0.5;
    double phase = 0.0, breath_s = 60.0 / bpm[0];
    for (std::size_t i = 0; i < n; ++i) {
        const double t = static_cast<double>(i) / m.fs_hz;
        const double target = 60.0 / bpm[std::min(bpm.size() - 1, std::size_t(t / segment_s))];
        phase += 1.0 / (m.fs_hz * breath_s);
        if (phase >= 1.0) {
            phase -= 1.0;
            breath_s = target * jitter(rng);
        }
        // Inhaling takes 40% of a breath: an asymmetric tilt of up to 0.025 rad.
        const double shape = phase < 0.4
                                 ? 0.5 - 0.5 * std::cos(std::numbers::pi * phase / 0.4)
                                 : 0.5 + 0.5 * std::cos(std::numbers::pi * (phase - 0.4) / 0.6);
        const double tilt = 0.025 * shape + 0.01 * std::sin(2 * std::numbers::pi * t / 300.0);
        // Gravity (1000 mg along -y) tilted about x by `tilt`, then the strap's orientation.
        double gx = 0.0, gy = -1000.0 * std::cos(tilt), gz = 1000.0 * std::sin(tilt);
        const double y1 = gy * std::cos(ax) - gz * std::sin(ax),
                     z1 = gy * std::sin(ax) + gz * std::cos(ax);
        const double x2 = gx * std::cos(az) - y1 * std::sin(az),
                     y2 = gx * std::sin(az) + y1 * std::cos(az);
        const double heart = 6.0 * std::exp(-std::pow(std::fmod(t, 0.85) - 0.1, 2) / 0.0008);
        auto q = [&](double v) { return static_cast<std::int16_t>(std::lround(v + noise(rng))); };
        m.mg.push_back({q(x2 + heart), q(y2), q(z1 + 0.5 * heart)});
    }
    return m;
}

std::vector<AccRespiration::Estimate> run(AccRespiration& r, const ChestMotion& m,
                                          std::size_t block, double t_offset_s = 0.0,
                                          std::size_t skip_from = 0, std::size_t skip_to = 0) {
    std::vector<AccRespiration::Estimate> out;
    for (std::size_t i = 0; i < m.mg.size(); i += block) {
        if (i >= skip_from && i < skip_to) continue;
        const std::size_t k = std::min(block, m.mg.size() - i);
        if (auto e = r.push(t_offset_s + static_cast<double>(i) / m.fs_hz, m.fs_hz,
                            std::span(m.mg).subspan(i, k)))
            out.push_back(*e);
    }
    return out;
}

}  // namespace

TEST_CASE("chest acceleration gives the breathing rate, fast and slow", "[dsp][acc]") {
    const std::vector<double> bpm{14.0, 6.5, 10.0};
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const ChestMotion m = chest_motion(bpm, 180.0, seed);
        AccRespiration r;
        const auto est = run(r, m, 36);  // the H10 sends about 36 samples a frame at 200 Hz
        REQUIRE(est.size() > 90);
        int judged = 0;
        for (const auto& e : est) {
            const auto seg = static_cast<std::size_t>(e.t_s / 180.0);
            // Judge windows lying wholly inside one segment.
            if (e.t_s - 64.0 < static_cast<double>(seg) * 180.0 + 5.0) continue;
            INFO("seed " << seed << " t " << e.t_s);
            CHECK(e.confident);
            CHECK(e.rate_bpm == Approx(bpm[seg]).margin(1.0));
            ++judged;
        }
        CHECK(judged > 60);
    }
}

TEST_CASE("acc breathing: block size does not matter", "[dsp][acc]") {
    const ChestMotion m = chest_motion({12.0}, 120.0, 7);
    AccRespiration a, b;
    const auto ea = run(a, m, 36), eb = run(b, m, 1000);
    REQUIRE(ea.size() == eb.size());
    for (std::size_t i = 0; i < ea.size(); ++i) {
        CHECK(ea[i].t_s == Approx(eb[i].t_s));
        CHECK(ea[i].rate_bpm == Approx(eb[i].rate_bpm));
    }
}

TEST_CASE("acc breathing: a dropout restarts the window, a still strap says nothing",
          "[dsp][acc]") {
    const ChestMotion m = chest_motion({12.0}, 200.0, 3);
    AccRespiration r;
    // Samples 60-90 s missing: no estimate may come before 32 s of new data (plus settling).
    const auto est = run(r, m, 40, 0.0, 60 * 200, 90 * 200);
    for (const auto& e : est) CHECK((e.t_s < 60.0 || e.t_s >= 90.0 + 32.0));
    CHECK(std::any_of(est.begin(), est.end(), [](const auto& e) { return e.t_s > 130.0; }));

    AccRespiration still;
    std::vector<std::array<std::int16_t, 3>> flat(200 * 120, {0, -1000, 0});
    CHECK(run(still, ChestMotion{flat, 200.0}, 50).empty());
    CHECK_FALSE(still.last());
}

TEST_CASE("acc breathing: breaths counted one by one follow a change sooner than the spectrum",
          "[dsp][acc]") {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        const ChestMotion m = chest_motion({14.0, 7.0}, 180.0, seed);
        AccRespiration r;
        std::optional<double> counted_mid_s, spectral_mid_s;
        int judged = 0;
        for (std::size_t i = 0; i < m.mg.size(); i += 36) {
            const double t = static_cast<double>(i) / m.fs_hz;
            r.push(t, m.fs_hz,
                   std::span(m.mg).subspan(i, std::min<std::size_t>(36, m.mg.size() - i)));
            const auto& c = r.counted();
            INFO("seed " << seed << " t " << t);
            // Breath lengths jitter +-10%: the median of a few is within ~1/min.
            if ((t > 80.0 && t < 180.0) || t > 215.0) {
                REQUIRE(c.rate_bpm);
                CHECK(*c.rate_bpm == Approx(t < 180.0 ? 14.0 : 7.0).margin(1.5));
                ++judged;
            }
            if (t > 180.0 && !counted_mid_s && c.rate_bpm && *c.rate_bpm < 10.5) counted_mid_s = t;
            if (t > 180.0 && !spectral_mid_s && r.last() && r.last()->confident &&
                r.last()->rate_bpm < 10.5)
                spectral_mid_s = t;
        }
        CHECK(judged > 1000);
        REQUIRE(counted_mid_s);
        REQUIRE(spectral_mid_s);
        // The last breaths (15 s, more while the new rate is still unsure) against a 64-s
        // window refreshed every 5 s.
        CHECK(*counted_mid_s < 180.0 + 30.0);
        CHECK(*counted_mid_s < *spectral_mid_s - 10.0);
    }
    AccRespiration still;
    std::vector<std::array<std::int16_t, 3>> flat(200 * 120, {0, -1000, 0});
    run(still, ChestMotion{flat, 200.0}, 50);
    CHECK_FALSE(still.counted().rate_bpm);
}

TEST_CASE("acc breathing: 3 to 20 breaths/min read right from the chest, or marked unsure",
          "[dsp][acc]") {
    // A person following a pacer (breaths within +-5% of it); what the dashboard shows as sure
    // from the chest (Pipeline::breathing): the clear spectral peak, or the breath count beside
    // it.
    for (const double bpm : {3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 8.0, 14.0, 20.0}) {
        for (const std::uint64_t seed : {3u, 4u}) {
            const ChestMotion m = chest_motion({bpm}, 480.0, seed, 0.05);
            AccRespiration r;
            std::size_t judged = 0, sure = 0, wrong = 0;
            const std::size_t block = 20;  // 0.1 s
            for (std::size_t i = 0; i + block <= m.mg.size(); i += block) {
                const double t = static_cast<double>(i) / m.fs_hz;
                r.push(t, m.fs_hz, std::span(m.mg).subspan(i, block));
                if (t < 150.0) continue;  // a few slow breaths must be seen first
                ++judged;
                const auto peak = r.last() && r.last()->confident && t - r.last()->t_s < 15.0
                                      ? std::optional<double>(r.last()->rate_bpm)
                                      : std::nullopt;
                if (const auto shown =
                        relaxmon::dsp::sure_chest_breathing_rate_bpm(peak, r.counted())) {
                    ++sure;
                    wrong += std::abs(*shown - bpm) > 0.5;
                }
            }
            INFO(bpm << "/min, seed " << seed << ": sure " << sure << " of " << judged
                     << ", off by > 0.5/min " << wrong);
            CHECK(sure * 2 >= judged);
            CHECK(wrong * 40 <= judged);
        }
    }
}
