// Serial straps through real pseudo-terminals: an ANT USB stick (answering relaxmon's setup, then
// broadcasting HRM pages built from a real RR series, with lost messages, a damaged frame,
// garbage, a lost strap and an unplugged stick), and text-line boards (rr, ecg, pulsesensor).
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "ant_strap.hpp"
#include "pty_port.hpp"
#include "relaxmon/devices/serial/ant_message.hpp"
#include "test_support.hpp"

using namespace relaxmon::test;
namespace ant = relaxmon::devices::ant;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr const char* kKeyHex = "B9A521FBBD72C345";  // any 8 bytes: the stick only echoes it

// The stick's side of the conversation: answers every command relaxmon sends.
class AntStick {
  public:
    explicit AntStick(PtyPort& port) : port_(port) {}
    // Answers until the channel is open; false if relaxmon never got that far.
    bool serve_setup(double seconds) {
        const auto until =
            std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        open_ = false;
        while (!open_ && std::chrono::steady_clock::now() < until) serve(0.05);
        return open_;
    }
    void serve(double seconds) {
        for (const auto& m : frames_.push(port_.read(seconds))) {
            commands.push_back(m);
            if (m.id == ant::kResetSystem) {
                port_.write(ant::encode(ant::kStartup, Bytes{0x20}));
            } else if (m.id == ant::kRequestMessage) {
                port_.write(ant::encode(ant::kChannelId, Bytes{0, 0x39, 0x30, 0x78, 0x01}));
            } else {
                port_.write(ant::encode(ant::kChannelEvent, Bytes{0, m.id, 0}));
                open_ |= m.id == ant::kOpenChannel;
            }
        }
    }
    void broadcast(const HrmBroadcast& b, bool damaged = false) {
        Bytes f =
            ant::encode(ant::kBroadcastData, Bytes{0, b.data[0], b.data[1], b.data[2], b.data[3],
                                                   b.data[4], b.data[5], b.data[6], b.data[7]});
        if (damaged) f[8] ^= 0x01;
        port_.write(f);
    }
    void event(std::uint8_t code) {
        port_.write(ant::encode(ant::kChannelEvent, Bytes{0, 1, code}));
    }
    std::vector<ant::AntMessage> commands;

  private:
    PtyPort& port_;
    ant::AntFrameDecoder frames_;
    bool open_ = false;
};

pid_t start_record(const TempDir& tmp, const std::string& source) {
    return spawn_process(
        {"/usr/bin/env", "XDG_CONFIG_HOME=" + (tmp / "config").string(), relaxmon_binary(),
         "record", "--source", source, "--out", (tmp / "s").string()},
        tmp / "rec.out", tmp / "rec.err");
}

int stop_record(pid_t rec) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(rec, SIGINT);
    return wait_exit(rec);
}

std::string ms3(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

std::vector<std::string> column(const CsvTable& t, const std::string& name) {
    std::vector<std::string> out;
    const auto it = std::find(t.header.begin(), t.header.end(), name);
    if (it == t.header.end()) return out;
    const auto c = static_cast<std::size_t>(it - t.header.begin());
    for (const auto& r : t.rows) out.push_back(r[c]);
    return out;
}

}  // namespace

