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

/// The station's shared fixtures, connected once per run, each with a mutex
/// taken for the steps that need it.
class FixturePool {
public:
    FixturePool(const Station& station, const ClientOptions& options,
                const std::atomic<bool>& cancel);
    /// The mutex of a shared fixture; nullptr for per-bay or unknown ones.
    std::mutex* shared(const std::string& name);
    /// The connected shared links (name, link), for a bay's step context.
    std::vector<std::pair<std::string, FixtureLink*>> links() const;
    /// Why a shared fixture could not be connected ("" when it is).
    std::string problem(const std::string& name) const;
    /// The station's dock port, connected once for the run and taken in turn
    /// like a shared fixture; nullptr without a dock or when it failed.
    DeviceClient* dock() const { return dock_problem_.empty() ? dock_.get() : nullptr; }
    std::mutex& dock_mutex() { return dock_mutex_; }
    /// Why the dock is not available ("" when it is).
    const std::string& dock_problem() const { return dock_problem_; }

private:
    struct Shared {
        std::string name;
        std::unique_ptr<std::mutex> mutex;
        std::unique_ptr<FixtureLink> link;
        std::string problem;
    };
    std::vector<Shared> shared_;
    std::unique_ptr<DeviceClient> dock_;
    std::mutex dock_mutex_;
    std::string dock_problem_;
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
    const CalibrationBook* calibration = nullptr; // the station's, checked before the run
    std::barrier<>* batch = nullptr;              // batch mode: every bay arrives after each step
};

BaySummary run_bay(const RunContext& run, const Bay& bay);

} // namespace bwc::bench
