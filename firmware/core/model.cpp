// The W100 and W120 rows of the model table (see model.hpp), and the names
// used on the wire and in snapshots for the table's enumerations.
#include "firmware/core/model.hpp"

#include <array>

namespace bwc::fw {
namespace {

using enum Button;
using enum GestureKind;
using enum BindingContext;
using enum Action;

// W120 [W120 manual, LIVE]. The stop-recording hold is the profile's default;
// a profile may override it (Profile::stop_recording_hold).
constexpr std::array kW120Buttons{Power, Record, Function, Top};
constexpr std::array kW120Gestures{
    GestureBinding{Power, Press, 0ms, Off, PowerOn},
    GestureBinding{Power, Hold, 4s, Off, RecoverEmptyBattery},
    GestureBinding{Power, Hold, 5s, AnyOn, PowerOff},
    GestureBinding{Record, Press, 0ms, Idle, StartRecording},
    GestureBinding{Record, Press, 0ms, Recording, Bookmark},
    GestureBinding{Record, Hold, 3s, Recording, StopRecording},
    GestureBinding{Function, DoublePress, 0ms, Idle, StartLiveStream},
    GestureBinding{Function, DoublePress, 0ms, Recording, StartLiveStream},
    GestureBinding{Function, Hold, 3s, Idle, ToggleMicrophone},
    GestureBinding{Function, Hold, 3s, Recording, ToggleMicrophone},
    GestureBinding{Top, Press, 0ms, Idle, ShowStatus},
    GestureBinding{Top, Press, 0ms, Recording, ShowStatus},
    GestureBinding{Top, DoublePress, 0ms, Idle, EnterTroubleshooting},
    GestureBinding{Top, Hold, 3s, Idle, ToggleSilentMode},
    GestureBinding{Top, Hold, 3s, Recording, ToggleSilentMode},
    GestureBinding{Top, Press, 0ms, Troubleshooting, NextTroubleshootingPage},
    GestureBinding{Top, Hold, 5s, Troubleshooting, LeaveTroubleshooting},
};
constexpr std::array kW120Indicators{Indicator::RecordingLed, Indicator::StatusLed,
                                     Indicator::FrontIndicator, Indicator::Display};

// W100 [SYS]: the front button records; no display, seven LEDs.
constexpr std::array kW100Buttons{Power, Record, Function, Top};
constexpr std::array kW100Gestures{
    GestureBinding{Power, Press, 0ms, Off, PowerOn},
    GestureBinding{Power, Hold, 5s, AnyOn, PowerOff},
    GestureBinding{Record, Press, 0ms, Idle, StartRecording},
    GestureBinding{Record, Hold, 4s, Recording, StopRecording},
    GestureBinding{Function, Hold, 3s, Idle, ToggleMicrophone},
    GestureBinding{Function, Hold, 3s, Recording, ToggleMicrophone},
    GestureBinding{Top, Press, 0ms, Idle, ShowStatus},
    GestureBinding{Top, Press, 0ms, Recording, ShowStatus},
    GestureBinding{Top, Hold, 3s, Idle, ToggleSilentMode},
    GestureBinding{Top, Hold, 3s, Recording, ToggleSilentMode},
};
constexpr std::array kW100Indicators{Indicator::DockingLed,   Indicator::RecordingStatusLed,
                                     Indicator::OperationLed, Indicator::BatteryLed,
                                     Indicator::StorageLed,   Indicator::MicrophoneLed,
                                     Indicator::ExtensionLed};

// Charge current by temperature (assumption). With the taper of ChargeSpec a
// depleted 3,000 mAh cell fills in about 3.7 h at room temperature and about
// 5.9 h in the cold band, inside the manuals' 3–6.5 h.
constexpr std::array kChargeBands{
    ChargeBand{deci_c(0), 600},
    ChargeBand{deci_c(10), 1000},
};

ChargeSpec charge_spec() {
    ChargeSpec c;
    c.bands = kChargeBands;
    return c;
}

const ModelSpec kW120{
    .model = Model::W120,
    .name = "W120",
    .caps = {.display = true,
             .lte = true,
             .gnss = true,
             .wifi_5ghz = true,
             .live_stream = true,
             .troubleshooting_mode = true,
             .bookmarks = true,
             .camera_extension = false,
             .recover_empty_hold = true,
             .microphones = 2},
    .buttons = kW120Buttons,
    .gestures = kW120Gestures,
    .indicators = kW120Indicators,
    .gesture_timing = {},
    .timing = {.boot_to_ready = 30s,
               .undock_restart = 40s,
               .dock_restart = 10s,
               .dock_upload_delay = 10s,
               .status_shown_for = 5s,
               .firmware_update = 120s},
    .draw = {.standby_ma = 90, .recording_ma = 260, .streaming_ma = 420, .off_ma = 0},
    .battery = {},
    .charge = charge_spec(),
    .levels = {},
    .policy = {},
    .indicator_timing = {},
    .media = {},
    .firmware_version = "2.4.0-ref",
};

const ModelSpec kW100{
    .model = Model::W100,
    .name = "W100",
    .caps = {.display = false,
             .lte = false,
             .gnss = false,
             .wifi_5ghz = false,
             .live_stream = false,
             .troubleshooting_mode = false,
             .bookmarks = false,
             .camera_extension = true,
             .recover_empty_hold = false,
             .microphones = 1},
    .buttons = kW100Buttons,
    .gestures = kW100Gestures,
    .indicators = kW100Indicators,
    .gesture_timing = {},
    .timing = {.boot_to_ready = 15s,
               .undock_restart = 20s,
               .dock_restart = 10s,
               .dock_upload_delay = 10s,
               .status_shown_for = 5s,
               .firmware_update = 120s},
    .draw = {.standby_ma = 70, .recording_ma = 230, .streaming_ma = 230, .off_ma = 0},
    .battery = {},
    .charge = charge_spec(),
    .levels = {},
    .policy = {},
    .indicator_timing = {},
    .media = {},
    .firmware_version = "1.9.0-ref",
};

constexpr std::array kAllModels{Model::W100, Model::W120};

} // namespace

const ModelSpec& model_spec(Model model) {
    return model == Model::W100 ? kW100 : kW120;
}

std::span<const Model> all_models() {
    return kAllModels;
}

std::string_view to_string(Model m) {
    return m == Model::W100 ? "W100" : "W120";
}

std::optional<Model> parse_model(std::string_view s) {
    if (s == "W100" || s == "w100")
        return Model::W100;
    if (s == "W120" || s == "w120")
        return Model::W120;
    return std::nullopt;
}

std::string_view to_string(Button b) {
    switch (b) {
    case Power:
        return "power";
    case Record:
        return "record";
    case Function:
        return "function";
    case Top:
        return "top";
    }
    return "?";
}

std::string_view to_string(GestureKind k) {
    switch (k) {
    case Press:
        return "press";
    case DoublePress:
        return "double_press";
    case Hold:
        return "hold";
    }
    return "?";
}

std::string_view to_string(Action a) {
    switch (a) {
    case PowerOn:
        return "power_on";
    case PowerOff:
        return "power_off";
    case RecoverEmptyBattery:
        return "recover_empty_battery";
    case StartRecording:
        return "start_recording";
    case StopRecording:
        return "stop_recording";
    case Bookmark:
        return "bookmark";
    case StartLiveStream:
        return "start_live_stream";
    case ToggleMicrophone:
        return "toggle_microphone";
    case ToggleSilentMode:
        return "toggle_silent_mode";
    case ShowStatus:
        return "show_status";
    case EnterTroubleshooting:
        return "enter_troubleshooting";
    case NextTroubleshootingPage:
        return "next_troubleshooting_page";
    case LeaveTroubleshooting:
        return "leave_troubleshooting";
    }
    return "?";
}

std::string_view to_string(Indicator i) {
    switch (i) {
    case Indicator::RecordingLed:
        return "recording_led";
    case Indicator::StatusLed:
        return "status_led";
    case Indicator::FrontIndicator:
        return "front_indicator";
    case Indicator::Display:
        return "display";
    case Indicator::DockingLed:
        return "docking_led";
    case Indicator::RecordingStatusLed:
        return "recording_status_led";
    case Indicator::OperationLed:
        return "operation_led";
    case Indicator::BatteryLed:
        return "battery_led";
    case Indicator::StorageLed:
        return "storage_led";
    case Indicator::MicrophoneLed:
        return "microphone_led";
    case Indicator::ExtensionLed:
        return "extension_led";
    }
    return "?";
}

bool has_button(const ModelSpec& spec, Button b) {
    for (Button x : spec.buttons)
        if (x == b)
            return true;
    return false;
}

bool has_indicator(const ModelSpec& spec, Indicator i) {
    for (Indicator x : spec.indicators)
        if (x == i)
            return true;
    return false;
}

} // namespace bwc::fw