TEST_CASE("serial ANT stick: setup, HRM pages from a real RR series, faults, unplug and replug",
          "[cli][serial][ant]") {
    const auto path = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!path) return;
    auto rr = read_rr_ms(*path);
    rr.resize(150);
    const auto want = hrm_quantised_rr_ms(rr);  // want[k]: the interval ending at beat k
    const auto bc = hrm_broadcasts(rr);
    REQUIRE(bc.size() > 180);

    TempDir tmp;
    std::filesystem::create_directories(tmp / "config" / "relaxmon");
    std::ofstream(tmp / "config" / "relaxmon" / "config.toml")
        << "# relaxmon settings\nant_network_key = \"" << kKeyHex << "\"\n";
    PtyPort port(tmp / "ttyANT");
    AntStick stick(port);
    const pid_t rec = start_record(tmp, "serial:" + port.link().string() + "?protocol=ant");
    REQUIRE(stick.serve_setup(10.0));
    // The key from config.toml reached the stick, in the documented setup order.
    std::vector<std::uint8_t> ids;
    for (const auto& c : stick.commands) ids.push_back(c.id);
    CHECK(ids == Bytes{ant::kResetSystem, ant::kNetworkKey, ant::kAssignChannel, ant::kChannelId,
                       ant::kChannelPeriod, ant::kSearchTimeout, ant::kRfFrequency,
                       ant::kOpenChannel});
    CHECK(stick.commands[1].payload == Bytes{0, 0xB9, 0xA5, 0x21, 0xFB, 0xBD, 0x72, 0xC3, 0x45});

    // What reaches relaxmon, in order; -1 marks a new connection (the reference starts over).
    std::vector<int> delivered;
    auto send = [&](std::size_t i) {
        stick.broadcast(bc[i]);
        delivered.push_back(static_cast<int>(i));
        stick.serve(0.002);
    };
    for (std::size_t i = 0; i < 60; ++i) {
        if (i == 20 || (i >= 30 && i < 38)) {  // missed messages (about 2 s: beats lost)
            stick.event(ant::kEventRxFail);
            continue;
        }
        if (i == 45) {  // a damaged frame, dropped by its checksum
            stick.broadcast(bc[i], true);
            continue;
        }
        if (i == 50) port.write(Bytes{0x00, 0x00, 0x13, 0x37, 0xA4, 0xA4});  // garbage
        send(i);
    }
    stick.event(ant::kEventRxFailGoToSearch);  // the strap is lost for 5 s
    delivered.push_back(-1);
    // The stick closes the channel after a search timeout: relaxmon opens it again.
    const std::size_t commands_before = stick.commands.size();
    stick.event(ant::kEventChannelClosed);
    for (int i = 0; i < 100 && stick.commands.size() == commands_before; ++i) stick.serve(0.02);
    REQUIRE(stick.commands.size() > commands_before);
    CHECK(stick.commands.back().id == ant::kOpenChannel);
    for (std::size_t i = 80; i < 120; ++i) send(i);
    port.replug();  // the stick is unplugged and plugged in again
    delivered.push_back(-1);
    REQUIRE(stick.serve_setup(10.0));
    for (std::size_t i = 140; i < bc.size(); ++i) send(i);
    stick.serve(0.3);
    const int status = stop_record(rec);
    INFO(read_file(tmp / "rec.err"));
    CHECK(status == 0);

    // The beats the strap's pages define: an interval when the count rose by one; after lost
    // messages, and in the first message of each connection, only page 4 gives the newest beat's
    // interval (unless that beat was recorded already).
    std::vector<std::string> expect;
    int ref = -1, recorded = -1;
    for (int m : delivered) {
        if (m < 0) {
            ref = -1;
            continue;
        }
        const int beat = bc[static_cast<std::size_t>(m)].beat;
        const bool page4 = (bc[static_cast<std::size_t>(m)].data[0] & 0x7F) == 4;
        if (beat > recorded && (beat == ref + 1 || (beat != ref && page4))) {
            expect.push_back(ms3(want[static_cast<std::size_t>(beat)]));
            recorded = beat;
        }
        ref = beat;
    }
    const CsvTable beats = read_csv(tmp / "s" / "beats.csv");
    CHECK(column(beats, "rr_ms") == expect);
    CHECK(expect.size() > 100);
    const auto t = beats.numbers("t_s");
    for (std::size_t i = 1; i < t.size(); ++i) REQUIRE(t[i] > t[i - 1]);

    std::vector<std::string> kinds;
    for (const auto& row : read_csv(tmp / "s" / "events.csv").rows) kinds.push_back(row[1]);
    CHECK(kinds == std::vector<std::string>{"connected", "disconnected", "connected",
                                            "disconnected", "connected"});
    const auto json = nlohmann::json::parse(read_file(tmp / "s" / "session.json"));
    CHECK(json["device_name"] == "ANT+ heart-rate strap 12345");
    const auto& counters = json["device"]["counters"];
    CHECK(counters["checksum_errors"] == 1);
    CHECK(counters["missed_messages"] == 9);
    CHECK(counters["skipped_bytes"].get<int>() >= 6);
}

namespace {
// Waits until `file` has at least `rows` data rows (it may not exist yet).
bool wait_rows(const std::filesystem::path& file, std::size_t rows, double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 50); ++i) {
        if (std::filesystem::exists(file) && read_lines(file).size() >= rows + 1) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}
}  // namespace

