// The conditions of the RMA diagnosis table (SPEC §8): each is something the
// camera knows is wrong or notable, and each has exactly one user-visible
// behaviour, drawn by the indicator code. Snapshots list the active ones.
#pragma once

#include <string_view>

namespace bwc::fw {

enum class Condition {
    StorageError,         // storage error icon steady; camera not operational
    NoUserDocked,         // docked, no-user icon pulsing
    NotAdded,             // docked, not-added icon steady
    GeneralError,         // docked, general error icon
    LostController,       // docked, lost-controller icon
    BatteryNotCharging,   // docked, charging icon flashing + continuous beep
    RecordingNotPossible, // 2 short + 1 long beep and buzz (last attempt refused)
    NoUserUndocked,       // undocked, no-user icon
    BatteryLow,           // periodic beeps
    StorageFull,          // 2 short + 1 long, storage icon
    WifiError,            // Wi-Fi icon red
    MobileError,          // mobile icon red
    SensorFault,          // W100: extension red, operation green, 1 short beep
    UploadError,          // W100: docking status flashes amber + storage red
    Locked,               // not docked for 8 weeks
    CertificateExpired,   // live stream refused: no dock for 6 days
};
inline constexpr int kConditionCount = 16;

std::string_view to_string(Condition);

} // namespace bwc::fw
