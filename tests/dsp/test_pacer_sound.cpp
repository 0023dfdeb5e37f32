// PacerSound measured from its samples as a listener would follow it: the loudness envelope's
// silent points start each cycle, its loudest point ends breathing in.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "relaxmon/dsp/pacer_sound.hpp"
#include "sound_envelope.hpp"

using relaxmon::dsp::PacerSound;

TEST_CASE("pacer sound: the cycle and the in:out split, at any rate", "[dsp][pacer][audio]") {
    for (const auto& [bpm, inhale] : {std::pair{6.0, 1.0 / 3.0}, std::pair{4.0, 1.0 / 3.0},
                                      std::pair{10.0, 0.5}, std::pair{15.0, 0.4}}) {
        INFO(bpm << "/min, breathing in " << inhale << " of a cycle");
        PacerSound::Params p;
        p.rate_bpm = bpm;
        p.inhale_fraction = inhale;
        PacerSound sound(p);
        std::vector<float> samples(static_cast<std::size_t>(p.sample_rate_hz * 120.0));
        sound.render(samples);
        const auto m = relaxmon::test::measure_breaths(samples, p.sample_rate_hz);
        REQUIRE(m.cycles_s.size() >= 5);
        for (double c : m.cycles_s) CHECK(c == Approx(60.0 / bpm).margin(0.1));
        for (double i : m.inhales_s) CHECK(i == Approx(inhale * 60.0 / bpm).margin(0.1));
        // Quiet: never clipped, a soft tone at half volume.
        float peak = 0.0f;
        for (float s : samples) peak = std::max(peak, std::abs(s));
        CHECK(peak < 0.5f);
        CHECK(peak > 0.2f);
    }
}

TEST_CASE("pacer sound: a new rate waits for the breath to end, and the chime rings",
          "[dsp][pacer]") {
    PacerSound::Params p;
    PacerSound sound(p);
    std::vector<float> a(static_cast<std::size_t>(p.sample_rate_hz * 15.0));
    sound.render(a);  // 1.5 breaths at 6/min
    p.rate_bpm = 12.0;
    sound.set_params(p);
    std::vector<float> b(static_cast<std::size_t>(p.sample_rate_hz * 65.0));
    sound.render(b);
    std::vector<float> all(a);
    all.insert(all.end(), b.begin(), b.end());
    const auto m = relaxmon::test::measure_breaths(all, p.sample_rate_hz);
    REQUIRE(m.cycles_s.size() >= 8);
    // The breath under way ends at 6/min (silence to silence), the next ones are at 12/min.
    CHECK(m.starts_s[1] - m.starts_s[0] == Approx(10.0).margin(0.2));
    for (std::size_t k = 1; k < m.cycles_s.size(); ++k)
        CHECK(m.cycles_s[k] == Approx(5.0).margin(0.1));
    // Turned on again mid-breath: silent until the next breath begins.
    p.breathing = false;
    sound.set_params(p);
    std::vector<float> off(static_cast<std::size_t>(p.sample_rate_hz * 2.5));
    sound.render(off);  // half a breath at 12/min
    p.breathing = true;
    sound.set_params(p);
    std::vector<float> rest(static_cast<std::size_t>(p.sample_rate_hz * 2.4));
    sound.render(rest);
    double early = 0.0;
    for (float s : rest) early += s * s;
    CHECK(early == 0.0);
    // Off: silence, but a chime still sounds.
    p.breathing = false;
    sound.set_params(p);
    std::vector<float> quiet(22050);
    sound.render(quiet);
    double energy = 0.0;
    for (float s : quiet) energy += s * s;
    CHECK(energy == 0.0);
    sound.chime();
    sound.render(quiet);
    energy = 0.0;
    for (float s : quiet) energy += s * s;
    CHECK(energy > 100.0);
}
