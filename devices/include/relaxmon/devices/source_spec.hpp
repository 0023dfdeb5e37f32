#pragma once
// Parsing of the --source address (DESIGN.md, "Sources"): `kind[:target][?key=value&...]`,
// e.g. `sim`, `sim:massage?seed=7&speed=10`, `ble:auto`, `serial:/dev/ttyUSB0?protocol=ant`.
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "relaxmon/devices/device.hpp"

namespace relaxmon::devices {

struct SourceSpec {
    std::string text;    // as given
    std::string kind;    // sim | ble | serial | file
    std::string target;  // after ':' (scenario, address, path)
    std::map<std::string, std::string> params;

    std::optional<std::string> param(const std::string& key) const;
};

// A --source that is malformed (a usage error); what() is one line naming the source and fault.
struct SourceError : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A well-formed source that cannot be used here (not supported, no adapter, no permission).
struct SourceUnavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

SourceSpec parse_source(const std::string& text);

// Speed of simulated/replayed time: 1 = real time, 0 = as fast as possible ("max").
double parse_speed(const std::string& text);

// Builds the device for a source; `speed` overrides the source's own `speed=` when given.
std::unique_ptr<Device> make_device(const SourceSpec& spec, boost::asio::io_context& io,
                                    std::optional<double> speed);

}  // namespace relaxmon::devices
