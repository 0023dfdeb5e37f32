#pragma once
// Colours of the dashboard: one distinct hue per quantity, in a dark palette (the default: calm
// beside a dimmed massage room) and a light one (a bright room, a projector, printing a
// screenshot). Series hues keep their meaning across both; the light palette darkens them for
// contrast on white.
#include <imgui.h>

namespace relaxmon::ui::theme {

inline constexpr ImU32 rgba(int r, int g, int b, int a = 255) {
    return static_cast<ImU32>(r) | static_cast<ImU32>(g) << 8 | static_cast<ImU32>(b) << 16 |
           static_cast<ImU32>(a) << 24;
}

struct Palette {
    bool light;
    ImU32 background, panel, plot_bg, grid, axis, text, text_dim, button;
    ImU32 heart_rate, heart_rate_raw, rmssd, rr, breathing, artifact, gap, marker;
    ImU32 good, warn, bad, record, replay;
    ImU32 relaxed_band, vlf_band, lf_band, hf_band, baseline_band;
    // The parts of the massage (between markers and posture changes): a strip under each plot,
    // the two shades taking turns.
    ImU32 part_band, part_band_alt;
};

inline constexpr Palette kDark{
    .light = false,
    .background = rgba(17, 20, 26),
    .panel = rgba(26, 31, 40),
    .plot_bg = rgba(21, 25, 33),
    .grid = rgba(48, 55, 68),
    .axis = rgba(80, 90, 108),
    .text = rgba(232, 236, 242),
    .text_dim = rgba(150, 160, 176),
    .button = rgba(60, 68, 84),
    .heart_rate = rgba(255, 99, 71),  // tomato
    .heart_rate_raw = rgba(255, 99, 71, 90),
    .rmssd = rgba(80, 200, 170),       // sea green
    .rr = rgba(110, 160, 255),         // blue
    .breathing = rgba(150, 210, 255),  // pale blue
    .artifact = rgba(255, 200, 40),    // amber
    .gap = rgba(255, 200, 40, 40),
    .marker = rgba(200, 140, 255),  // violet
    .good = rgba(90, 210, 120),
    .warn = rgba(255, 200, 40),
    .bad = rgba(240, 80, 80),
    .record = rgba(230, 60, 60),
    .replay = rgba(255, 170, 70),  // orange: a session played back
    .relaxed_band = rgba(90, 210, 120, 36),
    .vlf_band = rgba(150, 160, 176, 26),
    .lf_band = rgba(110, 160, 255, 30),
    .hf_band = rgba(90, 210, 120, 30),
    .baseline_band = rgba(80, 200, 170, 28),
    .part_band = rgba(170, 140, 230, 170),
    .part_band_alt = rgba(170, 140, 230, 70),
};

inline constexpr Palette kLight{
    .light = true,
    .background = rgba(244, 246, 249),
    .panel = rgba(255, 255, 255),
    .plot_bg = rgba(255, 255, 255),
    .grid = rgba(218, 223, 230),
    .axis = rgba(160, 168, 182),
    .text = rgba(24, 28, 36),
    .text_dim = rgba(92, 102, 118),
    .button = rgba(214, 220, 230),
    .heart_rate = rgba(214, 56, 32),
    .heart_rate_raw = rgba(214, 56, 32, 80),
    .rmssd = rgba(0, 140, 110),
    .rr = rgba(40, 96, 220),
    .breathing = rgba(20, 120, 200),
    .artifact = rgba(200, 130, 0),
    .gap = rgba(230, 160, 0, 50),
    .marker = rgba(130, 60, 210),
    .good = rgba(26, 150, 66),
    .warn = rgba(214, 140, 0),
    .bad = rgba(206, 40, 40),
    .record = rgba(206, 40, 40),
    .replay = rgba(236, 118, 20),
    .relaxed_band = rgba(26, 150, 66, 36),
    .vlf_band = rgba(92, 102, 118, 22),
    .lf_band = rgba(40, 96, 220, 24),
    .hf_band = rgba(26, 150, 66, 24),
    .baseline_band = rgba(0, 140, 110, 28),
    .part_band = rgba(110, 70, 190, 170),
    .part_band_alt = rgba(110, 70, 190, 60),
};

// The palette in use (read by every view; the UI thread alone changes it, between frames).
const Palette& colors();
// Switches the palette and Dear ImGui's own style colours with it.
void use(const Palette& palette);

}  // namespace relaxmon::ui::theme
