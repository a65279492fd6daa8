// Names of colours, patterns and icons as they appear on the wire.
#include "firmware/core/indicators.hpp"

namespace bwc::fw {

const IconState* DisplayState::find(Icon icon) const {
    for (const IconState& i : icons)
        if (i.icon == icon)
            return &i;
    return nullptr;
}

std::string_view to_string(Colour c) {
    switch (c) {
    case Colour::Off:
        return "off";
    case Colour::Red:
        return "red";
    case Colour::Green:
        return "green";
    case Colour::Amber:
        return "amber";
    case Colour::Blue:
        return "blue";
    case Colour::White:
        return "white";
    }
    return "?";
}

std::string_view to_string(Pattern p) {
    switch (p) {
    case Pattern::Off:
        return "off";
    case Pattern::Steady:
        return "steady";
    case Pattern::Flashing:
        return "flashing";
    case Pattern::Pulsing:
        return "pulsing";
    }
    return "?";
}

std::string_view to_string(Icon i) {
    switch (i) {
    case Icon::Logo:
        return "logo";
    case Icon::Docked:
        return "docked";
    case Icon::Charging:
        return "charging";
    case Icon::UserAssigned:
        return "user_assigned";
    case Icon::FirmwareUpgrade:
        return "firmware_upgrade";
    case Icon::DataTransfer:
        return "data_transfer";
    case Icon::NoUser:
        return "no_user";
    case Icon::NotAdded:
        return "not_added";
    case Icon::GeneralError:
        return "general_error";
    case Icon::LostController:
        return "lost_controller";
    case Icon::Battery:
        return "battery";
    case Icon::UsbCharging:
        return "usb_charging";
    case Icon::Storage:
        return "storage";
    case Icon::StorageError:
        return "storage_error";
    case Icon::HolsterSensor:
        return "holster_sensor";
    case Icon::AppLink:
        return "app_link";
    case Icon::MiniSensor:
        return "mini_sensor";
    case Icon::MicrophoneOff:
        return "microphone_off";
    case Icon::LiveLink:
        return "live_link";
    case Icon::Gps:
        return "gps";
    case Icon::Mobile:
        return "mobile";
    case Icon::Wifi:
        return "wifi";
    case Icon::Locked:
        return "locked";
    case Icon::Recording:
        return "recording";
    }
    return "?";
}

} // namespace bwc::fw
