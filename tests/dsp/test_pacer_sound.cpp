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

TEST_CASE(
    "pacer sound: turned on to join a pacer a quarter into its breath, it starts with the "
    "pacer's next breath, at the new rate at once",
    "[dsp][pacer]") {
    PacerSound::Params p;
    p.breathing = false;
    PacerSound sound(p);
    std::vector<float> before(static_cast<std::size_t>(p.sample_rate_hz * 3.0));
    sound.render(before);  // off, its own clock running
    p.breathing = true;
    p.rate_bpm = 5.0;  // 12-s breaths: the pacer on screen is 3 s into one
    sound.set_params(p, 0.25);
    std::vector<float> out(static_cast<std::size_t>(p.sample_rate_hz * 60.0));
    sound.render(out);
    const std::size_t quiet_until = static_cast<std::size_t>(p.sample_rate_hz * 8.95);
    double early = 0.0;
    for (std::size_t i = 0; i < quiet_until; ++i) early += out[i] * out[i];
    CHECK(early == 0.0);  // never mid-breath
    const auto m = relaxmon::test::measure_breaths(out, p.sample_rate_hz);
    REQUIRE(m.cycles_s.size() >= 3);
    CHECK(m.starts_s[0] == Approx(9.0).margin(0.15));  // the pacer's next breath, 9 s on
    for (double c : m.cycles_s) CHECK(c == Approx(12.0).margin(0.1));
}
