// Beep and buzz (vibration) patterns the camera plays, as data: each pattern
// is a list of tones so the emulator can synthesise it and a test can check
// it, and so "2 short + 1 long" is written down once.
#pragma once

#include "firmware/core/time.hpp"

#include <span>
#include <string_view>

namespace bwc::fw {

enum class Sound {
    RecordingNotPossible, // 2 short + 1 long beep and buzz [W120 §8]
    LowBatteryPeriodic,   // 1 beep/buzz, every 2 minutes [W120]
    LowBatteryReinforced, // 3 beeps/buzzes, every minute [W120]
    ContinuousBeep,       // battery not charging, while the condition lasts
    SensorFault,          // W100: 1 short beep [SYS]
    Acknowledge,          // operator acknowledged a live stream: vibrate [LIVE]
    Confirm,              // a gesture was accepted (recording started/stopped…)
};

struct Tone {
    bool beep;
    bool buzz;
    Millis on;
    Millis off; // silence after this tone
};

/// Tone durations are assumptions: the manuals name the rhythm only.
inline constexpr Millis kShortTone = 150ms;
inline constexpr Millis kLongTone = 600ms;
inline constexpr Millis kToneGap = 150ms;

std::span<const Tone> tones(Sound);
std::string_view to_string(Sound);

} // namespace bwc::fw
