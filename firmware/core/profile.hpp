// The camera profile: settings an administrator chooses per user group and
// the controller syncs to a docked camera [SYS §profiles]. Every threshold
// the manuals call configurable is here, with the manuals' defaults.
#pragma once

#include "firmware/core/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bwc::fw {

enum class Resolution { P1080, P720 };
enum class LowBatteryWarning { Off, Periodic, PeriodicReinforced };

/// A Wi-Fi network the camera may join, and who configured it. Priority when
/// several are visible: app > user > profile ("last one wins" [LIVE]).
enum class NetworkSource { Profile = 0, User = 1, App = 2 };
struct WifiNetworkConfig {
    std::string ssid;
    std::string psk;
    NetworkSource source = NetworkSource::Profile;
};

struct Profile {
    std::string name = "default";
    Resolution resolution = Resolution::P1080;
    bool audio = true;
    bool optimised_for_post_processing = false;
    bool location = true;
    bool prebuffer = true;
    Millis prebuffer_length = 90s;
    bool allow_silent_mode = true;
    bool allow_audio_off = true;
    bool allow_troubleshooting = true;
    LowBatteryWarning low_battery_warning = LowBatteryWarning::Periodic;
    Millis low_battery_period = 2min;            // Periodic: 1 beep every …
    Millis low_battery_reinforced_period = 1min; // Reinforced: 3 beeps every …
    /// Start/stop gestures are configurable per profile [W120, SYS]; unset
    /// means the model table's default threshold.
    std::optional<Millis> stop_recording_hold;
    bool content_destination_bookmarks = true; // destination supports bookmarks
    std::vector<WifiNetworkConfig> wifi_networks;
    std::string apn;
    std::optional<std::string> sim_pin;
    bool allow_roaming = false;
};

} // namespace bwc::fw
