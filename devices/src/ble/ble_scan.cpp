#include "relaxmon/devices/ble/ble_scan.hpp"

#include <fmt/format.h>

#include <sdbus-c++/sdbus-c++.h>
#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <thread>

#include "bluez_errors.hpp"

namespace relaxmon::devices::ble {

namespace {
constexpr const char* kHrService = "0000180d-0000-1000-8000-00805f9b34fb";
using Properties = std::map<std::string, sdbus::Variant>;
using ManagedObjects = std::map<sdbus::ObjectPath, std::map<std::string, Properties>>;

ManagedObjects managed_objects(sdbus::IConnection& conn) {
    ManagedObjects objects;
    sdbus::createProxy(conn, "org.bluez", "/")
        ->callMethod("GetManagedObjects")
        .onInterface("org.freedesktop.DBus.ObjectManager")
        .storeResultsTo(objects);
    return objects;
}
}  // namespace

std::vector<FoundStrap> scan_straps(double seconds) {
    try {
        auto conn = sdbus::createSystemBusConnection();
        auto objects = managed_objects(*conn);
        std::optional<std::string> adapter;
        for (auto& [path, ifs] : objects)
            if (ifs.count("org.bluez.Adapter1")) {
                adapter = path;
                auto& p = ifs["org.bluez.Adapter1"];
                if (p.count("Powered") && !p["Powered"].get<bool>())
                    throw std::runtime_error(
                        fmt::format("Bluetooth adapter {} is powered off: bluetoothctl power on",
                                    std::string(path)));
                break;
            }
        if (!adapter)
            throw std::runtime_error("no Bluetooth adapter found (is the dongle plugged in?)");
        auto proxy = sdbus::createProxy(*conn, "org.bluez", *adapter);
        std::map<std::string, sdbus::Variant> filter{
            {"UUIDs", sdbus::Variant(std::vector<std::string>{kHrService})},
            {"Transport", sdbus::Variant(std::string("le"))}};
        proxy->callMethod("SetDiscoveryFilter")
            .onInterface("org.bluez.Adapter1")
            .withArguments(filter);
        proxy->callMethod("StartDiscovery").onInterface("org.bluez.Adapter1");
        const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        while (std::chrono::steady_clock::now() < end) {
            while (conn->processPendingRequest()) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        try {
            proxy->callMethod("StopDiscovery").onInterface("org.bluez.Adapter1");
        } catch (const sdbus::Error&) {
        }
        std::vector<FoundStrap> found;
        for (auto& [path, ifs] : managed_objects(*conn)) {
            auto it = ifs.find("org.bluez.Device1");
            if (it == ifs.end()) continue;
            auto& p = it->second;
            const auto uuids = p.count("UUIDs") ? p["UUIDs"].get<std::vector<std::string>>()
                                                : std::vector<std::string>{};
            if (std::find(uuids.begin(), uuids.end(), kHrService) == uuids.end()) continue;
            FoundStrap s;
            s.path = path;
            s.address = p.count("Address") ? p["Address"].get<std::string>() : "";
            s.name = p.count("Name") ? p["Name"].get<std::string>() : "(no name)";
            if (p.count("RSSI")) s.rssi_dbm = p["RSSI"].get<std::int16_t>();
            found.push_back(s);
        }
        std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
            return a.rssi_dbm.value_or(-999) > b.rssi_dbm.value_or(-999);
        });
        return found;
    } catch (const sdbus::Error& e) {
        throw std::runtime_error(bluez_unreachable(e));
    }
}

}  // namespace relaxmon::devices::ble