TEST_CASE("serial rr board: banners, every line ending, garbage skipped, beats exact",
          "[cli][serial]") {
    const auto path = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!path) return;
    auto rr = read_rr_ms(*path);
    rr.resize(80);
    TempDir tmp;
    PtyPort port(tmp / "ttyACM0");
    const pid_t rec = start_record(tmp, "serial:" + port.link().string() + "?protocol=rr");
    // A sketch's banner (perhaps cut by the port opening), then RR lines with every kind of
    // ending, and some lines no heart sent.
    port.write("ialized!\r\nInitialized!\r\n");
    const char* endings[] = {"\n", "\r\n", "\r", "\n\r"};
    std::vector<std::string> sent;
    for (std::size_t i = 0; i < rr.size(); ++i) {
        if (i == 10) port.write("hello\r\n");
        if (i == 20) port.write("99999\n");
        if (i == 30) port.write(std::string(300, '#') + "\n");
        if (i == 40) port.write(std::string("\x01\x02\xff\xfe", 4) + "\n");
        port.write(std::to_string(static_cast<int>(rr[i])) + endings[i % 4]);
        sent.push_back(ms3(static_cast<int>(rr[i])));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(wait_rows(tmp / "s" / "beats.csv", sent.size(), 10.0));
    const int status = stop_record(rec);
    INFO(read_file(tmp / "rec.err"));
    CHECK(status == 0);
    const CsvTable beats = read_csv(tmp / "s" / "beats.csv");
    CHECK(column(beats, "rr_ms") == sent);
    const auto json = nlohmann::json::parse(read_file(tmp / "s" / "session.json"));
    const auto& c = json["device"]["counters"];
    // "ialized!" is either dropped as a partial first line or counted as garbage.
    CHECK(c["garbage_lines"].get<int>() + c["partial_first_lines"].get<int>() == 6);
    CHECK(json["device"]["protocol"] == "rr");
}

