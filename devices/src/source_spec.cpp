#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "relaxmon/devices/source_spec.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <charconv>
#include <cmath>
#include <random>

#include "relaxmon/devices/ble/bluez_device.hpp"
#include "relaxmon/devices/replay/replay_device.hpp"
#include "relaxmon/devices/serial/serial_source.hpp"
#include "relaxmon/devices/sim/sim_device.hpp"

namespace relaxmon::devices {

std::optional<std::string> SourceSpec::param(const std::string& key) const {
    auto it = params.find(key);
    if (it == params.end()) return std::nullopt;
    return it->second;
}

SourceSpec parse_source(const std::string& text) {
    SourceSpec spec;
    spec.text = text;
    std::string head = text;
    if (auto q = text.find('?'); q != std::string::npos) {
        head = text.substr(0, q);
        std::string query = text.substr(q + 1);
        std::size_t pos = 0;
        while (pos <= query.size()) {
            std::size_t amp = query.find('&', pos);
            if (amp == std::string::npos) amp = query.size();
            std::string item = query.substr(pos, amp - pos);
            if (!item.empty()) {
                const auto eq = item.find('=');
                if (eq == std::string::npos || eq == 0)
                    throw SourceError(fmt::format(
                        "source '{}': parameter '{}' is not of the form key=value", text, item));
                spec.params[item.substr(0, eq)] = item.substr(eq + 1);
            }
            pos = amp + 1;
        }
    }
    if (auto c = head.find(':'); c != std::string::npos) {
        spec.kind = head.substr(0, c);
        spec.target = head.substr(c + 1);
    } else {
        spec.kind = head;
    }
    if (spec.kind != "sim" && spec.kind != "ble" && spec.kind != "serial" && spec.kind != "file")
        throw SourceError(fmt::format(
            "unknown source '{}': expected sim[:SCENARIO], ble:auto, ble:ADDRESS, serial:PATH or "
            "file:PATH",
            text));
    return spec;
}

double parse_speed(const std::string& text) {
    if (text == "max") return 0.0;
    double v = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v) || v <= 0.0)
        throw SourceError(fmt::format(
            "bad speed '{}': give a factor above 0 (1 = real time, 10 = ten times) or 'max'",
            text));
    return v;
}

namespace {

std::uint64_t parse_seed(const SourceSpec& spec) {
    const auto text = spec.param("seed");
    if (!text) return std::random_device{}();
    std::uint64_t seed = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seed);
    if (ec != std::errc() || end != text->data() + text->size())
        throw SourceError(
            fmt::format("source '{}': seed '{}' is not a non-negative integer", spec.text, *text));
    return seed;
}

