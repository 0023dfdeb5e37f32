#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "relaxmon/devices/replay/replay_device.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "relaxmon/devices/formats/rr_file.hpp"
#include "relaxmon/devices/formats/session_events.hpp"
#include "relaxmon/devices/formats/session_signals.hpp"

namespace relaxmon::devices::replay {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {
constexpr std::size_t kBatch = 512;  // at full speed, measurements per turn of the io_context

// When a measurement arrives: a block of samples once its last sample is taken.
double time_of(const Measurement& m) {
    return std::visit(
        [](const auto& v) -> double {
            if constexpr (requires { v.t_s; })
                return v.t_s;
            else if constexpr (requires { v.samples_uv; })
                return v.t0_s + static_cast<double>(v.samples_uv.size() - 1) / v.fs_hz;
            else if constexpr (requires { v.samples_mg; })
                return v.t0_s + static_cast<double>(v.samples_mg.size() - 1) / v.fs_hz;
            else
                return v.t0_s;
        },
        m);
}
}  // namespace

struct ReplayDevice::Impl : std::enable_shared_from_this<ReplayDevice::Impl> {
    Impl(asio::io_context& io, fs::path p, double s) : timer(io), path(std::move(p)), speed(s) {}
    asio::steady_timer timer;
    fs::path path;
    double speed;
    std::string device_name, original_source;
    std::vector<Measurement> timeline;  // in time order
    std::size_t next = 0;
    MeasurementSink sink;
    bool running = false, paused = false;
    std::optional<double> seek_to;  // delivering at full speed up to this time
    // Playback position: timeline time `anchor_t` at wall time `wall_anchor`, moving at `speed`.
    double anchor_t = 0.0;
    std::chrono::steady_clock::time_point wall_anchor;

    double playback_t() const {
        if (paused) return anchor_t;
        return anchor_t +
               std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_anchor)
                       .count() *
                   speed;
    }

    void load() {
        const bool folder = fs::is_directory(path);
        const fs::path beats_file = folder ? path / "beats.csv" : path;
        if (folder && !fs::exists(beats_file))
            throw formats::FormatError(
                fmt::format("{}: not a session folder (it has no beats.csv)", path.string()));
        const formats::RrSeries rr = formats::read_rr_file(beats_file);
        double offset_s = 0.0;  // the original session's clock at the start of its recording
        std::vector<formats::SessionEvent> events;
        if (folder) {
            if (std::ifstream in(path / "session.json"); in) {
                const auto j = nlohmann::json::parse(in, nullptr, false);
                if (j.is_object()) {
                    offset_s = j.value("recording_started_at_session_s", 0.0);
                    device_name = j.value("device_name", std::string());
                    original_source = j.value("source", std::string());
                }
            }
            if (fs::exists(path / "events.csv"))
                events = formats::read_session_events(path / "events.csv");
        }
        if (device_name.empty()) device_name = "Replay of " + path.filename().string();
        // A plain RR file: a strap connected from the start.
        bool any_status = false;
        for (const auto& e : events)
            any_status |= e.kind == "connected" || e.kind == "disconnected";
        if (!any_status) timeline.push_back(status(offset_s, true, true));
        // Beats first at equal times: live, an event is stamped with the last beat's time.
        for (std::size_t i = 0; i < rr.rr_ms.size(); ++i)
            timeline.push_back(RrBeat{rr.t_s[i] + offset_s, rr.rr_ms[i],
                                      rr.follows_gap[i] ? RrBeat::kAfterGap : 0u});
        for (const auto& e : events) {
            const double t = e.t_s + offset_s;
            if (e.kind == "marker")
                timeline.push_back(Marker{t, e.label});
            else if (e.kind == "connected" || e.kind == "contact_restored")
                timeline.push_back(status(t, true, true));
            else if (e.kind == "disconnected")
                timeline.push_back(status(t, false, std::nullopt));
            else if (e.kind == "contact_lost")
                timeline.push_back(status(t, true, false));
            // relaxation_onset/_end are the detector's: the replay computes them afresh.
        }
        // Raw ECG (shown, and recorded again) and chest acceleration (breathing from it).
        if (folder && fs::exists(path / "ecg.csv"))
            for (auto& b : formats::read_session_ecg(path / "ecg.csv")) {
                b.t0_s += offset_s;
                b.replayed = true;
                timeline.push_back(std::move(b));
            }
        if (folder && fs::exists(path / "acc.csv"))
            for (auto& b : formats::read_session_acc(path / "acc.csv")) {
                b.t0_s += offset_s;
                timeline.push_back(std::move(b));
            }
        std::stable_sort(
            timeline.begin(), timeline.end(),
            [](const Measurement& a, const Measurement& b) { return time_of(a) < time_of(b); });
    }

