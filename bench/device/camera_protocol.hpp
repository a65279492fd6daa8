// Typed calls of the camera's ports (firmware/PROTOCOL.md "Diag port",
// "Physical port", "Time"), free functions over a connected DeviceClient:
// each sends one command and turns its reply into checked fields. A reply
// that lacks a field or carries a malformed number is a Protocol error naming
// the device, the field and quoting the reply; ERR replies come back as
// Refused with the device's code.
#pragma once

#include "bench/device/device_client.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace bwc::bench {

/// IDENTIFY (diag). model, serial, firmware and hardware are never empty;
/// imei (no modem), mac (none assigned) and battery_id (no battery) may be.
struct CameraIdentity {
    std::string model, serial, firmware, hardware, imei, mac, battery_id;
};
DeviceResult<CameraIdentity> identify_camera(DeviceClient& diag);

/// TIME (either port): the bay clock.
struct DeviceTime {
    std::int64_t now_ms = 0;
    bool virtual_time = true; // false: mode=realtime
};
DeviceResult<DeviceTime> read_time(DeviceClient& port);
/// TIME ADVANCE <ms> (virtual time only; ms >= 0): the new now_ms.
DeviceResult<std::int64_t> advance_time(DeviceClient& port, std::int64_t ms);
/// TIME UNTIL <at_ms>: runs the clock to an absolute time; the new now_ms.
DeviceResult<std::int64_t> advance_until(DeviceClient& port, std::int64_t at_ms);

/// STATE (diag): the factory snapshot; its "schema" must be 1 (another
/// number is a VersionMismatch).
inline constexpr int kSnapshotSchema = 1;
DeviceResult<nlohmann::json> read_state(DeviceClient& diag);

/// PRESS <button> <ms> (physical): closes now, opens ms later on the bay clock.
DeviceStatus press_button(DeviceClient& physical, std::string_view button, std::int64_t ms);
/// BUTTON <button> DOWN|UP (physical).
DeviceStatus set_button(DeviceClient& physical, std::string_view button, bool down);

/// GAUGE (diag): the fuel gauge; a number the device left empty is nullopt.
struct GaugeReading {
    std::optional<int> voltage_mv;
    std::optional<int> current_ma;     // negative while discharging
    std::optional<int> temperature_dc; // tenths of a degree Celsius
    std::optional<int> soc_percent;
    std::optional<int> remaining_mah;
    std::optional<int> full_charge_mah;
    std::optional<int> cycle_count;
    std::string battery_id; // empty without a battery
    bool present = false;
};
DeviceResult<GaugeReading> read_gauge(DeviceClient& diag);

} // namespace bwc::bench
