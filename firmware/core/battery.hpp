// Battery and storage levels and the charging policy, as pure functions of
// the model table and a gauge reading, so every boundary of SPEC §3 and §5
// can be tested without a camera around them.
#pragma once

#include "firmware/core/model.hpp"
#include "firmware/core/ports.hpp"

#include <string_view>

namespace bwc::fw {

/// Battery and storage colours: green > 1 h left, amber 0.5–1 h (both
/// inclusive), red < 0.5 h.
enum class Level { Green, Amber, Red };
Level level_for(Millis time_left, const LevelThresholds&);

/// Hours of operation left at `draw_ma`, from the gauge's remaining capacity.
Millis battery_time_left(const GaugeReading&, std::int32_t draw_ma);
/// Recording time left on the free storage at `bitrate_bps`.
Millis recording_time_left(const StorageStatus&, std::int64_t bitrate_bps);

/// Why the charger is not at its normal current. The first group is normal
/// (nothing to show); the second is "battery not charging" [SPEC §8].
enum class ChargeReason {
    Charging,
    NoExternalPower,
    Full,
    ReducedLimitReached, // above 35 °C, stopped at 70 %
    TimeLimitReached,    // 45 days of continuous charging
    // abnormal: the user is told the battery is not charging
    TemperatureLow,
    TemperatureHigh,
    NoBattery,
    ChargerFault,        // current commanded, none measured
    DeepDischargeLocked, // W120: hold power 4 s before charging
};
bool is_fault(ChargeReason);
std::string_view to_string(ChargeReason);
std::string_view to_string(Level);

/// What the policy remembers between control periods.
struct ChargeMemory {
    bool stopped_at_target = false; // hysteresis after reaching full / 70 %
    int periods_without_current = 0;
    std::int32_t last_set_ma = 0;
};

struct ChargeDecision {
    std::int32_t current_ma = 0;
    ChargeReason reason = ChargeReason::NoExternalPower;
    std::int32_t target_percent = 100;
};

/// Decide the charge current for the next control period.
/// `charging_for` is how long external power has been present without a break.
ChargeDecision decide_charge(const ChargeSpec&, const GaugeReading&, bool external_power,
                             Millis charging_for, ChargeMemory&);

/// Constant current for the temperature band, tapering linearly from the
/// taper threshold to the termination current at 100 %.
std::int32_t charge_current_for(const ChargeSpec&, DeciCelsius, std::int32_t soc_percent);

} // namespace bwc::fw
