#pragma once
// The device panel (key D): what the session reads now (name, connection, skin contact, battery,
// signal quality, reconnecting) and where it could read from instead: the simulated strap with
// its scenarios, BLE straps (a scan runs on a worker thread, never on the frame), serial ports
// with a protocol, and recorded sessions (the library). Choosing one replaces the session; a
// recording in progress goes on in a new folder. Disconnect ends the session (releasing the strap,
// completing the recording) and leaves it on the screen; Connect starts a new one on the same
// source.
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "dashboard_view.hpp"
#include "relaxmon/devices/ble/ble_scan.hpp"
#include "relaxmon/devices/serial/serial_ports.hpp"

namespace relaxmon::ui {

struct SourceState {
    bool open = false;
    int scenario = 0, speed = 0;
    bool sim_ecg = false;
    bool ble_ecg = false, ble_acc = false;
    std::vector<devices::serial::SerialPortInfo> ports;
    int port = 0, protocol = 0, fs_hz = 250;
    std::future<std::vector<devices::ble::FoundStrap>> scan;
    std::vector<devices::ble::FoundStrap> straps;
    std::string scan_message;
};

struct SourceChoice {
    std::string source;
    double speed = 1.0;
    bool open_library = false;  // "a recorded session": the library panel takes over
    bool disconnect = false;    // end the session: the strap is released, the recording completed
    bool reconnect = false;     // a new session on the same source
};

void open_sources(SourceState& st);
std::optional<SourceChoice> draw_sources(SourceState& st, const session::Snapshot& s,
                                         const Fonts& fonts);

}  // namespace relaxmon::ui
