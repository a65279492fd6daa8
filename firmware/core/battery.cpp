// Levels and charging policy (see battery.hpp).
#include "firmware/core/battery.hpp"

#include <algorithm>

namespace bwc::fw {

Level level_for(Millis left, const LevelThresholds& t) {
    if (left > t.green_above)
        return Level::Green;
    if (left >= t.red_below)
        return Level::Amber;
    return Level::Red;
}

Millis battery_time_left(const GaugeReading& g, std::int32_t draw_ma) {
    if (draw_ma <= 0)
        return hours(24 * 365);
    const std::int64_t ms = std::int64_t{std::max(g.remaining_mah, 0)} * 3'600'000 / draw_ma;
    return Millis{ms};
}

Millis recording_time_left(const StorageStatus& s, std::int64_t bitrate_bps) {
    if (bitrate_bps <= 0)
        return hours(24 * 365);
    const std::int64_t free_bytes = std::max<std::int64_t>(s.capacity_bytes - s.used_bytes, 0);
    // bytes * 8 bits * 1000 ms / bitrate; split to stay inside 64 bits.
    return Millis{free_bytes / bitrate_bps * 8'000 +
                  (free_bytes % bitrate_bps) * 8'000 / bitrate_bps};
}

bool is_fault(ChargeReason r) {
    switch (r) {
    case ChargeReason::TemperatureLow:
    case ChargeReason::TemperatureHigh:
    case ChargeReason::NoBattery:
    case ChargeReason::ChargerFault:
    case ChargeReason::DeepDischargeLocked:
        return true;
    default:
        return false;
    }
}

std::string_view to_string(ChargeReason r) {
    switch (r) {
    case ChargeReason::Charging:
        return "charging";
    case ChargeReason::NoExternalPower:
        return "no_external_power";
    case ChargeReason::Full:
        return "full";
    case ChargeReason::ReducedLimitReached:
        return "reduced_limit_reached";
    case ChargeReason::TimeLimitReached:
        return "time_limit_reached";
    case ChargeReason::TemperatureLow:
        return "temperature_low";
    case ChargeReason::TemperatureHigh:
        return "temperature_high";
    case ChargeReason::NoBattery:
        return "no_battery";
    case ChargeReason::ChargerFault:
        return "charger_fault";
    case ChargeReason::DeepDischargeLocked:
        return "deep_discharge_locked";
    }
    return "?";
}

std::string_view to_string(Level l) {
    switch (l) {
    case Level::Green:
        return "green";
    case Level::Amber:
        return "amber";
    case Level::Red:
        return "red";
    }
    return "?";
}

std::int32_t charge_current_for(const ChargeSpec& spec, DeciCelsius t, std::int32_t soc) {
    std::int32_t cc = 0;
    for (const ChargeBand& band : spec.bands)
        if (t >= band.from_dc)
            cc = band.current_ma;
    if (soc < spec.taper_from_percent)
        return cc;
    const std::int32_t span = 100 - spec.taper_from_percent;
    const std::int32_t left = std::clamp(100 - soc, 0, span);
    return spec.termination_ma + (cc - spec.termination_ma) * left / span;
}

ChargeDecision decide_charge(const ChargeSpec& spec, const GaugeReading& g, bool external_power,
                             Millis charging_for, ChargeMemory& mem) {
    ChargeDecision d;
    auto finish = [&](ChargeReason reason, std::int32_t current) {
        d.reason = reason;
        d.current_ma = current;
        if (current == 0)
            mem.periods_without_current = 0;
        mem.last_set_ma = current;
        return d;
    };
    if (!external_power) {
        mem.stopped_at_target = false;
        return finish(ChargeReason::NoExternalPower, 0);
    }
    if (!g.present)
        return finish(ChargeReason::NoBattery, 0);
    if (g.temperature_dc < spec.window_low_dc)
        return finish(ChargeReason::TemperatureLow, 0);
    if (g.temperature_dc > spec.window_high_dc)
        return finish(ChargeReason::TemperatureHigh, 0);
    if (charging_for >= spec.max_continuous_charging)
        return finish(ChargeReason::TimeLimitReached, 0);

    const bool reduced = g.temperature_dc > spec.reduced_limit_above_dc;
    d.target_percent = reduced ? spec.reduced_limit_percent : 100;
    const ChargeReason at_target = reduced ? ChargeReason::ReducedLimitReached : ChargeReason::Full;
    if (g.state_of_charge_percent >= d.target_percent) {
        mem.stopped_at_target = true;
        return finish(at_target, 0);
    }
    if (mem.stopped_at_target &&
        g.state_of_charge_percent >= d.target_percent - spec.recharge_hysteresis_percent)
        return finish(at_target, 0);
    mem.stopped_at_target = false;

    // A charger that was told to charge in the last period but delivers
    // nothing measurable is faulty, whatever the cause (dead charger, open
    // pogo contact, broken cell connection).
    if (mem.last_set_ma > 0 && g.current_ma < spec.termination_ma / 2) {
        if (++mem.periods_without_current >= spec.charger_fault_periods) {
            d.reason = ChargeReason::ChargerFault;
            d.current_ma = charge_current_for(spec, g.temperature_dc, g.state_of_charge_percent);
            mem.last_set_ma = d.current_ma; // keep trying, so recovery is seen
            return d;
        }
    } else {
        mem.periods_without_current = 0;
    }
    return finish(ChargeReason::Charging,
                  charge_current_for(spec, g.temperature_dc, g.state_of_charge_percent));
}

} // namespace bwc::fw
