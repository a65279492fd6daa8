// What plan() and resolve() share: turning a measurement's limit as written
// into a Limit, and preparing steps that need no resolving. Not a public API.
#pragma once

#include "bench/procedure/procedure.hpp"
#include "bench/procedure/references.hpp"

namespace bwc::bench::detail {

/// The measurement with every ${…} in its limit replaced and the limit built
/// (regex compiled). Errors name the measurement and the problem.
Result<ResolvedMeasurement> resolve_measurement(const MeasurementSpec& m, NameLookup names);
/// Sets step.prepared when nothing in the step refers to ${…}.
void prepare(PlannedStep& step);

} // namespace bwc::bench::detail
