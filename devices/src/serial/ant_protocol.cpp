// The ANT+ heart-rate strap through an ANT USB stick: reset, the channel setup (each command
// acknowledged before the next), then broadcasts decoded into beats. Channel events drive the
// rest: "closed" reopens the channel, "lost" (go to search) is a dropout, and a search timeout
// before any strap was heard ends the session with one line saying what to check.
#include <fmt/format.h>
#include <cmath>

#include "relaxmon/devices/serial/ant_hrm.hpp"
#include "relaxmon/devices/serial/ant_message.hpp"
#include "serial_protocol.hpp"

namespace relaxmon::devices::serial {

namespace {

constexpr double kResetWait_s = 0.5;  // the stick needs this after a reset (GoldenCheetah)
constexpr double kAckTimeout_s = 2.0;
constexpr double kReanchor_s = 2.0;

class AntProtocol final : public SerialProtocol {
  public:
    explicit AntProtocol(const SerialOptions& o)
        : setup_(ant::hrm_channel_setup(*o.netkey, o.search_s)), path_(o.path) {}

    std::string name() const override { return name_; }
    nlohmann::json counters() const override {
        return {{"skipped_bytes", frames_.skipped_bytes()},
                {"checksum_errors", frames_.checksum_errors()},
                {"missed_messages", missed_messages_},
                {"lost_beats", beats_.lost_beats()}};
    }

    void on_open(SerialLink& link) override {
        frames_.reset();
        beats_.reset();
        step_ = 0;
        state_ = State::resetting;
        link.write(ant::reset_command());
        // The stick answers a reset with a startup message; some say nothing: go on after 0.5 s.
        link.after(kResetWait_s, [this, &link] {
            if (state_ == State::resetting) next_setup_command(link);
        });
    }
    void on_close(SerialLink& link) override {
        link.cancel_timer();
        if (receiving_) status(link, false);
        receiving_ = false;
        state_ = State::closed;
    }

    void on_bytes(std::span<const std::uint8_t> bytes, SerialLink& link) override {
        for (const ant::AntMessage& m : frames_.push(bytes)) on_message(m, link);
    }

  private:
    enum class State { closed, resetting, configuring, open };

    void next_setup_command(SerialLink& link) {
        state_ = State::configuring;
        if (step_ >= setup_.size()) return;
        link.write(setup_[step_]);
        link.after(kAckTimeout_s, [this, &link] {
            link.emit(DeviceError{link.now_s(),
                                  fmt::format("the ANT stick on {} does not answer (is it an ANT "
                                              "USB stick, and is no other program using it?)",
                                              path_)});
        });
    }

    void on_message(const ant::AntMessage& m, SerialLink& link) {
        if (m.id == ant::kStartup && state_ == State::resetting) {
            link.cancel_timer();
            return next_setup_command(link);
        }
        if (const auto r = ant::parse_channel_response(m)) return on_response(*r, link);
        if (m.id == ant::kBroadcastData && m.payload.size() >= 9) return on_broadcast(m, link);
        if (m.id == ant::kChannelId && m.payload.size() >= 5) {
            const int device = m.payload[1] | (m.payload[2] << 8);
            name_ = fmt::format("ANT+ heart-rate strap {}", device);
            status(link, true);
        }
    }

    void on_response(const ant::ChannelResponse& r, SerialLink& link) {
        if (r.message_id != 0x01) {  // the answer to a command
            if (state_ != State::configuring || step_ >= setup_.size() ||
                r.message_id != setup_[step_][2])
                return;
            link.cancel_timer();
            if (r.code != 0)
                return link.emit(
                    DeviceError{link.now_s(),
                                fmt::format("the ANT stick on {} refused command 0x{:02X}: {}",
                                            path_, r.message_id, ant::response_code_name(r.code))});
            if (++step_ == setup_.size()) {
                state_ = State::open;
                searching_since_s_ = link.now_s();
            } else {
                next_setup_command(link);
            }
            return;
        }
        switch (r.code) {
            case ant::kEventRxFail:
                ++missed_messages_;
                break;
            case ant::kEventRxFailGoToSearch:  // the strap is gone: a dropout
                if (receiving_) status(link, false);
                receiving_ = false;
                beats_.reset();
                break;
            case ant::kEventRxSearchTimeout:
                if (!heard_strap_)
                    link.emit(DeviceError{
                        link.now_s(),
                        fmt::format("no ANT+ heart-rate strap found within {:.0f} s (is it worn, "
                                    "with moist electrodes, and is the ANT+ network key right?)",
                                    link.now_s() - searching_since_s_)});
                break;
            case ant::kEventChannelClosed:  // after a search timeout: search again
                if (receiving_) status(link, false);
                receiving_ = false;
                beats_.reset();
                link.write(ant::open_channel_command());
                break;
            default:
                break;
        }
    }

    void on_broadcast(const ant::AntMessage& m, SerialLink& link) {
        const auto page = ant::parse_hrm_page(std::span(m.payload).subspan(1, 8));
        if (!page) return;
        const double now = link.now_s();
        if (!receiving_) {
            receiving_ = heard_strap_ = true;
            offset_s_.reset();
            status(link, true);
            if (name_ == kDefaultName) link.write(ant::request_channel_id_command());
        }
        const auto battery = beats_.battery_pct();
        for (const ant::HrmBeat& b : beats_.push(*page, now)) {
            // The strap's clock, placed on the session's by the arrival of the first beat, and
            // again if it falls behind (messages arriving late are placed by the strap's clock).
            // A beat that waited for the paging decision is placed by its own message's arrival.
            if (!offset_s_ || b.event_s + *offset_s_ < b.heard_s - kReanchor_s) {
                offset_s_ = b.heard_s - b.event_s;
                // ... but never before the last beat recorded (messages that came in a burst).
                if (last_beat_s_ && b.event_s + *offset_s_ <= *last_beat_s_)
                    offset_s_ = *last_beat_s_ + b.rr_ms / 1000.0 - b.event_s;
            }
            last_beat_s_ = b.event_s + *offset_s_;
            link.emit(RrBeat{*last_beat_s_, b.rr_ms, b.after_gap ? RrBeat::kAfterGap : 0u});
        }
        if (beats_.battery_pct() != battery) status(link, true);
    }

    void status(SerialLink& link, bool connected) {
        link.emit(DeviceStatus{link.now_s(), connected, std::nullopt, beats_.battery_pct(),
                               std::nullopt, name_});
    }

    static constexpr const char* kDefaultName = "ANT+ heart-rate strap";
    std::vector<std::vector<std::uint8_t>> setup_;
    std::string path_;
    std::string name_ = kDefaultName;
    ant::AntFrameDecoder frames_;
    ant::HrmBeatDecoder beats_;
    State state_ = State::closed;
    std::size_t step_ = 0;
    double searching_since_s_ = 0.0;
    bool receiving_ = false, heard_strap_ = false;
    std::optional<double> offset_s_, last_beat_s_;
    std::size_t missed_messages_ = 0;
};

}  // namespace

std::unique_ptr<SerialProtocol> make_ant_protocol(const SerialOptions& o) {
    return std::make_unique<AntProtocol>(o);
}

}  // namespace relaxmon::devices::serial
