#pragma once
// What runs over a serial port, apart from the port itself: a protocol turns the bytes of one
// device kind into measurements, and may write commands and set one timer. The SerialDevice
// provides the link; protocols know nothing of asio, so they are tested with a plain fake link.
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "relaxmon/devices/measurement.hpp"
#include "relaxmon/devices/serial/serial_device.hpp"

namespace relaxmon::devices::serial {

class SerialLink {
  public:
    virtual ~SerialLink() = default;
    virtual void write(std::vector<std::uint8_t> bytes) = 0;
    virtual void emit(const Measurement& m) = 0;
    virtual double now_s() const = 0;
    // Calls `f` once after `seconds`, replacing any timer set before; `cancel_timer` drops it.
    virtual void after(double seconds, std::function<void()> f) = 0;
    virtual void cancel_timer() = 0;
};

class SerialProtocol {
  public:
    virtual ~SerialProtocol() = default;
    virtual void on_open(SerialLink& link) = 0;  // the port was (re)opened
    virtual void on_bytes(std::span<const std::uint8_t> bytes, SerialLink& link) = 0;
    virtual void on_close(SerialLink& link) = 0;  // the port is gone (unplugged)
    virtual std::string name() const = 0;
    virtual nlohmann::json counters() const = 0;  // garbage skipped, beats lost ...
};

std::unique_ptr<SerialProtocol> make_protocol(const SerialOptions& o);

}  // namespace relaxmon::devices::serial
