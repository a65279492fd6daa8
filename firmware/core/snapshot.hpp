// The factory state readout: a stable, versioned snapshot of everything a
// camera shows or knows — indicator states, display content, sounds, power
// state, battery gauge, storage, radios, conditions. The emulator puts it on
// the diag port, the face renderer draws it, tests and procedures assert on it.
//
// Versioning: kSnapshotSchema changes whenever a field is renamed, removed or
// changes meaning; adding a field keeps the version (readers must ignore
// fields they do not know). The JSON form is the wire form; keys are stable.
#pragma once

#include "firmware/core/camera.hpp"

#include <string>
#include <vector>

namespace bwc::fw {

inline constexpr int kSnapshotSchema = 1;

struct IndicatorReading {
    Indicator indicator;
    LightState light;
};

struct BatteryReadout {
    GaugeReading gauge;
    Level level = Level::Green;
    Millis time_left{0};
    ChargeDecision charge;
    bool external_power = false;
};

struct StorageReadout {
    StorageStatus status;
    Level level = Level::Green;
    Millis recording_left{0};
    bool uploading = false;
    int transfer_percent = 100;
};

struct SoundReadout {
    std::optional<Sound> continuous;
    std::optional<Sound> last;
    Millis last_at{0};
    std::uint64_t played = 0;
};

struct Snapshot {
    int schema = kSnapshotSchema;
    Millis at{0};
    Model model = Model::W120;
    Identity identity;
    std::string firmware_version;
    PowerState power = PowerState::Off;
    Activity activity = Activity::Idle;
    bool docked = false;
    bool vbus = false;
    bool usb_power = false;
    bool shipping_mode = false;
    bool added_to_system = false;
    std::optional<std::string> user;
    std::string profile;
    bool silent = false;
    bool microphone_off = false;
    bool locked = false;
    bool live_streaming = false;
    bool certificate_valid = false;
    std::optional<Millis> certificate_expires_at;
    bool ready_to_undock = false;
    int troubleshooting_page = 0; // 0 when not in troubleshooting mode
    bool recording = false;
    Millis recording_for{0};
    Millis prebuffer{0};
    int bookmarks = 0;
    std::optional<int> firmware_update_percent;
    std::vector<IndicatorReading> lights; // the model's LEDs, in model-table order
    DisplayState display;                 // W120 only; off on the W100
    SoundReadout sound;
    BatteryReadout battery;
    StorageReadout storage;
    RadioSummary radios;
    std::vector<Condition> conditions;

    const LightState* light(Indicator) const;
    bool has(Condition) const;
};

/// Deterministic JSON (fixed key order, no whitespace variation).
std::string to_json(const Snapshot&);

} // namespace bwc::fw
