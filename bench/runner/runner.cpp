// The runner: bays on their threads, cancellation, the run's summary (see runner.hpp).
#include "bench/runner/runner.hpp"

#include "bench/procedure/station_fit.hpp"
#include "bench/runner/bay_run.hpp"
#include "bench/steps/step_type.hpp"

#include <barrier>
#include <chrono>
#include <ctime>
#include <random>
#include <thread>

namespace bwc::bench {

bool RunSummary::all_passed() const {
    for (const BaySummary& b : bays)
        if (b.verdict != Verdict::Pass)
            return false;
    return !bays.empty();
}

bool RunSummary::any_infrastructure_error() const {
    for (const BaySummary& b : bays)
        if (b.verdict == Verdict::Error || b.verdict == Verdict::Aborted)
            return true;
    return false;
}

std::string make_run_id() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
    std::random_device rd;
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(rd() & 0xffff));
    return std::string(stamp) + "-" + suffix;
}

Runner::Runner(const Procedure& procedure, const Station& station, RecordFactory records,
               RunOptions options)
    : procedure_(procedure), station_(station), records_(std::move(records)),
      options_(std::move(options)) {
    if (options_.run_id.empty())
        options_.run_id = make_run_id();
    if (options_.bays.empty())
        for (const Bay& b : station_.bays)
            options_.bays.push_back(b.number);
    monitor_ = std::make_unique<RunMonitor>(options_.bays);
}

Runner::~Runner() = default;

void Runner::cancel() {
    if (cancels_.fetch_add(1) == 0)
        cancel_main_ = true;
    else
        cancel_teardown_ = true;
}

std::vector<std::string> Runner::preflight() {
    if (preflight_)
        return *preflight_;
    std::vector<std::string> problems;
    if (!station_.calibration.empty()) {
        auto book = load_calibration_book(station_.calibration);
        if (book)
            calibration_ = std::move(*book);
        else
            for (const Diagnostic& d : book.error())
                problems.push_back("calibration file: " + d.text());
    }
    // Every fixture, physical port and dock the procedure's step types need.
    for (const Diagnostic& d : check_station_fit(procedure_, station_, options_.bays))
        problems.push_back(d.text());
    if (!problems.empty()) {
        preflight_ = problems;
        return problems;
    }
    // Every calibration a step type of the procedure declares, per bay of the
    // run for per-bay kinds, whichever model the bay turns out to hold.
    std::vector<CalibrationNeed> needs;
    for (Group g : {Group::Setup, Group::Main, Group::Teardown}) {
        for (const StepSpec& spec : procedure_.group(g)) {
            const StepType* type = StepRegistry::instance().find(spec.type);
            if (!type)
                continue;
            for (const std::string& kind : type->info().calibrations) {
                const CalibrationKind* k = find_calibration_kind(kind);
                const std::string because = "step '" + spec.id + "' (" + spec.type + ")";
                if (k && k->per_bay)
                    for (int bay : options_.bays)
                        needs.push_back({kind, bay, because});
                else
                    needs.push_back({kind, std::nullopt, because});
            }
        }
    }
    if (problems.empty()) {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        problems = unmet_calibrations(calibration_ ? &*calibration_ : nullptr, station_.calibration,
                                      needs, now);
    }
    preflight_ = problems;
    return problems;
}

RunSummary Runner::run() {
    if (auto problems = preflight(); !problems.empty()) {
        RunSummary refused;
        refused.run_id = options_.run_id;
        for (int n : options_.bays) {
            BaySummary b;
            b.bay = n;
            b.verdict = Verdict::Error;
            b.cause = "the run was refused: " + problems.front();
            refused.bays.push_back(std::move(b));
        }
        monitor_->finish();
        return refused;
    }
    FixturePool fixtures(station_, options_.client, cancel_main_);
    std::vector<const Bay*> bays;
    for (int n : options_.bays)
        if (const Bay* b = station_.bay(n))
            bays.push_back(b);
    std::optional<std::barrier<>> batch;
    if (options_.batch && !bays.empty())
        batch.emplace(static_cast<std::ptrdiff_t>(bays.size()));
    RunContext ctx{procedure_,
                   station_,
                   records_,
                   options_,
                   options_.run_id,
                   *monitor_,
                   cancel_main_,
                   cancel_teardown_,
                   fixtures,
                   calibration_ ? &*calibration_ : nullptr,
                   batch ? &*batch : nullptr};

    RunSummary summary;
    summary.run_id = options_.run_id;
    summary.bays.resize(bays.size());
    std::vector<std::thread> threads;
    threads.reserve(bays.size());
    for (std::size_t i = 0; i < bays.size(); ++i)
        threads.emplace_back([&, i] { summary.bays[i] = run_bay(ctx, *bays[i]); });
    for (std::thread& t : threads)
        t.join();
    monitor_->finish();
    return summary;
}

} // namespace bwc::bench
