// Latency from bytes written to a serial port to the beat in the session's snapshot, through a
// real pseudo-terminal: a text `rr` board and an ANT USB stick (answering relaxmon's setup, then
// broadcasting HRM pages), each driving a Session as `relaxmon record` would.
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "relaxmon/devices/serial/ant_message.hpp"
#include "session/session.hpp"

using Clock = std::chrono::steady_clock;
namespace ant = relaxmon::devices::ant;
using Bytes = std::vector<std::uint8_t>;

namespace {

struct Pty {
    int master = -1, slave = -1;
    std::string path;
    Pty() {
        master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        ::grantpt(master);
        ::unlockpt(master);
        path = ::ptsname(master);
        slave = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
        termios t{};
        ::tcgetattr(slave, &t);
        ::cfmakeraw(&t);
        ::tcsetattr(slave, TCSANOW, &t);
    }
    ~Pty() {
        ::close(slave);
        ::close(master);
    }
    void write(const Bytes& b) const {
        if (::write(master, b.data(), b.size()) != static_cast<ssize_t>(b.size())) std::abort();
    }
    Bytes read(int ms) const {
        pollfd p{master, POLLIN, 0};
        if (::poll(&p, 1, ms) <= 0) return {};
        std::uint8_t buf[256];
        const ssize_t n = ::read(master, buf, sizeof buf);
        return n > 0 ? Bytes(buf, buf + n) : Bytes{};
    }
};

// Writes `bytes_for(i)` and waits for the snapshot's beat count to rise: the latencies in us.
template <class F>
std::vector<double> measure(relaxmon::session::Session& session, const Pty& pty, int n,
                            F bytes_for) {
    std::vector<double> us;
    for (int i = 0; i < n; ++i) {
        const Bytes b = bytes_for(i);
        const std::size_t before = session.snapshot()->beats;
        const auto t0 = Clock::now();
        pty.write(b);
        while (session.snapshot()->beats == before && Clock::now() - t0 < std::chrono::seconds(2))
            std::this_thread::sleep_for(std::chrono::microseconds(20));
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::sort(us.begin(), us.end());
    return us;
}

void report(const char* what, const std::vector<double>& us) {
    std::printf(
        "%s -> beat in the snapshot (real pty): median %.3f ms, p95 %.3f ms, max %.3f ms "
        "over %zu beats\n",
        what, us[us.size() / 2] / 1e3, us[us.size() * 95 / 100] / 1e3, us.back() / 1e3, us.size());
}

relaxmon::session::SessionConfig config(const std::string& source) {
    relaxmon::session::SessionConfig cfg;
    cfg.source = source;
    return cfg;
}

}  // namespace

int main() {
    {
        Pty pty;
        relaxmon::session::Session session(config("serial:" + pty.path + "?protocol=rr"));
        session.start();
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        report("Serial rr line", measure(session, pty, 300, [](int i) {
                   const std::string line = std::to_string(800 + (i % 7) * 10) + "\r\n";
                   return Bytes(line.begin(), line.end());
               }));
        session.stop();
    }
    {
        Pty pty;
        relaxmon::session::Session session(
            config("serial:" + pty.path + "?protocol=ant&netkey=0123456789ABCDEF"));
        session.start();
        // The stick's side of the setup.
        ant::AntFrameDecoder frames;
        bool open = false;
        for (int i = 0; i < 200 && !open; ++i)
            for (const auto& m : frames.push(pty.read(50))) {
                if (m.id == ant::kResetSystem)
                    pty.write(ant::encode(ant::kStartup, Bytes{0x20}));
                else
                    pty.write(ant::encode(ant::kChannelEvent, Bytes{0, m.id, 0}));
                open |= m.id == ant::kOpenChannel;
            }
        if (!open) {
            std::printf("bench_serial: relaxmon never opened the ANT channel, skipped\n");
            return 1;
        }
        int time = 1000;
        // The first page only sets the reference beat.
        pty.write(ant::encode(ant::kBroadcastData, Bytes{0, 0x04, 0xFF, 0, 0, 0xE8, 0x03, 0, 72}));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        report("ANT+ HRM broadcast", measure(session, pty, 300, [&](int i) {
                   time = (time + 820 + (i % 7) * 10) & 0xFFFF;
                   return ant::encode(ant::kBroadcastData,
                                      Bytes{0, 0x04, 0xFF, 0, 0, static_cast<std::uint8_t>(time),
                                            static_cast<std::uint8_t>(time >> 8),
                                            static_cast<std::uint8_t>(i + 1), 72});
               }));
        session.stop();
    }
    return 0;
}
