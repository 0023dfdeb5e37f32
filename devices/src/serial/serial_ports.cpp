#include "relaxmon/devices/serial/serial_ports.hpp"

#include <filesystem>
#include <map>

namespace relaxmon::devices::serial {

std::vector<SerialPortInfo> list_serial_ports() {
    namespace fs = std::filesystem;
    std::map<std::string, std::string> ports;  // device -> by-id name
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/dev/serial/by-id", ec))
        ports[fs::canonical(e.path(), ec).string()] = e.path().filename().string();
    for (const auto& e : fs::directory_iterator("/dev", ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind("ttyUSB", 0) == 0 || name.rfind("ttyACM", 0) == 0)
            ports.emplace(e.path().string(), "");
    }
    std::vector<SerialPortInfo> out;
    for (const auto& [dev, id] : ports)
        out.push_back({dev, id, id.empty() ? dev : "/dev/serial/by-id/" + id,
                       id.find("Dynastream") != std::string::npos ||
                           id.find("ANT_USB") != std::string::npos});
    return out;
}

}  // namespace relaxmon::devices::serial
