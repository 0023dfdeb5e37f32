#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "relaxmon/devices/sim/sim_device.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
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

SimDevice::SimDevice(boost::asio::io_context& io, ScenarioScript script, double speed, bool ecg,
                     bool acc)
    : io_(io), generator_(std::move(script)), speed_(speed), timer_(std::make_unique<Timer>(io)) {
    if (ecg) ecg_.emplace(130.0, generator_.script().seed);
    if (acc) acc_ = std::make_unique<AccSynth>(generator_);
}

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
            {"ecg_hz", ecg_ ? nlohmann::json(ecg_->fs_hz()) : nlohmann::json(nullptr)},
            {"acc_hz", acc_ ? nlohmann::json(acc_->fs_hz()) : nlohmann::json(nullptr)},
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
    next_group();
    schedule_next();
}

void SimDevice::stop() {
    running_ = false;
    timer_->timer.cancel();
}

void SimDevice::next_group() {
    pending_ = generator_.next();
    group_time_ = measurement_time(pending_.back());  // the group ends with its beat
    if (acc_) {
        // The chest up to this beat, first (the strap streams it while the link is up).
        acc_->add_beat(group_time_);
        acc_->add_breath(generator_.breath());
        AccBlock block = acc_->take_ready();
        const auto& dropout = generator_.script().dropout;
        if (dropout && !block.samples_mg.empty() && block.t0_s < dropout->end_s) {
            const auto skip = static_cast<std::size_t>(
                std::clamp(std::ceil((dropout->end_s - block.t0_s) * block.fs_hz), 0.0,
                           static_cast<double>(block.samples_mg.size())));
            if (block.t0_s + static_cast<double>(block.samples_mg.size()) / block.fs_hz >
                dropout->start_s) {
                block.samples_mg.erase(
                    block.samples_mg.begin(),
                    block.samples_mg.begin() + static_cast<std::ptrdiff_t>(skip));
                block.t0_s += static_cast<double>(skip) / block.fs_hz;
            }
        }
        // In time order: after what happened before its first sample (a dropout's
        // disconnect), before the beat.
        if (!block.samples_mg.empty()) {
            auto at = std::find_if(pending_.begin(), pending_.end(), [&](const Measurement& m) {
                return std::holds_alternative<RrBeat>(m) || measurement_time(m) > block.t0_s;
            });
            pending_.insert(at, std::move(block));
        }
    }
    if (!ecg_) return;
    // With raw ECG the strap's beats reach the session only through the ECG: the synthesiser
    // draws every beat; the group is delivered at the beat's time.
    std::vector<Measurement> group;
    for (const Measurement& m : pending_)
        if (const auto* b = std::get_if<RrBeat>(&m)) ecg_->add_beat(b->t_s);
    for (Measurement& m : pending_)  // the chest's samples first, as above
        if (std::holds_alternative<AccBlock>(m)) group.push_back(std::move(m));
    auto block = ecg_->take_ready();
    if (!block.samples_uv.empty())
        group.emplace_back(EcgBlock{block.t0_s, ecg_->fs_hz(), std::move(block.samples_uv)});
    for (Measurement& m : pending_)
        if (!std::holds_alternative<RrBeat>(m) && !std::holds_alternative<AccBlock>(m))
            group.push_back(std::move(m));
    pending_ = std::move(group);
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
    const double t_s = group_time_;  // the time of the group's beat
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
            const double t_s = group_time_;  // the time of the group's beat
            if (wall_start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(t_s / speed_)) >
                now)
                break;
        }
        for (const Measurement& m : pending_) {
            sink_(m);  // the sink may stop us
            if (!running_) return;
        }
        next_group();
    }
    schedule_next();
}

}  // namespace relaxmon::devices::sim
