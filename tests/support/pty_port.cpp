#include "pty_port.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace relaxmon::test {

PtyPort::PtyPort(std::filesystem::path link) : link_(std::move(link)) {
    open_pair();
}

PtyPort::~PtyPort() {
    unplug();
}

void PtyPort::open_pair() {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
        throw std::runtime_error("cannot create a pseudo-terminal");
    const std::string slave_path = ::ptsname(master_);
    // Held open so the master never sees a hang-up while relaxmon reopens the port.
    slave_ = ::open(slave_path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    termios t{};
    ::tcgetattr(slave_, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave_, TCSANOW, &t);
    std::error_code ec;
    std::filesystem::remove(link_, ec);
    std::filesystem::create_symlink(slave_path, link_);
}

void PtyPort::write(std::span<const std::uint8_t> bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(master_, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // unplugged
        done += static_cast<std::size_t>(n);
    }
}

void PtyPort::write(const std::string& text) {
    write(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

std::vector<std::uint8_t> PtyPort::read(double seconds) {
    std::vector<std::uint8_t> out;
    pollfd p{master_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(seconds * 1000)) <= 0 || !(p.revents & POLLIN)) return out;
    std::uint8_t buf[512];
    const ssize_t n = ::read(master_, buf, sizeof buf);
    if (n > 0) out.assign(buf, buf + n);
    return out;
}

void PtyPort::unplug() {
    std::error_code ec;
    std::filesystem::remove(link_, ec);
    if (slave_ >= 0) ::close(slave_);
    if (master_ >= 0) ::close(master_);
    slave_ = master_ = -1;
}

void PtyPort::replug() {
    unplug();
    open_pair();
}

}  // namespace relaxmon::test
