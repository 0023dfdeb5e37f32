// Latency of a BLE heart-rate notification to the beat in the session's snapshot, through real
// D-Bus: a stand-in BlueZ (tests/support/fake_bluez.py --manual, python3-dbusmock) on a private
// bus, relaxmon's BlueZ client in a Session, and notifications injected here.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sdbus-c++/sdbus-c++.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "session/session.hpp"

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {
std::string wait_line(const fs::path& file, const std::string& prefix) {
    for (int i = 0; i < 1000; ++i) {
        std::ifstream in(file);
        for (std::string l; std::getline(in, l);)
            if (l.rfind(prefix, 0) == 0) return l.substr(prefix.size());
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return {};
}
}  // namespace

int main() {
    const fs::path dir =
        fs::temp_directory_path() / ("relaxmon-bench-ble-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const pid_t fake = ::fork();
    if (fake == 0) {
        const int out = ::open((dir / "fake.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int null = ::open("/dev/null", O_RDWR);
        ::dup2(null, 0);
        ::dup2(out, 1);
        ::dup2(::open((dir / "fake.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
        const std::string sent = (dir / "sent.txt").string();
        ::execl("/usr/bin/python3", "/usr/bin/python3",
                RELAXMON_SOURCE_DIR "/tests/support/fake_bluez.py", "--manual", sent.c_str(),
                static_cast<char*>(nullptr));
        _exit(127);
    }
    auto finish = [&](int code) {
        if (code) std::system(("cat " + (dir / "fake.err").string()).c_str());
        std::ofstream(dir / "sent.txt.stop") << "";
        ::waitpid(fake, nullptr, 0);
        fs::remove_all(dir);
        return code;
    };
    const std::string address = wait_line(dir / "fake.out", "ADDRESS ");
    if (address.empty()) {
        std::printf(
            "bench_ble: the stand-in BlueZ did not start (python3-dbusmock missing?), skipped\n");
        return finish(1);
    }
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", address.c_str(), 1);

    relaxmon::session::SessionConfig cfg;
    cfg.source = "ble:auto";
    cfg.sessions_root = dir;
    relaxmon::session::Session session(cfg);
    session.start();
    const std::string char_path = wait_line(dir / "fake.out", "CONNECTED ");
    if (char_path.empty()) {
        std::printf("bench_ble: the client never connected, skipped\n");
        session.stop();
        return finish(1);
    }
    auto conn = sdbus::createSystemBusConnection();
    auto mock = sdbus::createProxy(*conn, "org.bluez", char_path);
    std::vector<double> latency_us;
    for (int i = 0; i < 300; ++i) {
        const std::size_t before = session.snapshot()->beats;
        const std::uint16_t raw = static_cast<std::uint16_t>(820 + (i % 7) * 10);
        std::map<std::string, sdbus::Variant> value{
            {"Value", sdbus::Variant(
                          std::vector<std::uint8_t>{0x16, 70, static_cast<std::uint8_t>(raw & 0xff),
                                                    static_cast<std::uint8_t>(raw >> 8)})}};
        const auto t0 = Clock::now();
        mock->callMethod("UpdateProperties")
            .onInterface("org.freedesktop.DBus.Mock")
            .withArguments(std::string("org.bluez.GattCharacteristic1"), value);
        while (session.snapshot()->beats == before && Clock::now() - t0 < std::chrono::seconds(2))
            std::this_thread::sleep_for(std::chrono::microseconds(20));
        latency_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    session.stop();
    std::sort(latency_us.begin(), latency_us.end());
    std::printf(
        "BLE notification -> beat in the snapshot (real D-Bus, stand-in BlueZ): median %.2f ms, "
        "p95 %.2f ms, max %.2f ms over %zu notifications (target < 2 ms; includes the mock's own "
        "Python handling of the injection)\n",
        latency_us[latency_us.size() / 2] / 1e3, latency_us[latency_us.size() * 95 / 100] / 1e3,
        latency_us.back() / 1e3, latency_us.size());
    return finish(0);
}
