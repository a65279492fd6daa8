// Camera: what the lights and the display show, derived from the camera's
// state each time a snapshot is taken (SPEC §3 and the §8 error table).
// Nothing here changes state; it only draws.
#include "firmware/core/camera.hpp"
#include "firmware/core/snapshot.hpp"

#include <algorithm>

namespace bwc::fw {

struct IndicatorBuilder {
    const Camera& cam;
    const ModelSpec& spec;
    RadioSummary radios;

    LightState steady(Colour c) const { return {c, Pattern::Steady, 0ms}; }
    LightState flashing(Colour c) const {
        return {c, Pattern::Flashing, spec.indicator_timing.flash_period};
    }
    LightState pulsing(Colour c) const {
        return {c, Pattern::Pulsing, spec.indicator_timing.pulse_period};
    }
    static Colour colour_of(Level l) {
        return l == Level::Green ? Colour::Green : l == Level::Amber ? Colour::Amber : Colour::Red;
    }
    bool on() const { return cam.power_ == PowerState::On; }
    bool starting() const {
        return cam.power_ == PowerState::Booting ||
               (cam.power_ == PowerState::Restarting && !cam.docked_);
    }
    bool recording() const { return on() && cam.activity_ == Activity::Recording; }
    bool docked_mode() const { return on() && cam.activity_ == Activity::Docked; }
    bool can_record() const { return recording() || !cam.why_cannot_record(); }
    Level battery_level() const {
        return level_for(battery_time_left(cam.last_gauge_, cam.current_draw_ma()), spec.levels);
    }
    Level storage_level() const {
        return level_for(recording_time_left(cam.last_storage_, cam.bitrate_bps()), spec.levels);
    }
    bool status_shown() const { return cam.armed(Camera::Timer::StatusShown); }

    LightState light(Indicator i) const {
        switch (i) {
        case Indicator::RecordingLed:
            return recording() ? steady(Colour::Red) : LightState{};
        case Indicator::StatusLed:
            if (!on() || docked_mode())
                return {};
            return steady(can_record() ? Colour::Green : Colour::Amber);
        case Indicator::FrontIndicator:
            return recording() && !cam.silent_ ? steady(Colour::Red) : LightState{};
        case Indicator::Display:
            return {};
        default:
            return w100_light(i);
        }
    }

    LightState w100_light(Indicator i) const {
        const bool status_led = i == Indicator::OperationLed || i == Indicator::BatteryLed ||
                                i == Indicator::StorageLed;
        if (starting())
            return status_led ? pulsing(Colour::Amber) : LightState{};
        if (!on())
            return {};
        if (docked_mode()) {
            if (cam.has_condition(Condition::NotAdded) || cam.nvram_.shipping_mode)
                return flashing(Colour::Amber); // all LEDs: not added to a system
            if (i == Indicator::DockingLed) {
                // The W100's one "general error" feedback is the docking LED
                // flashing amber [SYS troubleshooting table].
                if (cam.has_condition(Condition::UploadError) ||
                    cam.has_condition(Condition::GeneralError) ||
                    cam.has_condition(Condition::BatteryNotCharging))
                    return flashing(Colour::Amber);
                return cam.ready_to_undock() ? steady(Colour::Green) : pulsing(Colour::Amber);
            }
            if (i == Indicator::StorageLed && cam.has_condition(Condition::UploadError))
                return steady(Colour::Red);
            return {};
        }
        if (!cam.nvram_.user)
            return flashing(Colour::Red); // all LEDs: no user, undocked
        switch (i) {
        case Indicator::RecordingStatusLed:
            return recording() ? steady(Colour::Red) : LightState{};
        case Indicator::OperationLed:
            if (cam.has_condition(Condition::SensorFault))
                return steady(Colour::Green);
            if (!can_record())
                return steady(Colour::Amber);
            if (battery_level() == Level::Red || storage_level() == Level::Red)
                return flashing(Colour::Green);
            return steady(Colour::Green);
        case Indicator::BatteryLed:
            return status_shown() ? steady(colour_of(battery_level())) : LightState{};
        case Indicator::StorageLed:
            if (cam.has_condition(Condition::StorageError))
                return steady(Colour::Red);
            return status_shown() ? steady(colour_of(storage_level())) : LightState{};
        case Indicator::MicrophoneLed:
            return cam.microphone_off_ ? steady(Colour::Amber) : LightState{};
        case Indicator::ExtensionLed:
            switch (cam.accessories_.extension) {
            case ExtensionSensor::None:
                return {};
            case ExtensionSensor::Connected:
                return steady(Colour::Green);
            case ExtensionSensor::Switching:
                return pulsing(Colour::Amber);
            case ExtensionSensor::Error:
                return steady(Colour::Red);
            }
            return {};
        default:
            return {};
        }
    }

    IconState icon(Icon i, Colour c, Pattern p = Pattern::Steady, int level = -1) const {
        Millis period = p == Pattern::Flashing  ? spec.indicator_timing.flash_period
                        : p == Pattern::Pulsing ? spec.indicator_timing.pulse_period
                                                : 0ms;
        return {i, c, p, period, level};
    }

