#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "relaxmon/devices/ble/bluez_device.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <sdbus-c++/sdbus-c++.h>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "bluez_errors.hpp"
#include "relaxmon/devices/ble/hrs_parser.hpp"
#include "relaxmon/devices/ble/pmd_parser.hpp"

namespace relaxmon::devices::ble {

namespace {
constexpr const char* kBluez = "org.bluez";
constexpr const char* kHrService = "0000180d-0000-1000-8000-00805f9b34fb";
constexpr const char* kHrMeasurement = "00002a37-0000-1000-8000-00805f9b34fb";
constexpr const char* kPmdControl = "fb005c81-02e7-f387-1cad-8acd2d8df0c8";
constexpr const char* kPmdData = "fb005c82-02e7-f387-1cad-8acd2d8df0c8";
constexpr double kPmdEcgRate_hz = 130.0;
constexpr double kPmdAccRate_hz = 200.0;  // as pmd_start_acc() asks
constexpr const char* kDeviceIface = "org.bluez.Device1";
constexpr const char* kAdapterIface = "org.bluez.Adapter1";
constexpr const char* kCharIface = "org.bluez.GattCharacteristic1";
constexpr const char* kBatteryIface = "org.bluez.Battery1";
constexpr double kMaxBackoff_s = 30.0;
constexpr double kReanchor_s = 2.0;      // RR time lagging arrival by more: beats were lost
constexpr double kSilentStrap_s = 10.0;  // connected, notifying, yet no measurement this long

using Properties = std::map<std::string, sdbus::Variant>;
using Interfaces = std::map<std::string, Properties>;
using ManagedObjects = std::map<sdbus::ObjectPath, Interfaces>;

// Where ble:auto remembers the strap it last used: $XDG_STATE_HOME/relaxmon/last_ble_address.
std::filesystem::path last_used_file() {
    if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x)
        return std::filesystem::path(x) / "relaxmon" / "last_ble_address";
    if (const char* h = std::getenv("HOME"); h && *h)
        return std::filesystem::path(h) / ".local" / "state" / "relaxmon" / "last_ble_address";
    return {};
}

std::optional<std::string> read_last_used() {
    std::ifstream in(last_used_file());
    std::string address;
    if (in >> address) return address;
    return std::nullopt;
}

void remember_last_used(const std::string& address) {
    const auto file = last_used_file();
    if (file.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    std::ofstream(file) << address << "\n";  // best effort: a read-only home only loses the hint
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}
}  // namespace

struct BlueZDevice::Impl {
    Impl(boost::asio::io_context& io_, BleOptions o)
        : io(io_), options(std::move(o)), bus_fd(io_), timer(io_), retry(io_) {}

    boost::asio::io_context& io;
    BleOptions options;
    MeasurementSink sink;
    std::unique_ptr<sdbus::IConnection> conn;
    std::unique_ptr<sdbus::IProxy> root;
    std::vector<sdbus::Slot> matches;
    boost::asio::posix::stream_descriptor bus_fd;
    boost::asio::steady_timer timer, retry;
    std::chrono::steady_clock::time_point t0;
    bool running = false;

    ManagedObjects objects;  // the mirror of BlueZ's object tree
    std::optional<std::string> device_path, char_path, pmd_cp_path, pmd_data_path;
    bool pmd_started = false;
    std::vector<std::uint8_t> pmd_pending;  // measurements still to start, one after another
    std::optional<std::string> last_used = read_last_used();
    std::optional<double> pmd_offset_s;  // session time minus sensor time, from the first frame
    std::string device_name = "BLE strap";
    bool connected = false, notifying = false, connecting = false;
    double backoff_s = 1.0;
    std::optional<double> last_beat_t;
    std::optional<double> last_value_s;  // arrival of the last measurement, for the watchdog
    bool reanchor = false;
    std::optional<double> scan_deadline;

    double now_s() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    void fail(const std::string& why) {
        running = false;
        sink(DeviceError{now_s(), why});
    }
    void status(bool is_connected) {
        DeviceStatus st;
        st.t_s = now_s();
        st.connected = is_connected;
        st.name = device_name;
        if (device_path) {
            auto& ifs = objects[sdbus::ObjectPath(*device_path)];
            if (ifs.count(kBatteryIface) && ifs[kBatteryIface].count("Percentage"))
                st.battery_pct = ifs[kBatteryIface]["Percentage"].get<std::uint8_t>();
            if (ifs[kDeviceIface].count("RSSI"))
                st.rssi_dbm = ifs[kDeviceIface]["RSSI"].get<std::int16_t>();
        }
        sink(st);
    }

