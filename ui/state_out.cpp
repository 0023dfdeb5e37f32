#include "state_out.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "session/recorder.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

void write_state(const std::filesystem::path& path, const session::Snapshot& s, const UiState& ui) {
    nlohmann::json markers = nlohmann::json::array();
    for (const auto& m : s.markers) markers.push_back({{"t_s", m.t_s}, {"label", m.label}});
    const nlohmann::json j{{"t_s", s.t_s},
                           {"beats", s.beats},
                           {"source", s.source},
                           {"replay", s.replay},
                           {"paused", s.paused},
                           {"replay_speed", s.replay_speed},
                           {"finished", s.finished},
                           {"label", s.label},
                           {"recording", s.recording},
                           {"recording_dir", s.recording_dir},
                           {"markers", markers},
                           {"theme", theme::colors().light ? "light" : "dark"},
                           {"pacer", ui.pacer},
                           {"sound", ui.sound},
                           {"volume", ui.volume}};
    try {
        session::write_file_atomically(path, j.dump(2) + "\n");
    } catch (const std::exception& e) {
        fmt::print(stderr, "relaxmon: {}\n", e.what());
    }
}

}  // namespace relaxmon::ui