    DeviceStatus status(double t, bool connected, std::optional<bool> contact) const {
        DeviceStatus st;
        st.t_s = t;
        st.connected = connected;
        st.contact = contact;
        st.name = device_name;
        return st;
    }

    void pump() {
        if (!running) return;
        if (seek_to) {
            // Everything before the target at full speed, paused or not; then the clock is
            // anchored there.
            for (std::size_t n = 0; n < kBatch && next < timeline.size() && running &&
                                    time_of(timeline[next]) <= *seek_to;
                 ++n)
                sink(timeline[next++]);
            if (!running) return;
            if (next < timeline.size() && time_of(timeline[next]) <= *seek_to) {
                asio::post(timer.get_executor(), [self = weak_from_this()] {
                    if (auto s = self.lock()) s->pump();
                });
                return;
            }
            anchor_t = *seek_to;
            wall_anchor = std::chrono::steady_clock::now();
            seek_to.reset();
        }
        if (paused) return;
        if (speed == 0.0) {
            for (std::size_t n = 0; n < kBatch && next < timeline.size() && running; ++n)
                sink(timeline[next++]);
        } else {
            const double now_t = playback_t();
            while (next < timeline.size() && running && time_of(timeline[next]) <= now_t)
                sink(timeline[next++]);
        }
        if (!running) return;
        if (next == timeline.size()) {
            running = false;
            sink(EndOfStream{timeline.empty() ? 0.0 : time_of(timeline.back())});
            return;
        }
        if (speed == 0.0) {
            asio::post(timer.get_executor(), [self = weak_from_this()] {
                if (auto s = self.lock()) s->pump();
            });
            return;
        }
        const auto due =
            wall_anchor +
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>((time_of(timeline[next]) - anchor_t) / speed));
        timer.expires_at(due);
        timer.async_wait([self = weak_from_this()](auto ec) {
            if (auto s = self.lock(); s && !ec) s->pump();
        });
    }
};

ReplayDevice::ReplayDevice(asio::io_context& io, fs::path path, double speed)
    : impl_(std::make_shared<Impl>(io, std::move(path), speed)) {
    impl_->load();
}

ReplayDevice::~ReplayDevice() {
    stop();
}

void ReplayDevice::start(MeasurementSink sink) {
    impl_->sink = std::move(sink);
    impl_->running = true;
    impl_->wall_anchor = std::chrono::steady_clock::now();
    impl_->anchor_t = impl_->timeline.empty() ? 0.0 : time_of(impl_->timeline.front());
    impl_->pump();
}

void ReplayDevice::stop() {
    impl_->running = false;
    impl_->timer.cancel();
}

void ReplayDevice::set_playback(double speed, bool paused) {
    Impl& d = *impl_;
    if (d.seek_to) {  // the jump goes on; the new speed holds from its target
        d.speed = speed;
        d.paused = paused;
        return;
    }
    d.anchor_t = position_s();
    d.wall_anchor = std::chrono::steady_clock::now();
    d.speed = speed;
    d.paused = paused;
    d.timer.cancel();
    if (!paused && d.running)
        asio::post(d.timer.get_executor(), [self = std::weak_ptr<Impl>(impl_)] {
            if (auto s = self.lock()) s->pump();
        });
}

double ReplayDevice::position_s() const {
    const Impl& d = *impl_;
    if (d.seek_to) return *d.seek_to;
    if (d.timeline.empty()) return 0.0;
    // As fast as possible: the newest measurement delivered (the first before any).
    if (d.speed == 0.0) return time_of(d.timeline[d.next == 0 ? 0 : d.next - 1]);
    return d.paused ? d.anchor_t : d.playback_t();
}

bool ReplayDevice::seek(double t_s) {
    Impl& d = *impl_;
    if (!d.running || t_s < position_s()) return false;
    d.seek_to = t_s;
    d.timer.cancel();
    asio::post(d.timer.get_executor(), [self = std::weak_ptr<Impl>(impl_)] {
        if (auto s = self.lock()) s->pump();
    });
    return true;
}

std::optional<std::pair<double, double>> ReplayDevice::span_s() const {
    if (impl_->timeline.empty()) return std::nullopt;
    return std::pair{time_of(impl_->timeline.front()), time_of(impl_->timeline.back())};
}

std::string ReplayDevice::name() const {
    return impl_->device_name;
}

nlohmann::json ReplayDevice::describe() const {
    return {{"kind", "replay"},
            {"path", impl_->path.string()},
            {"original_source", impl_->original_source},
            {"speed", impl_->speed == 0.0 ? nlohmann::json("max") : nlohmann::json(impl_->speed)}};
}

}  // namespace relaxmon::devices::replay
