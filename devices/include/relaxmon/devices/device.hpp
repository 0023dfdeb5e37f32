#pragma once
// The interface every source of beats implements: simulator, replay, serial, BLE.
// A device lives on the session's io_context thread: start(), stop() and the sink callback all
// run there. Devices reconnect by themselves after a drop and report it with DeviceStatus.
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "relaxmon/devices/measurement.hpp"

namespace boost::asio {
class io_context;
}

namespace relaxmon::devices {

using MeasurementSink = std::function<void(const Measurement&)>;

class Device {
  public:
    virtual ~Device() = default;
    virtual void start(MeasurementSink sink) = 0;
    virtual void stop() = 0;
    // Human-readable name ("Simulated strap (massage, seed 7)", "Polar H10 1A2B3C4D").
    virtual std::string name() const = 0;
    // Facts for session.json: the source's parameters and, for a simulator, its ground truth.
    virtual nlohmann::json describe() const = 0;
    // Playback of a recording: speed (0 = as fast as possible) and pause. Live straps ignore it.
    virtual void set_playback(double speed, bool paused) {
        (void)speed;
        (void)paused;
    }
};

}  // namespace relaxmon::devices
