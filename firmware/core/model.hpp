// The model table: everything that differs between the W100 and the W120 —
// buttons and gesture thresholds, indicators, radios, boot and restart times,
// power draw, battery and charging limits, capabilities — in one place.
//
// Logic elsewhere asks the table ("does this model have a display?", "which
// action does a 3 s hold of the top button do?") instead of branching on the
// model. Values marked (assumption) in SPEC.md are named fields here, never
// literals in logic.
#pragma once

#include "firmware/core/time.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace bwc::fw {

enum class Model { W100, W120 };

/// Physical buttons. On the W100 the recording button is the "front button".
enum class Button { Power, Record, Function, Top };
inline constexpr int kButtonCount = 4;

enum class GestureKind { Press, DoublePress, Hold };

/// What a recognised gesture asks for. Which one applies also depends on the
/// camera's state (a record press while recording is a bookmark).
enum class Action {
    PowerOn,
    PowerOff,
    RecoverEmptyBattery,
    StartRecording,
    StopRecording,
    Bookmark,
    StartLiveStream,
    ToggleMicrophone,
    ToggleSilentMode,
    ShowStatus,
    EnterTroubleshooting,
    NextTroubleshootingPage,
    LeaveTroubleshooting,
};

/// Which state a binding is valid in; the dispatcher picks the first binding
/// matching gesture and context.
enum class BindingContext {
    Off,             // camera off (only power-on style actions)
    Idle,            // on and ready, not recording
    Recording,       // recording (with or without live stream)
    Troubleshooting, // troubleshooting pages shown
    AnyOn,           // any of Idle, Recording, Troubleshooting
};

struct GestureBinding {
    Button button;
    GestureKind kind;
    Millis hold_threshold; // for Hold; zero otherwise
    BindingContext context;
    Action action;
};

/// Every light and screen either model can have.
enum class Indicator {
    // W120
    RecordingLed,
    StatusLed,
    FrontIndicator,
    Display,
    // W100
    DockingLed,
    RecordingStatusLed,
    OperationLed,
    BatteryLed,
    StorageLed,
    MicrophoneLed,
    ExtensionLed,
};
inline constexpr int kIndicatorCount = 11;

struct Capabilities {
    bool display = false;
    bool lte = false;
    bool gnss = false;
    bool wifi_5ghz = false;
    bool live_stream = false;
    bool troubleshooting_mode = false;
    bool bookmarks = false;
    bool camera_extension = false;   // TW1200 mini sensor (W100)
    bool recover_empty_hold = false; // "hold power 4 s, then charge" (W120)
    int microphones = 1;
};

/// Gesture recognition timing (assumption: SPEC §2).
struct GestureTiming {
    Millis debounce = 30ms;             // a press is a closure longer than this
    Millis double_press_window = 400ms; // releases at most this far apart
};

/// Boot and restart times (SPEC §4).
struct LifecycleTiming {
    Millis boot_to_ready;     // power on to ready
    Millis undock_restart;    // undock: restart then ready
    Millis dock_restart;      // dock: restart until display / LEDs are back
    Millis dock_upload_delay; // after the dock restart, until upload starts
    Millis status_shown_for;  // top press shows battery/storage/user (assumption)
    Millis firmware_update;   // time to install an offered update (assumption)
};

/// Current drawn from the battery in each state (assumption), used to turn a
/// remaining capacity into "hours left".
struct PowerDraw {
    std::int32_t standby_ma;
    std::int32_t recording_ma;
    std::int32_t streaming_ma;
    std::int32_t off_ma; // shipping mode / off: self-discharge is the cell's
};

/// Battery cell and charging policy (SPEC §5; numbers are assumptions unless
/// the manuals give them).
struct BatterySpec {
    std::int32_t nominal_mv = 3700;
    std::int32_t full_mv = 4200;
    std::int32_t empty_mv = 3000;
    std::int32_t capacity_mah = 3000;
};

/// Temperatures are tenths of a degree Celsius so boundary tests are exact.
using DeciCelsius = std::int32_t;
constexpr DeciCelsius deci_c(int whole, int tenths = 0) {
    return whole * 10 + tenths;
}

struct ChargeBand {
    DeciCelsius from_dc; // inclusive
    std::int32_t current_ma;
};

struct ChargeSpec {
    DeciCelsius window_low_dc = deci_c(0);           // charge at or above
    DeciCelsius window_high_dc = deci_c(40);         // charge at or below
    DeciCelsius reduced_limit_above_dc = deci_c(35); // strictly above: stop at limit
    std::int32_t reduced_limit_percent = 70;
    std::int32_t taper_from_percent = 80;         // constant-voltage phase starts (assumption)
    std::int32_t termination_ma = 150;            // end of charge current (assumption)
    std::int32_t recharge_hysteresis_percent = 5; // resume this far below the target (assumption)
    int charger_fault_periods = 3; // periods with current commanded, none measured (assumption)
    Millis max_continuous_charging = days(45);
    Millis control_period = 10s;       // how often the policy re-evaluates
    std::span<const ChargeBand> bands; // current by temperature, ascending
};

/// Battery / storage level colours from time left (SPEC §3).
struct LevelThresholds {
    Millis green_above = hours(1);
    Millis red_below = 30min;
};

/// Policies the manuals state in calendar time.
struct SystemPolicy {
    Millis lock_after_undocked = weeks(8);
    Millis certificate_valid_for = days(6);
};

/// Blink patterns (assumption: the manuals name them, not their timing).
struct IndicatorTiming {
    Millis flash_period = 1000ms; // on half, off half
    Millis pulse_period = 2000ms; // smooth rise and fall
};

/// Recording and offload (SPEC §6; assumptions where marked there).
struct MediaSpec {
    std::int64_t bitrate_1080p_bps = 8'000'000;
    std::int64_t bitrate_720p_bps = 4'000'000;
    std::int64_t storage_bytes = 64'000'000'000;      // recording storage fitted
    std::int64_t prebuffer_space_bytes = 128'000'000; // own space, apart from storage
    std::int64_t offload_bytes_per_s = 30'000'000;    // dock link at full speed
    Millis min_recording_left = 10s;                  // less free storage than this is "full"
};

struct ModelSpec {
    Model model;
    std::string_view name;
    Capabilities caps;
    std::span<const Button> buttons;
    std::span<const GestureBinding> gestures;
    std::span<const Indicator> indicators;
    GestureTiming gesture_timing;
    LifecycleTiming timing;
    PowerDraw draw;
    BatterySpec battery;
    ChargeSpec charge;
    LevelThresholds levels;
    SystemPolicy policy;
    IndicatorTiming indicator_timing;
    MediaSpec media;
    std::string_view firmware_version; // of this reference build
};

const ModelSpec& model_spec(Model model);
std::span<const Model> all_models();

std::string_view to_string(Model);
std::string_view to_string(Button);
std::string_view to_string(GestureKind);
std::string_view to_string(Action);
std::string_view to_string(Indicator);
std::optional<Model> parse_model(std::string_view);

bool has_button(const ModelSpec&, Button);
bool has_indicator(const ModelSpec&, Indicator);

} // namespace bwc::fw
