// The reference camera firmware: one Camera object is one W100 or W120.
//
// It is a reactive state machine. The host delivers inputs (button edges,
// dock contact, controller messages, radio bytes) and calls advance() when
// the clock reaches next_deadline(); the camera never sleeps, never reads a
// clock other than the Clock port, and never blocks. Everything observable
// is in snapshot() (see snapshot.hpp) and the event stream.
//
// Contract:
//  - every entry point first runs the timers due up to clock.now(), each at
//    its own due time, so inputs and timers interleave in time order;
//  - ports are called only from entry points;
//  - bad input (an edge for a button the model lacks, garbage radio bytes) is
//    refused with an event, never a crash.
#pragma once

#include "firmware/core/battery.hpp"
#include "firmware/core/conditions.hpp"
#include "firmware/core/events.hpp"
#include "firmware/core/gesture.hpp"
#include "firmware/core/indicators.hpp"
#include "firmware/core/ports.hpp"
#include "firmware/core/profile.hpp"
#include "firmware/core/radios.hpp"
#include "firmware/core/sound.hpp"

#include <array>
#include <bitset>
#include <optional>
#include <string>
#include <vector>

namespace bwc::fw {

struct Snapshot;

struct Identity {
    std::string serial;
    std::string hardware_revision = "A";
    std::string imei; // W120 only
    std::string mac;
};

/// What survives a power cycle (the camera's flash).
struct Nvram {
    bool shipping_mode = true;
    bool added_to_system = false;
    std::optional<std::string> user;
    Profile profile;
    std::optional<Millis> last_undocked_at;
    std::optional<Millis> certificate_renewed_at;
    bool locked = false;
    std::string firmware_version; // empty: the model table's reference version
};

/// What the dock's link tells a docked camera about the system controller.
struct ControllerState {
    bool link_up = false;
    bool camera_added = false;
    std::optional<std::string> user;
    bool general_error = false;
    bool upload_error = false;
    std::optional<std::string> firmware_offer; // version the controller distributes
    std::optional<Profile> profile;
    bool unlock = false;             // master key passphrase accepted
    bool remove_from_system = false; // factory reset into shipping mode
};

enum class ExtensionSensor { None, Connected, Switching, Error }; // W100 TW1200
enum class AccessoryLink { None, Pairing, Connected, Failed };    // W120 holster, app, mini sensor

struct Accessories {
    ExtensionSensor extension = ExtensionSensor::None;
    AccessoryLink holster = AccessoryLink::None;
    int holster_battery_percent = 100;
    AccessoryLink app = AccessoryLink::None;
    AccessoryLink mini_sensor = AccessoryLink::None;
};

/// Troubleshooting pages [LIVE]: 1 status, 2 Wi-Fi or LTE, 3 name servers,
/// 4 endpoint response code.
inline constexpr int kTroubleshootingPages = 4;

enum class PowerState { Shipping, Off, DeepDischarge, Booting, Restarting, On };
enum class Activity { Idle, Recording, Troubleshooting, Docked };
std::string_view to_string(PowerState);
std::string_view to_string(Activity);

struct CameraPorts {
    const Clock& clock;
    BatteryGauge& gauge;
    Charger& charger;
    Storage& storage;
    RadioPorts radios; // may hold null pointers on models without that radio
};

class Camera {
public:
    Camera(Model model, Identity identity, Nvram nvram, CameraPorts ports);
    /// A camera whose model row differs from the table: the emulator injects
    /// firmware-level faults this way (drifted thresholds, a slow boot). The
    /// spans inside `spec` must outlive the camera.
    Camera(const ModelSpec& spec, Identity identity, Nvram nvram, CameraPorts ports);
    ~Camera();
    Camera(const Camera&) = delete;
    Camera& operator=(const Camera&) = delete;

    // --- inputs -----------------------------------------------------------
    void button(Button button, bool pressed);
    void dock(bool vbus_present = true);
    void undock();
    void set_usb_power(bool present);
    void set_controller(const ControllerState& state);
    void set_accessories(const Accessories& accessories);
    /// Dark or complex scenes raise the bitrate at 1080p (percent of nominal).
    void set_scene_bitrate_percent(int percent);
    void gnss_bytes(std::string_view bytes);
    void modem_bytes(std::string_view bytes);
    /// A Wi-Fi network from the phone app (or the factory port): highest
    /// priority. Returns why it was refused, empty when accepted.
    std::vector<std::string> add_wifi_network(WifiNetworkConfig network);
    /// The live-stream viewer acknowledged the stream: the camera vibrates [LIVE].
    void live_stream_acknowledged();
    /// Factory command: shipping mode (power-saving, does not start).
    void enter_shipping_mode();
    /// A battery was swapped: read the new ID, reset the learned capacity.
    void battery_replaced();

    // --- time -------------------------------------------------------------
    void advance();
    std::optional<Millis> next_deadline() const;

