// A fault-coverage plan (procedures/eol/coverage.yaml): for each model, the
// end-of-line procedure that tests it and, for every fault the emulators can
// inject into that model (`bwc-emu --list-faults --model M`), the value that
// makes it a real defect and where the procedure must catch it: the first
// failing step and its failure code. `bench coverage` runs the plan; a fault
// the emulator lists that the plan leaves out is reported, never skipped.
#pragma once

#include "bench/procedure/diagnostic.hpp"
#include "bench/transport/uri.hpp"

#include <map>
#include <string>
#include <vector>

namespace bwc::bench {

struct PlannedFault {
    std::string name;  // concrete: "button.record.threshold_ms"
    std::string value; // "" for a fault without a value
    std::string step;  // the step that must fail first (its id after loops)
    std::string code;  // the failure code it must record
    std::string why;   // optional: why this value is a real defect
    SourcePos pos;

    /// As bwc-emu takes it: "name" or "name=value".
    std::string injected() const { return value.empty() ? name : name + "=" + value; }
};

struct ModelCoverage {
    std::string model;     // "W120"
    std::string procedure; // path, resolved against the plan's folder
    std::vector<PlannedFault> faults;
    SourcePos pos;
};

struct CoveragePlan {
    std::string path;
    std::string name;
    std::vector<ModelCoverage> models;

    const ModelCoverage* find(std::string_view model) const;
};

Result<CoveragePlan, Diagnostics> load_coverage_plan(const std::string& path);
Result<CoveragePlan, Diagnostics> parse_coverage_plan(std::string_view text,
                                                      const std::string& path);

} // namespace bwc::bench
