// The station's shared thermal chamber as the charging steps use it
// (fixture "thermal", fixtures/PROTOCOL.md BWC-THERM): bring the air to a
// temperature through the station's thermal.offset calibration, wait in device
// time until it has settled, and leave it at a temperature when a step ends.
// The runner holds the chamber's lock while a step that lists it runs.
#pragma once

#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"

#include <cstdint>
#include <string>

namespace bwc::bench::charging {

/// "36.00 °C".
std::string celsius_text(double c);

/// The chamber arguments every step of the family takes.
inline const ArgSpec kChamberTimeout{.name = "chamber_timeout_ms",
                                     .kind = ArgSpec::Kind::Integer,
                                     .default_value = 1800000,
                                     .help =
                                         "longest wait for the chamber to settle (device time)"};
inline const ArgSpec kPoll{.name = "poll_ms",
                           .kind = ArgSpec::Kind::Integer,
                           .default_value = 5000,
                           .help = "device time between chamber reads while it settles"};
inline const ArgSpec kLeave{.name = "leave_celsius",
                            .kind = ArgSpec::Kind::Number,
                            .default_value = 25,
                            .help = "air temperature the chamber is left at when the step ends"};

/// The station's chamber with its calibrated sensor offset (sensor − air).
struct Chamber {
    DeviceClient* client = nullptr; // never null once made by chamber_of
    double offset_c = 0;
};

/// The bay's view of the chamber, or why there is none (no fixture, no calibration).
Result<Chamber> chamber_of(StepContext& ctx);

/// Sets the chamber so that the air is at `air_c` and waits, in device time,
/// until it reports itself settled at that set point. The air temperature it
/// then reports (its sensor less the calibrated offset), or why not.
Result<double> bring_air_to(StepContext& ctx, Chamber& chamber, double air_c,
                            std::int64_t timeout_ms, std::int64_t poll_ms);

/// Leaves the chamber at `air_c` without waiting for it; "" or why not.
std::string leave_chamber_at(Chamber& chamber, double air_c);

/// `out`, unless leaving the chamber failed and `out` had no error of its own.
StepOutput leaving(StepOutput out, Chamber& chamber, double leave_c);

} // namespace bwc::bench::charging
