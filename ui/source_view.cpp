#include "source_view.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <chrono>
#include <cstdio>

#include "panel.hpp"
#include "theme.hpp"

namespace relaxmon::ui {

namespace {
const char* const kScenarios[] = {"massage", "rest", "stress", "artifacts"};
const double kSpeeds[] = {1.0, 10.0, 60.0};
const char* const kSpeedNames[] = {"1x (real time)", "10x", "60x"};
const char* const kProtocols[] = {"ant", "rr", "ecg", "pulsesensor"};

void status_lines(const session::Snapshot& s, std::optional<SourceChoice>& choice) {
    ImGui::Text("Now: %s", s.device_name.c_str());
    const char* link = s.finished                   ? "ended"
                       : !s.connected               ? "disconnected - reconnecting by itself"
                       : (s.contact && !*s.contact) ? "no skin contact"
                                                    : "connected";
    ImGui::PushStyleColor(ImGuiCol_Text, s.connected ? theme::colors().good : theme::colors().bad);
    ImGui::TextUnformatted(link);
    ImGui::PopStyleColor();
    ImGui::SameLine();
    const double pct = s.beats ? 100.0 * double(s.artifacts) / double(s.beats) : 0.0;
    char buf[128];
    std::snprintf(buf, sizeof buf, "   battery %s   signal: %zu beats, %.1f%% artifacts%s",
                  s.battery_pct ? (std::to_string(*s.battery_pct) + "%").c_str() : "-", s.beats,
                  pct, pct > 5.0 ? " (check the strap: moisten the electrodes)" : "");
    ImGui::TextUnformatted(buf);
    if (s.finished) {
        if (ImGui::Button(s.replay ? "Play again" : "Connect")) {
            choice.emplace();
            choice->reconnect = true;
        }
    } else if (ImGui::Button(s.replay ? "Stop the replay" : "Disconnect")) {
        choice.emplace();
        choice->disconnect = true;
    }
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, theme::colors().text_dim);
    ImGui::TextUnformatted(s.finished ? "the session has ended; Connect starts a new one"
                                      : "Disconnect ends the session and completes its recording");
    ImGui::PopStyleColor();
}
}  // namespace

void open_sources(SourceState& st) {
    st.open = true;
    st.ports = devices::serial::list_serial_ports();
    st.port = 0;
}

std::optional<SourceChoice> draw_sources(SourceState& st, const session::Snapshot& s,
                                         const Fonts& fonts) {
    if (!st.open) return std::nullopt;
    // A finished scan: take its result (this frame never waits for it).
    if (st.scan.valid() && st.scan.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        try {
            st.straps = st.scan.get();
            st.scan_message = st.straps.empty() ? "no strap found (worn, electrodes moist?)" : "";
        } catch (const std::exception& e) {
            st.scan_message = e.what();
        }
    }
    begin_panel("Device (D)", &st.open, 900.0f, 0.8f);
    std::optional<SourceChoice> choice;
    if (fonts.large) ImGui::PushFont(fonts.large);
    ImGui::TextUnformatted("Device");
    if (fonts.large) ImGui::PopFont();
    status_lines(s, choice);
    ImGui::Separator();

    panel_heading("Simulated strap (Enter)");
    ImGui::SetNextItemWidth(160.0f);
    ImGui::Combo("scenario", &st.scenario, kScenarios, 4);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(160.0f);
    ImGui::Combo("speed", &st.speed, kSpeedNames, 3);
    ImGui::SameLine();
    ImGui::Checkbox("raw ECG", &st.sim_ecg);
    ImGui::SameLine();
    // Enter picks it, unless it ends a number typed in a field (the ECG rate).
    if (ImGui::Button("Use simulated strap") ||
        (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(GLFW_KEY_ENTER, false)))
        choice = SourceChoice{
            std::string("sim:") + kScenarios[st.scenario] + (st.sim_ecg ? "?ecg=1" : ""),
            kSpeeds[st.speed]};

    panel_heading("BLE strap (Polar, Garmin, Wahoo ... no pairing needed)");
    ImGui::Checkbox("raw ECG (Polar H10)", &st.ble_ecg);
    ImGui::SameLine();
    ImGui::Checkbox("chest acceleration (Polar H10)", &st.ble_acc);
    const std::string opts = st.ble_ecg || st.ble_acc
                                 ? std::string("?") + (st.ble_ecg ? "ecg=1" : "") +
                                       (st.ble_ecg && st.ble_acc ? "&" : "") +
                                       (st.ble_acc ? "acc=1" : "")
                                 : "";
    if (ImGui::Button("Strongest or last used (ble:auto)"))
        choice = SourceChoice{"ble:auto" + opts};
    ImGui::SameLine();
    const bool scanning = st.scan.valid();
    if (ImGui::Button(scanning ? "Scanning ..." : "Scan 5 s") && !scanning) {
        st.scan_message.clear();
        st.scan = std::async(std::launch::async, [] { return devices::ble::scan_straps(5.0); });
    }
    if (!st.scan_message.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(st.scan_message.c_str());
    }
    for (const auto& strap : st.straps) {
        ImGui::PushID(strap.address.c_str());
        char label[160];
        std::snprintf(label, sizeof label, "%s  %s  %s", strap.address.c_str(), strap.name.c_str(),
                      strap.rssi_dbm ? (std::to_string(*strap.rssi_dbm) + " dBm").c_str() : "");
        if (ImGui::Selectable(label)) choice = SourceChoice{"ble:" + strap.address + opts};
        ImGui::PopID();
    }

    panel_heading("Serial port (ANT USB stick, DIY board)");
    if (st.ports.empty()) {
        ImGui::TextUnformatted("no USB serial port found (plugged in?)");
    } else {
        std::vector<const char*> names;
        for (const auto& p : st.ports) names.push_back(p.stable.c_str());
        ImGui::SetNextItemWidth(420.0f);
        if (ImGui::Combo("port", &st.port, names.data(), static_cast<int>(names.size())) &&
            st.ports[static_cast<std::size_t>(st.port)].looks_like_ant)
            st.protocol = 0;
        ImGui::SetNextItemWidth(140.0f);
        ImGui::Combo("protocol", &st.protocol, kProtocols, 4);
        if (st.protocol == 2) {
            ImGui::SameLine();
            ImGui::SetNextItemWidth(100.0f);
            ImGui::InputInt("fs (Hz)", &st.fs_hz);
        }
        ImGui::SameLine();
        if (ImGui::Button("Use serial port")) {
            std::string src = "serial:" + st.ports[static_cast<std::size_t>(st.port)].stable +
                              "?protocol=" + kProtocols[st.protocol];
            if (st.protocol == 2) src += "&fs=" + std::to_string(std::max(50, st.fs_hz));
            choice = SourceChoice{src};
        }
    }

    panel_heading("A recorded session");
    if (ImGui::Button("Open the session library (L)"))
        choice = SourceChoice{.source = "", .speed = 1.0, .open_library = true};

    if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) st.open = false;
    end_panel();
    if (choice) st.open = false;
    return choice;
}

}  // namespace relaxmon::ui
