// Runs one resolved step on one bay: the part every step type shares. It
// times each attempt (wall and device clock), arms the step's timeout as a
// deadline on the bay's device clients, calls the type's measure(), judges
// each measurement against its limit, repeats a failing step as the
// procedure allows, honours cancellation, and writes every attempt to the
// record. Step types only measure.
#pragma once

#include "bench/procedure/procedure.hpp"
#include "bench/record/record.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

struct StepPolicy {
    Group group = Group::Main;
    int repeat_on_fail = 0;
    std::optional<int> timeout_ms;
    std::string failure_code;
};

struct StepResult {
    Outcome outcome = Outcome::Pass;
    std::string error;                           // Error / Aborted: the cause
    std::vector<MeasurementRecord> measurements; // of the last attempt
    int attempts = 0;
    bool device_lost = false; // the error was a broken connection
};

/// Worst of two outcomes for a step: Error > Fail > Marginal > Pass.
Outcome worse(Outcome a, Outcome b);

/// Runs `step` (already resolved; step.run is true) and records it.
StepResult run_step(const StepType& type, const ResolvedStep& step, const StepPolicy& policy,
                    int index, StepContext& ctx, RecordWriter& record);

/// The record of a step that ends without running: `outcome` Skipped (its
/// run_if was false) or Error (it could not be resolved, a fixture is
/// missing), with `error` saying why.
void record_unrun(const std::string& id, const std::string& name, const std::string& type,
                  const StepPolicy& policy, int index, Outcome outcome, const std::string& error,
                  StepContext& ctx, RecordWriter& record);

} // namespace bwc::bench
