#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "relaxmon/devices/serial/serial_source.hpp"

#include <fmt/format.h>
#include <charconv>
#include <cmath>

#include "relaxmon/devices/serial/ant_message.hpp"
#include "relaxmon/devices/serial/serial_device.hpp"
#include "relaxmon/devices/user_config.hpp"

namespace relaxmon::devices::serial {

namespace {
double positive_number(const SourceSpec& spec, const std::string& key, const std::string& text) {
    double v = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v <= 0.0)
        throw SourceError(
            fmt::format("source '{}': {} '{}' is not a positive number", spec.text, key, text));
    return v;
}
}  // namespace

std::unique_ptr<Device> make_serial_device(const SourceSpec& spec, boost::asio::io_context& io) {
    for (const auto& [key, value] : spec.params)
        if (key != "protocol" && key != "baud" && key != "fs" && key != "netkey" && key != "search")
            throw SourceError(fmt::format(
                "source '{}': unknown parameter '{}' (serial takes protocol, baud, fs, netkey and "
                "search)",
                spec.text, key));
    if (spec.target.empty())
        throw SourceError(fmt::format(
            "source '{}': give the port, e.g. serial:/dev/ttyUSB0?protocol=ant", spec.text));
    SerialOptions o;
    o.path = spec.target;
    const std::string protocol = spec.param("protocol").value_or("");
    if (protocol == "ant")
        o.protocol = Protocol::ant;
    else if (protocol == "rr")
        o.protocol = Protocol::rr;
    else if (protocol == "ecg")
        o.protocol = Protocol::ecg;
    else if (protocol == "pulsesensor")
        o.protocol = Protocol::pulsesensor;
    else
        throw SourceError(
            fmt::format("source '{}': protocol must be ant, rr, ecg or pulsesensor (?protocol=...)",
                        spec.text));
    // ANT sticks talk at 115200; the AD8232 sketch at 9600; other boards say in their sketch.
    o.baud = o.protocol == Protocol::ecg ? 9600 : 115200;
    if (auto b = spec.param("baud"))
        o.baud = static_cast<unsigned>(positive_number(spec, "baud", *b));
    if (auto f = spec.param("fs")) o.fs_hz = positive_number(spec, "fs", *f);
    if (o.protocol == Protocol::ecg && !o.fs_hz)
        throw SourceError(fmt::format(
            "source '{}': protocol=ecg needs the board's sampling rate, e.g. &fs=250", spec.text));
    if (auto s = spec.param("search")) o.search_s = positive_number(spec, "search", *s);
    if (o.protocol == Protocol::ant) {
        std::optional<std::string> key = spec.param("netkey");
        std::string from = "netkey=";
        if (!key) {
            try {
                key = user_config_string("ant_network_key");
            } catch (const std::runtime_error& e) {
                throw SourceUnavailable(e.what());
            }
            from = user_config_path().string();
        }
        if (!key)
            throw SourceUnavailable(fmt::format(
                "the ANT+ network key is missing: relaxmon does not ship it (it is licensed to "
                "ANT+ Adopters, free at thisisant.com); put ant_network_key = \"<16 hex digits>\" "
                "in {} or add &netkey=<16 hex digits> to the source",
                user_config_path().string()));
        o.netkey = ant::parse_network_key(*key);
        if (!o.netkey)
            throw SourceUnavailable(fmt::format(
                "the ANT+ network key from {} is not 8 bytes in hex (16 hex digits)", from));
    }
    return std::make_unique<SerialDevice>(io, o);
}

}  // namespace relaxmon::devices::serial
