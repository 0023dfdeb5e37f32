#pragma once
// The serial ports a strap or board could be on: USB serial devices (ttyUSB*, ttyACM*) with the
// stable /dev/serial/by-id name when udev made one (it survives re-plugging), and a guess of the
// protocol (Dynastream makes the ANT USB sticks).
#include <string>
#include <vector>

namespace relaxmon::devices::serial {

struct SerialPortInfo {
    std::string device;  // /dev/ttyUSB0
    std::string by_id;   // usb-Dynastream_..., or empty
    std::string stable;  // the path to use in a source: the by-id one when there is one
    bool looks_like_ant = false;
};

std::vector<SerialPortInfo> list_serial_ports();

}  // namespace relaxmon::devices::serial
