// One bay's run of a procedure, on its own thread: connect the bay's ports,
// open its record, plan the procedure for the unit's model, run setup and
// main (stopping at the first failure unless told otherwise), always run
// teardown, and close the record with the verdict. Used by runner.cpp only.
#pragma once

#include "bench/runner/runner.hpp"
#include "bench/steps/step_context.hpp"

#include <barrier>
#include <mutex>

namespace bwc::bench {

/// A mutex per shared station fixture, taken for the steps that need it.
class FixturePool {
public:
    explicit FixturePool(const Station& station);
    /// The mutex of a shared fixture; nullptr for per-bay or unknown ones.
    std::mutex* shared(const std::string& name);

private:
    std::vector<std::pair<std::string, std::unique_ptr<std::mutex>>> locks_;
};

/// What every bay of a run shares.
struct RunContext {
    const Procedure& procedure;
    const Station& station;
    const RecordFactory& records;
    const RunOptions& options;
    std::string run_id;
    RunMonitor& monitor;
    const std::atomic<bool>& cancel_main;
    const std::atomic<bool>& cancel_teardown;
    FixturePool& fixtures;
    std::barrier<>* batch = nullptr; // batch mode: every bay arrives after each step
};

BaySummary run_bay(const RunContext& run, const Bay& bay);

} // namespace bwc::bench