    static Colour accessory_colour(AccessoryLink l) {
        return l == AccessoryLink::Pairing     ? Colour::White
               : l == AccessoryLink::Connected ? Colour::Green
                                               : Colour::Red;
    }

    void radio_icon(DisplayState& d, Icon which, RadioIcon state, int bars) const {
        switch (state) {
        case RadioIcon::Absent:
            return;
        case RadioIcon::Off:
            d.icons.push_back(icon(which, Colour::White));
            return;
        case RadioIcon::Searching:
            d.icons.push_back(icon(which, Colour::White, Pattern::Flashing, 0));
            return;
        case RadioIcon::Connected:
            d.icons.push_back(icon(which, Colour::White, Pattern::Steady, bars));
            return;
        case RadioIcon::Error:
            d.icons.push_back(icon(which, Colour::Red));
            return;
        }
    }

    DisplayState display() const {
        DisplayState d;
        if (!spec.caps.display)
            return d;
        if (cam.power_ == PowerState::Booting) {
            d.on = true;
            d.icons.push_back(icon(Icon::Logo, Colour::White));
            return d;
        }
        if (!on())
            return d;
        if (docked_mode()) {
            docked_display(d);
        } else {
            if (cam.silent_)
                return d; // silent mode: display off [§8]
            operating_display(d);
        }
        d.on = true;
        return d;
    }

    void docked_display(DisplayState& d) const {
        d.icons.push_back(icon(Icon::Docked, Colour::White));
        if (cam.has_condition(Condition::NotAdded) || cam.nvram_.shipping_mode)
            d.icons.push_back(icon(Icon::NotAdded, Colour::White));
        if (cam.has_condition(Condition::NoUserDocked))
            d.icons.push_back(icon(Icon::NoUser, Colour::White, Pattern::Pulsing));
        if (cam.has_condition(Condition::GeneralError))
            d.icons.push_back(icon(Icon::GeneralError, Colour::Red));
        if (cam.has_condition(Condition::LostController))
            d.icons.push_back(icon(Icon::LostController, Colour::Red));
        if (cam.has_condition(Condition::Locked))
            d.icons.push_back(icon(Icon::Locked, Colour::Red));
        const int soc = std::clamp(cam.last_gauge_.state_of_charge_percent, 0, 100);
        const bool not_charging = cam.has_condition(Condition::BatteryNotCharging);
        d.icons.push_back(icon(Icon::Charging, colour_of(battery_level()),
                               not_charging ? Pattern::Flashing : Pattern::Steady));
        d.bars.push_back({Icon::Charging, soc});
        d.text.push_back(std::to_string(soc) + "%");
        if (cam.nvram_.user)
            d.icons.push_back(icon(Icon::UserAssigned, Colour::White));
        if (cam.firmware_target_) {
            d.icons.push_back(icon(Icon::FirmwareUpgrade, Colour::White));
            d.bars.push_back({Icon::FirmwareUpgrade, firmware_percent()});
        }
        if (cam.uploading_ && cam.last_storage_.pending_offload_bytes > 0) {
            d.icons.push_back(icon(Icon::DataTransfer, Colour::White));
            d.bars.push_back({Icon::DataTransfer, transfer_percent()});
        }
        if (cam.ready_to_undock())
            d.text.push_back(*cam.nvram_.user);
    }

    void operating_display(DisplayState& d) const {
        if (!cam.nvram_.user)
            d.icons.push_back(icon(Icon::NoUser, Colour::White));
        if (cam.has_condition(Condition::Locked))
            d.icons.push_back(icon(Icon::Locked, Colour::Red));
        if (recording())
            d.icons.push_back(icon(Icon::Recording, Colour::Red));
        const int soc = std::clamp(cam.last_gauge_.state_of_charge_percent, 0, 100);
        d.icons.push_back(icon(Icon::Battery, colour_of(battery_level()), Pattern::Steady,
                               std::min(4, soc / 25)));
        if (cam.usb_power_)
            d.icons.push_back(icon(Icon::UsbCharging, Colour::White));
        if (cam.has_condition(Condition::StorageError))
            d.icons.push_back(icon(Icon::StorageError, Colour::Red));
        else
            d.icons.push_back(icon(Icon::Storage, cam.has_condition(Condition::StorageFull)
                                                      ? Colour::Red
                                                      : colour_of(storage_level())));
        const Accessories& a = cam.accessories_;
        if (a.holster != AccessoryLink::None)
            d.icons.push_back(icon(Icon::HolsterSensor, accessory_colour(a.holster)));
        if (a.app != AccessoryLink::None)
            d.icons.push_back(icon(Icon::AppLink, accessory_colour(a.app)));
        if (a.mini_sensor != AccessoryLink::None)
            d.icons.push_back(icon(Icon::MiniSensor, accessory_colour(a.mini_sensor)));
        if (cam.microphone_off_)
            d.icons.push_back(icon(Icon::MicrophoneOff, Colour::White));
        if (spec.caps.live_stream) {
            if (cam.live_streaming_)
                d.icons.push_back(icon(Icon::LiveLink, Colour::Green));
            else if (cam.has_condition(Condition::CertificateExpired))
                d.icons.push_back(icon(Icon::LiveLink, Colour::Red));
            else if (cam.certificate_valid() && cam.radios_.uplink_ready())
                d.icons.push_back(icon(Icon::LiveLink, Colour::Blue));
        }
        if (radios.gnss_fitted && radios.gnss_enabled)
            d.icons.push_back(icon(Icon::Gps, radios.gnss_position ? Colour::Green : Colour::White,
                                   Pattern::Steady, radios.gnss_position ? 1 : 0));
        radio_icon(d, Icon::Mobile, radios.mobile_icon, radios.lte_bars);
        radio_icon(d, Icon::Wifi, radios.wifi_icon, radios.wifi_bars);

        if (cam.activity_ == Activity::Troubleshooting)
            troubleshooting_page(d);
        else if (status_shown()) {
            d.text.push_back(cam.nvram_.user.value_or("No user"));
            d.text.push_back("Battery " + std::to_string(soc) + "%");
            d.text.push_back("Storage " + std::to_string(storage_percent_free()) + "% free");
        }
    }

