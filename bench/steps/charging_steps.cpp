// Charging step types (family "charging"): the end-of-line checks of SPEC §5
// on a unit seated in a powered dock bay, inside the station's shared thermal
// chamber (fixture "thermal", fixtures/PROTOCOL.md BWC-THERM, corrected by the
// station's thermal.offset calibration).
//
//   gauge.check                   the fuel gauge's readout: battery present, its
//                                 id, voltage, capacity against the rated one
//                                 (health), cycle count, and its thermistor
//                                 against the chamber
//   charge.at_temperature         brings the air to a temperature, lets the
//                                 charger react, and reports whether it charges,
//                                 the current into the cell and why
//   charge.reduced_limit          above 35 °C the W120 is charged only to 70 %:
//                                 charges through the cap (discharging first
//                                 with the bay's VBUS off when the unit is above
//                                 the start level) and reports where it stopped
//   charge.not_charging_feedback  outside the charging window the docked unit
//                                 must say "battery not charging" (SPEC §5, §8):
//                                 what STATE and the event stream show, and that
//                                 it clears back inside the window
//
// The chamber is shared by every bay: the runner holds its lock while one of
// these steps runs, and each step sets the temperature it needs itself (another
// bay may have changed it since). Each step leaves the chamber at
// `leave_celsius` (25 °C unless told otherwise) when it ends, so units waiting
// for the chamber do not sit at an extreme.
//
// The chamber lives in thermal_chamber.*, the gauge and STATE readers in
// charge_readouts.*. What these steps see of the unit is its own account: GAUGE (the fuel gauge)
// and STATE (what the firmware drives on its lights, display and sounder). A
#include "bench/device/camera_protocol.hpp"
#include "bench/steps/charge_readouts.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "bench/steps/thermal_chamber.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace bwc::bench {
namespace {

using nlohmann::json;
using namespace charging;

/// The first error among argument reads, or "".
template <class... R>
std::string first_error(const R&... results) {
    std::string why;
    ((why.empty() && !results ? (void)(why = results.error()) : (void)0), ...);
    return why;
}

// --- gauge.check ------------------------------------------------------------------

class GaugeCheckStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "gauge.check",
            .family = "charging",
            .help = "Brings the chamber air to celsius, waits settle_ms (device time) for the "
                    "battery to follow, and reads the fuel gauge (GAUGE): presence, battery id, "
                    "voltage, current, state of charge, capacities, cycle count and the "
                    "thermistor against the chamber. health is the learned full-charge capacity "
                    "against design_mah (SPEC §5: 3,000 mAh); soc_error is the reported state of "
                    "charge less remaining/full capacity.",
            .args = {{.name = "celsius",
                      .kind = ArgSpec::Kind::Number,
                      .default_value = 25,
                      .help = "air temperature for the reading (°C)"},
                     {.name = "settle_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 60000,
                      .help = "device time for the battery to reach the air temperature"},
                     {.name = "design_mah",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 3000,
                      .help = "rated capacity health is relative to (mAh)"},
                     kChamberTimeout,
                     kPoll,
                     kLeave},
            .measurements =
                {{.name = "present", .unit = "", .help = "the gauge sees a battery"},
                 {.name = "battery_id", .unit = "", .help = "the battery's id (empty: none)"},
                 {.name = "voltage_mv", .unit = "2Z", .help = "cell voltage"},
                 {.name = "current_ma", .unit = "4K", .help = "cell current, + into the cell"},
                 {.name = "soc", .unit = "P1", .help = "state of charge"},
                 {.name = "remaining_mah", .unit = "E09", .help = "remaining capacity"},
                 {.name = "full_charge_mah", .unit = "E09", .help = "learned full capacity"},
                 {.name = "health", .unit = "P1", .help = "full_charge_mah / design_mah"},
                 {.name = "soc_error",
                  .unit = "P1",
                  .help = "soc − 100·remaining/full (the gauge agreeing with itself)"},
                 {.name = "cycle_count", .unit = "C62", .help = "charge cycles counted"},
                 {.name = "temperature_c", .unit = "CEL", .help = "battery thermistor"},
                 {.name = "temperature_error_c",
                  .unit = "CEL",
                  .help = "battery thermistor − chamber air"}},
            .fixtures = {"thermal"},
            .calibrations = {"thermal.offset"}};
        return i;
    }

    StepOutput measure(StepContext& ctx, const json& args) const override {
        auto celsius = arg_number(args, "celsius", 25.0, -40.0, 85.0);
        auto settle = arg_integer(args, "settle_ms", 60000);
        auto design = arg_integer(args, "design_mah", 3000, 1, 100000);
        auto timeout = arg_integer(args, "chamber_timeout_ms", 1800000);
        auto poll = arg_integer(args, "poll_ms", 5000, 1, 600000);
        auto leave = arg_number(args, "leave_celsius", 25.0, -40.0, 85.0);
        if (auto why = first_error(celsius, settle, design, timeout, poll, leave); !why.empty())
            return StepOutput::failed(why);
        auto chamber = chamber_of(ctx);
        if (!chamber)
            return StepOutput::failed(chamber.error());
        return leaving(read(ctx, *chamber, *celsius, *settle, *design, *timeout, *poll), *chamber,
                       *leave);
    }

