#pragma once
// PostureTracker: posture and movement from a chest strap's accelerometer (milli-g, gravity
// included; the Polar H10 frame of PROTOCOLS.md: x along the body, y across the chest, z out of
// it). Two low-pass filters follow each axis: the slow one (time constant 2 s) is gravity, whose
// direction gives the posture - z out of the chest up is `supine`, down `prone`; gravity across
// the chest is a side (+y taken as `left_side`: which side is +y is not established); along the
// body `upright` (either sign, a strap may be worn upside down). The axis that carries most of
// gravity decides, so a strap worn rotated by less than 45 degrees still reads right.
// Movement is the rest of the signal once the quick filter (0.5 s) has taken breathing out
// (breathing moves the chest by 3-30 mG, the heartbeat ~5 mG, massage strokes rock it by a few
// tens): its RMS over 0.5 s above `move_start_mg` starts a movement, below `move_end_mg` for
// `move_end_s` ends it. A posture is reported at the start and at each change, once it has held
// for `settle_s` without movement: turning over, adjusting, a cough come and go as movement only.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace relaxmon::dsp {

enum class Posture { prone, supine, left_side, right_side, upright };
const char* posture_name(Posture p);  // the label in events.csv

struct PostureEvent {
    double t_s;
    std::string kind;   // "posture" or "movement"
    std::string label;  // a posture's name, or "start" / "end"
};

class PostureTracker {
  public:
    struct Params {
        double gravity_tau_s = 2.0;
        double quick_tau_s = 0.5;
        double rms_window_s = 0.5;
        double move_start_mg = 60.0;
        double move_end_mg = 30.0, move_end_s = 2.0;
        double settle_s = 3.0;
    };
    PostureTracker() : PostureTracker(Params{}) {}
    explicit PostureTracker(Params p) : p_(p) {}

    // The next block of samples from t0_s at fs_hz; returns the events it brought, in time
    // order. A block that does not follow the last (a dropout) starts the filters afresh.
    std::vector<PostureEvent> push(double t0_s, double fs_hz,
                                   std::span<const std::array<std::int16_t, 3>> samples_mg);

    std::optional<Posture> posture() const { return reported_; }
    bool moving() const { return moving_; }
    // When the last movement ended (nullopt: none yet, or moving now).
    std::optional<double> still_since_s() const;

  private:
    void sample(double t_s, double dt_s, const std::array<std::int16_t, 3>& a,
                std::vector<PostureEvent>& out);
    std::optional<Posture> classify() const;

    Params p_;
    bool started_ = false;
    double next_t_s_ = 0.0;
    std::array<double, 3> gravity_{}, quick_{};
    double power_mg2_ = 0.0;  // mean square of the movement over rms_window_s
    bool moving_ = false;
    double quiet_since_s_ = 0.0;  // below move_end_mg since (while moving)
    double still_since_s_ = 0.0;  // no movement since
    std::optional<Posture> candidate_;
    double candidate_since_s_ = 0.0;
    std::optional<Posture> reported_;
};

}  // namespace relaxmon::dsp
