// What the charging steps read of a camera, every field validated: the fuel
// gauge (diag GAUGE) and the charging part of the STATE snapshot
// (firmware/core/snapshot.hpp). A malformed reply is an error naming the
// camera and quoting what it sent.
#pragma once

#include "bench/core/value.hpp"
#include "bench/device/device_client.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace bwc::bench::charging {

/// GAUGE, every field checked, with the reply kept to quote.
struct Gauge {
    std::optional<std::int64_t> voltage_mv, current_ma, temperature_dc, soc, remaining_mah,
        full_charge_mah, cycle_count;
    std::string battery_id;
    bool present = false;
    std::string raw;
};
Result<Gauge> read_gauge_checked(DeviceClient& camera);

/// A gauge number as a measurement (none when the gauge cannot give it).
inline Value number(std::optional<std::int64_t> v) {
    return v ? Value(static_cast<double>(*v)) : Value{};
}
/// Tenths of a degree as °C.
inline Value celsius_of(std::optional<std::int64_t> dc) {
    return dc ? Value(static_cast<double>(*dc) / 10.0) : Value{};
}

/// What the charging steps read of STATE.
struct ChargeView {
    std::string power, activity;
    std::string charge_state;       // battery.charge_state
    std::int64_t charge_set_ma = 0; // battery.charge_current_set_ma: what the charger is told
    bool not_charging = false;      // condition battery_not_charging raised
    std::string sound;              // sound.continuous, "none" when silent
    std::string charging_icon;      // the display's charging icon pattern, "none" when not shown
    std::string docking_led; // "<colour> <pattern>", "off", or "none" when the model has none
    /// The unit shows "battery not charging" on a light or its display.
    bool shows_not_charging() const {
        return not_charging && (charging_icon == "flashing" || docking_led == "amber flashing");
    }
};
Result<ChargeView> read_charge_view(DeviceClient& camera);

} // namespace bwc::bench::charging
