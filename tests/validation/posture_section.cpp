#include "posture_section.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "session/session.hpp"

namespace relaxmon::validation {

namespace {

namespace fs = std::filesystem;

struct Event {
    double t_s;
    std::string kind, label;
};

struct Run {
    std::vector<Event> events;
    std::vector<std::pair<double, std::string>> states;  // metrics.csv: t_s, state
    std::vector<std::pair<double, double>> index;        // metrics.csv: t_s, relax_index
    nlohmann::json info;
    std::vector<std::array<double, 4>> acc;  // t_s, x, y, z (acc.csv)
};

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : line) {
        if (c == '"')
            quoted = !quoted;
        else if (c == ',' && !quoted)
            out.push_back(std::move(cur)), cur.clear();
        else
            cur += c;
    }
    out.push_back(cur);
    return out;
}

Run record(const std::string& source, double seconds, bool keep_acc) {
    const fs::path dir =
        fs::temp_directory_path() /
        fmt::format("relaxmon-posture-{}-{}", ::getpid(), std::hash<std::string>{}(source));
    fs::remove_all(dir);
    {
        session::SessionConfig cfg;
        cfg.source = source;
        cfg.speed = 0.0;
        cfg.duration_s = seconds;
        cfg.record_dir = dir;
        cfg.live_view = false;
        session::Session s(cfg);
        s.start();
        s.wait_finished(std::chrono::minutes(10));
    }
    Run r;
    std::ifstream ev(dir / "events.csv");
    std::string line;
    std::getline(ev, line);
    while (std::getline(ev, line)) {
        const auto f = split(line);
        if (f.size() >= 3) r.events.push_back({std::stod(f[0]), f[1], f[2]});
    }
    std::ifstream m(dir / "metrics.csv");
    std::getline(m, line);
    while (std::getline(m, line)) {
        const auto f = split(line);
        if (f.size() >= 11) r.states.emplace_back(std::stod(f[0]), f[10]);
        if (f.size() >= 11 && !f[9].empty()) r.index.emplace_back(std::stod(f[0]), std::stod(f[9]));
    }
    r.info = nlohmann::json::parse(std::ifstream(dir / "session.json"));
    if (keep_acc) {
        std::ifstream acc(dir / "acc.csv");
        std::getline(acc, line);
        while (std::getline(acc, line)) {
            const auto f = split(line);
            if (f.size() == 4)
                r.acc.push_back(
                    {std::stod(f[0]), std::stod(f[1]), std::stod(f[2]), std::stod(f[3])});
        }
    }
    fs::remove_all(dir);
    return r;
}

// The mean relax index over [from_s, to_s] (NaN when none).
double mean_index(const Run& r, double from_s, double to_s) {
    double sum = 0.0;
    int n = 0;
    for (const auto& [t, x] : r.index)
        if (t >= from_s && t <= to_s) sum += x, ++n;
    return n ? sum / n : NAN;
}

