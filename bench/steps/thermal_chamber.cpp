// The thermal chamber as the charging steps use it (see thermal_chamber.hpp).
#include "bench/steps/thermal_chamber.hpp"

#include "fixtures/thermal/driver.hpp"

#include <cmath>
#include <cstdio>

namespace bwc::bench::charging {

std::string celsius_text(double c) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f °C", c);
    return text;
}
namespace {

/// Largest offset believed (calibration/thermal_offset.cpp refuses more).
constexpr double kMaxOffsetC = 5.0;
/// Temperatures travel with two decimals (fixtures/PROTOCOL.md "Numbers").
constexpr double kSetPointResolutionC = 0.005;

} // namespace

Result<Chamber> chamber_of(StepContext& ctx) {
    FixtureLink* link = ctx.fixture("thermal");
    if (!link)
        return Result<Chamber>::failure("the station has no thermal chamber (fixture 'thermal')");
    const CalibrationRecord* cal = ctx.calibration("thermal.offset");
    if (!cal)
        return Result<Chamber>::failure(
            "the station has no thermal.offset calibration (bench calibrate thermal)");
    auto it = cal->data.find("offset_c");
    if (it == cal->data.end() || !it->is_number() || !std::isfinite(it->get<double>()) ||
        std::abs(it->get<double>()) > kMaxOffsetC)
        return Result<Chamber>::failure(
            "calibration record " + cal->id +
            " has no usable offset_c (within ±5 °C): " + cal->data.dump());
    return Chamber{&link->control(), it->get<double>()};
}

/// Sets the chamber so that the air is at `air_c` and waits, in device time,
/// until it reports itself settled at that set point. The air temperature it
/// then reports (its sensor less the calibrated offset), or why not.
Result<double> bring_air_to(StepContext& ctx, Chamber& chamber, double air_c,
                            std::int64_t timeout_ms, std::int64_t poll_ms) {
    using R = Result<double>;
    const double set = std::round((air_c + chamber.offset_c) * 100.0) / 100.0;
    if (set < fixtures::thermal::kMinSetC || set > fixtures::thermal::kMaxSetC)
        return R::failure("air at " + celsius_text(air_c) + " needs set point " +
                          celsius_text(set) + " (calibrated offset " +
                          celsius_text(chamber.offset_c) + "), outside what " +
                          chamber.client->describe() + " accepts");
    fixtures::thermal::Driver driver(*chamber.client);
    auto reply = driver.set(set);
    if (!reply)
        return R::failure(reply.error().message);
    if (std::abs(reply->setpoint_c - set) > kSetPointResolutionC)
        return R::failure(chamber.client->describe() + ": SET " + celsius_text(set) +
                          " answered setpoint_c=" + celsius_text(reply->setpoint_c));
    for (std::int64_t waited = 0;; waited += poll_ms) {
        auto r = driver.read();
        if (!r)
            return R::failure(r.error().message);
        if (!r->setpoint_c || std::abs(*r->setpoint_c - set) > kSetPointResolutionC)
            return R::failure(chamber.client->describe() + ": READ reports setpoint_c=" +
                              (r->setpoint_c ? celsius_text(*r->setpoint_c) : "(empty)") +
                              " while this step holds it at " + celsius_text(set));
        if (r->settled)
            return r->temp_c - chamber.offset_c;
        if (waited >= timeout_ms)
            return R::failure(chamber.client->describe() + " did not settle at " +
                              celsius_text(set) + " within " + std::to_string(timeout_ms) +
                              " ms (its sensor reads " + celsius_text(r->temp_c) + ")");
        if (ctx.cancelled())
            return R::failure("cancelled while the chamber settles");
        if (auto now = ctx.advance(poll_ms); !now)
            return R::failure(now.error().message);
    }
}

/// Leaves the chamber at `air_c` without waiting for it.
std::string leave_chamber_at(Chamber& chamber, double air_c) {
    const double set = std::round((air_c + chamber.offset_c) * 100.0) / 100.0;
    if (set < fixtures::thermal::kMinSetC || set > fixtures::thermal::kMaxSetC)
        return "leave_celsius " + celsius_text(air_c) + " is outside what " +
               chamber.client->describe() + " accepts";
    fixtures::thermal::Driver driver(*chamber.client);
    auto reply = driver.set(set);
    return reply ? "" : reply.error().message;
}

/// `out`, unless leaving the chamber failed and `out` had no error of its own.
StepOutput leaving(StepOutput out, Chamber& chamber, double leave_c) {
    const std::string why = leave_chamber_at(chamber, leave_c);
    if (!why.empty() && out.error.empty())
        return StepOutput::failed("leaving the chamber at " + celsius_text(leave_c) + ": " + why);
    return out;
}

} // namespace bwc::bench::charging