    // --- the bus, driven by Asio ---
    void pump() {
        try {
            while (conn && conn->processPendingRequest()) {
            }
        } catch (const std::exception&) {
        }
    }
    void watch_bus() {
        if (!running) return;
        bus_fd.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                          [this](const boost::system::error_code& ec) {
                              if (ec || !running) return;
                              pump();
                              step();
                              watch_bus();
                          });
    }
    void tick() {  // timeouts of pending calls, discovery deadline
        if (!running) return;
        timer.expires_after(std::chrono::milliseconds(100));
        timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec || !running) return;
            pump();
            step();
            tick();
        });
    }

    // --- the object mirror ---
    void on_signal(sdbus::Message& msg) {
        try {
            const std::string member = msg.getMemberName();
            if (member == "InterfacesAdded") {
                sdbus::ObjectPath path;
                Interfaces ifs;
                msg >> path >> ifs;
                for (auto& [name, props] : ifs) objects[path][name] = props;
            } else if (member == "InterfacesRemoved") {
                sdbus::ObjectPath path;
                std::vector<std::string> names;
                msg >> path >> names;
                for (const auto& n : names) objects[path].erase(n);
                if (objects[path].empty()) objects.erase(path);
                if (char_path && path == *char_path) {
                    char_path.reset();
                    notifying = false;
                }
            } else if (member == "PropertiesChanged") {
                std::string iface;
                Properties changed;
                std::vector<std::string> invalidated;
                msg >> iface >> changed >> invalidated;
                const std::string path = msg.getPath();
                for (auto& [k, v] : changed) objects[sdbus::ObjectPath(path)][iface][k] = v;
                if (iface == kCharIface && char_path && path == *char_path &&
                    changed.count("Value"))
                    on_value(changed["Value"].get<std::vector<std::uint8_t>>());
                if (iface == kCharIface && pmd_cp_path && path == *pmd_cp_path &&
                    changed.count("Value"))
                    on_pmd_control(changed["Value"].get<std::vector<std::uint8_t>>());
                if (iface == kCharIface && pmd_data_path && path == *pmd_data_path &&
                    changed.count("Value"))
                    on_pmd_data(changed["Value"].get<std::vector<std::uint8_t>>());
                if (iface == kDeviceIface && device_path && path == *device_path &&
                    changed.count("Connected") && !changed["Connected"].get<bool>() && connected)
                    on_disconnected();
                if (iface == kBatteryIface && device_path && path.rfind(*device_path, 0) == 0)
                    status(connected);
            }
        } catch (const std::exception&) {
            // A malformed signal is ignored; the mirror stays as it was.
        }
    }

    Properties* props(const std::string& path, const char* iface) {
        auto it = objects.find(sdbus::ObjectPath(path));
        if (it == objects.end()) return nullptr;
        auto jt = it->second.find(iface);
        return jt == it->second.end() ? nullptr : &jt->second;
    }
    bool prop_bool(const std::string& path, const char* iface, const char* key) {
        auto* p = props(path, iface);
        return p && p->count(key) && (*p)[key].get<bool>();
    }

    std::optional<std::string> find_adapter() {
        for (auto& [path, ifs] : objects)
            if (ifs.count(kAdapterIface)) return std::string(path);
        return std::nullopt;
    }
    std::optional<std::string> find_strap() {
        std::optional<std::string> best;
        int best_rssi = -1000;
        for (auto& [path, ifs] : objects) {
            auto it = ifs.find(kDeviceIface);
            if (it == ifs.end()) continue;
            auto& p = it->second;
            if (options.address) {
                if (p.count("Address") &&
                    lower(p["Address"].get<std::string>()) == lower(*options.address))
                    return std::string(path);
                continue;
            }
            if (!p.count("UUIDs")) continue;
            const auto uuids = p["UUIDs"].get<std::vector<std::string>>();
            if (std::find(uuids.begin(), uuids.end(), kHrService) == uuids.end()) continue;
            // The strap used last time wins when it is around; otherwise the strongest signal.
            if (last_used && p.count("Address") &&
                lower(p["Address"].get<std::string>()) == lower(*last_used))
                return std::string(path);
            const int rssi = p.count("RSSI") ? p["RSSI"].get<std::int16_t>() : -999;
            if (rssi > best_rssi) best_rssi = rssi, best = std::string(path);
        }
        return best;
    }
    // A characteristic of our device, found by UUID (never by path).
    std::optional<std::string> find_characteristic(const char* uuid) {
        for (auto& [path, ifs] : objects) {
            auto it = ifs.find(kCharIface);
            if (it == ifs.end() || std::string(path).rfind(*device_path + "/", 0) != 0) continue;
            if (it->second.count("UUID") && lower(it->second["UUID"].get<std::string>()) == uuid)
                return std::string(path);
        }
        return std::nullopt;
    }

    // Polar H10 raw data: notifications on the PMD control point (indications) and data, then one
    // start command per stream; the next is written once the control point has answered the last
    // (the H10 handles one request at a time), and an answer with an error ends the session.
    void start_pmd() {
        pmd_started = true;
        pmd_cp_path = find_characteristic(kPmdControl);
        pmd_data_path = find_characteristic(kPmdData);
        if (!pmd_cp_path || !pmd_data_path)
            return fail(
                "this strap has no Polar PMD service: raw ECG and acceleration (?ecg=1, ?acc=1) "
                "need a Polar H10");
        for (const auto& p : {*pmd_cp_path, *pmd_data_path})
            sdbus::createProxy(*conn, kBluez, p)->callMethod("StartNotify").onInterface(kCharIface);
        pmd_pending.clear();
        if (options.acc) pmd_pending.push_back(kPmdAcc);
        if (options.ecg) pmd_pending.push_back(kPmdEcg);  // sent first: taken from the back
        start_next_pmd_stream();
    }
    void start_next_pmd_stream() {
        if (pmd_pending.empty()) return;
        const std::uint8_t m = pmd_pending.back();
        pmd_pending.pop_back();
        std::map<std::string, sdbus::Variant> opts{
            {"type", sdbus::Variant(std::string("request"))}};
        sdbus::createProxy(*conn, kBluez, *pmd_cp_path)
            ->callMethod("WriteValue")
            .onInterface(kCharIface)
            .withArguments(m == kPmdEcg ? pmd_start_ecg() : pmd_start_acc(), opts);
    }
    void on_pmd_control(const std::vector<std::uint8_t>& value) {
        const auto r = parse_pmd_control_response(value);
        if (!r || r->opcode != 0x02) return;
        if (r->error != 0)
            return fail(fmt::format("the Polar H10 refused to start {}: {}",
                                    r->measurement == kPmdAcc ? "acceleration" : "ECG",
                                    pmd_error_name(r->error)));
        start_next_pmd_stream();
    }
    void on_pmd_data(const std::vector<std::uint8_t>& value) {
        last_value_s = now_s();
        const auto frame = parse_pmd_data(value);
        if (!frame) return;
        // A frame's timestamp is the strap's clock at its last sample: sample times follow the
        // strap's clock (shared by its streams), placed on the session's by the first frame.
        auto first_sample_s = [&](std::uint64_t timestamp_ns, std::size_t n, double fs_hz) {
            const double last_sensor_s = static_cast<double>(timestamp_ns) / 1e9;
            if (!pmd_offset_s) pmd_offset_s = now_s() - last_sensor_s;
            return last_sensor_s + *pmd_offset_s - (static_cast<double>(n) - 1.0) / fs_hz;
        };
        if (const auto* ecg = std::get_if<PmdEcgFrame>(&*frame); ecg && !ecg->samples_uv.empty()) {
            EcgBlock block;
            block.fs_hz = kPmdEcgRate_hz;
            block.t0_s = first_sample_s(ecg->timestamp_ns, ecg->samples_uv.size(), block.fs_hz);
            block.samples_uv.assign(ecg->samples_uv.begin(), ecg->samples_uv.end());
            sink(block);
        } else if (const auto* acc = std::get_if<PmdAccFrame>(&*frame);
                   acc && !acc->samples_mg.empty()) {
            AccBlock block;
            block.fs_hz = kPmdAccRate_hz;
            block.t0_s = first_sample_s(acc->timestamp_ns, acc->samples_mg.size(), block.fs_hz);
            block.samples_mg = acc->samples_mg;
            sink(block);
        }
    }

    // --- the connection state machine, re-entered after every bus event ---
    void step() {
        if (!running) return;
        try {
            if (!device_path) {
                device_path = find_strap();
                if (!device_path) {
                    if (!scan_deadline)
                        start_discovery();
                    else if (now_s() > *scan_deadline)
                        fail(options.address
                                 ? fmt::format("no strap with address {} found within {:.0f} s",
                                               *options.address, options.scan_timeout_s)
                                 : fmt::format("no heart-rate strap (0x180D) found within {:.0f} s",
                                               options.scan_timeout_s));
                    return;
                }
                if (auto* p = props(*device_path, kDeviceIface); p && p->count("Name"))
                    device_name = (*p)["Name"].get<std::string>();
                if (scan_deadline) stop_discovery();
            }
            const bool is_connected = prop_bool(*device_path, kDeviceIface, "Connected");
            const bool resolved = prop_bool(*device_path, kDeviceIface, "ServicesResolved");
            if (!is_connected) {
                if (!connecting) connect();
                return;
            }
            if (!resolved) return;  // the link is ready only when services are resolved
            if (!char_path) char_path = find_characteristic(kHrMeasurement);
            if (!char_path) return;
            if (!notifying) {
                auto proxy = sdbus::createProxy(*conn, kBluez, *char_path);
                proxy->callMethod("StartNotify").onInterface(kCharIface);
                notifying = true;
                if (options.ecg || options.acc) {
                    pmd_started = false;
                    pmd_offset_s.reset();  // the strap's clock restarts its stream
                }
            }
            if ((options.ecg || options.acc) && !pmd_started) start_pmd();
            if (!connected) {
                connected = true;
                backoff_s = 1.0;
                if (auto* p = props(*device_path, kDeviceIface); p && p->count("Address"))
                    remember_last_used((*p)["Address"].get<std::string>());
                last_value_s = now_s();
                status(true);
            } else if (last_value_s && now_s() - *last_value_s > kSilentStrap_s) {
                // A strap that stays "connected" but says nothing has dropped for us: start over.
                last_value_s.reset();
                try {
                    sdbus::createProxy(*conn, kBluez, *device_path)
                        ->callMethod("Disconnect")
                        .onInterface(kDeviceIface);
                } catch (const sdbus::Error&) {
                }
                on_disconnected();
            }
        } catch (const sdbus::Error& e) {
            if (e.getName() == "org.freedesktop.DBus.Error.AccessDenied")
                fail(
                    "no permission to use Bluetooth on the system bus: add yourself to the "
                    "'bluetooth' group or install a polkit rule");
            else if (e.getName() == "org.freedesktop.DBus.Error.ServiceUnknown")
                fail(
                    "bluetoothd is not running (no org.bluez on the system bus): sudo systemctl "
                    "start bluetooth");
            else
                schedule_reconnect();
        }
    }

    void start_discovery() {
        auto adapter = find_adapter();
        if (!adapter) return fail("no Bluetooth adapter found (is the dongle plugged in?)");
        if (!prop_bool(*adapter, kAdapterIface, "Powered"))
            return fail(fmt::format("Bluetooth adapter {} is powered off: bluetoothctl power on",
                                    *adapter));
        auto proxy = sdbus::createProxy(*conn, kBluez, *adapter);
        std::map<std::string, sdbus::Variant> filter{
            {"UUIDs", sdbus::Variant(std::vector<std::string>{kHrService})},
            {"Transport", sdbus::Variant(std::string("le"))}};
        proxy->callMethod("SetDiscoveryFilter").onInterface(kAdapterIface).withArguments(filter);
        proxy->callMethod("StartDiscovery").onInterface(kAdapterIface);
        scan_deadline = now_s() + options.scan_timeout_s;
    }
    void stop_discovery() {
        scan_deadline.reset();
        if (auto adapter = find_adapter()) {
            try {
                auto proxy = sdbus::createProxy(*conn, kBluez, *adapter);
                proxy->callMethod("StopDiscovery").onInterface(kAdapterIface);
            } catch (const sdbus::Error&) {
            }
        }
    }
    void connect() {
        connecting = true;
        auto proxy =
            std::shared_ptr<sdbus::IProxy>(sdbus::createProxy(*conn, kBluez, *device_path));
        proxy->callMethodAsync("Connect")
            .onInterface(kDeviceIface)
            .withTimeout(std::chrono::seconds(40))
            .uponReplyInvoke([this, proxy](const sdbus::Error* err) {
                connecting = false;
                if (err) schedule_reconnect();
            });
    }
    void schedule_reconnect() {
        retry.expires_after(std::chrono::milliseconds(static_cast<int>(backoff_s * 1000)));
        backoff_s = std::min(kMaxBackoff_s, backoff_s * 2.0);
        connecting = true;  // nothing else tries meanwhile
        retry.async_wait([this](const boost::system::error_code& ec) {
            if (ec || !running) return;
            connecting = false;
            step();
        });
    }
    void on_disconnected() {
        connected = false;
        notifying = false;
        reanchor = true;  // no RR may span the gap; the session marks it from the status
        status(false);
        schedule_reconnect();
    }

    void on_value(const std::vector<std::uint8_t>& value) {
        last_value_s = now_s();
        const auto m = parse_hr_measurement(value);
        if (!m) return;  // malformed notification: ignored, the next one counts
        const double arrival = now_s();
        // Beat times from the strap's own RR, anchored to the arrival of the first notification
        // (and again when the RR sum falls behind arrival: beats were lost in transit).
        double total = 0.0;
        for (double rr : m->rr_ms) total += rr / 1000.0;
        // After a drop the new anchor never goes back before the last beat: times stay monotonic.
        if (!last_beat_t || reanchor || *last_beat_t + total < arrival - kReanchor_s)
            last_beat_t = std::max(arrival - total, last_beat_t.value_or(arrival - total));
        reanchor = false;
        for (double rr : m->rr_ms) {
            *last_beat_t += rr / 1000.0;
            RrBeat b{*last_beat_t, rr, 0};
            if (m->contact == SensorContact::not_detected) b.flags |= RrBeat::kNoContact;
            sink(b);
        }
    }
};

