// Runs one step: timing, limits, retries, cancellation, record (see step_runner.hpp).
#include "bench/steps/step_runner.hpp"

#include <chrono>

namespace bwc::bench {
namespace {

int severity(Outcome o) {
    switch (o) {
    case Outcome::Pass:
    case Outcome::Skipped:
        return 0;
    case Outcome::Marginal:
        return 1;
    case Outcome::Fail:
        return 2;
    case Outcome::Error:
        return 3;
    case Outcome::Aborted:
        return 4;
    }
    return 4;
}

std::int64_t wall_now_us() {
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

/// Judges what one attempt measured against the declared measurements.
Outcome judge(const ResolvedStep& step, const StepType& type, StepOutput& out,
              std::vector<MeasurementRecord>& measured, std::string& error) {
    Outcome outcome = Outcome::Pass;
    measured.clear();
    measured.reserve(step.measurements.size() + out.values.size());
    for (const ResolvedMeasurement& m : step.measurements) {
        const Value* value = nullptr;
        for (const auto& [name, v] : out.values)
            if (name == m.name) {
                value = &v;
                break;
            }
        if (!value) {
            error =
                "step type '" + type.info().name + "' did not report measurement '" + m.name + "'";
            return Outcome::Error;
        }
        MeasurementRecord r{m.name, *value, m.unit, m.limit, evaluate(m.limit, *value)};
        outcome = worse(outcome, r.outcome);
        measured.push_back(std::move(r));
    }
    // What the step reported beyond the procedure's list is kept, unjudged.
    for (auto& [name, v] : out.values) {
        bool declared = false;
        for (const ResolvedMeasurement& m : step.measurements)
            declared = declared || m.name == name;
        if (declared)
            continue;
        std::string unit;
        for (const MeasurementInfo& info : type.info().measurements)
            if (info.name == name)
                unit = info.unit;
        measured.push_back(MeasurementRecord{name, std::move(v), unit, Limit{}, Outcome::Pass});
    }
    return outcome;
}

} // namespace

Outcome worse(Outcome a, Outcome b) {
    return severity(b) > severity(a) ? b : a;
}

StepResult run_step(const StepType& type, const ResolvedStep& step, const StepPolicy& policy,
                    int index, StepContext& ctx, RecordWriter& record) {
    StepResult result;
    const int attempts = 1 + std::max(0, policy.repeat_on_fail);
    record.step_started(index, step.id, step.type);
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        StepRecord rec;
        rec.index = index;
        rec.id = step.id;
        rec.name = step.name;
        rec.type = step.type;
        rec.group = std::string(to_string(policy.group));
        rec.attempt = attempt;
        rec.failure_code = policy.failure_code;
        rec.wall_start_us = wall_now_us();
        rec.device_start_ms = ctx.device_now_ms();
        const auto started = std::chrono::steady_clock::now();

        std::string error;
        Outcome outcome;
        if (ctx.cancelled()) {
            outcome = Outcome::Aborted;
            error = "cancelled before the step started";
        } else {
            if (policy.timeout_ms)
                ctx.set_deadline(started + std::chrono::milliseconds(*policy.timeout_ms));
            ctx.set_current_step(step.id, attempt);
            StepOutput out = type.measure(ctx, step.args);
            if (policy.timeout_ms)
                ctx.set_deadline(std::nullopt);
            if (!out.error.empty()) {
                error = std::move(out.error);
                outcome = ctx.cancelled() ? Outcome::Aborted : Outcome::Error;
                result.device_lost = ctx.device_lost();
            } else {
                outcome = judge(step, type, out, rec.measurements, error);
            }
        }
        rec.wall_duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::steady_clock::now() - started)
                                   .count();
        rec.device_end_ms = ctx.device_now_ms();
        rec.outcome = outcome;
        rec.error = error;
        const bool retry = outcome == Outcome::Fail && attempt < attempts && !ctx.cancelled();
        rec.final_attempt = !retry;
        result.outcome = outcome;
        result.error = error;
        result.attempts = attempt;
        if (retry) {
            ctx.log("info", "step " + step.id + " failed attempt " + std::to_string(attempt) +
                                " of " + std::to_string(attempts) + "; repeating");
            record.step(rec);
            continue;
        }
        result.measurements = rec.measurements;
        record.step(rec);
        break;
    }
    return result;
}

void record_unrun(const std::string& id, const std::string& name, const std::string& type,
                  const StepPolicy& policy, int index, Outcome outcome, const std::string& error,
                  StepContext& ctx, RecordWriter& record) {
    StepRecord rec;
    rec.index = index;
    rec.id = id;
    rec.name = name;
    rec.type = type;
    rec.group = std::string(to_string(policy.group));
    rec.outcome = outcome;
    rec.error = error;
    if (outcome != Outcome::Skipped)
        rec.failure_code = policy.failure_code;
    rec.wall_start_us = wall_now_us();
    rec.device_start_ms = ctx.device_now_ms();
    rec.device_end_ms = ctx.device_now_ms();
    record.step(rec);
}

} // namespace bwc::bench
