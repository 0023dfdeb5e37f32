// The text-line protocols over a serial port: rr, ecg and pulsesensor (see text_lines.hpp for
// the line formats). Beat times follow the device's own intervals, anchored to arrival time and
// re-anchored when they fall behind it by more than a few seconds (lines lost, a paused board),
// so transport jitter never enters RR. Lines arriving faster than their intervals (a burst after
// the host was busy) keep their own timing: a beat cannot arrive before it happened. The first line
// after opening the port is dropped when it was already waiting in the buffer: it may be the tail
// of a line begun before relaxmon listened.
#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "relaxmon/devices/serial/text_lines.hpp"
#include "serial_protocol.hpp"

namespace relaxmon::devices::serial {

namespace {

constexpr double kReanchor_s = 3.0;
constexpr double kFirstChunk_s = 0.1;

// Lines in, with the bookkeeping every text protocol shares.
class TextProtocol : public SerialProtocol {
  public:
    void on_open(SerialLink& link) override {
        splitter_.reset();
        opened_s_ = link.now_s();
        first_line_ = true;
        started_ = false;
        link.emit(
            DeviceStatus{link.now_s(), true, std::nullopt, std::nullopt, std::nullopt, name()});
        reset_timing();
    }
    void on_close(SerialLink& link) override {
        link.emit(
            DeviceStatus{link.now_s(), false, std::nullopt, std::nullopt, std::nullopt, name()});
    }
    void on_bytes(std::span<const std::uint8_t> bytes, SerialLink& link) override {
        const double now = link.now_s();
        // Bytes already buffered when the port opened may start mid-line.
        const bool early = !started_ && now - opened_s_ < kFirstChunk_s;
        started_ = true;
        for (const std::string& line : splitter_.push(bytes)) {
            if (first_line_ && early) {
                first_line_ = false;
                ++dropped_first_;
                continue;
            }
            first_line_ = false;
            if (!on_line(line, now, link)) ++garbage_;
        }
        end_of_chunk(link);
    }
    nlohmann::json counters() const override {
        return {{"garbage_lines", garbage_ + splitter_.overlong_lines()},
                {"partial_first_lines", dropped_first_}};
    }

  protected:
    virtual bool on_line(const std::string& line, double now, SerialLink& link) = 0;
    virtual void reset_timing() = 0;
    virtual void end_of_chunk(SerialLink&) {}

  private:
    LineSplitter splitter_;
    double opened_s_ = 0.0;
    bool first_line_ = true, started_ = false;
    std::size_t garbage_ = 0, dropped_first_ = 0;
};

// Places beats from their intervals, anchored to arrival.
class BeatClock {
  public:
    double place(double rr_ms, double arrival_s) {
        double t = last_ ? *last_ + rr_ms / 1000.0 : arrival_s;
        if (t < arrival_s - kReanchor_s) t = arrival_s;
        last_ = t;
        return t;
    }
    void reset() { last_.reset(); }

  private:
    std::optional<double> last_;
};

class RrProtocol final : public TextProtocol {
  public:
    std::string name() const override { return "serial RR device"; }

  private:
    bool on_line(const std::string& line, double now, SerialLink& link) override {
        const auto rr = parse_rr_line(line);
        if (!rr) return false;
        link.emit(RrBeat{clock_.place(*rr, now), *rr, 0});
        return true;
    }
    void reset_timing() override { clock_.reset(); }
    BeatClock clock_;
};

class PulseSensorProtocol final : public TextProtocol {
  public:
    std::string name() const override { return "PulseSensor"; }

  private:
    bool on_line(const std::string& line, double now, SerialLink& link) override {
        const auto p = parse_pulsesensor_line(line);
        if (!p) return false;
        if (const auto* ibi = std::get_if<PulseIbi>(&*p))
            link.emit(RrBeat{clock_.place(ibi->ibi_ms, now), ibi->ibi_ms, 0});
        return true;  // S and B lines are valid, and carry nothing relaxmon records
    }
    void reset_timing() override { clock_.reset(); }
    BeatClock clock_;
};

// Raw samples at the board's rate, in blocks of 0.1 s for the ECG beat detector; `!` (leads off)
// reports lost contact and keeps time, so the detector restarts cleanly when the leads are back.
class EcgProtocol final : public TextProtocol {
  public:
    explicit EcgProtocol(double fs_hz) : fs_hz_(fs_hz) {}
    std::string name() const override { return "serial ECG board"; }

  private:
    bool on_line(const std::string& line, double now, SerialLink& link) override {
        const auto v = parse_ecg_line(line);
        if (!v) return false;
        if (!anchor_s_) anchor_s_ = std::max(now, end_s_);  // never before earlier samples
        // A board slower or faster than its fs=, or lines lost: start the sample clock afresh.
        const double t = *anchor_s_ + static_cast<double>(n_) / fs_hz_;
        if (t < now - kReanchor_s) {
            flush(link);
            anchor_s_ = now;
            n_ = 0;
        }
        if (std::holds_alternative<LeadsOff>(*v)) {
            flush(link);
            if (contact_ != false)
                link.emit(DeviceStatus{now, true, false, std::nullopt, std::nullopt, name()});
            contact_ = false;
            ++n_;
            end_s_ = *anchor_s_ + static_cast<double>(n_) / fs_hz_;
            return true;
        }
        if (contact_ != true) {  // electrodes on: known from the first sample
            link.emit(DeviceStatus{now, true, true, std::nullopt, std::nullopt, name()});
            contact_ = true;
        }
        if (block_.samples_uv.empty()) {
            block_.t0_s = *anchor_s_ + static_cast<double>(n_) / fs_hz_;
            block_.fs_hz = fs_hz_;
        }
        // ADC counts, recorded as they come: the beat detector needs only their shape.
        block_.samples_uv.push_back(static_cast<float>(std::get<double>(*v)));
        ++n_;
        end_s_ = *anchor_s_ + static_cast<double>(n_) / fs_hz_;
        if (static_cast<double>(block_.samples_uv.size()) >= fs_hz_ / 10.0) flush(link);
        return true;
    }
    // What came in is passed on at once: a block never waits for samples that may not come.
    void end_of_chunk(SerialLink& link) override { flush(link); }
    void flush(SerialLink& link) {
        if (block_.samples_uv.empty()) return;
        link.emit(block_);
        block_.samples_uv.clear();
    }
    void reset_timing() override {
        anchor_s_.reset();
        n_ = 0;
        block_.samples_uv.clear();
        contact_.reset();
    }
    double fs_hz_;
    std::optional<double> anchor_s_;
    std::size_t n_ = 0;
    double end_s_ = 0.0;  // when the last sample ends
    EcgBlock block_;
    std::optional<bool> contact_;  // electrodes on the skin, once a line has said
};

}  // namespace

std::unique_ptr<SerialProtocol> make_ant_protocol(const SerialOptions& o);

std::unique_ptr<SerialProtocol> make_protocol(const SerialOptions& o) {
    switch (o.protocol) {
        case Protocol::rr:
            return std::make_unique<RrProtocol>();
        case Protocol::pulsesensor:
            return std::make_unique<PulseSensorProtocol>();
        case Protocol::ecg:
            return std::make_unique<EcgProtocol>(o.fs_hz.value_or(250.0));
        case Protocol::ant:
            return make_ant_protocol(o);
    }
    return nullptr;
}

}  // namespace relaxmon::devices::serial