double median(std::vector<double> v) {
    if (v.empty()) return NAN;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

void posture_section() {
    fmt::print("## Posture and movement from the chest (issue 19)\n\n");
    fmt::print(
        "20 simulated massage sessions of 45 minutes with chest acceleration "
        "(`sim:massage?seed=N&acc=1`): the client lies face-down and turns over face-up at a "
        "seeded 15-35 minutes (5-15 s of movement, heart rate up 10-20 bpm for 20-40 s from the "
        "effort). The same seeds without acceleration (`acc=0`) have no turnover: their onsets "
        "are the detector's without the turn.\n\n");
    constexpr int kSeeds = 20;
    int found = 0, false_postures = 0, false_moves = 0, ends_after = 0, aroused_after = 0,
        onsets_with = 0, onsets_without = 0;
    std::vector<double> to_movement_s, to_posture_s, onset_shift_s, index_step_with,
        index_step_without;
    double still_h = 0.0;
    for (int seed = 1; seed <= kSeeds; ++seed) {
        const Run with = record(fmt::format("sim:massage?seed={}&acc=1", seed), 2700.0, false);
        const Run without = record(fmt::format("sim:massage?seed={}&acc=0", seed), 2700.0, false);
        const double turn_s = with.info["turnover_s"].get<double>();
        std::optional<double> move_s, supine_s, onset_with, onset_without;
        int postures = 0, moves = 0;
        for (const Event& e : with.events) {
            if (e.kind == "movement" && e.label == "start") {
                ++moves;
                if (!move_s && e.t_s >= turn_s - 1.0 && e.t_s <= turn_s + 20.0) move_s = e.t_s;
            }
            if (e.kind == "posture") {
                ++postures;
                if (e.label == "supine" && e.t_s > turn_s && !supine_s) supine_s = e.t_s;
            }
            if (e.kind == "relaxation_onset" && !onset_with) onset_with = e.t_s;
            if (e.kind == "relaxation_end" && e.t_s > turn_s) ++ends_after;
        }
        for (const Event& e : without.events)
            if (e.kind == "relaxation_onset" && !onset_without) onset_without = e.t_s;
        for (const auto& [t, state] : with.states)
            if (t > turn_s && t < turn_s + 300.0 && state == "aroused") {
                ++aroused_after;
                break;
            }
        if (move_s && supine_s) {
            ++found;
            to_movement_s.push_back(*move_s - turn_s);
            to_posture_s.push_back(*supine_s - turn_s);
        }
        false_postures += std::max(0, postures - 2);  // the first, face-down, and face-up
        false_moves += std::max(0, moves - 1);
        still_h += (2700.0 - 60.0) / 3600.0;
        onsets_with += onset_with.has_value();
        onsets_without += onset_without.has_value();
        if (onset_with && onset_without) onset_shift_s.push_back(*onset_with - *onset_without);
        // The relax index across the turn: 5 minutes before it against minutes 2-7 after (the
        // detector holds while the body moves and until the new posture's levels are known).
        const auto step = [&](const Run& r) {
            return mean_index(r, turn_s + 120.0, turn_s + 420.0) -
                   mean_index(r, turn_s - 300.0, turn_s - 10.0);
        };
        if (turn_s + 420.0 < 2700.0) {
            index_step_with.push_back(std::abs(step(with)));
            index_step_without.push_back(std::abs(step(without)));
        }
    }
    fmt::print("| measure | 20 sessions with a turnover | target |\n|---|---|---|\n");
    fmt::print("| turnovers found (movement, then `supine`) | {}/{} | all |\n", found, kSeeds);
    fmt::print(
        "| time from the turn's start to `movement start` | median {:.2f} s, max {:.2f} s | "
        "seconds |\n",
        median(to_movement_s),
        to_movement_s.empty() ? NAN
                              : *std::max_element(to_movement_s.begin(), to_movement_s.end()));
    fmt::print(
        "| time from the turn's start to `posture supine` | median {:.1f} s (the movement "
        "lasts 5-15 s, then 2 quiet and 3 still seconds) | |\n",
        median(to_posture_s));
    fmt::print(
        "| posture events while lying still (besides the first and the turn) | {} in {:.1f} "
        "h, {:.2f} per hour | none |\n",
        false_postures, still_h, false_postures / still_h);
    fmt::print(
        "| movements other than the turn (massage strokes rock the body 10-25 mG) | {} | "
        "none |\n",
        false_moves);
    fmt::print("| relaxation onset detected | {}/{} with the turn, {}/{} without | unchanged |\n",
               onsets_with, kSeeds, onsets_without, kSeeds);
    fmt::print(
        "| onset time, with the chest against without (breathing then from the chest) | "
        "median {:+.0f} s | |\n",
        median(onset_shift_s));
    fmt::print("| `relaxation_end` after the turn | {} | none |\n", ends_after);
    fmt::print("| sessions `aroused` within 5 min after the turn | {} | none |\n", aroused_after);
    fmt::print(
        "| relax index, minutes 2-7 after the turn against the 5 before (re-referenced to the "
        "new posture), median of its size | {:.1f} points; the same stretch without a turn: {:.1f} "
        "| as without |\n\n",
        median(index_step_with), median(index_step_without));

    // The simulated chest against what is known of a real one (PROTOCOLS.md, "ACC axes and
    // posture"): no real acceleration recording is in ../shared/data.
    const Run one = record("sim:massage?seed=1&acc=1", 600.0, true);
    std::vector<double> norm, dynamic_z;
    double lp_z = one.acc.empty() ? 0.0 : one.acc.front()[3];
    const double alpha = 1.0 - std::exp(-0.005 / 2.0);
    for (const auto& a : one.acc) {
        norm.push_back(std::sqrt(a[1] * a[1] + a[2] * a[2] + a[3] * a[3]));
        lp_z += alpha * (a[3] - lp_z);
        if (a[0] > 30.0) dynamic_z.push_back(std::abs(a[3] - lp_z));
    }
    std::sort(dynamic_z.begin(), dynamic_z.end());
    const double p95_z = dynamic_z.empty() ? NAN : dynamic_z[dynamic_z.size() * 95 / 100];
    fmt::print(
        "The simulated chest against what is known of real ones (no real acceleration recording "
        "is in `../shared/data`; PROTOCOLS.md): gravity's magnitude {:.0f} mG median (a still "
        "strap reads about 1000 mG); lying face-down z reads {:.0f} mG (real: about -1000); the "
        "chest's motion about gravity along z, 95th percentile {:.0f} mG (breathing moves a lying "
        "chest by a few to ~30 mG, the heartbeat adds ~5 mG).\n\n",
        median(norm), one.acc.size() > 2000 ? one.acc[2000][3] : NAN, p95_z);
}

}  // namespace relaxmon::validation
