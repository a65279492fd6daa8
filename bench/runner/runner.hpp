// The runner: one procedure over the bays of a station. In the parallel
// model each bay starts, runs and gets its verdict on its own thread; in
// batch mode the bays finish each step together before any starts the next.
// Shared fixtures are locked per step, step timeouts become deadlines on the
// bay's device clients, and Ctrl-C (cancel()) or a lost device ends a bay's
// run with its teardown executed and its record marked aborted or error with
// the cause. Everything it does is published on monitor() and recorded
// through the record factory as it happens.
#pragma once

#include "bench/device/device_client.hpp"
#include "bench/procedure/procedure.hpp"
#include "bench/record/record.hpp"
#include "bench/runner/run_monitor.hpp"
#include "bench/station/calibration_book.hpp"
#include "bench/station/station.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

using RecordFactory = std::function<Result<std::unique_ptr<RecordWriter>>(const RecordHeader&)>;

struct RunOptions {
    std::string operator_name = "unknown";
    bool batch = false;            // bays synchronise at every step
    bool continue_on_fail = false; // keep running main steps after a failing one
    std::string run_id;            // generated when empty
    std::vector<int> bays;         // which bays to run; empty = all of the station
    ClientOptions client;
    std::string bench_version;
    std::string evidence_dir; // frames and files steps keep, one folder per record; "" = none
};

struct BaySummary {
    int bay = 0;
    std::string serial, model, record_id;
    Verdict verdict = Verdict::Error;
    std::string first_failing_step, failure_code, cause;
    double wall_s = 0;
    std::int64_t device_ms = 0;
    int steps = 0; // step attempts recorded
    // Where the bay's wall time went: planning the procedure for the model,
    // running its steps, closing the record (journal sync and SQLite).
    double plan_s = 0, steps_s = 0, close_s = 0;
};

struct RunSummary {
    std::string run_id;
    std::vector<BaySummary> bays;
    bool all_passed() const;
    bool any_infrastructure_error() const; // Error or Aborted bays
};

/// "20261123T101500Z-3f2a": sortable, unique enough for one station.
std::string make_run_id();

class Runner {
public:
    Runner(const Procedure& procedure, const Station& station, RecordFactory records,
           RunOptions options);
    ~Runner();
    Runner(const Runner&) = delete;
    Runner& operator=(const Runner&) = delete;

    RunMonitor& monitor() { return *monitor_; }
    /// Why this run must not start, one message each: a calibration the
    /// procedure's steps need that the station lacks or has let expire
    /// (naming the record and its expiry), an unreadable calibration file.
    /// Empty when it may start. run() calls it and refuses every bay if not.
    std::vector<std::string> preflight();
    /// Runs every bay to its end; blocks. Call once.
    RunSummary run();
    /// First call: the bays abort their main steps and run their teardown.
    /// Second call: teardown is aborted too.
    void cancel();
    int cancel_requests() const { return cancels_.load(); }

private:
    const Procedure& procedure_;
    const Station& station_;
    RecordFactory records_;
    RunOptions options_;
    std::unique_ptr<RunMonitor> monitor_;
    std::optional<CalibrationBook> calibration_;
    std::optional<std::vector<std::string>> preflight_;
    std::atomic<bool> cancel_main_{false};
    std::atomic<bool> cancel_teardown_{false};
    std::atomic<int> cancels_{0};
};

} // namespace bwc::bench