private:
    static StepOutput read(StepContext& ctx, Chamber& chamber, double celsius,
                           std::int64_t settle_ms, std::int64_t design_mah, std::int64_t timeout_ms,
                           std::int64_t poll_ms) {
        auto air = bring_air_to(ctx, chamber, celsius, timeout_ms, poll_ms);
        if (!air)
            return StepOutput::failed(air.error());
        if (auto now = ctx.advance(settle_ms); !now)
            return StepOutput::failed(now.error().message);
        auto g = read_gauge_checked(ctx.camera());
        if (!g)
            return StepOutput::failed(g.error());
        Value health, soc_error, temperature_error;
        if (g->full_charge_mah)
            health = Value(100.0 * static_cast<double>(*g->full_charge_mah) /
                           static_cast<double>(design_mah));
        if (g->soc && g->remaining_mah && g->full_charge_mah && *g->full_charge_mah > 0)
            soc_error = Value(static_cast<double>(*g->soc) -
                              std::round(100.0 * static_cast<double>(*g->remaining_mah) /
                                         static_cast<double>(*g->full_charge_mah)));
        if (g->temperature_dc)
            temperature_error = Value(static_cast<double>(*g->temperature_dc) / 10.0 - *air);
        StepOutput out;
        out.add("present", Value(g->present))
            .add("battery_id", Value(g->battery_id))
            .add("voltage_mv", number(g->voltage_mv))
            .add("current_ma", number(g->current_ma))
            .add("soc", number(g->soc))
            .add("remaining_mah", number(g->remaining_mah))
            .add("full_charge_mah", number(g->full_charge_mah))
            .add("health", health)
            .add("soc_error", soc_error)
            .add("cycle_count", number(g->cycle_count))
            .add("temperature_c", celsius_of(g->temperature_dc))
            .add("temperature_error_c", temperature_error);
        return out;
    }
};
REGISTER_STEP_TYPE(GaugeCheckStep);

// --- charge.at_temperature --------------------------------------------------------

class ChargeAtTemperatureStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "charge.at_temperature",
            .family = "charging",
            .help = "Brings the chamber air to celsius, lets settle_ms of device time pass for "
                    "the battery to follow and the charger to react (its control period is "
                    "10 s; a charger that delivers nothing is declared faulty after 3 periods), "
                    "then reads the gauge and the firmware's charge state. charging: the "
                    "firmware has the charger on (STATE battery.charge_current_set_ma above 0, "
                    "whatever it calls the state); charge_ma: the current into the cell the "
                    "gauge measures; charge_state: the firmware's reason.",
            .args = {{.name = "celsius",
                      .kind = ArgSpec::Kind::Number,
                      .required = true,
                      .help = "air temperature (°C)"},
                     {.name = "settle_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 60000,
                      .help = "device time for the battery and the charger to react"},
                     kChamberTimeout,
                     kPoll,
                     kLeave},
            .measurements = {{.name = "charging",
                              .unit = "",
                              .help = "the firmware has the charger on (current commanded)"},
                             {.name = "charge_ma",
                              .unit = "4K",
                              .help = "current into the cell (gauge; negative: discharging)"},
                             {.name = "charge_state",
                              .unit = "",
                              .help = "why: charging, temperature_low, temperature_high, full, "
                                      "charger_fault, …"},
                             {.name = "temperature_c", .unit = "CEL", .help = "battery thermistor"},
                             {.name = "chamber_c",
                              .unit = "CEL",
                              .help = "air temperature (chamber sensor less its offset)"},
                             {.name = "soc", .unit = "P1", .help = "state of charge"}},
            .fixtures = {"thermal"},
            .calibrations = {"thermal.offset"}};
        return i;
    }

    StepOutput measure(StepContext& ctx, const json& args) const override {
        auto celsius = arg_number(args, "celsius", std::nullopt, -40.0, 85.0);
        auto settle = arg_integer(args, "settle_ms", 60000);
        auto timeout = arg_integer(args, "chamber_timeout_ms", 1800000);
        auto poll = arg_integer(args, "poll_ms", 5000, 1, 600000);
        auto leave = arg_number(args, "leave_celsius", 25.0, -40.0, 85.0);
        if (auto why = first_error(celsius, settle, timeout, poll, leave); !why.empty())
            return StepOutput::failed(why);
        auto chamber = chamber_of(ctx);
        if (!chamber)
            return StepOutput::failed(chamber.error());
        return leaving(run(ctx, *chamber, *celsius, *settle, *timeout, *poll), *chamber, *leave);
    }

private:
    static StepOutput run(StepContext& ctx, Chamber& chamber, double celsius,
                          std::int64_t settle_ms, std::int64_t timeout_ms, std::int64_t poll_ms) {
        auto air = bring_air_to(ctx, chamber, celsius, timeout_ms, poll_ms);
        if (!air)
            return StepOutput::failed(air.error());
        if (auto now = ctx.advance(settle_ms); !now)
            return StepOutput::failed(now.error().message);
        auto g = read_gauge_checked(ctx.camera());
        if (!g)
            return StepOutput::failed(g.error());
        auto view = read_charge_view(ctx.camera());
        if (!view)
            return StepOutput::failed(view.error());
        StepOutput out;
        out.add("charging", Value(view->charge_set_ma > 0))
            .add("charge_ma", number(g->current_ma))
            .add("charge_state", Value(view->charge_state))
            .add("temperature_c", celsius_of(g->temperature_dc))
            .add("chamber_c", Value(*air))
            .add("soc", number(g->soc));
        return out;
    }
};
REGISTER_STEP_TYPE(ChargeAtTemperatureStep);

// --- charge.reduced_limit -----------------------------------------------------------

class ChargeReducedLimitStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "charge.reduced_limit",
            .family = "charging",
            .help =
                "SPEC §5: above 35 °C the battery is charged only to 70 %. Brings the air to "
                "celsius; if the unit is at or above start_below_soc, first discharges it with "
                "the bay's VBUS off (physical port DOCK vbus=0; the unit runs from its battery) "
                "until it is below, then restores VBUS and charges, reading the gauge every "
                "step_ms, until the charger has delivered nothing for hold_ms (stopped at the "
                "limit, or full) or charge_timeout_ms has passed (all device time). stop_soc is "
                "the "
                "highest state of charge reached; still_charging_above_cap is current flowing "
                "into the cell at a state of charge above cap_soc.",
            .args = {{.name = "celsius",
                      .kind = ArgSpec::Kind::Number,
                      .default_value = 36,
                      .help = "air temperature (°C), above 35"},
                     {.name = "cap_soc",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 70,
                      .help = "the reduced limit (SPEC §5: 70 %)"},
                     {.name = "start_below_soc",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 65,
                      .help = "charging starts below this state of charge (discharge first)"},
                     {.name = "settle_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 60000,
                      .help = "device time for the battery to reach the air temperature"},
                     {.name = "discharge_step_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 600000,
                      .help = "device time between gauge reads while discharging"},
                     {.name = "discharge_timeout_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 43200000,
                      .help = "longest discharge (device time)"},
                     {.name = "step_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 60000,
                      .help = "device time between gauge reads while charging"},
                     {.name = "hold_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 1800000,
                      .help = "the charger must stay stopped this long (device time)"},
                     {.name = "charge_timeout_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 28800000,
                      .help = "longest charging phase (device time)"},
                     kChamberTimeout,
                     kPoll,
                     kLeave},
            .measurements =
                {{.name = "start_soc", .unit = "P1", .help = "state of charge as charging began"},
                 {.name = "stop_soc", .unit = "P1", .help = "highest state of charge reached"},
                 {.name = "still_charging_above_cap",
                  .unit = "",
                  .help = "current into the cell seen above cap_soc"},
                 {.name = "charge_state",
                  .unit = "",
                  .help = "the firmware's charge state at the end (reduced_limit_reached)"},
                 {.name = "temperature_c", .unit = "CEL", .help = "battery thermistor at the end"},
                 {.name = "discharge_ms",
                  .unit = "C26",
                  .help = "device time spent discharging first (0: none needed)"},
                 {.name = "charge_ms",
                  .unit = "C26",
                  .help = "device time from VBUS until the last current seen into the cell"}},
            .fixtures = {"thermal"},
            .calibrations = {"thermal.offset"},
            .needs_physical = true};
        return i;
    }

    StepOutput measure(StepContext& ctx, const json& args) const override {
        auto celsius = arg_number(args, "celsius", 36.0, -40.0, 85.0);
        auto cap = arg_integer(args, "cap_soc", 70, 1, 100);
        auto below = arg_integer(args, "start_below_soc", 65, 1, 100);
        auto settle = arg_integer(args, "settle_ms", 60000);
        auto dstep = arg_integer(args, "discharge_step_ms", 600000, 1000, 86400000);
        auto dtimeout = arg_integer(args, "discharge_timeout_ms", 43200000);
        auto step = arg_integer(args, "step_ms", 60000, 1000, 86400000);
        auto hold = arg_integer(args, "hold_ms", 1800000);
        auto ctimeout = arg_integer(args, "charge_timeout_ms", 28800000);
        auto timeout = arg_integer(args, "chamber_timeout_ms", 1800000);
        auto poll = arg_integer(args, "poll_ms", 5000, 1, 600000);
        auto leave = arg_number(args, "leave_celsius", 25.0, -40.0, 85.0);
        if (auto why = first_error(celsius, cap, below, settle, dstep, dtimeout, step, hold,
                                   ctimeout, timeout, poll, leave);
            !why.empty())
            return StepOutput::failed(why);
        if (*below > *cap)
            return StepOutput::failed("argument 'start_below_soc' (" + std::to_string(*below) +
                                      ") must not be above 'cap_soc' (" + std::to_string(*cap) +
                                      "): charging must start below the cap to see it stop");
        const Plan p{.celsius = *celsius,
                     .cap_soc = *cap,
                     .start_below_soc = *below,
                     .settle_ms = *settle,
                     .discharge_step_ms = *dstep,
                     .discharge_timeout_ms = *dtimeout,
                     .step_ms = *step,
                     .hold_ms = *hold,
                     .charge_timeout_ms = *ctimeout,
                     .chamber_timeout_ms = *timeout,
                     .poll_ms = *poll};
        auto chamber = chamber_of(ctx);
        if (!chamber)
            return StepOutput::failed(chamber.error());
        return leaving(run(ctx, *chamber, p), *chamber, *leave);
    }

