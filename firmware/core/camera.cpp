// Camera: inputs, gesture dispatch, actions and the power life cycle.
// Charging and supervision live in camera_power.cpp, docked mode in
// camera_docking.cpp, lights and display in camera_indicators.cpp.
#include "firmware/core/camera.hpp"

#include <algorithm>

namespace bwc::fw {

std::string_view to_string(PowerState p) {
    switch (p) {
    case PowerState::Shipping:
        return "shipping";
    case PowerState::Off:
        return "off";
    case PowerState::DeepDischarge:
        return "deep_discharge";
    case PowerState::Booting:
        return "booting";
    case PowerState::Restarting:
        return "restarting";
    case PowerState::On:
        return "on";
    }
    return "?";
}

std::string_view to_string(Activity a) {
    switch (a) {
    case Activity::Idle:
        return "idle";
    case Activity::Recording:
        return "recording";
    case Activity::Troubleshooting:
        return "troubleshooting";
    case Activity::Docked:
        return "docked";
    }
    return "?";
}

Camera::Camera(Model model, Identity identity, Nvram nvram, CameraPorts ports)
    : Camera(model_spec(model), std::move(identity), std::move(nvram), ports) {}

Camera::Camera(const ModelSpec& spec, Identity identity, Nvram nvram, CameraPorts ports)
    : spec_(spec), identity_(std::move(identity)), nvram_(std::move(nvram)), ports_(ports),
      radios_(spec_, ports.radios) {
    if (nvram_.firmware_version.empty())
        nvram_.firmware_version = std::string(spec_.firmware_version);
    now_ = ports_.clock.now();
    power_ = nvram_.shipping_mode ? PowerState::Shipping : PowerState::Off;
    ports_.charger.set_charge_current(0);
    last_gauge_ = ports_.gauge.read();
    last_storage_ = ports_.storage.status();
    rebuild_recognizers();
    radios_.configure(nvram_.profile, now_);
}

Camera::~Camera() = default;

// --- events and bookkeeping ------------------------------------------------

void Camera::emit(EventKind kind, std::string what, std::string detail) {
    events_.push({now_, kind, std::move(what), std::move(detail)});
}

void Camera::set_condition(Condition c, bool active, std::string_view detail) {
    auto i = static_cast<std::size_t>(c);
    if (conditions_[i] == active)
        return;
    conditions_[i] = active;
    emit(active ? EventKind::ConditionRaised : EventKind::ConditionCleared,
         std::string(to_string(c)), std::string(detail));
}

void Camera::play(Sound s) {
    // Silent mode turns beeps and vibration off [W120].
    if (silent_)
        return;
    last_sound_ = s;
    last_sound_at_ = now_;
    ++sounds_played_;
    emit(EventKind::Sound, std::string(to_string(s)));
}

void Camera::set_power(PowerState p) {
    if (p == power_)
        return;
    emit(EventKind::State, "power",
         std::string(to_string(power_)) + "->" + std::string(to_string(p)));
    power_ = p;
}

void Camera::set_activity(Activity a) {
    if (a == activity_)
        return;
    emit(EventKind::State, "activity",
         std::string(to_string(activity_)) + "->" + std::string(to_string(a)));
    activity_ = a;
}

// --- gestures ----------------------------------------------------------------

Millis Camera::hold_threshold_for(const GestureBinding& b) const {
    if (b.action == Action::StopRecording && nvram_.profile.stop_recording_hold)
        return *nvram_.profile.stop_recording_hold;
    return b.hold_threshold;
}

void Camera::rebuild_recognizers() {
    bindings_.assign(spec_.gestures.begin(), spec_.gestures.end());
    for (GestureBinding& b : bindings_)
        if (b.kind == GestureKind::Hold)
            b.hold_threshold = hold_threshold_for(b);
    recognizers_.clear();
    for (int i = 0; i < kButtonCount; ++i) {
        const auto button = static_cast<Button>(i);
        GestureConfig config{.timing = spec_.gesture_timing};
        for (const GestureBinding& b : bindings_) {
            if (b.button != button)
                continue;
            if (b.kind == GestureKind::DoublePress)
                config.double_press_enabled = true;
            if (b.kind == GestureKind::Hold)
                config.hold_thresholds.push_back(b.hold_threshold);
        }
        recognizers_.emplace_back(button, std::move(config));
    }
}

void Camera::button(Button b, bool pressed) {
    run_due();
    if (!has_button(spec_, b)) {
        emit(EventKind::Refused, "button", "model has no " + std::string(to_string(b)) + " button");
        return;
    }
    std::vector<Gesture> gestures;
    auto& r = recognizers_[static_cast<std::size_t>(b)];
    if (pressed)
        r.press(now_, gestures);
    else
        r.release(now_, gestures);
    for (const Gesture& g : gestures)
        on_gesture(g);
}

BindingContext Camera::context() const {
    if (power_ != PowerState::On)
        return BindingContext::Off;
    switch (activity_) {
    case Activity::Idle:
        return BindingContext::Idle;
    case Activity::Recording:
        return BindingContext::Recording;
    case Activity::Troubleshooting:
        return BindingContext::Troubleshooting;
    case Activity::Docked:
        return BindingContext::Idle;
    }
    return BindingContext::Off;
}

std::optional<Action> Camera::bound_action(const Gesture& g) const {
    const BindingContext ctx = context();
    for (const GestureBinding& b : bindings_) {
        if (b.button != g.button || b.kind != g.kind)
            continue;
        if (b.kind == GestureKind::Hold && b.hold_threshold != g.hold_threshold)
            continue;
        const bool on = ctx != BindingContext::Off;
        if (b.context == ctx || (b.context == BindingContext::AnyOn && on))
            return b.action;
    }
    return std::nullopt;
}

void Camera::on_gesture(const Gesture& g) {
    const Millis saved = now_;
    now_ = g.at;
    std::string what = std::string(to_string(g.button)) + "." + std::string(to_string(g.kind));
    if (g.kind == GestureKind::Hold)
        what += "." + std::to_string(g.hold_threshold.count());
    emit(EventKind::Gesture, what);
    // Booting, restarting and the states without power ignore gestures
    // except those bound to "off" (power on, recover from empty).
    if (auto a = bound_action(g))
        perform(*a);
    now_ = saved;
}

// --- actions -----------------------------------------------------------------

void Camera::refuse(Action a, std::string_view why, bool recording_not_possible) {
    emit(EventKind::Refused, std::string(to_string(a)), std::string(why));
    if (recording_not_possible) {
        set_condition(Condition::RecordingNotPossible, true, why);
        play(Sound::RecordingNotPossible);
    }
}

std::optional<std::string> Camera::why_cannot_record() const {
    if (power_ != PowerState::On)
        return "camera not on";
    if (docked_)
        return "docked";
    if (last_storage_.error)
        return "storage error";
    if (nvram_.locked)
        return "camera locked: not docked for " +
               std::to_string(spec_.policy.lock_after_undocked.count() / 86'400'000) + " days";
    if (!nvram_.user)
        return "no user assigned";
    if (accessories_.extension == ExtensionSensor::Switching)
        return "camera extension switching source";
    if (recording_time_left(last_storage_, bitrate_bps()) < spec_.media.min_recording_left)
        return "storage full";
    return std::nullopt;
}

void Camera::perform(Action a) {
    emit(EventKind::Action, std::string(to_string(a)));
    const Profile& profile = nvram_.profile;
    if (a == Action::StartRecording || a == Action::StartLiveStream)
        last_storage_ = ports_.storage.status(); // decide on fresh numbers
    switch (a) {
    case Action::PowerOn:
        if (power_ == PowerState::Shipping)
            return refuse(a, "shipping mode: dock and add to a system", false);
        if (power_ == PowerState::DeepDischarge)
            return refuse(a, "battery empty", false);
        if (power_ != PowerState::Off)
            return;
        if (!docked_) {
            const GaugeReading g = ports_.gauge.read();
            if (g.state_of_charge_percent <= 0 || g.voltage_mv <= spec_.battery.empty_mv)
                return refuse(a, "battery empty", false);
        }
        set_power(PowerState::Booting);
        arm(Timer::Boot, now_ + spec_.timing.boot_to_ready);
        ensure_control_tick();
        return;
    case Action::RecoverEmptyBattery:
        if (power_ != PowerState::DeepDischarge)
            return;
        battery_recovery_armed_ = true;
        set_power(PowerState::Off);
        ensure_control_tick();
        return;
    case Action::PowerOff:
        return power_off(PowerState::Off);
    case Action::StartRecording:
        if (auto why = why_cannot_record()) {
            if (*why == "storage full")
                set_condition(Condition::StorageFull, true, *why);
            return refuse(a, *why, true);
        }
        return start_recording(false);
    case Action::StopRecording:
        return stop_recording("button");
    case Action::Bookmark:
        if (!spec_.caps.bookmarks || !profile.content_destination_bookmarks)
            return refuse(a, "content destination does not support bookmarks", false);
        ++bookmarks_;
        ports_.storage.add_bookmark();
        return;
    case Action::StartLiveStream: {
        if (!spec_.caps.live_stream)
            return refuse(a, "model cannot stream", false);
        if (!certificate_valid()) {
            set_condition(Condition::CertificateExpired, true, "dock to renew the certificate");
            return refuse(a, "live-stream certificate expired: dock to renew", false);
        }
        if (!radios_.uplink_ready())
            return refuse(a, "no network for the live stream", false);
        if (activity_ == Activity::Recording) {
            live_streaming_ = true;
            emit(EventKind::State, "live_stream", "on");
            return;
        }
        if (auto why = why_cannot_record())
            return refuse(a, *why, true);
        return start_recording(true);
    }
    case Action::ToggleMicrophone:
        if (!profile.allow_audio_off)
            return refuse(a, "profile does not allow audio off", false);
        microphone_off_ = !microphone_off_;
        emit(EventKind::State, "microphone", microphone_off_ ? "off" : "on");
        return;
    case Action::ToggleSilentMode:
        if (!profile.allow_silent_mode)
            return refuse(a, "profile does not allow silent mode", false);
        silent_ = !silent_;
        emit(EventKind::State, "silent", silent_ ? "on" : "off");
        return;
    case Action::ShowStatus:
        arm(Timer::StatusShown, now_ + spec_.timing.status_shown_for);
        return;
    case Action::EnterTroubleshooting:
        if (!spec_.caps.troubleshooting_mode || !profile.allow_troubleshooting)
            return refuse(a, "troubleshooting mode not allowed by the profile", false);
        troubleshooting_page_ = 1;
        return set_activity(Activity::Troubleshooting);
    case Action::NextTroubleshootingPage:
        troubleshooting_page_ = troubleshooting_page_ % kTroubleshootingPages + 1;
        emit(EventKind::State, "troubleshooting_page", std::to_string(troubleshooting_page_));
        return;
    case Action::LeaveTroubleshooting:
        return set_activity(Activity::Idle);
    }
}

void Camera::start_recording(bool live) {
    set_condition(Condition::RecordingNotPossible, false);
    set_condition(Condition::StorageFull, false);
    last_prebuffer_ = nvram_.profile.prebuffer ? prebuffer_available() : 0ms;
    ports_.storage.begin_recording(bitrate_bps(), last_prebuffer_);
    recording_since_ = now_;
    live_streaming_ = live;
    bookmarks_ = 0;
    set_activity(Activity::Recording);
    if (live)
        emit(EventKind::State, "live_stream", "on");
}

void Camera::stop_recording(std::string_view why) {
    if (activity_ != Activity::Recording)
        return;
    ports_.storage.end_recording();
    recording_since_.reset();
    if (live_streaming_)
        emit(EventKind::State, "live_stream", "off");
    live_streaming_ = false;
    prebuffer_fill_since_ = now_; // the pre-buffer starts filling again
    emit(EventKind::State, "recording_stopped", std::string(why));
    set_activity(Activity::Idle);
}

// --- life cycle --------------------------------------------------------------

void Camera::start_restart(Millis duration) {
    if (activity_ == Activity::Recording)
        stop_recording("restart");
    for (auto& r : recognizers_)
        r.reset();
    disarm(Timer::Boot);
    disarm(Timer::StatusShown);
    disarm(Timer::UploadStart);
    uploading_ = false;
    set_power(PowerState::Restarting);
    arm(Timer::Restart, now_ + duration);
    ensure_control_tick();
}

void Camera::become_ready() {
    set_power(PowerState::On);
    prebuffer_fill_since_ = now_;
    if (docked_)
        return enter_docked_mode();
    set_activity(Activity::Idle);
    set_condition(Condition::NoUserUndocked, !nvram_.user);
    check_lock();
    radios_.power(true, nvram_.profile, now_);
    ensure_control_tick();
    control_tick(); // levels and warnings right away, not a period later
}

void Camera::power_off(PowerState to) {
    if (activity_ == Activity::Recording)
        stop_recording("power off");
    for (auto& r : recognizers_)
        r.reset();
    radios_.power(false, nvram_.profile, now_);
    for (Timer t : {Timer::Boot, Timer::Restart, Timer::StatusShown, Timer::LowBattery, Timer::Lock,
                    Timer::FirmwareUpdate, Timer::UploadStart})
        disarm(t);
    uploading_ = false;
    live_streaming_ = false;
    set_condition(Condition::BatteryLow, false);
    set_condition(Condition::NoUserUndocked, false);
    set_condition(Condition::StorageError, false);
    set_activity(Activity::Idle);
    set_power(to);
    ensure_control_tick();
}

void Camera::enter_shipping_mode() {
    run_due();
    nvram_.shipping_mode = true;
    nvram_.added_to_system = false;
    nvram_.user.reset();
    if (!docked_)
        power_off(PowerState::Shipping);
}

std::vector<std::string> Camera::add_wifi_network(WifiNetworkConfig network) {
    run_due();
    auto refused = radios_.add_wifi_network(std::move(network), now_);
    sync_radio_conditions();
    return refused;
}

void Camera::live_stream_acknowledged() {
    run_due();
    if (!live_streaming_) {
        emit(EventKind::Refused, "acknowledge", "no live stream running");
        return;
    }
    play(Sound::Acknowledge);
}

void Camera::battery_replaced() {
    run_due();
    ports_.gauge.reset_learned_capacity();
    last_gauge_ = ports_.gauge.read();
    charge_memory_ = {};
    emit(EventKind::State, "battery_replaced", last_gauge_.battery_id);
}

// --- time --------------------------------------------------------------------

std::optional<Millis> Camera::next_deadline() const {
    std::optional<Millis> best;
    auto consider = [&](std::optional<Millis> t) {
        if (t && (!best || *t < *best))
            best = t;
    };
    for (const auto& t : timers_)
        consider(t);
    for (const auto& r : recognizers_)
        consider(r.next_deadline());
    consider(radios_.next_deadline());
    return best;
}

void Camera::advance() {
    run_due();
}

void Camera::run_due() {
    const Millis target = ports_.clock.now();
    // Handle everything due up to `target` in time order, each at its time.
    while (true) {
        std::optional<Millis> due = next_deadline();
        if (!due || *due > target)
            break;
        now_ = std::max(now_, *due);
        std::vector<Gesture> gestures;
        for (auto& r : recognizers_)
            r.advance(now_, gestures);
        std::sort(gestures.begin(), gestures.end(),
                  [](const Gesture& a, const Gesture& b) { return a.at < b.at; });
        for (const Gesture& g : gestures)
            on_gesture(g);
        for (std::size_t i = 0; i < kTimerCount; ++i) {
            if (timers_[i] && *timers_[i] <= now_) {
                timers_[i].reset();
                fire(static_cast<Timer>(i));
            }
        }
        radios_.advance(now_);
        sync_radio_conditions();
    }
    now_ = std::max(now_, target);
}

void Camera::sync_radio_conditions() {
    const RadioSummary r = radios_.summary();
    set_condition(Condition::WifiError, r.wifi_icon == RadioIcon::Error, r.wifi_error);
    set_condition(Condition::MobileError, r.mobile_icon == RadioIcon::Error, r.lte_error);
}

void Camera::fire(Timer t) {
    switch (t) {
    case Timer::Boot:
    case Timer::Restart:
        return become_ready();
    case Timer::StatusShown:
        return;
    case Timer::Control:
        return control_tick();
    case Timer::LowBattery:
        play(nvram_.profile.low_battery_warning == LowBatteryWarning::PeriodicReinforced
                 ? Sound::LowBatteryReinforced
                 : Sound::LowBatteryPeriodic);
        arm(Timer::LowBattery,
            now_ + (nvram_.profile.low_battery_warning == LowBatteryWarning::PeriodicReinforced
                        ? nvram_.profile.low_battery_reinforced_period
                        : nvram_.profile.low_battery_period));
        return;
    case Timer::Lock:
        return check_lock();
    case Timer::FirmwareUpdate:
        emit(EventKind::State, "firmware_updated",
             nvram_.firmware_version + "->" + firmware_target_.value_or(""));
        nvram_.firmware_version = firmware_target_.value_or(nvram_.firmware_version);
        firmware_target_.reset();
        return start_restart(spec_.timing.dock_restart);
    case Timer::UploadStart:
        uploading_ = true;
        emit(EventKind::State, "upload", "started");
        return;
    case Timer::Count:
        return;
    }
}

void Camera::gnss_bytes(std::string_view bytes) {
    run_due();
    radios_.gnss_bytes(bytes, now_);
    sync_radio_conditions();
}

void Camera::modem_bytes(std::string_view bytes) {
    run_due();
    radios_.modem_bytes(bytes, now_);
    sync_radio_conditions();
}

void Camera::set_accessories(const Accessories& a) {
    run_due();
    const bool fault = a.extension == ExtensionSensor::Error && spec_.caps.camera_extension;
    const bool was = has_condition(Condition::SensorFault);
    accessories_ = a;
    set_condition(Condition::SensorFault, fault);
    if (fault && !was)
        play(Sound::SensorFault);
    if (a.extension == ExtensionSensor::Switching && activity_ == Activity::Recording)
        stop_recording("camera extension switching source");
}

void Camera::set_scene_bitrate_percent(int percent) {
    run_due();
    scene_bitrate_percent_ = std::clamp(percent, 10, 400);
}

} // namespace bwc::fw
