#include <utility>  // Boost 1.74 asio under C++20 needs this first

#include "relaxmon/devices/serial/serial_device.hpp"

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/serial_port.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <chrono>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "serial_protocol.hpp"

namespace relaxmon::devices::serial {

namespace asio = boost::asio;
namespace {
constexpr auto kReopenPoll = std::chrono::milliseconds(250);

std::string protocol_name(Protocol p) {
    switch (p) {
        case Protocol::ant:
            return "ant";
        case Protocol::rr:
            return "rr";
        case Protocol::ecg:
            return "ecg";
        case Protocol::pulsesensor:
            return "pulsesensor";
    }
    return "rr";
}
}  // namespace

struct SerialDevice::Impl : SerialLink, std::enable_shared_from_this<SerialDevice::Impl> {
    Impl(asio::io_context& io, SerialOptions o)
        : options(std::move(o)),
          port(io),
          protocol_timer(io),
          reopen_timer(io),
          protocol(make_protocol(options)),
          t0(std::chrono::steady_clock::now()) {}

    SerialOptions options;
    asio::serial_port port;
    asio::steady_timer protocol_timer, reopen_timer;
    std::unique_ptr<SerialProtocol> protocol;
    std::chrono::steady_clock::time_point t0;
    MeasurementSink sink;
    bool running = false, ever_opened = false;
    std::array<std::uint8_t, 4096> buf{};
    std::deque<std::vector<std::uint8_t>> out;  // writes in flight, first at the front

    // --- SerialLink ---
    double now_s() const override {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    void emit(const Measurement& m) override {
        if (!running) return;
        if (std::holds_alternative<DeviceError>(m)) running = false;  // nothing after an error
        sink(m);
        if (!running) close_port();
    }
    void write(std::vector<std::uint8_t> bytes) override {
        if (!port.is_open()) return;
        out.push_back(std::move(bytes));
        if (out.size() == 1) write_front();
    }
    void after(double seconds, std::function<void()> f) override {
        protocol_timer.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(
            std::chrono::duration<double>(seconds)));
        protocol_timer.async_wait([self = weak_from_this(), f = std::move(f)](auto ec) {
            if (auto s = self.lock(); s && !ec && s->running) f();
        });
    }
    void cancel_timer() override { protocol_timer.cancel(); }

    // --- the port ---
    void write_front() {
        asio::async_write(port, asio::buffer(out.front()),
                          [self = weak_from_this()](boost::system::error_code ec, std::size_t) {
                              auto s = self.lock();
                              if (!s || ec) return;  // a failed write shows up as a failed read
                              s->out.pop_front();
                              if (!s->out.empty()) s->write_front();
                          });
    }

    // Opens the port: nullopt on success, else why not (errno-style).
    std::optional<std::error_code> open_port() {
        boost::system::error_code ec;
        port.open(options.path, ec);
        if (!ec) port.set_option(asio::serial_port::baud_rate(options.baud), ec);
        if (!ec) port.set_option(asio::serial_port::character_size(8), ec);
        if (!ec) port.set_option(asio::serial_port::parity(asio::serial_port::parity::none), ec);
        if (!ec)
            port.set_option(asio::serial_port::stop_bits(asio::serial_port::stop_bits::one), ec);
        if (!ec)
            port.set_option(asio::serial_port::flow_control(asio::serial_port::flow_control::none),
                            ec);
        if (ec) {
            boost::system::error_code ignored;
            port.close(ignored);
            return std::error_code(ec.value(), std::generic_category());
        }
        return std::nullopt;
    }
    void close_port() {
        boost::system::error_code ignored;
        protocol_timer.cancel();
        port.close(ignored);
        out.clear();
    }

    void opened() {
        ever_opened = true;
        protocol->on_open(*this);
        read();
    }
    void read() {
        port.async_read_some(asio::buffer(buf), [self = weak_from_this()](
                                                    boost::system::error_code ec, std::size_t n) {
            auto s = self.lock();
            if (!s || !s->running) return;
            if (ec) return s->lost();
            s->protocol->on_bytes(std::span(s->buf.data(), n), *s);
            if (s->running && s->port.is_open()) s->read();
        });
    }
    // The port failed (unplugged, the other end closed): report it and wait for it to return.
    void lost() {
        close_port();
        protocol->on_close(*this);
        poll_reopen();
    }
    void poll_reopen() {
        reopen_timer.expires_after(kReopenPoll);
        reopen_timer.async_wait([self = weak_from_this()](auto ec) {
            auto s = self.lock();
            if (!s || ec || !s->running) return;
            if (std::filesystem::exists(s->options.path) && !s->open_port())
                s->opened();
            else
                s->poll_reopen();
        });
    }

    std::string why(const std::error_code& ec) const {
        if (ec.value() == ENOENT)
            return fmt::format("serial port {} does not exist (relaxmon scan lists the ports)",
                               options.path);
        if (ec.value() == EACCES)
            return fmt::format(
                "no permission to open {}: add yourself to the dialout group (sudo adduser $USER "
                "dialout, then log in again)",
                options.path);
        if (ec.value() == EBUSY)
            return fmt::format("serial port {} is busy: another program is using it", options.path);
        return fmt::format("cannot open serial port {}: {}", options.path, ec.message());
    }
};

SerialDevice::SerialDevice(asio::io_context& io, SerialOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

SerialDevice::~SerialDevice() {
    stop();
}

void SerialDevice::start(MeasurementSink sink) {
    impl_->sink = std::move(sink);
    impl_->running = true;
    impl_->t0 = std::chrono::steady_clock::now();
    if (const auto ec = impl_->open_port()) {
        impl_->emit(DeviceError{0.0, impl_->why(*ec)});
        return;
    }
    impl_->opened();
}

void SerialDevice::stop() {
    if (!impl_->running) return;
    impl_->running = false;
    impl_->close_port();
    impl_->reopen_timer.cancel();
}

std::string SerialDevice::name() const {
    return fmt::format("{} on {}", impl_->protocol->name(), impl_->options.path);
}

nlohmann::json SerialDevice::describe() const {
    nlohmann::json j{{"kind", "serial"},
                     {"path", impl_->options.path},
                     {"protocol", protocol_name(impl_->options.protocol)},
                     {"baud", impl_->options.baud},
                     {"counters", impl_->protocol->counters()}};
    if (impl_->options.fs_hz) j["fs_hz"] = *impl_->options.fs_hz;
    return j;
}

}  // namespace relaxmon::devices::serial
