// BLE straps through real D-Bus: relaxmon against a stand-in BlueZ (python3-dbusmock's bluez5
// template plus GATT objects, tests/support/fake_bluez.py) on a private bus.
#include <sys/wait.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <tuple>

#include "test_support.hpp"

using namespace relaxmon::test;

namespace {
// Records `source` from the stand-in BlueZ until it has sent everything, then ends the recording
// with Ctrl-C. Returns relaxmon's exit status (-1 if the stand-in never finished).
int record_until_done(const TempDir& tmp, const FakeBluez& fake, const std::string& source) {
    const pid_t rec =
        spawn_process({"/usr/bin/env", "DBUS_SYSTEM_BUS_ADDRESS=" + fake.address,
                       "XDG_STATE_HOME=" + (tmp / "state").string(), relaxmon_binary(), "record",
                       "--source", source, "--out", (tmp / "s").string()},
                      tmp / "rec.out", tmp / "rec.err");
    const bool done = !wait_line(tmp / "fake.out", "DONE", 60.0).empty();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(rec, SIGINT);
    const int status = wait_exit(rec);
    return done ? status : -1;
}
// A Polar H10 stand-in streaming the real H10 ECG (and, when asked, chest acceleration),
// recorded from `source` into tmp/s. False when the shared data is missing.
bool record_polar_h10(const TempDir& tmp, const std::string& source) {
    const auto rr = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    const auto ecg = shared_data("polar_h10/detectPVC_polar_h10_ecg_130hz.csv");
    if (!rr || !ecg) return false;
    std::optional<FakeBluez> fake(std::in_place, tmp.path(), rr->string(), ecg->string());
    REQUIRE_FALSE(fake->address.empty());
    const int rec_status = record_until_done(tmp, *fake, source);
    fake.reset();
    INFO(read_file(tmp / "rec.err"));
    CHECK(rec_status == 0);
    return true;
}
}  // namespace

TEST_CASE("ble:auto records a strap through BlueZ, across a drop, exactly", "[cli][ble][dbus]") {
    const auto rr = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!rr) return;
    TempDir tmp;
    std::optional<FakeBluez> fake(std::in_place, tmp.path(), rr->string());
    REQUIRE_FALSE(fake->address.empty());
    const int rec_status = record_until_done(tmp, *fake, "ble:auto");
    fake.reset();
    INFO(read_file(tmp / "rec.err") << read_file(tmp / "fake.err"));
    CHECK(rec_status == 0);

    // Every RR sent is recorded, exactly, in order; Garmin's spurious 53/1024 s is not.
    const CsvTable beats = read_csv(tmp / "s" / "beats.csv");
    const auto sent = read_lines(tmp / "sent.txt");
    REQUIRE(beats.rows.size() == sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) REQUIRE(beats.rows[i][1] == sent[i]);
    // The beat with the contact-not-detected flag (Wahoo) and the first after the drop are gaps.
    CHECK(beats.rows[20][3] == "gap");
    CHECK(beats.rows[50][3] == "gap");
    for (std::size_t i = 1; i < beats.rows.size(); ++i)
        REQUIRE(std::stod(beats.rows[i][0]) > std::stod(beats.rows[i - 1][0]));

    std::vector<std::string> kinds;
    for (const auto& row : read_csv(tmp / "s" / "events.csv").rows) kinds.push_back(row[1]);
    CHECK(kinds == std::vector<std::string>{"connected", "disconnected", "connected"});
    const auto json = nlohmann::json::parse(read_file(tmp / "s" / "session.json"));
    CHECK(json["device_name"] == "Polar H10 12345678");
    CHECK(json["source"] == "ble:auto");
    // ble:auto remembers the strap for next time.
    CHECK(read_file(tmp / "state" / "relaxmon" / "last_ble_address") == "A0:9E:1A:12:34:56\n");
}