std::unique_ptr<Device> make_sim(const SourceSpec& spec, boost::asio::io_context& io,
                                 std::optional<double> speed) {
    for (const auto& [key, value] : spec.params)
        if (key != "seed" && key != "speed" && key != "ecg" && key != "acc" && key != "rate" &&
            key != "real")
            throw SourceError(fmt::format(
                "source '{}': unknown parameter '{}' (sim takes seed, speed, ecg, acc, rate and "
                "real)",
                spec.text, key));
    const auto ecg = spec.param("ecg");
    if (ecg && *ecg != "0" && *ecg != "1")
        throw SourceError(fmt::format("source '{}': ecg must be 0 or 1", spec.text));
    const auto acc = spec.param("acc");
    if (acc && *acc != "0" && *acc != "1")
        throw SourceError(fmt::format("source '{}': acc must be 0 or 1", spec.text));
    // real=1: the body's irregularities (uneven breaths, sighs, fidgets, drifts) in any scenario.
    const auto real = spec.param("real");
    if (real && *real != "0" && *real != "1")
        throw SourceError(fmt::format("source '{}': real must be 0 or 1", spec.text));
    const std::optional<bool> realistic = real ? std::optional<bool>(*real == "1") : std::nullopt;
    const std::string name = spec.target.empty() ? "massage" : spec.target;
    const auto scenario = sim::scenario_from_name(name);
    if (!scenario)
        throw SourceError(fmt::format(
            "source '{}': unknown scenario '{}' (expected massage, rest, stress, artifacts, "
            "paced or breathwork)",
            spec.text, name));
    std::optional<double> pace_bpm;
    if (const auto r = spec.param("rate")) {
        double v = 0.0;
        const auto [end, ec] = std::from_chars(r->data(), r->data() + r->size(), v);
        if (ec != std::errc() || end != r->data() + r->size() || !(v >= 2.0 && v <= 30.0))
            throw SourceError(fmt::format(
                "source '{}': rate '{}' is not a breathing rate between 2 and 30 breaths/min",
                spec.text, *r));
        if (*scenario != sim::Scenario::paced)
            throw SourceError(
                fmt::format("source '{}': rate= sets the pacer of the paced scenario", spec.text));
        pace_bpm = v;
    }
    double play_speed = 1.0;
    if (auto s = spec.param("speed")) play_speed = parse_speed(*s);
    if (speed) play_speed = *speed;
    auto script = sim::make_script(*scenario, parse_seed(spec), pace_bpm, realistic);
    // The massage streams the chest's motion unless acc=0 (DESIGN.md); with it the client on
    // the table also turns over, face-down to face-up.
    const bool with_acc = acc ? *acc == "1" : *scenario == sim::Scenario::massage;
    if (with_acc && (*scenario == sim::Scenario::massage || *scenario == sim::Scenario::artifacts))
        sim::add_turnover(script);
    return std::make_unique<sim::SimDevice>(io, std::move(script), play_speed, ecg && *ecg == "1",
                                            with_acc);
}

}  // namespace

std::unique_ptr<Device> make_device(const SourceSpec& spec, boost::asio::io_context& io,
                                    std::optional<double> speed) {
    if (spec.kind == "sim") return make_sim(spec, io, speed);
    if (spec.kind == "serial") return serial::make_serial_device(spec, io);
    if (spec.kind == "file") {
        for (const auto& [key, value] : spec.params)
            if (key != "speed")
                throw SourceError(fmt::format(
                    "source '{}': unknown parameter '{}' (file takes speed)", spec.text, key));
        if (spec.target.empty())
            throw SourceError(
                fmt::format("source '{}': give a session folder or an RR file, e.g. file:beats.csv",
                            spec.text));
        double play_speed = 1.0;
        if (auto s = spec.param("speed")) play_speed = parse_speed(*s);
        if (speed) play_speed = *speed;
        return std::make_unique<replay::ReplayDevice>(io, spec.target, play_speed);
    }
    if (spec.kind == "ble") {
        ble::BleOptions o;
        if (!spec.target.empty() && spec.target != "auto") {
            if (spec.target.size() != 17 ||
                std::count(spec.target.begin(), spec.target.end(), ':') != 5)
                throw SourceError(fmt::format(
                    "source '{}': '{}' is not a Bluetooth address like AA:BB:CC:DD:EE:FF",
                    spec.text, spec.target));
            o.address = spec.target;
        }
        if (auto t = spec.param("scan")) {
            try {
                o.scan_timeout_s = std::stod(*t);
            } catch (const std::exception&) {
                throw SourceError(fmt::format("source '{}': scan '{}' is not a number of seconds",
                                              spec.text, *t));
            }
        }
        for (const auto& [key, flag] : {std::pair{"ecg", &o.ecg}, std::pair{"acc", &o.acc}}) {
            if (auto e = spec.param(key)) {
                if (*e != "0" && *e != "1")
                    throw SourceError(
                        fmt::format("source '{}': {} must be 0 or 1", spec.text, key));
                *flag = *e == "1";
            }
        }
        return std::make_unique<ble::BlueZDevice>(io, o);
    }
    throw SourceUnavailable(fmt::format(
        "source '{}': {} sources are not available in this version yet; use --source sim",
        spec.text, spec.kind));
}

}  // namespace relaxmon::devices
