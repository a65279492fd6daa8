// Unit tests for battery levels and charging, SPEC §3 (level colours) and §5 row by row.
//
//  charge_policy   — decide_charge / charge_current_for / level_for / battery_time_left /
//                    recording_time_left as pure functions: the 0–40 °C window at −0.1, 0, 35,
//                    35.1, 40 and 40.1 °C, the 70 % stop strictly above 35 °C, full at 100 %,
//                    recharge hysteresis, the 45-day limit, charger-fault detection, and the
//                    green / amber / red boundaries (> 1 h, 0.5–1 h inclusive, < 0.5 h).
//  camera_charging — a docked SimCamera of each model: full charge time from empty at 25 °C and
//                    5 °C, no charging (with the "battery not charging" feedback) at 41 °C and
//                    −1 °C, the 70 % stop at 36 °C, the low-battery beeps, an empty battery
//                    (W120 deep discharge and "hold power 4 s, then charge"; W100 off), charger
//                    fault and the 45-day limit.
#include "firmware/core/battery.hpp"
#include "firmware/core/model.hpp"
#include "firmware/core/snapshot.hpp"
#include "firmware/host/sim_camera.hpp"
#include "sim_fixtures.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fw = bwc::fw;
using namespace bwc::fixtures;
using bwc::host::SimCamera;
using fw::ChargeReason;
using fw::DeciCelsius;
using fw::Level;
using fw::Millis;
using fw::Model;
using namespace std::chrono_literals;

namespace {

// --- pure-function helpers -----------------------------------------------------------------------

fw::GaugeReading gauge(std::int32_t soc, DeciCelsius t, std::int32_t current_ma = 0) {
    fw::GaugeReading g;
    g.voltage_mv = 3800;
    g.current_ma = current_ma;
    g.temperature_dc = t;
    g.state_of_charge_percent = soc;
    g.remaining_mah = soc * 30;
    g.full_charge_mah = 3000;
    g.battery_id = "TEST";
    g.present = true;
    return g;
}

/// One control period with fresh memory.
fw::ChargeDecision decide_once(const fw::ChargeSpec& spec, std::int32_t soc, DeciCelsius t,
                               Millis charging_for = fw::hours(1)) {
    fw::ChargeMemory mem;
    return fw::decide_charge(spec, gauge(soc, t), true, charging_for, mem);
}

// 8 Mbit/s (SPEC §6 assumption for 1080p) is 1 MB/s: 1.8 GB free is exactly 30 min.
constexpr std::int64_t kBitrate8M = 8'000'000;
constexpr std::int64_t kBytesPerSecondAt8M = 1'000'000;

fw::StorageStatus storage_with_free(std::int64_t free_bytes) {
    const std::int64_t capacity = 64'000'000'000;
    return {capacity, capacity - free_bytes, 0, false};
}

double hours_of(Millis d) {
    return static_cast<double>(d.count()) / 3.6e6;
}

} // namespace

BOOST_AUTO_TEST_SUITE(charge_policy)

BOOST_AUTO_TEST_CASE(model_table_holds_the_spec_limits) {
    for (Model m : fw::all_models()) {
        const fw::ModelSpec& spec = fw::model_spec(m);
        BOOST_TEST_CONTEXT(spec.name) {
            BOOST_TEST(spec.charge.window_low_dc == 0, "0 °C [SYS]");
            BOOST_TEST(spec.charge.window_high_dc == 400, "40 °C [SYS]");
            BOOST_TEST(spec.charge.reduced_limit_above_dc == 350, "35 °C [W120]");
            BOOST_TEST(spec.charge.reduced_limit_percent == 70, "70 % [W120]");
            BOOST_TEST(spec.charge.max_continuous_charging.count() == fw::days(45).count());
            BOOST_TEST(spec.levels.green_above.count() == fw::hours(1).count());
            BOOST_TEST(spec.levels.red_below.count() == Millis{30min}.count());
            BOOST_TEST(spec.battery.capacity_mah == 3000);
            BOOST_TEST(spec.battery.empty_mv == 3000);
            BOOST_TEST(spec.battery.full_mv == 4200);
            BOOST_TEST(spec.media.bitrate_1080p_bps == kBitrate8M);
            BOOST_TEST(spec.media.bitrate_720p_bps == 4'000'000);
        }
    }
}

