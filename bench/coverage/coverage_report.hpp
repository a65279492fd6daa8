// The outcome of a fault-coverage run as data: one row per fault (what was
// expected, what the run recorded, caught or not) and the good-unit tally,
// judged and rendered as the table `bench coverage` prints and writes
// (Markdown for people, JSON for programs).
#pragma once

#include "bench/coverage/coverage_plan.hpp"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bwc::bench {

/// What one unit's run ended with, as the runner summarised it.
struct UnitOutcome {
    std::string verdict; // "pass", "fail", "error", … (to_string(Verdict))
    std::string first_failing_step;
    std::string failure_code;
    std::string cause;
    std::string serial;
    double wall_s = 0;
    double device_s = 0;
};

struct FaultRow {
    std::string fault;    // as injected: "button.record.threshold_ms=3400"
    std::string spec_row; // the SPEC section it models
    std::string expected_step, expected_code;
    bool planned = true; // false: the emulator lists it, the plan does not
    UnitOutcome actual;

    enum class Result { Caught, CaughtElsewhere, Escaped, Error, NotPlanned };
    Result judge() const;
};
std::string_view to_string(FaultRow::Result r);

struct CoverageReport {
    std::string model;
    std::string procedure;        // name and version
    std::string procedure_sha256; // what the rows were judged against
    std::vector<FaultRow> faults;
    int good_units = 0;
    std::vector<UnitOutcome> false_fails; // good units that did not pass
    double wall_s = 0;

    int count(FaultRow::Result r) const;
    /// Every fault caught at its expected step with its code, and no good unit failed.
    bool clean() const;
    std::string markdown() const;
    nlohmann::json json() const;
};

} // namespace bwc::bench
