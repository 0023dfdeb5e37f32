#pragma once
// Listing the heart-rate straps BlueZ can see: discovery with a 0x180D filter for a few seconds,
// then every Device1 advertising the Heart Rate Service, strongest first.
#include <optional>
#include <string>
#include <vector>

namespace relaxmon::devices::ble {

struct FoundStrap {
    std::string address;
    std::string name;
    std::optional<int> rssi_dbm;
    std::string path;
};

// Throws std::runtime_error with one line when BlueZ cannot be used (no bus, no bluetoothd, no
// adapter, adapter off, no permission).
std::vector<FoundStrap> scan_straps(double seconds);

}  // namespace relaxmon::devices::ble
