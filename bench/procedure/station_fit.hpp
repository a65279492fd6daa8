// Does a procedure fit a station, and does it agree with the model table?
// Both are `bench check` questions answered before anything runs:
//  - every fixture, physical port and dock a step type needs is in the
//    station file (per bay for the bays that run);
//  - every numeric limit brackets what the model table says a good unit
//    reads (StepType::model_facts), for each model the procedure names.
// Diagnostics point at the step or measurement in the procedure file.
#pragma once

#include "bench/procedure/procedure.hpp"
#include "bench/station/station.hpp"

#include <span>

namespace bwc::bench {

/// What `proc` needs of `station` that it lacks; `bays` limits the check to
/// the bays that will run (empty: every bay of the station).
Diagnostics check_station_fit(const Procedure& proc, const Station& station,
                              std::span<const int> bays = {});

/// Limits of `proc` that contradict the model table, per model it names.
Diagnostics check_model_facts(const Procedure& proc);

} // namespace bwc::bench