TEST_CASE("ble: no BlueZ on the bus is one clear line", "[cli][ble][dbus]") {
    TempDir tmp;
    std::optional<FakeBluez> fake(std::in_place, tmp.path(), "--no-bluez");
    REQUIRE_FALSE(fake->address.empty());
    const auto r = run_process(
        {relaxmon_binary(), "record", "--source", "ble:auto", "--out", (tmp / "s").string()},
        {{"DBUS_SYSTEM_BUS_ADDRESS", fake->address}, {"XDG_STATE_HOME", (tmp / "state").string()}});
    fake.reset();
    CHECK(r.status == 1);
    CHECK_THAT(r.err, Catch::Contains("bluetoothd is not running") &&
                          Catch::Contains("systemctl start bluetooth"));
    // One line, no summary of nothing, and no empty session left behind.
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.out, !Catch::Contains("Recorded"));
    CHECK_FALSE(std::filesystem::exists(tmp / "s"));
    // No system bus at all (a machine without Bluetooth): what to do instead.
    const auto none = run_process(
        {relaxmon_binary(), "record", "--source", "ble:auto", "--out", (tmp / "n").string()},
        {{"DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + (tmp / "no-bus").string()},
         {"XDG_STATE_HOME", (tmp / "state").string()}});
    CHECK(none.status == 1);
    CHECK_THAT(none.err, Catch::Contains("no system D-Bus") && Catch::Contains("serial or ANT+"));
    CHECK_FALSE(std::filesystem::exists(tmp / "n"));
}

TEST_CASE("scan lists the strap BlueZ sees", "[cli][ble][dbus]") {
    const auto rr = shared_data("rr/hrvanalysis_test_nn_intervals.txt");
    if (!rr) return;
    TempDir tmp;
    std::optional<FakeBluez> fake(std::in_place, tmp.path(), rr->string());
    REQUIRE_FALSE(fake->address.empty());
    const auto r = run_process(
        {relaxmon_binary(), "scan", "--seconds", "1"},
        {{"DBUS_SYSTEM_BUS_ADDRESS", fake->address}, {"XDG_STATE_HOME", (tmp / "state").string()}});
    fake.reset();
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("A0:9E:1A:12:34:56") &&
                          Catch::Contains("Polar H10 12345678") && Catch::Contains("-58 dBm") &&
                          Catch::Contains("Serial ports:"));
}

TEST_CASE("ble:auto?ecg=1 streams a Polar H10's raw ECG through PMD", "[cli][ble][dbus][ecg]") {
    TempDir tmp;
    if (!record_polar_h10(tmp, "ble:auto?ecg=1")) return;
    // Every sample sent is in ecg.csv, exactly, 1/130.0 s apart.
    const CsvTable got = read_csv(tmp / "s" / "ecg.csv");
    const auto sent = read_lines(tmp / "sent.txt");
    REQUIRE(got.rows.size() == sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i)
        REQUIRE(std::stod(got.rows[i][1]) == std::stod(sent[i]));
    // The beats come from relaxmon's R-peak detector: ~60 s of a heart at ~85 bpm.
    const CsvTable beats = read_csv(tmp / "s" / "beats.csv");
    CHECK(beats.rows.size() > 70);
    CHECK(beats.rows.size() < 100);
}

