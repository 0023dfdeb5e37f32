#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "relaxmon/devices/sim/sim_device.hpp"

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

namespace relaxmon::devices::sim {

namespace {
constexpr int kBatchAtMaxSpeed = 256;  // measurements per handler when running flat out

double measurement_time(const Measurement& m) {
    return std::visit(
        [](const auto& x) {
            if constexpr (requires { x.t_s; })
                return x.t_s;
            else
                return x.t0_s;
        },
        m);
}
}  // namespace

struct SimDevice::Timer {
    explicit Timer(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
};

SimDevice::SimDevice(boost::asio::io_context& io, ScenarioScript script, double speed)
    : io_(io), generator_(std::move(script)), speed_(speed), timer_(std::make_unique<Timer>(io)) {}

SimDevice::~SimDevice() {
    *alive_ = false;
    running_ = false;
}

std::string SimDevice::name() const {
    return fmt::format("Simulated strap ({}, seed {})", scenario_name(generator_.script().scenario),
                       generator_.script().seed);
}

nlohmann::json SimDevice::describe() const {
    return {{"kind", "sim"},
            {"speed", speed_ == 0.0 ? nlohmann::json("max") : nlohmann::json(speed_)},
            {"ground_truth", to_json(generator_.script())}};
}

void SimDevice::start(MeasurementSink sink) {
    sink_ = std::move(sink);
    running_ = true;
    wall_start_ = std::chrono::steady_clock::now();
    DeviceStatus hello;
    hello.connected = true;
    hello.contact = true;
    hello.battery_pct = 100;
    hello.name = name();
    sink_(hello);
    if (!running_) return;
    pending_ = generator_.next();
    schedule_next();
}

void SimDevice::stop() {
    running_ = false;
    timer_->timer.cancel();
}

void SimDevice::schedule_next() {
    if (!running_) return;
    std::weak_ptr<bool> alive = alive_;
    if (speed_ == 0.0) {
        boost::asio::post(io_, [this, alive] {
            if (alive.lock()) deliver_due();
        });
        return;
    }
    const double t_s = measurement_time(pending_.front());
    const auto due = wall_start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(t_s / speed_));
    timer_->timer.expires_at(due);
    timer_->timer.async_wait([this, alive](const boost::system::error_code& ec) {
        if (!ec && alive.lock()) deliver_due();
    });
}

void SimDevice::deliver_due() {
    const auto now = std::chrono::steady_clock::now();
    for (int n = 0; running_; ++n) {
        if (speed_ == 0.0 && n >= kBatchAtMaxSpeed) break;
        if (speed_ > 0.0) {
            const double t_s = measurement_time(pending_.front());
            if (wall_start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(t_s / speed_)) >
                now)
                break;
        }
        for (const Measurement& m : pending_) {
            sink_(m);  // the sink may stop us
            if (!running_) return;
        }
        pending_ = generator_.next();
    }
    schedule_next();
}

}  // namespace relaxmon::devices::sim
