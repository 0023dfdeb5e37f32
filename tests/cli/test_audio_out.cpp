// `--audio-out FILE.wav`: exactly the sound that would be played, in session time - measured
// from the WAV a recording at full speed writes.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "sound_envelope.hpp"
#include "test_support.hpp"

using namespace relaxmon::test;

namespace {
struct Wav {
    int rate_hz = 0, channels = 0, bits = 0;
    std::vector<float> samples;
};
Wav read_wav(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::vector<unsigned char> b((std::istreambuf_iterator<char>(f)), {});
    REQUIRE(b.size() >= 44);
    REQUIRE(std::memcmp(b.data(), "RIFF", 4) == 0);
    REQUIRE(std::memcmp(b.data() + 8, "WAVEfmt ", 8) == 0);
    auto u16 = [&](std::size_t at) { return b[at] | (b[at + 1] << 8); };
    auto u32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(u16(at)) |
               (static_cast<std::uint32_t>(u16(at + 2)) << 16);
    };
    Wav w;
    CHECK(u16(20) == 1);  // PCM
    w.channels = u16(22);
    w.rate_hz = static_cast<int>(u32(24));
    w.bits = u16(34);
    REQUIRE(std::memcmp(b.data() + 36, "data", 4) == 0);
    const std::uint32_t bytes = u32(40);
    REQUIRE(bytes == b.size() - 44);  // the header's size is the file's
    for (std::size_t i = 44; i + 1 < b.size(); i += 2)
        w.samples.push_back(static_cast<std::int16_t>(u16(i)) / 32768.0f);
    return w;
}
}  // namespace

TEST_CASE("record --pacer 6 --audio-out: the pacer's cycle and split, and the onset's chime",
          "[cli][record][audio]") {
    TempDir tmp;
    const auto r = run_process({relaxmon_binary(), "record", "--source", "sim:massage?seed=3",
                                "--duration", "9m", "--speed", "max", "--pacer", "6", "--audio-out",
                                (tmp / "pacer.wav").string(), "--out", (tmp / "s").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Wav w = read_wav(tmp / "pacer.wav");
    CHECK(w.channels == 1);
    CHECK(w.bits == 16);
    // Session time: 9 minutes of sound from a session that took a second.
    CHECK(static_cast<double>(w.samples.size()) / w.rate_hz == Approx(540.0).margin(0.5));
    // The chime at the relaxation onset rings over the pacer: breaths are timed before it.
    double onset_s = -1.0;
    for (const auto& row : read_csv(tmp / "s" / "events.csv").rows)
        if (row[1] == "relaxation_onset") onset_s = std::stod(row[0]);
    REQUIRE(onset_s > 300.0);
    const auto m = measure_breaths(
        std::span<const float>(w.samples.data(), static_cast<std::size_t>(onset_s * w.rate_hz)),
        w.rate_hz);
    REQUIRE(m.cycles_s.size() >= 28);
    for (double c : m.cycles_s) CHECK(c == Approx(10.0).margin(0.1));
    for (double i : m.inhales_s) CHECK(i == Approx(10.0 / 3.0).margin(0.1));  // in 1 : out 2
    // The chime: a bell's A5 (880 Hz) the pacer's tone (196-294 Hz) never reaches.
    auto high_energy = [&](double from_s, double to_s) {
        // Successive differences weigh high frequencies: 880 Hz counts ~9x the pacer's tone.
        double e = 0.0;
        const auto a = static_cast<std::size_t>(from_s * w.rate_hz);
        const auto b = static_cast<std::size_t>(to_s * w.rate_hz);
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = w.samples[i] - w.samples[i - 1];
            e += d * d;
        }
        return e;
    };
    CHECK(high_energy(onset_s, onset_s + 1.0) > 3.0 * high_energy(onset_s - 10.0, onset_s - 9.0));
}

TEST_CASE("record --audio-out into a folder that does not exist: one line, nothing recorded",
          "[cli][record][audio]") {
    TempDir tmp;
    const auto r = run_process({relaxmon_binary(), "record", "--source", "sim", "--duration", "1m",
                                "--speed", "max", "--audio-out", (tmp / "no" / "x.wav").string(),
                                "--out", (tmp / "s").string()});
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("cannot write the audio to") && Catch::Contains("x.wav"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_FALSE(std::filesystem::exists(tmp / "s"));
}

TEST_CASE("record --pacer 5 --pacer-ratio 1:1: the split as set, a bad ratio one line",
          "[cli][record][audio]") {
    TempDir tmp;
    const auto r =
        run_process({relaxmon_binary(), "record", "--source", "sim:rest?seed=2", "--duration", "3m",
                     "--speed", "max", "--pacer", "5", "--pacer-ratio", "1:1", "--audio-out",
                     (tmp / "pacer.wav").string(), "--out", (tmp / "s").string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    const Wav w = read_wav(tmp / "pacer.wav");
    const auto m = measure_breaths(w.samples, w.rate_hz);
    REQUIRE(m.cycles_s.size() >= 12);
    for (double c : m.cycles_s) CHECK(c == Approx(12.0).margin(0.1));
    for (double i : m.inhales_s) CHECK(i == Approx(6.0).margin(0.1));  // in 1 : out 1

    for (const char* bad : {"1:5", "2", "0:1", "3:2:1", "in:out"}) {
        const auto e =
            run_process({relaxmon_binary(), "record", "--source", "sim", "--duration", "1m",
                         "--speed", "max", "--pacer-ratio", bad, "--out", (tmp / "bad").string()});
        INFO(bad);
        CHECK(e.status == 2);
        CHECK_THAT(e.err, Catch::Contains("bad --pacer-ratio"));
        CHECK(std::count(e.err.begin(), e.err.end(), '\n') == 1);
        CHECK_FALSE(std::filesystem::exists(tmp / "bad"));
    }
}
