#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "relaxmon/devices/source_spec.hpp"

using namespace relaxmon::devices;

TEST_CASE("source addresses parse into kind, target and parameters", "[devices][source]") {
    const auto a = parse_source("sim");
    CHECK(a.kind == "sim");
    CHECK(a.target.empty());
    const auto b = parse_source("sim:artifacts?seed=7&speed=10");
    CHECK(b.kind == "sim");
    CHECK(b.target == "artifacts");
    CHECK(b.param("seed") == "7");
    CHECK(b.param("speed") == "10");
    CHECK_FALSE(b.param("nothing"));
    const auto c = parse_source("ble:AA:BB:CC:DD:EE:FF?ecg=1");
    CHECK(c.kind == "ble");
    CHECK(c.target == "AA:BB:CC:DD:EE:FF");
    const auto d = parse_source("serial:/dev/ttyUSB0?protocol=ant&baud=115200");
    CHECK(d.target == "/dev/ttyUSB0");
    CHECK(d.param("baud") == "115200");
}

TEST_CASE("malformed sources are refused with a message naming them", "[devices][source]") {
    CHECK_THROWS_WITH(parse_source("polar"), Catch::Contains("unknown source 'polar'"));
    CHECK_THROWS_WITH(parse_source("sim?seed"), Catch::Contains("key=value"));
    boost::asio::io_context io;
    CHECK_THROWS_WITH(make_device(parse_source("sim:sleep"), io, {}),
                      Catch::Contains("unknown scenario 'sleep'"));
    CHECK_THROWS_WITH(make_device(parse_source("sim?seed=-3"), io, {}),
                      Catch::Contains("seed '-3'"));
    CHECK_THROWS_WITH(make_device(parse_source("sim?colour=red"), io, {}),
                      Catch::Contains("unknown parameter 'colour'"));
    CHECK_THROWS_WITH(make_device(parse_source("serial:/dev/ttyUSB0"), io, {}),
                      Catch::Contains("protocol must be ant, rr, ecg or pulsesensor"));
    CHECK_THROWS_WITH(make_device(parse_source("serial:/dev/ttyUSB0?protocol=rr&speed=2"), io, {}),
                      Catch::Contains("unknown parameter 'speed'"));
    CHECK_THROWS_WITH(
        make_device(parse_source("serial:/dev/ttyUSB0?protocol=rr&baud=fast"), io, {}),
        Catch::Contains("baud 'fast'"));
    CHECK_THROWS_WITH(make_device(parse_source("serial:?protocol=rr"), io, {}),
                      Catch::Contains("give the port"));
    CHECK_THROWS_WITH(make_device(parse_source("ble:12:34"), io, {}),
                      Catch::Contains("not a Bluetooth address"));
}

TEST_CASE("speeds: a positive factor or max", "[devices][source]") {
    CHECK(parse_speed("1") == 1.0);
    CHECK(parse_speed("12.5") == 12.5);
    CHECK(parse_speed("max") == 0.0);
    for (const char* bad : {"0", "-1", "fast", "", "1x", "inf", "nan"})
        CHECK_THROWS_AS(parse_speed(bad), SourceError);
}

TEST_CASE("the simulator describes itself with its ground truth", "[devices][source]") {
    boost::asio::io_context io;
    const auto dev = make_device(parse_source("sim:massage?seed=7"), io, 0.0);
    CHECK(dev->name() == "Simulated strap (massage, seed 7)");
    const auto j = dev->describe();
    CHECK(j["speed"] == "max");
    CHECK(j["ground_truth"]["scenario"] == "massage");
    CHECK(j["ground_truth"]["seed"] == 7);
    CHECK(j["ground_truth"]["relaxation_onset_s"].get<double>() > 200.0);
}