    // --- outputs ----------------------------------------------------------
    /// Everything observable at the time of the last entry point; call
    /// advance() first to bring it to the clock's now (camera_snapshot.cpp).
    Snapshot snapshot() const;
    std::vector<Event> drain_events() { return events_.drain(); }
    const ModelSpec& spec() const { return spec_; }
    const Nvram& nvram() const { return nvram_; }
    PowerState power() const { return power_; }
    Activity activity() const { return activity_; }
    bool has_condition(Condition c) const { return conditions_[static_cast<std::size_t>(c)]; }

private:
    enum class Timer {
        Boot,
        Restart,
        StatusShown,
        Control,
        LowBattery,
        Lock,
        FirmwareUpdate,
        UploadStart,
        Count
    };
    static constexpr std::size_t kTimerCount = static_cast<std::size_t>(Timer::Count);

    // camera.cpp: inputs, gestures, actions, life cycle
    void run_due();
    void fire(Timer t);
    void on_gesture(const Gesture& g);
    BindingContext context() const;
    std::optional<Action> bound_action(const Gesture& g) const;
    void perform(Action a);
    void refuse(Action a, std::string_view why, bool recording_not_possible);
    void set_power(PowerState p);
    void set_activity(Activity a);
    void start_restart(Millis duration);
    void become_ready();
    void power_off(PowerState to);
    void start_recording(bool live);
    void stop_recording(std::string_view why);
    std::optional<std::string> why_cannot_record() const;
    void rebuild_recognizers();
    Millis hold_threshold_for(const GestureBinding& b) const;
    void arm(Timer t, Millis at) { timers_[static_cast<std::size_t>(t)] = at; }
    void disarm(Timer t) { timers_[static_cast<std::size_t>(t)].reset(); }
    bool armed(Timer t) const { return timers_[static_cast<std::size_t>(t)].has_value(); }
    void play(Sound s);
    void set_condition(Condition c, bool active, std::string_view detail = {});
    void emit(EventKind kind, std::string what, std::string detail = {});
    void sync_radio_conditions();

    // camera_power.cpp: battery, charging and storage supervision
    void control_tick();
    void external_power_changed();
    void supervise_charging(const GaugeReading& g);
    void supervise_battery(const GaugeReading& g);
    void supervise_storage();
    void update_low_battery_warning(bool low);
    bool external_power() const { return (docked_ && vbus_) || usb_power_; }
    bool control_needed() const;
    void ensure_control_tick();
    std::int32_t current_draw_ma() const;
    std::int64_t bitrate_bps() const;
    Millis prebuffer_available() const;

    // camera_docking.cpp: docked mode, controller sync, updates and upload
    void enter_docked_mode();
    void apply_controller();
    void offload_tick();
    bool ready_to_undock() const;
    bool certificate_valid() const;
    void check_lock();

    // camera_indicators.cpp: what the lights and the display show
    friend struct IndicatorBuilder;
    void fill_indicators(Snapshot& s) const;

    const ModelSpec spec_;
    Identity identity_;
    Nvram nvram_;
    CameraPorts ports_;
    Radios radios_;
    EventQueue events_;

    Millis now_{0};
    PowerState power_ = PowerState::Off;
    Activity activity_ = Activity::Idle;
    Activity after_restart_ = Activity::Idle;
    std::array<std::optional<Millis>, kTimerCount> timers_{};
    std::vector<GestureRecognizer> recognizers_; // indexed by Button
    std::vector<GestureBinding> bindings_;       // model table + profile overrides

    bool docked_ = false;
    bool vbus_ = false;
    bool usb_power_ = false;
    Millis external_power_since_{0};
    ControllerState controller_;
    Accessories accessories_;
    int scene_bitrate_percent_ = 100;

    bool silent_ = false;
    bool microphone_off_ = false;
    bool live_streaming_ = false;
    bool battery_recovery_armed_ = false; // W120: power held 4 s while empty
    int troubleshooting_page_ = 1;
    std::optional<Millis> recording_since_;
    Millis last_prebuffer_ = 0ms;
    Millis prebuffer_fill_since_{0}; // power-on or end of the last recording
    int bookmarks_ = 0;

    ChargeMemory charge_memory_;
    ChargeDecision charge_{};
    GaugeReading last_gauge_{};
    StorageStatus last_storage_{};
    std::optional<Sound> continuous_sound_;
    std::optional<Sound> last_sound_;
    Millis last_sound_at_{0};
    std::uint64_t sounds_played_ = 0;

    std::optional<std::string> firmware_target_;
    Millis firmware_update_started_{0};
    bool uploading_ = false;
    std::int64_t offloaded_since_dock_ = 0;
    std::int64_t offload_total_at_dock_ = 0;
    std::bitset<kConditionCount> conditions_;
};

} // namespace bwc::fw
