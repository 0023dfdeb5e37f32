// Every reader against damaged input, fuzz-style: each valid example truncated at many places,
// replaced by binary noise, given a line of a megabyte without an end, and given the wrong
// columns. The reader either reads what is there or throws one error naming the file (and the
// line, when the fault is in one); it never crashes or hangs.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>

#include "relaxmon/devices/formats/ecg_file.hpp"
#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/devices/formats/session_events.hpp"
#include "relaxmon/devices/formats/session_signals.hpp"
#include "relaxmon/devices/user_config.hpp"
#include "test_support.hpp"

using namespace relaxmon::devices;
using namespace relaxmon::test;
namespace fs = std::filesystem;

namespace {

std::string bytes_of(const fs::path& p) {
    return read_file(p);
}

void write(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

// The variants of one valid file's bytes.
std::vector<std::pair<std::string, std::string>> variants(const std::string& good,
                                                          const std::string& wrong_header) {
    std::vector<std::pair<std::string, std::string>> out;
    const std::size_t n = std::min<std::size_t>(good.size(), 4000);
    for (std::size_t cut = 0; cut < n; cut += std::max<std::size_t>(1, n / 60))
        out.push_back({"truncated at " + std::to_string(cut), good.substr(0, cut)});
    std::mt19937 rng(7);
    for (int k = 0; k < 4; ++k) {
        std::string noise(500 + 300 * k, '\0');
        for (char& c : noise) c = static_cast<char>(rng());
        out.push_back({"binary " + std::to_string(k), noise});
        // Noise in the middle of a good file.
        out.push_back({"spliced " + std::to_string(k),
                       good.substr(0, good.size() / 2) + noise + good.substr(good.size() / 2)});
    }
    out.push_back({"huge line", std::string(1 << 20, '8')});
    out.push_back({"huge line after the header",
                   good.substr(0, good.find('\n') + 1) + std::string(1 << 20, '7')});
    if (!wrong_header.empty()) {
        const auto eol = good.find('\n');
        out.push_back(
            {"wrong columns", wrong_header + good.substr(eol == std::string::npos ? 0 : eol)});
    }
    return out;
}

// Runs `read` on every variant written to `file`; checks the error, if any, names the file.
void torture(const fs::path& file, const std::string& good, const std::string& wrong_header,
             const std::function<void()>& read) {
    int errors = 0;
    for (const auto& [what, bytes] : variants(good, wrong_header)) {
        write(file, bytes);
        INFO(file.filename().string() << ": " << what);
        try {
            read();
        } catch (const std::exception& e) {
            ++errors;
            const std::string msg = e.what();
            CHECK_THAT(msg, Catch::Contains(file.filename().string()));
            CHECK(msg.find('\n') == std::string::npos);  // one line
            CHECK(msg.size() < 400);
        }
    }
    CHECK(errors > 0);  // the noise at least is refused
}

}  // namespace

TEST_CASE("readers survive damaged files: RR text, beats.csv, Polar CSV, events.csv",
          "[devices][formats][fuzz]") {
    TempDir tmp;
    const auto rr_text = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    const auto polar = shared_data("polar_h10/detectPVC_polar_h10_rr.csv");
    if (!rr_text || !polar) return;
    torture(tmp / "rr.txt", bytes_of(*rr_text), "", [&] { formats::read_rr_file(tmp / "rr.txt"); });
    torture(tmp / "polar.csv", bytes_of(*polar), "when,pulse,interval",
            [&] { formats::read_rr_file(tmp / "polar.csv"); });
    std::string beats = "t_s,rr_ms,hr_bpm,artifact,rr_corrected_ms\n";
    double t = 0.0;
    for (int i = 0; i < 200; ++i) {
        const double rr = 800.0 + (i * 37) % 90;
        t += rr / 1000.0;
        beats += std::to_string(t) + "," + std::to_string(rr) + ",75.00," +
                 (i % 50 == 7 ? "ectopic" : "") + "," + std::to_string(rr) + "\n";
    }
    torture(tmp / "beats.csv", beats, "time,interval,x,y,z",
            [&] { formats::read_rr_file(tmp / "beats.csv"); });
    std::string events =
        "t_s,kind,label\n0.000,connected,strap\n12.5,marker,\"neck, shoulders\"\n"
        "300.250,relaxation_onset,\"relaxed, \"\"really\"\"\"\n";
    torture(tmp / "events.csv", events, "when,what",
            [&] { formats::read_session_events(tmp / "events.csv"); });
}

TEST_CASE("readers survive damaged files: WFDB annotations and headers, ECG CSV",
          "[devices][formats][fuzz]") {
    TempDir tmp;
    const auto atr = shared_data("ecg/mitdb/100.atr");
    const auto hea = shared_data("ecg/mitdb/100.hea");
    const auto ecg = shared_data("polar_h10/detectPVC_polar_h10_ecg_130hz.csv");
    if (!atr || !hea || !ecg) return;
    fs::copy_file(*hea, tmp / "100.hea");
    torture(tmp / "100.atr", bytes_of(*atr), "", [&] { formats::read_rr_file(tmp / "100.atr"); });
    fs::copy_file(*atr, tmp / "101.atr");
    torture(tmp / "101.hea", bytes_of(*hea), "", [&] { formats::read_rr_file(tmp / "101.atr"); });
    const std::string ecg_text = bytes_of(*ecg).substr(0, 60000);
    torture(tmp / "ecg.csv", ecg_text, "when,volts", [&] {
        formats::EcgReadOptions o;
        o.fs_hz = 130.0;
        formats::read_ecg_file(tmp / "ecg.csv", o);
    });
}

TEST_CASE("a session's ecg.csv and acc.csv survive damage, and read back as strap blocks",
          "[devices][formats][fuzz]") {
    TempDir tmp;
    std::string ecg = "t_s,ecg_uv\n", acc = "t_s,x_mg,y_mg,z_mg\n";
    char line[96];
    for (int i = 0; i < 1300; ++i) {
        // 130 Hz with a 2-s break after 5 s (leads off).
        const double t = (i < 650 ? i : i + 260) / 130.0;
        std::snprintf(line, sizeof line, "%.4f,%.1f\n", t, 100.0 * std::sin(i * 0.3));
        ecg += line;
        std::snprintf(line, sizeof line, "%.4f,%d,%d,%d\n", i / 200.0, i % 7, -980 + i % 13, 40);
        acc += line;
    }
    write(tmp / "ecg.csv", ecg);
    const auto blocks = formats::read_session_ecg(tmp / "ecg.csv", 73);
    std::size_t samples = 0;
    for (const auto& b : blocks) {
        CHECK(b.fs_hz == 130.0);
        CHECK(b.samples_uv.size() <= 73);
        samples += b.samples_uv.size();
    }
    CHECK(samples == 1300);
    // The break starts a block: the one beginning at sample 650, at 7 s.
    bool break_block = false;
    for (const auto& b : blocks) break_block |= std::abs(b.t0_s - 910.0 / 130.0) < 1e-3;
    CHECK(break_block);
    write(tmp / "acc.csv", acc);
    const auto acc_blocks = formats::read_session_acc(tmp / "acc.csv", 36);
    CHECK(acc_blocks.front().fs_hz == 200.0);
    CHECK(acc_blocks.front().samples_mg[1] == std::array<std::int16_t, 3>{1, -979, 40});
    torture(tmp / "ecg.csv", ecg, "time,volts",
            [&] { formats::read_session_ecg(tmp / "ecg.csv"); });
    torture(tmp / "acc.csv", acc, "t_s,x,y", [&] { formats::read_session_acc(tmp / "acc.csv"); });
}

TEST_CASE("the config file survives damage: one line naming it", "[devices][formats][fuzz]") {
    TempDir tmp;
    fs::create_directories(tmp / "relaxmon");
    ::setenv("XDG_CONFIG_HOME", tmp.path().c_str(), 1);
    const std::string good =
        "# relaxmon\nant_network_key = \"0123456789ABCDEF\"\nquick_markers = [\"back\", "
        "\"neck\"]\n[ui]\ntheme = \"dark\"\n";
    torture(tmp / "relaxmon" / "config.toml", good, "", [&] {
        user_config_string("ant_network_key");
        user_config_strings("quick_markers");
    });
    write(tmp / "relaxmon" / "config.toml", good);
    CHECK(user_config_string("ant_network_key") == "0123456789ABCDEF");
    CHECK(user_config_strings("quick_markers") == std::vector<std::string>{"back", "neck"});
    CHECK_FALSE(user_config_strings("absent"));
    write(tmp / "relaxmon" / "config.toml", "quick_markers = [\"back\", 3]\n");
    CHECK_THROWS_WITH(user_config_strings("quick_markers"),
                      Catch::Contains("config.toml:1") && Catch::Contains("list of strings"));
    ::unsetenv("XDG_CONFIG_HOME");
}
