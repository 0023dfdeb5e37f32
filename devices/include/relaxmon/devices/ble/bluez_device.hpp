#pragma once
// BlueZDevice: a BLE heart-rate strap through BlueZ on the system D-Bus (DBUS_SYSTEM_BUS_ADDRESS
// is honoured). The D-Bus connection is driven from the session's io_context (its fd is watched
// by Asio and processed there), so every callback runs on the session thread; no exception
// crosses an sd-bus callback.
//
// Sequence (PROTOCOLS.md section 3): GetManagedObjects and a mirror kept current from
// InterfacesAdded/Removed and PropertiesChanged; the strap is the Device1 with the address asked
// for, or (ble:auto) the one advertising 0x180D with the strongest RSSI, discovered with a
// 0x180D filter if needed; Connect, wait for ServicesResolved, find 0x2A37 by UUID under the
// device, StartNotify, decode each Value. Beat times follow the strap's own RR sequence,
// anchored to arrival time; ble:auto prefers the strap used last (remembered in
// $XDG_STATE_HOME/relaxmon/last_ble_address) and otherwise takes the strongest. On Connected=false:
// `disconnected`, then reconnect with back-off 1, 2, 4 ... 30 s, and `connected` again; beats
// across the gap are never invented.
#include <memory>
#include <optional>
#include <string>

#include "relaxmon/devices/device.hpp"

namespace relaxmon::devices::ble {

struct BleOptions {
    std::optional<std::string> address;  // nullopt: auto
    double scan_timeout_s = 20.0;
    bool ecg = false;  // Polar H10: stream raw ECG through PMD (the beats then come from it)
    bool acc = false;  // Polar H10: stream chest acceleration through PMD (breathing from it)
};

class BlueZDevice final : public Device {
  public:
    BlueZDevice(boost::asio::io_context& io, BleOptions options);
    ~BlueZDevice() override;

    void start(MeasurementSink sink) override;
    void stop() override;
    std::string name() const override;
    nlohmann::json describe() const override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace relaxmon::devices::ble