private:
    struct Plan {
        double celsius = 36;
        std::int64_t cap_soc = 70, start_below_soc = 65, settle_ms = 0, discharge_step_ms = 0,
                     discharge_timeout_ms = 0, step_ms = 0, hold_ms = 0, charge_timeout_ms = 0,
                     chamber_timeout_ms = 0, poll_ms = 0;
    };

    /// VBUS of the bay on or off (the unit stays seated).
    static std::string set_vbus(StepContext& ctx, bool on) {
        auto r = ctx.physical()->command(on ? "DOCK vbus=1" : "DOCK vbus=0");
        return r ? "" : r.error().message;
    }

    /// Runs the unit from its battery until it is below start_below_soc.
    /// The device time it took, or why not; VBUS is back on either way.
    static Result<std::int64_t> discharge(StepContext& ctx, const Plan& p, const Gauge& start) {
        using R = Result<std::int64_t>;
        if (!ctx.physical())
            return R::failure("bay " + std::to_string(ctx.bay()) +
                              " has no physical port to switch VBUS off for the discharge");
        if (auto why = set_vbus(ctx, false); !why.empty())
            return R::failure(why);
        std::string why;
        std::int64_t spent = 0;
        std::int64_t soc = start.soc.value_or(0);
        while (why.empty() && soc >= p.start_below_soc) {
            if (spent >= p.discharge_timeout_ms) {
                why = ctx.camera().describe() + ": still at " + std::to_string(soc) + " % after " +
                      std::to_string(spent) + " ms on its battery (from " +
                      std::to_string(start.soc.value_or(0)) + " %): it does not discharge";
                break;
            }
            if (ctx.cancelled()) {
                why = "cancelled while discharging";
                break;
            }
            const std::int64_t slice =
                std::min(p.discharge_step_ms, p.discharge_timeout_ms - spent);
            if (auto now = ctx.advance(slice); !now) {
                why = now.error().message;
                break;
            }
            spent += slice;
            auto g = read_gauge_checked(ctx.camera());
            if (!g)
                why = g.error();
            else if (!g->present)
                why = ctx.camera().describe() + ": the battery disappeared while discharging: '" +
                      g->raw + "'";
            else
                soc = *g->soc;
        }
        // VBUS comes back whatever happened: the unit must not be left on its battery.
        const std::string restored = set_vbus(ctx, true);
        if (!why.empty())
            return R::failure(why + (restored.empty() ? "" : "; restoring VBUS: " + restored));
        if (!restored.empty())
            return R::failure("restoring VBUS: " + restored);
        return spent;
    }

    static StepOutput run(StepContext& ctx, Chamber& chamber, const Plan& p) {
        auto air = bring_air_to(ctx, chamber, p.celsius, p.chamber_timeout_ms, p.poll_ms);
        if (!air)
            return StepOutput::failed(air.error());
        if (auto now = ctx.advance(p.settle_ms); !now)
            return StepOutput::failed(now.error().message);
        auto g = read_gauge_checked(ctx.camera());
        if (!g)
            return StepOutput::failed(g.error());
        if (!g->present)
            return StepOutput::failed(ctx.camera().describe() + ": no battery to charge: '" +
                                      g->raw + "'");
        std::int64_t discharged_ms = 0;
        if (*g->soc >= p.start_below_soc) {
            auto spent = discharge(ctx, p, *g);
            if (!spent)
                return StepOutput::failed(spent.error());
            discharged_ms = *spent;
            g = read_gauge_checked(ctx.camera());
            if (!g)
                return StepOutput::failed(g.error());
        }

        const std::int64_t start_soc = g->soc.value_or(0);
        std::int64_t stop_soc = start_soc;
        bool above_cap = false;
        std::int64_t elapsed = 0, last_current_at = 0;
        // When the charger was first seen idle in the current idle stretch
        // (-1: it is delivering current). Not an optional: GCC 12 then warns
        // of a maybe-uninitialized read that cannot happen.
        std::int64_t idle_since = -1;
        while (elapsed < p.charge_timeout_ms) {
            if (ctx.cancelled())
                return StepOutput::failed("cancelled while charging");
            const std::int64_t slice = std::min(p.step_ms, p.charge_timeout_ms - elapsed);
            if (auto now = ctx.advance(slice); !now)
                return StepOutput::failed(now.error().message);
            elapsed += slice;
            g = read_gauge_checked(ctx.camera());
            if (!g)
                return StepOutput::failed(g.error());
            if (!g->present)
                return StepOutput::failed(ctx.camera().describe() +
                                          ": the battery disappeared while charging: '" + g->raw +
                                          "'");
            stop_soc = std::max(stop_soc, *g->soc);
            if (*g->current_ma > 0) {
                last_current_at = elapsed;
                idle_since = -1;
                above_cap = above_cap || *g->soc > p.cap_soc;
            } else if (idle_since < 0) {
                idle_since = elapsed;
            }
            if (idle_since >= 0 && elapsed - idle_since >= p.hold_ms)
                break;
        }
        auto view = read_charge_view(ctx.camera());
        if (!view)
            return StepOutput::failed(view.error());
        StepOutput out;
        out.add("start_soc", Value(static_cast<double>(start_soc)))
            .add("stop_soc", Value(static_cast<double>(stop_soc)))
            .add("still_charging_above_cap", Value(above_cap))
            .add("charge_state", Value(view->charge_state))
            .add("temperature_c", celsius_of(g->temperature_dc))
            .add("discharge_ms", Value(static_cast<double>(discharged_ms)))
            .add("charge_ms", Value(static_cast<double>(last_current_at)));
        return out;
    }
};
REGISTER_STEP_TYPE(ChargeReducedLimitStep);

