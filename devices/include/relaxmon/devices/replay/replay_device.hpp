#pragma once
// ReplayDevice: a recording played back as if a strap were sending it, through the same session
// pipeline. A session folder gives its beats (beats.csv, with the gaps it recorded), its device
// events (connected, disconnected, contact lost and restored), its markers, its raw ECG (shown,
// not detected again) and chest acceleration (breathing), at their times on the original
// session's clock, so the replay reproduces metrics.csv and events.csv; any RR file
// `relaxmon analyze` reads (RR text, beats.csv, Polar Sensor Logger CSV, WFDB annotations) plays
// as a strap connected throughout. Speed 1 is real time, 0 as fast as possible.
#include <filesystem>
#include <memory>
#include <vector>

#include "relaxmon/devices/device.hpp"

namespace relaxmon::devices::replay {

class ReplayDevice final : public Device {
  public:
    // Reads the recording now: throws formats::FormatError naming file and line on bad input.
    ReplayDevice(boost::asio::io_context& io, std::filesystem::path path, double speed);
    ~ReplayDevice() override;

    void start(MeasurementSink sink) override;
    void stop() override;
    std::string name() const override;
    nlohmann::json describe() const override;
    // Pauses, resumes or changes speed from where the replay is now.
    void set_playback(double speed, bool paused) override;
    // Forward only: everything up to `t_s` at full speed, then on at the chosen speed (or
    // paused there).
    bool seek(double t_s) override;
    std::optional<std::pair<double, double>> span_s() const override;

  private:
    double position_s() const;  // where the playback is now
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace relaxmon::devices::replay