    int storage_percent_free() const {
        const StorageStatus& s = cam.last_storage_;
        if (s.capacity_bytes <= 0)
            return 0;
        return static_cast<int>((s.capacity_bytes - s.used_bytes) * 100 / s.capacity_bytes);
    }

    int firmware_percent() const {
        const Millis done = cam.now_ - cam.firmware_update_started_;
        return static_cast<int>(std::clamp<std::int64_t>(
            done.count() * 100 / std::max<std::int64_t>(spec.timing.firmware_update.count(), 1), 0,
            100));
    }

    int transfer_percent() const {
        const std::int64_t total = cam.offload_total_at_dock_;
        if (total <= 0)
            return 100;
        const std::int64_t left = cam.last_storage_.pending_offload_bytes;
        return static_cast<int>(std::clamp<std::int64_t>((total - left) * 100 / total, 0, 100));
    }

    void troubleshooting_page(DisplayState& d) const {
        const bool lte = radios.submode == Submode::Lte;
        d.text.push_back("Page " + std::to_string(cam.troubleshooting_page_) + "/" +
                         std::to_string(kTroubleshootingPages));
        switch (cam.troubleshooting_page_) {
        case 1: {
            const std::int64_t s = cam.now_.count() / 1000;
            char clock[16];
            const auto two = [](std::int64_t v, char* p) {
                p[0] = static_cast<char>('0' + v / 10);
                p[1] = static_cast<char>('0' + v % 10);
            };
            two(s / 3600 % 24, clock);
            clock[2] = ':';
            two(s / 60 % 60, clock + 3);
            clock[5] = ':';
            two(s % 60, clock + 6);
            clock[8] = '\0';
            d.text.push_back(std::string("Time ") + clock);
            d.text.push_back("Network " + std::string(lte ? radios.lte_state : radios.wifi_state));
            d.text.push_back("Submode " + std::string(to_string(radios.submode)));
            const std::optional<int> dbm = lte ? radios.lte_rssi_dbm : radios.wifi_rssi_dbm;
            d.text.push_back("Signal " + (dbm ? std::to_string(*dbm) + " dB" : std::string("-")));
            return;
        }
        case 2:
            if (lte) {
                d.text.push_back("IP " + (radios.ipv4.empty() ? std::string("-") : radios.ipv4));
                d.text.push_back(std::string("Roaming ") + (radios.roaming ? "on" : "off"));
                d.text.push_back("SIM " + radios.sim);
                d.text.push_back("APN " + radios.apn);
            } else {
                d.text.push_back("SSID " + radios.ssid);
                d.text.push_back("Auth WPA2-PSK");
                d.text.push_back("IPv4 " + (radios.ipv4.empty() ? std::string("-") : radios.ipv4));
                d.text.push_back("Status " + radios.wifi_state);
                d.text.push_back("AP " + radios.bssid);
            }
            return;
        case 3:
            d.text.push_back("Name servers -");
            return;
        case 4:
            d.text.push_back("Endpoint -");
            return;
        default:
            return;
        }
    }
};

void Camera::fill_indicators(Snapshot& s) const {
    IndicatorBuilder b{*this, spec_, s.radios};
    for (Indicator i : spec_.indicators) {
        if (i == Indicator::Display)
            continue;
        s.lights.push_back({i, b.light(i)});
    }
    s.display = b.display();
    if (spec_.caps.display)
        s.lights.push_back(
            {Indicator::Display, s.display.on ? b.steady(Colour::White) : LightState{}});
    s.battery.level = b.battery_level();
    s.storage.level = b.storage_level();
    s.storage.transfer_percent = b.transfer_percent();
    if (firmware_target_)
        s.firmware_update_percent = b.firmware_percent();
}

} // namespace bwc::fw