// --- charge.not_charging_feedback ----------------------------------------------------

class NotChargingFeedbackStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "charge.not_charging_feedback",
            .family = "charging",
            .help = "SPEC §5/§8 'battery not charging': with the unit docked, brings the air to "
                    "normal_celsius (baseline), then to celsius outside the charging window, and "
                    "after settle_ms reads STATE and the events of that phase; then back to "
                    "normal_celsius, where the feedback must stop. feedback: the condition "
                    "battery_not_charging is raised and shown (the W120's charging icon flashing "
                    "or the W100's docking LED flashing amber); sound: the continuous sound the "
                    "firmware plays ('none' when silent).",
            .args = {{.name = "celsius",
                      .kind = ArgSpec::Kind::Number,
                      .default_value = 41,
                      .help = "air temperature outside the charging window (°C)"},
                     {.name = "normal_celsius",
                      .kind = ArgSpec::Kind::Number,
                      .default_value = 25,
                      .help = "air temperature inside the window, before and after (°C)"},
                     {.name = "settle_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 30000,
                      .help = "device time for each phase (3 charger control periods)"},
                     kChamberTimeout,
                     kPoll,
                     kLeave},
            .measurements =
                {{.name = "feedback",
                  .unit = "",
                  .help = "battery_not_charging raised and shown on the icon or docking LED"},
                 {.name = "condition",
                  .unit = "",
                  .help = "the condition battery_not_charging is raised"},
                 {.name = "charge_state", .unit = "", .help = "the firmware's charge state"},
                 {.name = "charging_icon",
                  .unit = "",
                  .help = "pattern of the display's charging icon ('none': not shown)"},
                 {.name = "docking_led",
                  .unit = "",
                  .help = "'<colour> <pattern>' of the docking LED, 'off', 'none' (no such LED)"},
                 {.name = "sound",
                  .unit = "",
                  .help = "continuous sound playing ('none'): continuous_beep on the W120"},
                 {.name = "beep_started",
                  .unit = "",
                  .help = "an 'EVT … sound continuous_beep start' arrived in the phase"},
                 {.name = "temperature_c", .unit = "CEL", .help = "battery thermistor"},
                 {.name = "cleared",
                  .unit = "",
                  .help = "back at normal_celsius: condition, sound and flashing gone"}},
            .fixtures = {"thermal"},
            .calibrations = {"thermal.offset"}};
        return i;
    }

    StepOutput measure(StepContext& ctx, const json& args) const override {
        auto celsius = arg_number(args, "celsius", 41.0, -40.0, 85.0);
        auto normal = arg_number(args, "normal_celsius", 25.0, -40.0, 85.0);
        auto settle = arg_integer(args, "settle_ms", 30000);
        auto timeout = arg_integer(args, "chamber_timeout_ms", 1800000);
        auto poll = arg_integer(args, "poll_ms", 5000, 1, 600000);
        auto leave = arg_number(args, "leave_celsius", 25.0, -40.0, 85.0);
        if (auto why = first_error(celsius, normal, settle, timeout, poll, leave); !why.empty())
            return StepOutput::failed(why);
        auto chamber = chamber_of(ctx);
        if (!chamber)
            return StepOutput::failed(chamber.error());
        return leaving(run(ctx, *chamber, *celsius, *normal, *settle, *timeout, *poll), *chamber,
                       *leave);
    }

