#pragma once
// `serial:PATH?protocol=ant|rr|ecg|pulsesensor[&baud=B][&fs=HZ][&netkey=HEX][&search=S]`: the
// options checked and the device built. Usage errors throw SourceError; a missing or malformed
// ANT+ network key (from netkey= or the user's config.toml) throws SourceUnavailable.
#include <memory>

#include "relaxmon/devices/source_spec.hpp"

namespace relaxmon::devices::serial {

std::unique_ptr<Device> make_serial_device(const SourceSpec& spec, boost::asio::io_context& io);

}  // namespace relaxmon::devices::serial
