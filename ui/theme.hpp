#pragma once
// Colours of the dashboard: calm dark background, one distinct hue per quantity.
#include <imgui.h>

namespace relaxmon::ui::theme {

inline constexpr ImU32 rgba(int r, int g, int b, int a = 255) {
    return static_cast<ImU32>(r) | static_cast<ImU32>(g) << 8 | static_cast<ImU32>(b) << 16 |
           static_cast<ImU32>(a) << 24;
}

inline constexpr ImU32 kBackground = rgba(17, 20, 26);
inline constexpr ImU32 kPanel = rgba(26, 31, 40);
inline constexpr ImU32 kPlotBg = rgba(21, 25, 33);
inline constexpr ImU32 kGrid = rgba(48, 55, 68);
inline constexpr ImU32 kAxis = rgba(80, 90, 108);
inline constexpr ImU32 kText = rgba(232, 236, 242);
inline constexpr ImU32 kTextDim = rgba(150, 160, 176);
inline constexpr ImU32 kHeartRate = rgba(255, 99, 71);  // tomato
inline constexpr ImU32 kHeartRateRaw = rgba(255, 99, 71, 90);
inline constexpr ImU32 kRmssd = rgba(80, 200, 170);       // sea green
inline constexpr ImU32 kRr = rgba(110, 160, 255);         // blue
inline constexpr ImU32 kBreathing = rgba(150, 210, 255);  // pale blue
inline constexpr ImU32 kArtifact = rgba(255, 200, 40);    // amber
inline constexpr ImU32 kGap = rgba(255, 200, 40, 40);
inline constexpr ImU32 kMarker = rgba(200, 140, 255);  // violet
inline constexpr ImU32 kGood = rgba(90, 210, 120);
inline constexpr ImU32 kWarn = rgba(255, 200, 40);
inline constexpr ImU32 kBad = rgba(240, 80, 80);
inline constexpr ImU32 kRecord = rgba(230, 60, 60);
inline constexpr ImU32 kRelaxedBand = rgba(90, 210, 120, 36);
inline constexpr ImU32 kVlfBand = rgba(150, 160, 176, 26);
inline constexpr ImU32 kLfBand = rgba(110, 160, 255, 30);
inline constexpr ImU32 kHfBand = rgba(90, 210, 120, 30);
inline constexpr ImU32 kBaselineBand = rgba(80, 200, 170, 28);
inline constexpr ImU32 kReplay = rgba(255, 170, 70);  // orange: a session played back

}  // namespace relaxmon::ui::theme