private:
    /// One phase: the air to `celsius`, `settle_ms` of device time, then
    /// STATE and the events that arrived meanwhile.
    struct Phase {
        ChargeView view;
        std::vector<DeviceEvent> events;
    };
    static Result<Phase> phase(StepContext& ctx, Chamber& chamber, double celsius,
                               std::int64_t settle_ms, std::int64_t timeout_ms,
                               std::int64_t poll_ms) {
        ctx.camera().take_events(); // what came before belongs to earlier phases
        auto air = bring_air_to(ctx, chamber, celsius, timeout_ms, poll_ms);
        if (!air)
            return Result<Phase>::failure(air.error());
        if (auto now = ctx.advance(settle_ms); !now)
            return Result<Phase>::failure(now.error().message);
        auto view = read_charge_view(ctx.camera());
        if (!view)
            return Result<Phase>::failure(view.error());
        return Phase{*view, ctx.camera().take_events()};
    }

    static StepOutput run(StepContext& ctx, Chamber& chamber, double celsius, double normal,
                          std::int64_t settle_ms, std::int64_t timeout_ms, std::int64_t poll_ms) {
        if (auto s = ctx.ensure_subscribed(); !s)
            return StepOutput::failed(s.error().message);
        auto before = phase(ctx, chamber, normal, settle_ms, timeout_ms, poll_ms);
        if (!before)
            return StepOutput::failed(before.error());
        // The dock feedback is drawn in docked mode only: a unit that is not
        // there cannot show it, which is no verdict on the feedback.
        if (before->view.power != "on" || before->view.activity != "docked")
            return StepOutput::failed(ctx.camera().describe() + " is not in docked mode (power " +
                                      before->view.power + ", activity " + before->view.activity +
                                      "): its dock feedback cannot be seen");
        auto outside = phase(ctx, chamber, celsius, settle_ms, timeout_ms, poll_ms);
        if (!outside)
            return StepOutput::failed(outside.error());
        auto g = read_gauge_checked(ctx.camera());
        if (!g)
            return StepOutput::failed(g.error());
        bool beep_started = false;
        for (const DeviceEvent& e : outside->events)
            beep_started = beep_started || (e.kind == "sound" && e.what == "continuous_beep" &&
                                            e.detail == "start");
        auto after = phase(ctx, chamber, normal, settle_ms, timeout_ms, poll_ms);
        if (!after)
            return StepOutput::failed(after.error());
        const ChargeView& v = outside->view;
        const ChargeView& a = after->view;
        const bool cleared = !a.not_charging && a.sound == "none" &&
                             a.charging_icon != "flashing" && a.docking_led != "amber flashing";
        StepOutput out;
        out.add("feedback", Value(v.shows_not_charging()))
            .add("condition", Value(v.not_charging))
            .add("charge_state", Value(v.charge_state))
            .add("charging_icon", Value(v.charging_icon))
            .add("docking_led", Value(v.docking_led))
            .add("sound", Value(v.sound))
            .add("beep_started", Value(beep_started))
            .add("temperature_c", celsius_of(g->temperature_dc))
            .add("cleared", Value(cleared));
        return out;
    }
};
REGISTER_STEP_TYPE(NotChargingFeedbackStep);

} // namespace
} // namespace bwc::bench
