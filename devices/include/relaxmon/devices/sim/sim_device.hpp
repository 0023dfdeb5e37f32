#pragma once
// SimDevice: the built-in simulated strap. It plays an RrGenerator's measurements on the
// session's io_context at real time, at `speed` times real time, or as fast as possible
// (speed 0), in small batches so the session stays responsive to commands.
#include <chrono>
#include <memory>

#include "relaxmon/devices/device.hpp"
#include "relaxmon/devices/sim/rr_generator.hpp"

namespace relaxmon::devices::sim {

class SimDevice final : public Device {
  public:
    SimDevice(boost::asio::io_context& io, ScenarioScript script, double speed);
    ~SimDevice() override;

    void start(MeasurementSink sink) override;
    void stop() override;
    std::string name() const override;
    nlohmann::json describe() const override;

  private:
    struct Timer;  // keeps asio out of this header
    void schedule_next();
    void deliver_due();

    boost::asio::io_context& io_;
    RrGenerator generator_;
    double speed_;
    MeasurementSink sink_;
    std::unique_ptr<Timer> timer_;
    std::chrono::steady_clock::time_point wall_start_;
    std::vector<Measurement> pending_;
    bool running_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace relaxmon::devices::sim
