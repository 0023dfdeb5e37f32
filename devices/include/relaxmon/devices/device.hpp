#pragma once
// The interface every source of beats implements: simulator, replay, serial, BLE.
// A device lives on the session's io_context thread: start(), stop() and the sink callback all
// run there. Devices reconnect by themselves after a drop and report it with DeviceStatus.
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>

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
    // Playback of a recording: jumps ahead to session time `t_s`, delivering everything before
    // it at full speed (the pipeline must see every beat). False when it cannot: a live strap,
    // or a time already passed (start a new session with it instead).
    virtual bool seek(double t_s) {
        (void)t_s;
        return false;
    }
    // Playback of a recording: the session times it spans.
    virtual std::optional<std::pair<double, double>> span_s() const { return std::nullopt; }
};

}  // namespace relaxmon::devices
