// Names of the §8 conditions as they appear on the wire.
#include "firmware/core/conditions.hpp"

namespace bwc::fw {

std::string_view to_string(Condition c) {
    switch (c) {
    case Condition::StorageError:
        return "storage_error";
    case Condition::NoUserDocked:
        return "no_user_docked";
    case Condition::NotAdded:
        return "not_added";
    case Condition::GeneralError:
        return "general_error";
    case Condition::LostController:
        return "lost_controller";
    case Condition::BatteryNotCharging:
        return "battery_not_charging";
    case Condition::RecordingNotPossible:
        return "recording_not_possible";
    case Condition::NoUserUndocked:
        return "no_user_undocked";
    case Condition::BatteryLow:
        return "battery_low";
    case Condition::StorageFull:
        return "storage_full";
    case Condition::WifiError:
        return "wifi_error";
    case Condition::MobileError:
        return "mobile_error";
    case Condition::SensorFault:
        return "sensor_fault";
    case Condition::UploadError:
        return "upload_error";
    case Condition::Locked:
        return "locked";
    case Condition::CertificateExpired:
        return "certificate_expired";
    }
    return "?";
}

} // namespace bwc::fw