BlueZDevice::BlueZDevice(boost::asio::io_context& io, BleOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(options))) {}

BlueZDevice::~BlueZDevice() {
    stop();
}

std::string BlueZDevice::name() const {
    return impl_->device_name;
}

nlohmann::json BlueZDevice::describe() const {
    return {{"kind", "ble"},
            {"address", impl_->options.address ? nlohmann::json(*impl_->options.address)
                                               : nlohmann::json("auto")},
            {"device_path",
             impl_->device_path ? nlohmann::json(*impl_->device_path) : nlohmann::json(nullptr)}};
}

void BlueZDevice::start(MeasurementSink sink) {
    Impl& d = *impl_;
    d.sink = std::move(sink);
    d.t0 = std::chrono::steady_clock::now();
    d.running = true;
    try {
        d.conn = sdbus::createSystemBusConnection();
        d.matches.push_back(d.conn->addMatch(
            "type='signal',sender='org.bluez',interface='org.freedesktop.DBus.ObjectManager'",
            [&d](sdbus::Message& m) { d.on_signal(m); }));
        d.matches.push_back(
            d.conn->addMatch("type='signal',sender='org.bluez',interface='org.freedesktop.DBus."
                             "Properties',member='PropertiesChanged'",
                             [&d](sdbus::Message& m) { d.on_signal(m); }));
        d.root = sdbus::createProxy(*d.conn, kBluez, "/");
        d.root->callMethod("GetManagedObjects")
            .onInterface("org.freedesktop.DBus.ObjectManager")
            .storeResultsTo(d.objects);
        d.bus_fd.assign(::dup(d.conn->getEventLoopPollData().fd));
    } catch (const sdbus::Error& e) {
        return d.fail(bluez_unreachable(e));
    }
    d.watch_bus();
    d.tick();
    d.step();
}

void BlueZDevice::stop() {
    Impl& d = *impl_;
    if (!d.running) return;
    d.running = false;
    d.timer.cancel();
    d.retry.cancel();
    boost::system::error_code ec;
    d.bus_fd.cancel(ec);
    if (d.char_path && d.conn) {
        try {
            auto proxy = sdbus::createProxy(*d.conn, kBluez, *d.char_path);
            proxy->callMethod("StopNotify").onInterface(kCharIface);
        } catch (const sdbus::Error&) {
        }
    }
}

}  // namespace relaxmon::devices::ble
