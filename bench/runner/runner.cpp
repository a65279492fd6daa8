// The runner: bays on their threads, cancellation, the run's summary (see runner.hpp).
#include "bench/runner/runner.hpp"

#include "bench/runner/bay_run.hpp"

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

RunSummary Runner::run() {
    FixturePool fixtures(station_);
    std::vector<const Bay*> bays;
    for (int n : options_.bays)
        if (const Bay* b = station_.bay(n))
            bays.push_back(b);
    std::optional<std::barrier<>> batch;
    if (options_.batch && !bays.empty())
        batch.emplace(static_cast<std::ptrdiff_t>(bays.size()));
    RunContext ctx{procedure_, station_,     records_,         options_, options_.run_id,
                   *monitor_,  cancel_main_, cancel_teardown_, fixtures, batch ? &*batch : nullptr};

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
