// What a camera shows: light states (colour + steady / flashing / pulsing
// with a period), the W120 display's icons, text lines and progress bars.
//
// These are descriptions, not frames: a light that flashes is reported as
// "green, flashing, 1000 ms" once, and whoever draws it (the emulator's face
// renderer, a test) derives the phase from the time. This keeps the core free
// of per-blink timers and makes patterns exact in virtual time.
#pragma once

#include "firmware/core/time.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace bwc::fw {

enum class Colour { Off, Red, Green, Amber, Blue, White };
enum class Pattern { Off, Steady, Flashing, Pulsing };

struct LightState {
    Colour colour = Colour::Off;
    Pattern pattern = Pattern::Off;
    Millis period = 0ms; // zero for Off and Steady

    bool lit() const { return pattern != Pattern::Off; }
    friend bool operator==(const LightState&, const LightState&) = default;
};

/// Icons of the W120 display [W120 manual, "Display" sections].
enum class Icon {
    Logo,
    Docked,
    Charging,
    UserAssigned,
    FirmwareUpgrade,
    DataTransfer,
    NoUser,
    NotAdded,
    GeneralError,
    LostController,
    Battery,
    UsbCharging,
    Storage,
    StorageError,
    HolsterSensor,
    AppLink,
    MiniSensor,
    MicrophoneOff,
    LiveLink,
    Gps,
    Mobile,
    Wifi,
    Locked,
    Recording,
};

struct IconState {
    Icon icon;
    Colour colour = Colour::White;
    Pattern pattern = Pattern::Steady;
    Millis period = 0ms;
    int level = -1; // signal bars 0–4 for radio icons, -1 when not a level
    friend bool operator==(const IconState&, const IconState&) = default;
};

struct ProgressBar {
    Icon icon; // which activity: Charging, FirmwareUpgrade, DataTransfer
    int percent = 0;
    friend bool operator==(const ProgressBar&, const ProgressBar&) = default;
};

struct DisplayState {
    bool on = false;
    std::vector<IconState> icons;
    std::vector<std::string> text; // e.g. the user name, troubleshooting page lines
    std::vector<ProgressBar> bars;

    const IconState* find(Icon icon) const;
    friend bool operator==(const DisplayState&, const DisplayState&) = default;
};

std::string_view to_string(Colour);
std::string_view to_string(Pattern);
std::string_view to_string(Icon);

} // namespace bwc::fw