BOOST_AUTO_TEST_CASE(charging_window_boundaries) {
    struct Row {
        DeciCelsius t;
        bool charges;
        ChargeReason reason;
        std::int32_t target;
    };
    const Row rows[] = {
        {-1, false, ChargeReason::TemperatureLow, 100},  // −0.1 °C
        {0, true, ChargeReason::Charging, 100},          // 0 °C: inclusive
        {350, true, ChargeReason::Charging, 100},        // 35 °C: not above 35
        {351, true, ChargeReason::Charging, 70},         // 35.1 °C: reduced target
        {400, true, ChargeReason::Charging, 70},         // 40 °C: inclusive
        {401, false, ChargeReason::TemperatureHigh, 70}, // 40.1 °C
    };
    for (Model m : fw::all_models()) {
        const fw::ChargeSpec& spec = fw::model_spec(m).charge;
        for (const Row& r : rows) {
            BOOST_TEST_CONTEXT(fw::to_string(m) << " at " << r.t << " dC, 50 %") {
                const fw::ChargeDecision d = decide_once(spec, 50, r.t);
                BOOST_TEST(d.reason == r.reason);
                BOOST_TEST((d.current_ma > 0) == r.charges, "current " << d.current_ma << " mA");
                BOOST_TEST(fw::is_fault(d.reason) == !r.charges,
                           "outside the window is 'battery not charging'");
                if (r.charges)
                    BOOST_TEST(d.target_percent == r.target);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(stops_at_70_percent_strictly_above_35_degrees) {
    const fw::ChargeSpec& spec = fw::model_spec(Model::W120).charge;
    // 35.1 °C: charges to 70 %, not beyond.
    fw::ChargeDecision d = decide_once(spec, 69, 351);
    BOOST_TEST(d.reason == ChargeReason::Charging);
    BOOST_TEST(d.current_ma > 0);
    d = decide_once(spec, 70, 351);
    BOOST_TEST(d.reason == ChargeReason::ReducedLimitReached);
    BOOST_TEST(d.current_ma == 0);
    BOOST_TEST(!fw::is_fault(d.reason), "the 70 % stop is normal, not 'battery not charging'");
    d = decide_once(spec, 85, 400);
    BOOST_TEST(d.reason == ChargeReason::ReducedLimitReached);
    BOOST_TEST(d.current_ma == 0);
    // Exactly 35 °C is not above 35 °C: the full 100 % target.
    d = decide_once(spec, 70, 350);
    BOOST_TEST(d.reason == ChargeReason::Charging);
    BOOST_TEST(d.current_ma > 0);
    d = decide_once(spec, 90, 350);
    BOOST_TEST(d.reason == ChargeReason::Charging);
}

BOOST_AUTO_TEST_CASE(full_at_100_percent) {
    const fw::ChargeSpec& spec = fw::model_spec(Model::W100).charge;
    fw::ChargeDecision d = decide_once(spec, 99, 250);
    BOOST_TEST(d.reason == ChargeReason::Charging);
    BOOST_TEST(d.current_ma > 0);
    d = decide_once(spec, 100, 250);
    BOOST_TEST(d.reason == ChargeReason::Full);
    BOOST_TEST(d.current_ma == 0);
    BOOST_TEST(!fw::is_fault(d.reason));
}

BOOST_AUTO_TEST_CASE(recharge_hysteresis) {
    // Reading documented in battery.hpp: after stopping at the target, charging resumes only when
    // the charge is more than ChargeSpec::recharge_hysteresis_percent points below it.
    const fw::ChargeSpec& spec = fw::model_spec(Model::W120).charge;
    const std::int32_t h = spec.recharge_hysteresis_percent;
    struct Case {
        DeciCelsius t;
        std::int32_t target;
        ChargeReason at_target;
    };
    for (const Case& c :
         {Case{250, 100, ChargeReason::Full}, Case{360, 70, ChargeReason::ReducedLimitReached}}) {
        BOOST_TEST_CONTEXT("target " << c.target << " % at " << c.t << " dC") {
            fw::ChargeMemory mem;
            fw::ChargeDecision d = fw::decide_charge(spec, gauge(c.target, c.t), true, 1h, mem);
            BOOST_TEST(d.reason == c.at_target);
            for (std::int32_t soc : {c.target - 1, c.target - h + 1, c.target - h}) {
                d = fw::decide_charge(spec, gauge(soc, c.t), true, 1h, mem);
                BOOST_TEST(d.reason == c.at_target, "still stopped at " << soc << " %");
                BOOST_TEST(d.current_ma == 0);
            }
            d = fw::decide_charge(spec, gauge(c.target - h - 1, c.t), true, 1h, mem);
            BOOST_TEST(d.reason == ChargeReason::Charging, "resumes at " << c.target - h - 1);
            BOOST_TEST(d.current_ma > 0);
            // Going on charging up to the target again, without stopping in the band.
            d = fw::decide_charge(spec, gauge(c.target - 1, c.t, 500), true, 1h, mem);
            BOOST_TEST(d.reason == ChargeReason::Charging);
        }
    }
    // Removing external power forgets the stop: re-plugged at 97 % it charges.
    fw::ChargeMemory mem;
    (void)fw::decide_charge(spec, gauge(100, 250), true, 1h, mem);
    fw::ChargeDecision d = fw::decide_charge(spec, gauge(97, 250), false, 0ms, mem);
    BOOST_TEST(d.reason == ChargeReason::NoExternalPower);
    BOOST_TEST(d.current_ma == 0);
    d = fw::decide_charge(spec, gauge(97, 250), true, 0ms, mem);
    BOOST_TEST(d.reason == ChargeReason::Charging);
}

BOOST_AUTO_TEST_CASE(continuous_charging_limit_45_days) {
    const fw::ChargeSpec& spec = fw::model_spec(Model::W120).charge;
    fw::ChargeDecision d = decide_once(spec, 50, 250, fw::days(45) - 1min);
    BOOST_TEST(d.reason == ChargeReason::Charging);
    BOOST_TEST(d.current_ma > 0);
    d = decide_once(spec, 50, 250, fw::days(45) + 1min);
    BOOST_TEST(d.reason == ChargeReason::TimeLimitReached);
    BOOST_TEST(d.current_ma == 0);
    BOOST_TEST(!fw::is_fault(d.reason));
}

BOOST_AUTO_TEST_CASE(charger_fault_after_periods_without_current) {
    const fw::ChargeSpec& spec = fw::model_spec(Model::W120).charge;
    fw::ChargeMemory mem;
    // First period: nothing was commanded before, so no current is expected yet.
    fw::ChargeDecision d = fw::decide_charge(spec, gauge(50, 250, 0), true, 1h, mem);
    BOOST_TEST_REQUIRE(d.reason == ChargeReason::Charging);
    BOOST_TEST_REQUIRE(d.current_ma > 0);
    for (int i = 1; i < spec.charger_fault_periods; ++i) {
        d = fw::decide_charge(spec, gauge(50, 250, 0), true, 1h, mem);
        BOOST_TEST(d.reason == ChargeReason::Charging, "period " << i << " without current");
    }
    d = fw::decide_charge(spec, gauge(50, 250, 0), true, 1h, mem);
    BOOST_TEST(d.reason == ChargeReason::ChargerFault,
               "after " << spec.charger_fault_periods << " periods without current");
    BOOST_TEST(fw::is_fault(d.reason));
    BOOST_TEST(d.current_ma > 0, "keeps commanding current so a recovery is seen");
    d = fw::decide_charge(spec, gauge(50, 250, 900), true, 1h, mem);
    BOOST_TEST(d.reason == ChargeReason::Charging, "current flows again");

    // Interrupted runs of missing current do not add up.
    fw::ChargeMemory m2;
    (void)fw::decide_charge(spec, gauge(50, 250, 0), true, 1h, m2);
    for (int round = 0; round < 4; ++round) {
        for (int i = 1; i < spec.charger_fault_periods; ++i) {
            d = fw::decide_charge(spec, gauge(50, 250, 0), true, 1h, m2);
            BOOST_TEST(d.reason == ChargeReason::Charging);
        }
        d = fw::decide_charge(spec, gauge(50, 250, 900), true, 1h, m2);
        BOOST_TEST(d.reason == ChargeReason::Charging);
    }
}

BOOST_AUTO_TEST_CASE(no_external_power_or_no_battery) {
    const fw::ChargeSpec& spec = fw::model_spec(Model::W100).charge;
    fw::ChargeMemory mem;
    fw::ChargeDecision d = fw::decide_charge(spec, gauge(50, 250), false, 0ms, mem);
    BOOST_TEST(d.reason == ChargeReason::NoExternalPower);
    BOOST_TEST(d.current_ma == 0);
    BOOST_TEST(!fw::is_fault(d.reason));
    fw::GaugeReading g = gauge(50, 250);
    g.present = false;
    d = fw::decide_charge(spec, g, true, 1h, mem);
    BOOST_TEST(d.reason == ChargeReason::NoBattery);
    BOOST_TEST(d.current_ma == 0);
    BOOST_TEST(fw::is_fault(d.reason));
}

BOOST_AUTO_TEST_CASE(charge_current_by_temperature_and_taper) {
    const fw::ChargeSpec& spec = fw::model_spec(Model::W120).charge;
    BOOST_TEST(fw::charge_current_for(spec, -1, 50) == 0, "no current below 0 °C");
    const std::int32_t cold = fw::charge_current_for(spec, 50, 50);
    const std::int32_t warm = fw::charge_current_for(spec, 250, 50);
    BOOST_TEST(cold > 0);
    BOOST_TEST(warm >= cold, "less current in the cold");
    // Constant current below the taper, then never rising, down to the termination current.
    for (std::int32_t soc = 0; soc < spec.taper_from_percent; ++soc)
        BOOST_TEST(fw::charge_current_for(spec, 250, soc) == warm, "at " << soc << " %");
    std::int32_t last = warm;
    for (std::int32_t soc = spec.taper_from_percent; soc <= 100; ++soc) {
        const std::int32_t c = fw::charge_current_for(spec, 250, soc);
        BOOST_TEST(c <= last, "taper rises at " << soc << " %");
        BOOST_TEST(c >= spec.termination_ma);
        last = c;
    }
    BOOST_TEST(fw::charge_current_for(spec, 250, 100) == spec.termination_ma);
}

BOOST_AUTO_TEST_CASE(level_boundaries) {
    const fw::LevelThresholds t{};
    BOOST_TEST(fw::level_for(fw::hours(10), t) == Level::Green);
    BOOST_TEST(fw::level_for(fw::hours(1) + 1ms, t) == Level::Green, "> 1 h is green");
    BOOST_TEST(fw::level_for(fw::hours(1), t) == Level::Amber, "exactly 1 h is amber");
    BOOST_TEST(fw::level_for(45min, t) == Level::Amber);
    BOOST_TEST(fw::level_for(30min, t) == Level::Amber, "exactly 30 min is amber");
    BOOST_TEST(fw::level_for(30min - 1ms, t) == Level::Red, "below 30 min is red");
    BOOST_TEST(fw::level_for(0ms, t) == Level::Red);
}

BOOST_AUTO_TEST_CASE(battery_time_left_from_remaining_capacity) {
    fw::GaugeReading g = gauge(100, 250);
    g.remaining_mah = 3000;
    BOOST_TEST(fw::battery_time_left(g, 100).count() == fw::hours(30).count());
    g.remaining_mah = 45; // 45 mAh at 90 mA: 30 min
    BOOST_TEST(fw::battery_time_left(g, 90).count() == Millis{30min}.count());
    BOOST_TEST(fw::level_for(fw::battery_time_left(g, 90), {}) == Level::Amber);
    g.remaining_mah = 44;
    BOOST_TEST(fw::level_for(fw::battery_time_left(g, 90), {}) == Level::Red);
    g.remaining_mah = 0;
    BOOST_TEST(fw::battery_time_left(g, 90).count() == 0);
}

BOOST_AUTO_TEST_CASE(storage_recording_time_left_at_8_mbit) {
    const auto left = [](std::int64_t free_bytes) {
        return fw::recording_time_left(storage_with_free(free_bytes), kBitrate8M);
    };
    const std::int64_t half_hour = 1800 * kBytesPerSecondAt8M;
    BOOST_TEST(left(half_hour).count() == Millis{30min}.count());
    BOOST_TEST(fw::level_for(left(half_hour), {}) == Level::Amber, "exactly 30 min is amber");
    BOOST_TEST(fw::level_for(left(half_hour - 1), {}) == Level::Red, "1 byte less is red");
    BOOST_TEST(left(2 * half_hour).count() == fw::hours(1).count());
    BOOST_TEST(fw::level_for(left(2 * half_hour), {}) == Level::Amber, "exactly 1 h is amber");
    BOOST_TEST(fw::level_for(left(2 * half_hour + kBytesPerSecondAt8M), {}) == Level::Green);
    // An empty 64 GB card: 64,000 s at 1 MB/s.
    BOOST_TEST(left(64'000'000'000).count() == 64'000'000);
    BOOST_TEST(left(0).count() == 0);
    // At 720p (4 Mbit/s) the same space lasts twice as long.
    BOOST_TEST(fw::recording_time_left(storage_with_free(half_hour), 4'000'000).count() ==
               fw::hours(1).count());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(camera_charging)

BOOST_AUTO_TEST_CASE(full_charge_from_empty_within_3_to_6_5_hours) {
    for (Model m : fw::all_models()) {
        for (DeciCelsius t : {DeciCelsius{250}, DeciCelsius{50}}) {
            BOOST_TEST_CONTEXT(fw::to_string(m) << " at " << t / 10 << " °C") {
                SimCamera sim({.model = m, .battery_soc_percent = 0.0, .temperature_dc = t});
                const Millis docked_at = sim.now();
                sim.dock();
                const bool full = sim.run_until_state(
                    [](const fw::Snapshot& s) {
                        return s.battery.charge.reason == ChargeReason::Full;
                    },
                    fw::hours(8), 1min);
                const Millis took = sim.now() - docked_at;
                BOOST_TEST_MESSAGE(fw::to_string(m) << " at " << t / 10 << " °C: full after "
                                                    << hours_of(took) << " h");
                BOOST_TEST_REQUIRE(full, "not full after 8 h");
                BOOST_TEST(took.count() >= fw::hours(3).count(),
                           "full after only " << hours_of(took) << " h");
                BOOST_TEST(took.count() <= Millis{fw::hours(6) + 30min}.count(),
                           "full after " << hours_of(took) << " h");
                BOOST_TEST(sim.cell().soc_percent() >= 99.0);
                BOOST_TEST(sim.cell().commanded_ma() == 0, "charger off once full");
                BOOST_TEST(!sim.snapshot().has(fw::Condition::BatteryNotCharging));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(no_charging_outside_0_to_40_degrees) {
    for (Model m : fw::all_models()) {
        for (DeciCelsius t : {DeciCelsius{410}, DeciCelsius{-10}}) {
            BOOST_TEST_CONTEXT(fw::to_string(m) << " at " << t << " dC") {
                SimCamera sim({.model = m, .battery_soc_percent = 50.0, .temperature_dc = t});
                sim.dock();
                sim.run_for(30min);
                const fw::Snapshot s = sim.snapshot();
                const auto events = sim.camera().drain_events();
                BOOST_TEST(s.battery.charge.reason ==
                           (t > 0 ? ChargeReason::TemperatureHigh : ChargeReason::TemperatureLow));
                BOOST_TEST(sim.cell().commanded_ma() == 0);
                BOOST_TEST(sim.cell().soc_percent() <= 50.0, "the cell gained charge");
                BOOST_TEST(s.has(fw::Condition::BatteryNotCharging), describe(events));
                if (m == Model::W120) {
                    BOOST_TEST(s.sound.continuous.has_value(), "W120: continuous beep");
                    if (s.sound.continuous)
                        BOOST_TEST(*s.sound.continuous == fw::Sound::ContinuousBeep);
                    const fw::Event* e = find_event(events, fw::EventKind::Sound,
                                                    fw::to_string(fw::Sound::ContinuousBeep));
                    BOOST_TEST(e != nullptr, describe(events));
                    const fw::IconState* icon = s.display.find(fw::Icon::Charging);
                    BOOST_TEST_REQUIRE(icon != nullptr, "W120: charging icon shown when docked");
                    BOOST_TEST(icon->pattern == fw::Pattern::Flashing, "charging icon flashes");
                } else {
                    BOOST_TEST(!s.sound.continuous.has_value(), "W100 has no continuous beep");
                    const fw::LightState* led = s.light(fw::Indicator::DockingLed);
                    BOOST_TEST_REQUIRE(led != nullptr);
                    BOOST_TEST(led->colour == fw::Colour::Amber, "W100: docking status amber");
                    BOOST_TEST(led->pattern == fw::Pattern::Flashing, "... flashing");
                }
                // Back inside the window: charging resumes, the feedback stops.
                sim.cell().set_temperature(250);
                sim.run_for(1min);
                const fw::Snapshot after = sim.snapshot();
                BOOST_TEST(after.battery.charge.reason == ChargeReason::Charging);
                BOOST_TEST(sim.cell().commanded_ma() > 0);
                BOOST_TEST(!after.has(fw::Condition::BatteryNotCharging));
                BOOST_TEST(!after.sound.continuous.has_value());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(charges_at_0_and_40_degrees) {
    for (Model m : fw::all_models()) {
        for (DeciCelsius t : {DeciCelsius{0}, DeciCelsius{400}}) {
            BOOST_TEST_CONTEXT(fw::to_string(m) << " at " << t << " dC") {
                SimCamera sim({.model = m, .battery_soc_percent = 50.0, .temperature_dc = t});
                sim.dock();
                sim.run_for(30min);
                const fw::Snapshot s = sim.snapshot();
                BOOST_TEST(s.battery.charge.reason == ChargeReason::Charging);
                BOOST_TEST(sim.cell().commanded_ma() > 0);
                BOOST_TEST(sim.cell().soc_percent() > 50.0);
                BOOST_TEST(!s.has(fw::Condition::BatteryNotCharging));
                BOOST_TEST(!s.sound.continuous.has_value());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(stops_at_70_percent_at_36_degrees) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim({.model = m, .battery_soc_percent = 40.0, .temperature_dc = 360});
            sim.dock();
            const bool stopped = sim.run_until_state(
                [](const fw::Snapshot& s) {
                    return s.battery.charge.reason == ChargeReason::ReducedLimitReached;
                },
                fw::hours(6), 1min);
            BOOST_TEST_REQUIRE(stopped);
            BOOST_TEST(sim.cell().soc_percent() >= 69.0);
            BOOST_TEST(sim.cell().soc_percent() <= 71.0);
            BOOST_TEST(sim.cell().commanded_ma() == 0);
            BOOST_TEST(!sim.snapshot().has(fw::Condition::BatteryNotCharging),
                       "the 70 % stop is normal");
            sim.run_for(fw::hours(2));
            BOOST_TEST(sim.cell().soc_percent() <= 71.0, "no charging past 70 % later");
            // Cooler again: charges on to full.
            sim.cell().set_temperature(250);
            sim.run_for(1min);
            BOOST_TEST(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
        }
    }
}

BOOST_AUTO_TEST_CASE(low_battery_beeps_periodic_and_reinforced) {
    struct Case {
        fw::LowBatteryWarning warning;
        fw::Sound sound;
        Millis period;
        std::size_t tones;
    };
    // SPEC §5: Periodic is 1 beep/buzz every 2 min, Periodic reinforced is 3 every minute.
    const Case cases[] = {
        {fw::LowBatteryWarning::Periodic, fw::Sound::LowBatteryPeriodic, 2min, 1},
        {fw::LowBatteryWarning::PeriodicReinforced, fw::Sound::LowBatteryReinforced, 1min, 3},
    };
    for (Model m : fw::all_models()) {
        const fw::ModelSpec& spec = fw::model_spec(m);
        // About 25 min of standby left: red (< 30 min), and enough for the 10 min observed.
        const double soc = spec.draw.standby_ma * 25.0 / 60.0 / spec.battery.capacity_mah * 100;
        for (const Case& c : cases) {
            BOOST_TEST_CONTEXT(spec.name << " " << fw::to_string(c.sound)) {
                BOOST_TEST(fw::tones(c.sound).size() == c.tones);
                fw::Profile p;
                p.low_battery_warning = c.warning;
                SimCamera sim(
                    {.model = m, .profile = p, .battery_soc_percent = soc, .temperature_dc = 250});
                power_on(sim, kTap);
                const fw::Snapshot s = sim.snapshot();
                BOOST_TEST_REQUIRE(s.battery.level == Level::Red,
                                   "battery level " << fw::to_string(s.battery.level));
                BOOST_TEST(s.has(fw::Condition::BatteryLow));
                sim.run_for(10min);
                BOOST_TEST_REQUIRE(sim.camera().power() == fw::PowerState::On,
                                   "camera died during the 10 min");
                std::vector<Millis> beeps;
                std::vector<std::string> others;
                for (const fw::Event& e : sim.camera().drain_events()) {
                    if (e.kind != fw::EventKind::Sound)
                        continue;
                    if (e.what == fw::to_string(c.sound))
                        beeps.push_back(e.at);
                    else
                        others.push_back(e.what);
                }
                BOOST_TEST_REQUIRE(!beeps.empty(), "no low-battery sound at all");
                const Millis first = beeps.front();
                const auto in_window = std::count_if(beeps.begin(), beeps.end(),
                                                     [&](Millis t) { return t < first + 10min; });
                BOOST_TEST(in_window == 10min / c.period,
                           "sounds in the first 10 minutes: " << in_window);
                for (std::size_t i = 1; i < beeps.size(); ++i)
                    BOOST_TEST((beeps[i] - beeps[i - 1]).count() == c.period.count(),
                               "interval before sound " << i);
                BOOST_TEST(others.empty(), "other sounds: " << others.size());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(no_low_battery_beeps_when_not_red_or_turned_off) {
    for (Model m : fw::all_models()) {
        const fw::ModelSpec& spec = fw::model_spec(m);
        const double red_soc = spec.draw.standby_ma * 25.0 / 60.0 / spec.battery.capacity_mah * 100;
        // 2 h of standby left: green.
        const double green_soc = spec.draw.standby_ma * 2.0 / spec.battery.capacity_mah * 100;
        struct Case {
            double soc;
            fw::LowBatteryWarning warning;
        };
        for (const Case& c : {Case{green_soc, fw::LowBatteryWarning::Periodic},
                              Case{red_soc, fw::LowBatteryWarning::Off}}) {
            BOOST_TEST_CONTEXT(spec.name << " soc " << c.soc << " %") {
                fw::Profile p;
                p.low_battery_warning = c.warning;
                SimCamera sim({.model = m,
                               .profile = p,
                               .battery_soc_percent = c.soc,
                               .temperature_dc = 250});
                power_on(sim, kTap);
                sim.run_for(10min);
                const auto events = sim.camera().drain_events();
                const auto sounds =
                    std::count_if(events.begin(), events.end(), [](const fw::Event& e) {
                        return e.kind == fw::EventKind::Sound;
                    });
                BOOST_TEST(sounds == 0, describe(events));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(w120_empty_battery_deep_discharge_then_hold_power_4s_then_charge) {
    // 0.8 % is about 16 min of W120 standby.
    SimCamera sim({.model = Model::W120, .battery_soc_percent = 0.8, .temperature_dc = 250});
    power_on(sim, kTap);
    const bool died = sim.run_until_state(
        [](const fw::Snapshot& s) { return s.power != fw::PowerState::On; }, 1h, 10s);
    BOOST_TEST_REQUIRE(died, "the camera never ran out of battery");
    BOOST_TEST_REQUIRE(sim.camera().power() == fw::PowerState::DeepDischarge);
    BOOST_TEST(!sim.snapshot().display.on, "no feedback");

    // A power press is refused.
    (void)sim.camera().drain_events();
    sim.press(fw::Button::Power, kTap);
    sim.run_for(1s);
    auto events = sim.camera().drain_events();
    const fw::Event* refused = find_event(events, fw::EventKind::Refused, "power_on");
    BOOST_TEST_REQUIRE(refused != nullptr, describe(events));
    BOOST_TEST(refused->detail.find("empty") != std::string::npos, refused->detail);
    BOOST_TEST(sim.camera().power() == fw::PowerState::DeepDischarge);

    // Holding power 4 s − 150 ms is not enough; 4 s + 150 ms is.
    sim.press(fw::Button::Power, 4s - kMargin);
    sim.run_for(1s);
    BOOST_TEST(sim.camera().power() == fw::PowerState::DeepDischarge);
    sim.press(fw::Button::Power, 4s + kMargin);
    sim.run_for(1s);
    BOOST_TEST_REQUIRE(sim.camera().power() == fw::PowerState::Off);

    // Then charge: docked, it charges.
    const double before = sim.cell().soc_percent();
    sim.dock();
    sim.run_for(1h);
    const fw::Snapshot s = sim.snapshot();
    BOOST_TEST(s.battery.charge.reason == ChargeReason::Charging);
    BOOST_TEST(sim.cell().commanded_ma() > 0);
    BOOST_TEST(sim.cell().soc_percent() > before + 10.0,
               "charged " << before << " -> " << sim.cell().soc_percent());
    BOOST_TEST(!s.has(fw::Condition::BatteryNotCharging));

    // And starts again once undocked.
    sim.undock();
    sim.run_for(sim.camera().spec().timing.undock_restart + 1s);
    BOOST_TEST(sim.camera().power() == fw::PowerState::On);
}

BOOST_AUTO_TEST_CASE(w100_empty_battery_turns_off_and_charges_when_docked) {
    SimCamera sim({.model = Model::W100, .battery_soc_percent = 0.8, .temperature_dc = 250});
    power_on(sim, kTap);
    const bool died = sim.run_until_state(
        [](const fw::Snapshot& s) { return s.power != fw::PowerState::On; }, 1h, 10s);
    BOOST_TEST_REQUIRE(died, "the camera never ran out of battery");
    BOOST_TEST(sim.camera().power() == fw::PowerState::Off, "W100 has no deep-discharge state");
    (void)sim.camera().drain_events();
    sim.press(fw::Button::Power, kTap);
    sim.run_for(1s);
    const auto events = sim.camera().drain_events();
    BOOST_TEST(find_event(events, fw::EventKind::Refused, "power_on") != nullptr, describe(events));
    BOOST_TEST(sim.camera().power() == fw::PowerState::Off);

    const double before = sim.cell().soc_percent();
    sim.dock();
    sim.run_for(1h);
    BOOST_TEST(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
    BOOST_TEST(sim.cell().soc_percent() > before + 10.0);
}

BOOST_AUTO_TEST_CASE(charger_fault_shows_battery_not_charging) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim({.model = m, .battery_soc_percent = 50.0, .temperature_dc = 250});
            dock_through_restart(sim);
            BOOST_TEST_REQUIRE(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
            sim.cell().set_charger_dead(true);
            const Millis period = sim.camera().spec().charge.control_period;
            sim.run_for(period * (sim.camera().spec().charge.charger_fault_periods + 1));
            const fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.battery.charge.reason == ChargeReason::ChargerFault);
            BOOST_TEST(s.has(fw::Condition::BatteryNotCharging));
            BOOST_TEST(s.sound.continuous.has_value() == (m == Model::W120));
            sim.cell().set_charger_dead(false);
            sim.run_for(period * 2);
            BOOST_TEST(!sim.snapshot().has(fw::Condition::BatteryNotCharging), "recovers");
        }
    }
}

BOOST_AUTO_TEST_CASE(charging_stops_after_45_days_docked) {
    SimCamera sim({.model = Model::W120, .battery_soc_percent = 100.0, .temperature_dc = 250});
    const Millis docked_at = sim.now();
    sim.dock();
    sim.run_until(docked_at + fw::days(45) - 1min);
    fw::Snapshot s = sim.snapshot();
    BOOST_TEST(s.battery.charge.reason != ChargeReason::TimeLimitReached, "stopped early");
    sim.run_until(docked_at + fw::days(45) + 1min);
    s = sim.snapshot();
    BOOST_TEST(s.battery.charge.reason == ChargeReason::TimeLimitReached);
    BOOST_TEST(sim.cell().commanded_ma() == 0);
    BOOST_TEST(!s.has(fw::Condition::BatteryNotCharging), "the 45-day stop is normal");
    // A fresh docking restarts the count.
    sim.undock();
    sim.run_for(1min);
    sim.cell().set_soc(50);
    sim.dock();
    sim.run_for(1min);
    BOOST_TEST(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
}

BOOST_AUTO_TEST_CASE(charges_from_usb_c_undocked) {
    // SPEC §5: a 5 V phone charger or power bank (USB-C) charges too, camera off or on.
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim({.model = m, .battery_soc_percent = 30.0, .temperature_dc = 250});
            sim.cell().set_external_power(true);
            sim.camera().set_usb_power(true);
            sim.run_for(1h);
            const fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.battery.external_power);
            BOOST_TEST(s.battery.charge.reason == ChargeReason::Charging);
            BOOST_TEST(sim.cell().soc_percent() > 40.0);
            BOOST_TEST(sim.camera().power() == fw::PowerState::Off, "USB power does not start it");
            sim.cell().set_external_power(false);
            sim.camera().set_usb_power(false);
            sim.run_for(1min);
            BOOST_TEST(!sim.snapshot().battery.external_power);
        }
    }
}

BOOST_AUTO_TEST_CASE(no_charge_when_replugged_outside_the_window) {
    // SPEC §5: outside 0–40 °C do not charge — not even for a moment after power comes back.
    // A camera that is off was charging from USB, is unplugged, warms to 41 °C and is plugged
    // in again: the cell must not gain charge at any time.
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim({.model = m, .battery_soc_percent = 30.0, .temperature_dc = 250});
            sim.cell().set_external_power(true);
            sim.camera().set_usb_power(true);
            sim.run_for(30min);
            BOOST_TEST_REQUIRE(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
            sim.cell().set_external_power(false);
            sim.camera().set_usb_power(false);
            sim.run_for(1min);
            BOOST_TEST(sim.cell().commanded_ma() == 0, "charger still set to "
                                                           << sim.cell().commanded_ma()
                                                           << " mA after external power went away");
            sim.cell().set_temperature(410);
            sim.run_for(1min);
            const double before = sim.cell().soc_percent();
            sim.cell().set_external_power(true);
            sim.camera().set_usb_power(true);
            sim.run_for(5s);
            const double after = sim.cell().soc_percent();
            BOOST_TEST(after <= before, "charged at 41 °C right after plugging in: "
                                            << before << " % -> " << after << " %");
            sim.run_for(1min);
            BOOST_TEST(sim.snapshot().battery.charge.reason == ChargeReason::TemperatureHigh);
            BOOST_TEST(sim.cell().commanded_ma() == 0);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