TEST_CASE("ble:auto?ecg=1&acc=1 adds chest acceleration: acc.csv and breathing from it",
          "[cli][ble][dbus][ecg][acc]") {
    TempDir tmp;
    if (!record_polar_h10(tmp, "ble:auto?ecg=1&acc=1")) return;
    // Every acceleration sample sent is in acc.csv, exactly, 1/200 s apart.
    const CsvTable got = read_csv(tmp / "s" / "acc.csv");
    const auto sent = read_lines(tmp / "sent.txt.acc");
    REQUIRE(sent.size() > 200 * 50);
    REQUIRE(got.rows.size() == sent.size());
    CHECK(got.header == std::vector<std::string>{"t_s", "x_mg", "y_mg", "z_mg"});
    for (std::size_t i = 0; i < sent.size(); ++i) {
        REQUIRE(got.rows[i][1] + "," + got.rows[i][2] + "," + got.rows[i][3] == sent[i]);
        if (i)
            REQUIRE(std::stod(got.rows[i][0]) - std::stod(got.rows[i - 1][0]) ==
                    Approx(0.005).margin(0.00051));
    }
    // The strap breathes at 9/min: metrics.csv's breathing comes from the chest once 42 s of
    // acceleration are in (10 s of filter settling, then a 32-s window at least).
    const CsvTable metrics = read_csv(tmp / "s" / "metrics.csv");
    const auto resp = static_cast<std::size_t>(
        std::find(metrics.header.begin(), metrics.header.end(), "resp_rate_bpm") -
        metrics.header.begin());
    REQUIRE(resp < metrics.header.size());
    int judged = 0;
    for (const auto& row : metrics.rows) {
        if (std::stod(row[0]) < 50.0) continue;
        REQUIRE_FALSE(row[resp].empty());
        CHECK(std::stod(row[resp]) == Approx(9.0).margin(0.5));
        ++judged;
    }
    CHECK(judged > 5);

    // Replayed, the folder gives the same beats, the same breathing from the chest, and its raw
    // signals recorded again.
    REQUIRE(run_process({relaxmon_binary(), "record", "--source", "file:" + (tmp / "s").string(),
                         "--speed", "max", "--out", (tmp / "replay").string()})
                .status == 0);
    CHECK(read_file(tmp / "replay" / "beats.csv") == read_file(tmp / "s" / "beats.csv"));
    const CsvTable replayed = read_csv(tmp / "replay" / "metrics.csv");
    REQUIRE(replayed.rows.size() == metrics.rows.size());
    for (std::size_t i = 0; i < metrics.rows.size(); ++i) {
        if (std::stod(metrics.rows[i][0]) < 50.0) continue;
        REQUIRE_FALSE(replayed.rows[i][resp].empty());
        CHECK(std::stod(replayed.rows[i][resp]) ==
              Approx(std::stod(metrics.rows[i][resp])).margin(0.05));
    }
    for (const char* file : {"acc.csv", "ecg.csv"}) {
        INFO(file);
        const CsvTable a = read_csv(tmp / "s" / file), b = read_csv(tmp / "replay" / file);
        REQUIRE(a.rows.size() == b.rows.size());
        for (std::size_t i = 0; i < a.rows.size(); ++i) {
            REQUIRE(std::stod(a.rows[i][0]) == Approx(std::stod(b.rows[i][0])).margin(0.00015));
            for (std::size_t c = 1; c < a.rows[i].size(); ++c)
                REQUIRE(a.rows[i][c] == b.rows[i][c]);
        }
    }
}

TEST_CASE("ble: no adapter, adapter off, or no strap within the scan time: one clear line",
          "[cli][ble][dbus]") {
    for (const auto& [mode, source, message] :
         {std::tuple{"--no-adapter", "ble:auto", "no Bluetooth adapter found"},
          std::tuple{"--no-strap", "ble:auto?scan=1",
                     "no heart-rate strap (0x180D) found within 1 s"},
          std::tuple{"--no-strap", "ble:AA:BB:CC:DD:EE:FF?scan=1",
                     "no strap with address AA:BB:CC:DD:EE:FF"},
          std::tuple{"--adapter-off", "ble:auto", "is powered off: bluetoothctl power on"}}) {
        TempDir tmp;
        std::optional<FakeBluez> fake(std::in_place, tmp.path(), mode);
        REQUIRE_FALSE(fake->address.empty());
        const auto r = run_process(
            {relaxmon_binary(), "record", "--source", source, "--out", (tmp / "s").string()},
            {{"DBUS_SYSTEM_BUS_ADDRESS", fake->address},
             {"XDG_STATE_HOME", (tmp / "state").string()}});
        fake.reset();
        INFO(mode << " " << source << ": " << r.err);
        CHECK(r.status == 1);
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::Contains(message));
    }
}
