// Camera: docking and undocking, docked mode (charging, settings sync,
// firmware update, upload), the controller link, the 8-week lock and the
// live-stream certificate.
#include "firmware/core/camera.hpp"

#include <algorithm>

namespace bwc::fw {

void Camera::dock(bool vbus_present) {
    run_due();
    const bool was_powered = external_power();
    docked_ = true;
    vbus_ = vbus_present;
    if (external_power() && !was_powered)
        external_power_since_ = now_;
    emit(EventKind::State, "dock", vbus_present ? "vbus" : "no vbus");
    external_power_changed();
    set_condition(Condition::NoUserUndocked, false);
    offloaded_since_dock_ = 0;
    offload_total_at_dock_ = ports_.storage.status().pending_offload_bytes;
    // Docking restarts the camera (SPEC §4); a camera in shipping mode also
    // wakes, to show it is not added. A deep-discharged W120 stays dark until
    // its power button has been held [W120].
    if (power_ == PowerState::DeepDischarge && !battery_recovery_armed_) {
        ensure_control_tick();
        return;
    }
    if (!vbus_present && power_ != PowerState::On) {
        ensure_control_tick();
        return; // a dock without power neither wakes nor charges
    }
    start_restart(spec_.timing.dock_restart);
}

void Camera::undock() {
    run_due();
    if (!docked_)
        return;
    // The certificate is renewed while docked with the controller linked;
    // leaving such a dock is the last renewal [LIVE].
    if (controller_.link_up && nvram_.added_to_system)
        nvram_.certificate_renewed_at = now_;
    docked_ = false;
    vbus_ = false;
    emit(EventKind::State, "undock", "");
    external_power_changed();
    nvram_.last_undocked_at = now_;
    firmware_target_.reset();
    disarm(Timer::FirmwareUpdate);
    uploading_ = false;
    controller_ = {};
    for (Condition c :
         {Condition::NoUserDocked, Condition::NotAdded, Condition::GeneralError,
          Condition::LostController, Condition::BatteryNotCharging, Condition::UploadError})
        set_condition(c, false);
    if (nvram_.shipping_mode) {
        power_off(PowerState::Shipping);
        return;
    }
    if (power_ == PowerState::Off || power_ == PowerState::DeepDischarge) {
        ensure_control_tick();
        return;
    }
    after_restart_ = Activity::Idle;
    start_restart(spec_.timing.undock_restart);
}

void Camera::set_usb_power(bool present) {
    run_due();
    const bool was = external_power();
    usb_power_ = present;
    if (external_power() && !was)
        external_power_since_ = now_;
    emit(EventKind::State, "usb_power", present ? "on" : "off");
    external_power_changed();
}

void Camera::enter_docked_mode() {
    set_activity(Activity::Docked);
    live_streaming_ = false;
    silent_ = false; // docked cameras always show their state
    arm(Timer::UploadStart, now_ + spec_.timing.dock_upload_delay);
    ensure_control_tick();
    apply_controller();
}

void Camera::set_controller(const ControllerState& state) {
    run_due();
    controller_ = state;
    if (docked_ && power_ == PowerState::On)
        apply_controller();
}

void Camera::apply_controller() {
    const ControllerState& c = controller_;
    set_condition(Condition::LostController, !c.link_up);
    if (c.link_up) {
        if (c.remove_from_system) {
            // Removed from the system: factory reset into shipping mode.
            nvram_ = Nvram{.firmware_version = nvram_.firmware_version};
            emit(EventKind::State, "removed_from_system", "");
        } else if (c.camera_added) {
            if (nvram_.shipping_mode || !nvram_.added_to_system)
                emit(EventKind::State, "added_to_system", "");
            nvram_.shipping_mode = false;
            nvram_.added_to_system = true;
            nvram_.user = c.user;
            nvram_.certificate_renewed_at = now_;
            if (c.unlock && nvram_.locked) {
                nvram_.locked = false;
                emit(EventKind::State, "unlocked", "");
            }
            if (c.profile) {
                nvram_.profile = *c.profile;
                rebuild_recognizers();
                radios_.configure(nvram_.profile, now_);
                emit(EventKind::State, "settings_synced", nvram_.profile.name);
            }
            if (c.firmware_offer && *c.firmware_offer != nvram_.firmware_version &&
                !firmware_target_) {
                firmware_target_ = c.firmware_offer;
                firmware_update_started_ = now_;
                arm(Timer::FirmwareUpdate, now_ + spec_.timing.firmware_update);
                emit(EventKind::State, "firmware_update", *c.firmware_offer);
            }
        } else {
            nvram_.added_to_system = false;
        }
    }
    const bool on = power_ == PowerState::On;
    set_condition(Condition::NotAdded, on && c.link_up && !nvram_.added_to_system);
    set_condition(Condition::NoUserDocked,
                  on && c.link_up && nvram_.added_to_system && !nvram_.user);
    set_condition(Condition::GeneralError, on && c.general_error);
    set_condition(Condition::UploadError, on && c.upload_error);
    if (nvram_.locked)
        set_condition(Condition::Locked, true);
    else
        set_condition(Condition::Locked, false);
    set_condition(Condition::CertificateExpired, false);
}

void Camera::offload_tick() {
    if (!uploading_ || !controller_.link_up || controller_.upload_error)
        return;
    const std::int64_t budget =
        spec_.media.offload_bytes_per_s * spec_.charge.control_period.count() / 1000;
    offloaded_since_dock_ += ports_.storage.offload(budget);
    last_storage_ = ports_.storage.status();
}

bool Camera::ready_to_undock() const {
    // "Before undocking, the display shows the user name when the battery is
    // charged, all files are transferred and the software is up to date."
    const bool charged = charge_.reason == ChargeReason::Full ||
                         charge_.reason == ChargeReason::ReducedLimitReached ||
                         charge_.reason == ChargeReason::TimeLimitReached;
    return power_ == PowerState::On && activity_ == Activity::Docked && charged &&
           last_storage_.pending_offload_bytes == 0 && !firmware_target_ && controller_.link_up &&
           nvram_.added_to_system && nvram_.user.has_value();
}

bool Camera::certificate_valid() const {
    if (!nvram_.certificate_renewed_at)
        return false;
    return now_ < *nvram_.certificate_renewed_at + spec_.policy.certificate_valid_for;
}

void Camera::check_lock() {
    if (docked_ || !nvram_.last_undocked_at)
        return;
    const Millis lock_at = *nvram_.last_undocked_at + spec_.policy.lock_after_undocked;
    if (now_ >= lock_at) {
        if (!nvram_.locked)
            emit(EventKind::State, "locked", "not docked since the lock-out period");
        nvram_.locked = true;
        set_condition(Condition::Locked, true);
        if (activity_ == Activity::Recording)
            stop_recording("camera locked");
    } else if (power_ == PowerState::On) {
        arm(Timer::Lock, lock_at);
    }
}

} // namespace bwc::fw
