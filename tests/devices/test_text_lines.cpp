// Text-line serial protocols: line endings of every kind, banners, garbage and each parser.
#include <catch2/catch.hpp>
#include <string>

#include "relaxmon/devices/serial/text_lines.hpp"

using namespace relaxmon::devices::serial;

namespace {
std::vector<std::string> split(const std::string& s, std::size_t chunk) {
    LineSplitter sp;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size(); i += chunk) {
        const std::string part = s.substr(i, chunk);
        for (auto& l :
             sp.push(std::span(reinterpret_cast<const std::uint8_t*>(part.data()), part.size())))
            out.push_back(l);
    }
    return out;
}
}  // namespace

TEST_CASE("lines: LF, CRLF, CR and LFCR endings, in any chunks", "[devices][serial]") {
    const std::string text = "812\n795\r\n801\r790\n\r805\n";
    for (std::size_t chunk : {text.size(), std::size_t{1}, std::size_t{3}})
        CHECK(split(text, chunk) == std::vector<std::string>{"812", "795", "801", "790", "805"});
    // An endless line (binary noise without a newline) is dropped, and the next line is intact.
    const std::string noise(1000, 'x');
    CHECK(split(noise + "\n812\n", 7) == std::vector<std::string>{"812"});
}

TEST_CASE("rr lines: milliseconds, seconds, units - garbage and impossible values refused",
          "[devices][serial]") {
    CHECK(parse_rr_line("812") == 812.0);
    CHECK(parse_rr_line(" 812.5 ") == 812.5);
    CHECK(parse_rr_line("0.812") == Approx(812.0));
    CHECK(parse_rr_line("812 ms") == 812.0);
    CHECK(parse_rr_line("2400") == 2400.0);  // a long pause: the artifact screen judges it
    for (const char* bad :
         {"", "Initialized!", "RR", "812x", "-812", "50", "99999", "nan", "inf", "8 12"})
        CHECK_FALSE(parse_rr_line(bad));
}

TEST_CASE("ecg lines: samples and leads-off", "[devices][serial]") {
    CHECK(std::get<double>(*parse_ecg_line("512")) == 512.0);
    CHECK(std::get<double>(*parse_ecg_line("-3.5")) == -3.5);
    CHECK(std::holds_alternative<LeadsOff>(*parse_ecg_line("!")));
    for (const char* bad : {"", "Initialized!", "!!", "5 12", "abc"})
        CHECK_FALSE(parse_ecg_line(bad));
}

TEST_CASE("pulsesensor lines: S, B and Q", "[devices][serial]") {
    CHECK(std::get<PulseSignal>(*parse_pulsesensor_line("S512")).value == 512);
    CHECK(std::get<PulseBpm>(*parse_pulsesensor_line("B72")).bpm == 72);
    CHECK(std::get<PulseIbi>(*parse_pulsesensor_line("Q832")).ibi_ms == 832.0);
    for (const char* bad : {"", "S", "Q", "Qabc", "Q5", "B0", "X12", "a512", "Initialized!"})
        CHECK_FALSE(parse_pulsesensor_line(bad));
}
