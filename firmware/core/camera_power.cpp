// Camera: the control period — charging policy, battery supervision (levels,
// low-battery warnings, shutdown when empty) and storage supervision.
#include "firmware/core/camera.hpp"

#include <algorithm>

namespace bwc::fw {

bool Camera::control_needed() const {
    if (external_power() && !(power_ == PowerState::DeepDischarge && !battery_recovery_armed_))
        return true;
    return power_ == PowerState::On || power_ == PowerState::Booting ||
           power_ == PowerState::Restarting;
}

void Camera::ensure_control_tick() {
    if (control_needed() && !armed(Timer::Control))
        arm(Timer::Control, now_ + spec_.charge.control_period);
}

std::int32_t Camera::current_draw_ma() const {
    if (power_ != PowerState::On && power_ != PowerState::Booting &&
        power_ != PowerState::Restarting)
        return spec_.draw.off_ma;
    if (live_streaming_)
        return spec_.draw.streaming_ma;
    if (activity_ == Activity::Recording)
        return spec_.draw.recording_ma;
    return spec_.draw.standby_ma;
}

std::int64_t Camera::bitrate_bps() const {
    const bool p1080 = nvram_.profile.resolution == Resolution::P1080;
    const std::int64_t nominal =
        p1080 ? spec_.media.bitrate_1080p_bps : spec_.media.bitrate_720p_bps;
    // Complex or dark scenes only matter at 1080p [SYS §pre-buffer].
    return p1080 ? nominal * scene_bitrate_percent_ / 100 : nominal;
}

Millis Camera::prebuffer_available() const {
    // Shorter than configured right after power-on or the previous recording,
    // and when the bitrate fills its own space sooner [SYS].
    const Millis since = now_ - prebuffer_fill_since_;
    const Millis by_space{spec_.media.prebuffer_space_bytes * 8'000 / bitrate_bps()};
    return std::min({nvram_.profile.prebuffer_length, since, by_space});
}

void Camera::external_power_changed() {
    // Decide at once: a charger left at its last set-point would charge for
    // up to a control period outside the temperature window.
    last_gauge_ = ports_.gauge.read();
    supervise_charging(last_gauge_);
    ensure_control_tick();
}

void Camera::control_tick() {
    if (!control_needed()) {
        if (charge_.current_ma != 0)
            supervise_charging(ports_.gauge.read()); // sets the charger to zero
        return;
    }
    arm(Timer::Control, now_ + spec_.charge.control_period);
    last_gauge_ = ports_.gauge.read();
    supervise_charging(last_gauge_);
    supervise_storage();
    supervise_battery(last_gauge_);
    if (power_ == PowerState::On && activity_ == Activity::Docked)
        offload_tick();
}

void Camera::supervise_charging(const GaugeReading& g) {
    const bool blocked = power_ == PowerState::DeepDischarge && !battery_recovery_armed_;
    const Millis charging_for = external_power() ? now_ - external_power_since_ : 0ms;
    ChargeDecision d;
    if (blocked && external_power()) {
        d.reason = ChargeReason::DeepDischargeLocked;
    } else {
        d = decide_charge(spec_.charge, g, external_power(), charging_for, charge_memory_);
    }
    if (d.current_ma != charge_.current_ma)
        ports_.charger.set_charge_current(d.current_ma);
    if (d.reason != charge_.reason)
        emit(EventKind::State, "charge", std::string(to_string(d.reason)));
    charge_ = d;

    // "Battery not charging" is shown while docked; a camera on a USB-C
    // charger has no dock feedback to give. A deep-discharged W120 shows
    // nothing at all [§8 "no feedback, doesn't start"].
    const bool not_charging =
        docked_ && is_fault(d.reason) && d.reason != ChargeReason::DeepDischargeLocked;
    set_condition(Condition::BatteryNotCharging, not_charging, to_string(d.reason));
    const bool beep = not_charging && spec_.caps.display && !silent_;
    if (beep && continuous_sound_ != Sound::ContinuousBeep) {
        continuous_sound_ = Sound::ContinuousBeep;
        emit(EventKind::Sound, std::string(to_string(Sound::ContinuousBeep)), "start");
    } else if (!beep && continuous_sound_) {
        continuous_sound_.reset();
        emit(EventKind::Sound, std::string(to_string(Sound::ContinuousBeep)), "stop");
    }
    if (external_power() && power_ == PowerState::Off && battery_recovery_armed_ &&
        g.state_of_charge_percent > 0)
        battery_recovery_armed_ = false; // recovered; normal rules from now on
}

void Camera::supervise_battery(const GaugeReading& g) {
    const bool on = power_ == PowerState::On || power_ == PowerState::Booting ||
                    power_ == PowerState::Restarting;
    if (!on || external_power()) {
        update_low_battery_warning(false);
        return;
    }
    if (g.state_of_charge_percent <= 0 || g.voltage_mv <= spec_.battery.empty_mv) {
        emit(EventKind::State, "battery_empty", std::to_string(g.voltage_mv) + " mV");
        // The W120 needs "hold power 4 s, then charge" to come back [W120].
        power_off(spec_.caps.recover_empty_hold ? PowerState::DeepDischarge : PowerState::Off);
        return;
    }
    const Millis left = battery_time_left(g, current_draw_ma());
    update_low_battery_warning(power_ == PowerState::On &&
                               level_for(left, spec_.levels) == Level::Red);
}

void Camera::update_low_battery_warning(bool low) {
    const bool was = has_condition(Condition::BatteryLow);
    set_condition(Condition::BatteryLow, low);
    const bool periodic = nvram_.profile.low_battery_warning != LowBatteryWarning::Off;
    if (low && !was && periodic)
        arm(Timer::LowBattery, now_); // first warning now, then periodically
    if (!low || !periodic)
        disarm(Timer::LowBattery);
}

void Camera::supervise_storage() {
    last_storage_ = ports_.storage.status();
    const bool on = power_ == PowerState::On;
    set_condition(Condition::StorageError, on && last_storage_.error);
    const bool room =
        recording_time_left(last_storage_, bitrate_bps()) >= spec_.media.min_recording_left;
    if (room)
        set_condition(Condition::StorageFull, false); // offloaded: the warning has done its job
    if (activity_ != Activity::Recording)
        return;
    if (last_storage_.error) {
        stop_recording("storage error");
        play(Sound::RecordingNotPossible);
        return;
    }
    if (!room) {
        stop_recording("storage full");
        set_condition(Condition::StorageFull, true, "storage full");
        set_condition(Condition::RecordingNotPossible, true, "storage full");
        play(Sound::RecordingNotPossible);
    }
}

} // namespace bwc::fw