TEST_CASE("serial ecg board: raw samples, leads off and on, beats from the ECG", "[cli][serial]") {
    const auto path = shared_data("polar_h10/detectPVC_polar_h10_ecg_130hz.csv");
    if (!path) return;
    const CsvTable ecg = read_csv(*path);
    const auto mv = ecg.numbers("ecg_mV");
    REQUIRE(mv.size() > 130 * 60);
    TempDir tmp;
    PtyPort port(tmp / "ttyUSB0");
    const pid_t rec =
        start_record(tmp, "serial:" + port.link().string() + "?protocol=ecg&fs=130&baud=115200");
    port.write("Initialized!\n");
    std::vector<std::string> sent;
    std::string chunk;
    for (std::size_t i = 0; i < 130 * 60; ++i) {
        if (i >= 130 * 30 && i < 130 * 32) {  // two seconds with the leads off
            chunk += "!\r\n";
        } else {
            const long uv = std::lround(mv[i] * 1000.0);
            chunk += std::to_string(uv) + "\r\n";
            sent.push_back(std::to_string(uv) + ".0");
        }
        if (i % 130 == 129) {  // a second of samples at a time
            port.write(chunk);
            chunk.clear();
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    CHECK(wait_rows(tmp / "s" / "ecg.csv", sent.size(), 10.0));
    const int status = stop_record(rec);
    INFO(read_file(tmp / "rec.err"));
    CHECK(status == 0);
    // Every sample is in ecg.csv, 1/130 s apart; the leads-off stretch keeps its time.
    const CsvTable got = read_csv(tmp / "s" / "ecg.csv");
    CHECK(column(got, "ecg_uv") == sent);
    const auto t = got.numbers("t_s");
    REQUIRE(t.size() == sent.size());
    const std::size_t off = 130 * 30;
    CHECK(t[off] - t[off - 1] == Approx(261.0 / 130.0).margin(0.001));
    CHECK(t[10] - t[9] == Approx(1.0 / 130.0).margin(0.0001));
    std::vector<std::string> kinds;
    for (const auto& row : read_csv(tmp / "s" / "events.csv").rows) kinds.push_back(row[1]);
    CHECK(kinds == std::vector<std::string>{"connected", "contact_lost", "contact_restored"});
    // The beats come from relaxmon's R-peak detector: ~58 s of a heart at ~85 bpm.
    const CsvTable beats = read_csv(tmp / "s" / "beats.csv");
    CHECK(beats.rows.size() > 65);
    CHECK(beats.rows.size() < 100);
}

TEST_CASE("serial pulsesensor: beats from the Q lines, S and B lines taken in stride",
          "[cli][serial]") {
    TempDir tmp;
    PtyPort port(tmp / "ttyACM1");
    const pid_t rec = start_record(tmp, "serial:" + port.link().string() + "?protocol=pulsesensor");
    std::vector<std::string> sent;
    for (int beat = 0; beat < 40; ++beat) {
        const int ibi = 780 + (beat * 37) % 90;
        std::string text;
        for (int s = 0; s < 20; ++s) text += "S" + std::to_string(500 + (s * 13) % 40) + "\r\n";
        text += "B" + std::to_string(60000 / ibi) + "\r\nQ" + std::to_string(ibi) + "\r\n";
        if (beat == 5) text += "a512\r\nM3\r\n";  // a second sensor's lines: skipped
        port.write(text);
        sent.push_back(ms3(ibi));
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(wait_rows(tmp / "s" / "beats.csv", sent.size(), 10.0));
    const int status = stop_record(rec);
    INFO(read_file(tmp / "rec.err"));
    CHECK(status == 0);
    CHECK(column(read_csv(tmp / "s" / "beats.csv"), "rr_ms") == sent);
}

TEST_CASE("serial: missing key, bad config, no port, a silent stick, no strap: one clear line",
          "[cli][serial][ant]") {
    TempDir tmp;
    PtyPort port(tmp / "ttyANT");
    const std::string ant = "serial:" + port.link().string() + "?protocol=ant";
    int runs = 0;
    auto run = [&](const std::string& source) {
        const std::string out = (tmp / ("s" + std::to_string(++runs))).string();
        return run_process({relaxmon_binary(), "record", "--source", source, "--out", out},
                           {{"XDG_CONFIG_HOME", (tmp / "config").string()}});
    };
    auto one_line = [](const ProcessResult& r, int status, const std::string& text) {
        INFO(r.err);
        CHECK(r.status == status);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::Contains(text));
    };
    one_line(run(ant), 1, "ANT+ network key is missing");
    std::filesystem::create_directories(tmp / "config" / "relaxmon");
    std::ofstream(tmp / "config" / "relaxmon" / "config.toml") << "\n\nant_network_key = 12\n";
    one_line(run(ant), 1, "config.toml:3: ant_network_key must be a string");
    std::ofstream(tmp / "config" / "relaxmon" / "config.toml") << "ant_network_key = \"0123\n";
    one_line(run(ant), 1, "config.toml:1:");
    one_line(run(ant + "&netkey=0123"), 1, "is not 8 bytes in hex");
    one_line(run("serial:" + (tmp / "nothere").string() + "?protocol=rr"), 1, "does not exist");
    one_line(run("serial:" + port.link().string() + "?protocol=ecg"), 2,
             "needs the board's sampling rate");
    one_line(run("serial:" + port.link().string() + "?protocol=xyz"), 2, "protocol must be ant");

    // The stick says nothing at all.
    one_line(run(ant + "&netkey=" + kKeyHex), 1, "does not answer");
    // The stick answers, but no strap is in range: it reports a search timeout.
    {
        const pid_t rec = start_record(tmp, ant + "&netkey=" + kKeyHex + "&search=2");
        AntStick stick(port);
        REQUIRE(stick.serve_setup(10.0));
        const auto search = std::find_if(stick.commands.rbegin(), stick.commands.rend(),
                                         [](const auto& c) { return c.id == ant::kSearchTimeout; });
        REQUIRE(search != stick.commands.rend());
        CHECK(search->payload == Bytes{0, 1});  // 2 s is one 2.5-s unit
        stick.event(ant::kEventRxSearchTimeout);
        const int status = wait_exit(rec);
        const std::string err = read_file(tmp / "rec.err");
        INFO(err);
        CHECK(status == 1);
        CHECK_THAT(err, Catch::Contains("no ANT+ heart-rate strap found"));
    }
}
