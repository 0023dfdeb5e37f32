#pragma once
// SerialDevice: a strap or board on a serial port (an ANT USB stick, a microcontroller printing
// lines), read with boost::asio::serial_port on the session's io_context: raw 8N1 at the given
// baud rate, asynchronous reads handed to the protocol (ANT+ HRM, rr, ecg, pulsesensor). When the
// port vanishes (USB unplugged) the device reports `disconnected` and polls the path (a
// /dev/serial/by-id name survives re-plugging) until it can reopen it, then starts over.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "relaxmon/devices/device.hpp"

namespace relaxmon::devices::serial {

enum class Protocol { ant, rr, ecg, pulsesensor };

struct SerialOptions {
    std::string path;
    Protocol protocol = Protocol::rr;
    unsigned baud = 115200;
    std::optional<double> fs_hz;                        // ecg: the board's sampling rate
    std::optional<std::array<std::uint8_t, 8>> netkey;  // ant: the ANT+ network key
    double search_s = 30.0;  // ant: how long to search before "no strap found"
};

class SerialDevice final : public Device {
  public:
    SerialDevice(boost::asio::io_context& io, SerialOptions options);
    ~SerialDevice() override;

    void start(MeasurementSink sink) override;
    void stop() override;
    std::string name() const override;
    nlohmann::json describe() const override;

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace relaxmon::devices::serial
