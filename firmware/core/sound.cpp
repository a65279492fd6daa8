// The beep and buzz patterns as tone lists (see sound.hpp).
#include "firmware/core/sound.hpp"

#include <array>

namespace bwc::fw {
namespace {

constexpr Tone shortBoth{true, true, kShortTone, kToneGap};
constexpr Tone longBoth{true, true, kLongTone, kToneGap};
constexpr std::array kRecordingNotPossible{shortBoth, shortBoth, longBoth};
constexpr std::array kLowBatteryPeriodic{shortBoth};
constexpr std::array kLowBatteryReinforced{shortBoth, shortBoth, shortBoth};
constexpr std::array kContinuousBeep{Tone{true, false, kLongTone, 0ms}}; // repeats while active
constexpr std::array kSensorFault{Tone{true, false, kShortTone, kToneGap}};
constexpr std::array kAcknowledge{Tone{false, true, kLongTone, kToneGap}};
constexpr std::array kConfirm{Tone{true, false, kShortTone, 0ms}};

} // namespace

std::span<const Tone> tones(Sound s) {
    switch (s) {
    case Sound::RecordingNotPossible:
        return kRecordingNotPossible;
    case Sound::LowBatteryPeriodic:
        return kLowBatteryPeriodic;
    case Sound::LowBatteryReinforced:
        return kLowBatteryReinforced;
    case Sound::ContinuousBeep:
        return kContinuousBeep;
    case Sound::SensorFault:
        return kSensorFault;
    case Sound::Acknowledge:
        return kAcknowledge;
    case Sound::Confirm:
        return kConfirm;
    }
    return {};
}

std::string_view to_string(Sound s) {
    switch (s) {
    case Sound::RecordingNotPossible:
        return "recording_not_possible";
    case Sound::LowBatteryPeriodic:
        return "low_battery_periodic";
    case Sound::LowBatteryReinforced:
        return "low_battery_reinforced";
    case Sound::ContinuousBeep:
        return "continuous_beep";
    case Sound::SensorFault:
        return "sensor_fault";
    case Sound::Acknowledge:
        return "acknowledge";
    case Sound::Confirm:
        return "confirm";
    }
    return "?";
}

} // namespace bwc::fw
