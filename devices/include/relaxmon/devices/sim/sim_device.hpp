#pragma once
// SimDevice: the built-in simulated strap. It plays an RrGenerator's measurements on the
// session's io_context at real time, at `speed` times real time, or as fast as possible
// (speed 0), in small batches so the session stays responsive to commands. With `ecg`, it also
// streams a 130 Hz ECG drawn from the same beats, as a Polar H10 does with `?ecg=1`; with `acc`
// the chest's acceleration at 200 Hz (AccSynth), as with `?acc=1`.
#include <chrono>
#include <memory>
#include <optional>

#include "relaxmon/devices/device.hpp"
#include "relaxmon/devices/sim/acc_synth.hpp"
#include "relaxmon/devices/sim/ecg_synth.hpp"
#include "relaxmon/devices/sim/rr_generator.hpp"

namespace relaxmon::devices::sim {

class SimDevice final : public Device {
  public:
    SimDevice(boost::asio::io_context& io, ScenarioScript script, double speed, bool ecg = false,
              bool acc = false);
    ~SimDevice() override;

    void start(MeasurementSink sink) override;
    void stop() override;
    std::string name() const override;
    nlohmann::json describe() const override;

  private:
    struct Timer;       // keeps asio out of this header
    void next_group();  // the next beat's measurements into pending_
    void schedule_next();
    void deliver_due();

    boost::asio::io_context& io_;
    RrGenerator generator_;
    double speed_;
    MeasurementSink sink_;
    std::unique_ptr<Timer> timer_;
    std::chrono::steady_clock::time_point wall_start_;
    std::vector<Measurement> pending_;
    double group_time_ = 0.0;  // when pending_ is due (its beat's time)
    std::optional<EcgSynth> ecg_;
    std::unique_ptr<AccSynth> acc_;  // (it refers to generator_)
    bool running_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace relaxmon::devices::sim
