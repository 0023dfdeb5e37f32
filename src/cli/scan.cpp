// `relaxmon scan [--seconds N]`: the BLE heart-rate straps BlueZ sees, and the serial ports
// (with their stable /dev/serial/by-id names) that could hold an ANT stick or a DIY board.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <filesystem>

#include "cli/commands.hpp"
#include "relaxmon/devices/ble/ble_scan.hpp"
#include "relaxmon/devices/serial/serial_ports.hpp"

namespace relaxmon::cli {

namespace {

int run(double seconds) {
    fmt::print("BLE heart-rate straps (scanning {:.0f} s):\n", seconds);
    try {
        const auto straps = devices::ble::scan_straps(seconds);
        if (straps.empty())
            fmt::print("  none found (is the strap worn, with moist electrodes?)\n");
        for (const auto& s : straps)
            fmt::print("  {}  {:<24} {:>8}   --source ble:{}\n", s.address, s.name,
                       s.rssi_dbm ? fmt::format("{} dBm", *s.rssi_dbm) : std::string("--"),
                       s.address);
    } catch (const std::exception& e) {
        fmt::print("  unavailable: {}\n", e.what());
    }
    fmt::print("Serial ports:\n");
    const auto ports = devices::serial::list_serial_ports();
    if (ports.empty()) fmt::print("  none (is the ANT stick or the board plugged in?)\n");
    for (const auto& p : ports)
        fmt::print("  {}{}   --source 'serial:{}?protocol={}'\n", p.device,
                   p.by_id.empty() ? "" : fmt::format("  ({})", p.by_id), p.stable,
                   p.looks_like_ant ? "ant" : "rr|ecg&fs=HZ|pulsesensor");
    return kExitOk;
}

}  // namespace

void add_scan_command(CLI::App& app, Action& action) {
    auto seconds = std::make_shared<double>(10.0);
    CLI::App* cmd = app.add_subcommand("scan", "List BLE heart-rate straps and serial ports");
    cmd->add_option("--seconds", *seconds, "How long to scan for BLE straps (default 10)")
        ->check(CLI::PositiveNumber);
    cmd->callback([&action, seconds] { action = [seconds] { return run(*seconds); }; });
}

}  // namespace relaxmon::cli
