#pragma once
// Why BlueZ cannot be reached, in one line that says what to do (shared by the strap and scan).
#include <fmt/format.h>

#include <sdbus-c++/Error.h>
#include <string>

namespace relaxmon::devices::ble {

inline std::string bluez_unreachable(const sdbus::Error& e) {
    const std::string& name = e.getName();
    if (name == "org.freedesktop.DBus.Error.ServiceUnknown")
        return "bluetoothd is not running (no org.bluez on the system bus): sudo systemctl start "
               "bluetooth";
    if (name == "org.freedesktop.DBus.Error.AccessDenied")
        return "no permission to use Bluetooth: add yourself to the 'bluetooth' group";
    if (e.getMessage().find("Failed to open bus") != std::string::npos)
        return "no system D-Bus to reach Bluetooth through (is this machine without Bluetooth, or "
               "a container?): start it with 'sudo systemctl start dbus bluetooth', or use a "
               "serial or ANT+ source (relaxmon scan lists them)";
    return fmt::format(
        "cannot reach BlueZ on the system bus ({}): check that Bluetooth is on "
        "(bluetoothctl power on) and bluetoothd runs (systemctl status bluetooth)",
        e.getMessage());
}

}  // namespace relaxmon::devices::ble
