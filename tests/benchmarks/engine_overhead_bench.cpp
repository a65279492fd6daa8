// The bench engine's overhead per step (issue 4 target: ≤ 20 µs): a procedure
// of 10,000 no-op steps (procedures/bench/noop_10000.yaml) run by the real
// Runner on an emulated station (bwc-emu over TCP) into a real results store
// (journal lines with group-committed fdatasync, then SQLite), on one bay and
// on eight bays at once.
//
// Reported, per run:
//   us_per_step       wall time of the run / steps run (engine overhead: the
//                     steps themselves do nothing): everything, from planning
//                     to the record stored in SQLite
//   us_step_loop      the part spent running steps (resolve, fixtures, run,
//                     judge, journal lines, published state) per step; the
//                     rest is us_plan (expanding 10,000 loop iterations) and
//                     us_close (final sync and the SQLite transaction)
//   vs_journal_floor  that, as a multiple of a baseline measured in the same
//                     run: two write(2) calls of a 200-byte line per step to a
//                     file, the least a journal that survives SIGKILL costs
//   vs_bare_calls     the same against calling the no-op step type directly,
//                     10,000 times, with nothing around it
//   throughput_8_vs_1 steps per second on eight bays / on one bay (8.0 would
//                     be perfect scaling; the machine has 2 cores)
#include "bench/emulation/emulated_station.hpp"
#include "bench/procedure/procedure.hpp"
#include "bench/record/store.hpp"
#include "bench/runner/runner.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"

#include <benchmark/benchmark.h>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <unistd.h>

using namespace bwc::bench;

namespace {

constexpr int kSteps = 10'000;
double g_bare_us_per_step = 0;
double g_journal_floor_us_per_step = 0;
double g_one_bay_steps_per_s = 0;

std::string temp_dir() {
    std::string tmpl = "/tmp/bwc-engine-bench-XXXXXX";
    if (!mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

const Procedure& procedure() {
    static const Procedure p = [] {
        auto loaded = load_procedure(BWC_SOURCE_DIR "/procedures/bench/noop_10000.yaml");
        if (!loaded)
            throw std::runtime_error(loaded.error().front().text());
        return std::move(loaded).value();
    }();
    return p;
}

class NoServices final : public BayServices {
public:
    DeviceResult<std::string> ask(const PromptRequest&) override { return std::string(); }
    void log(std::string_view, std::string_view) override {}
    void identity(const UnitIdentity&) override {}
    void evidence(const Evidence&) override {}
};

void BM_Baseline_BareNoopCalls(benchmark::State& state) {
    const StepType* noop = StepRegistry::instance().find("noop");
    NoServices services;
    std::atomic<bool> cancel{false};
    StepContext ctx(1, "W120", services, cancel);
    const nlohmann::json args = nlohmann::json::object();
    double us = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < kSteps; ++i)
            benchmark::DoNotOptimize(noop->measure(ctx, args));
        us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                 .count() /
             kSteps;
    }
    g_bare_us_per_step = us;
    state.counters["us_per_step"] = us;
}

void BM_Baseline_JournalFloor(benchmark::State& state) {
    const std::string dir = temp_dir();
    const std::string line(199, 'x');
    double us = 0;
    for (auto _ : state) {
        const int fd = ::open((dir + "/floor.jsonl").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < 2 * kSteps; ++i)
            benchmark::DoNotOptimize(::write(fd, (line + "\n").data(), line.size() + 1));
        us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0)
                 .count() /
             kSteps;
        ::close(fd);
    }
    g_journal_floor_us_per_step = us;
    state.counters["us_per_step"] = us;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

void run_engine(benchmark::State& state, int bays) {
    const std::string dir = temp_dir();
    EmulationOptions eo;
    eo.model = "W120";
    eo.bays = 8;
    eo.emulator = BWC_EMU_PATH;
    eo.work_dir = dir + "/emulator";
    auto station = EmulatedStation::start(eo);
    if (!station) {
        state.SkipWithError(station.error().c_str());
        return;
    }
    double us_per_step = 0;
    double steps_per_s = 0;
    double loop_us = 0, plan_us = 0, close_us = 0;
    int runs = 0;
    for (auto _ : state) {
        auto store = ResultsStore::open(dir + "/results" + std::to_string(runs++));
        if (!store) {
            state.SkipWithError(store.error().c_str());
            return;
        }
        RunOptions ro;
        ro.operator_name = "bench";
        for (int b = 1; b <= bays; ++b)
            ro.bays.push_back(b);
        ResultsStore& results = **store;
        Runner runner(
            procedure(), (*station)->station(),
            [&results](const RecordHeader& h) { return results.start_record(h); }, ro);
        const auto t0 = std::chrono::steady_clock::now();
        RunSummary summary = runner.run();
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (!summary.all_passed()) {
            state.SkipWithError(("a bay did not pass: " + summary.bays.front().cause).c_str());
            return;
        }
        const double steps = static_cast<double>(kSteps) * bays;
        us_per_step = s * 1e6 / steps;
        steps_per_s = steps / s;
        loop_us = plan_us = close_us = 0;
        for (const BaySummary& b : summary.bays) { // the bays' mean, per step
            loop_us += b.steps_s * 1e6 / kSteps / bays;
            plan_us += b.plan_s * 1e6 / kSteps / bays;
            close_us += b.close_s * 1e6 / kSteps / bays;
        }
    }
    state.counters["us_per_step"] = us_per_step;
    state.counters["us_step_loop"] = loop_us;
    state.counters["us_plan"] = plan_us;
    state.counters["us_close"] = close_us;
    state.counters["steps_per_s"] = steps_per_s;
    if (g_bare_us_per_step > 0)
        state.counters["vs_bare_calls"] = us_per_step / g_bare_us_per_step;
    if (g_journal_floor_us_per_step > 0)
        state.counters["vs_journal_floor"] = us_per_step / g_journal_floor_us_per_step;
    if (bays == 1)
        g_one_bay_steps_per_s = steps_per_s;
    else if (g_one_bay_steps_per_s > 0)
        state.counters["throughput_8_vs_1"] = steps_per_s / g_one_bay_steps_per_s;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
}

void BM_Engine_10000Noops_1Bay(benchmark::State& state) {
    run_engine(state, 1);
}
void BM_Engine_10000Noops_8Bays(benchmark::State& state) {
    run_engine(state, 8);
}

} // namespace

BENCHMARK(BM_Baseline_BareNoopCalls)->Iterations(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Baseline_JournalFloor)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Engine_10000Noops_1Bay)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Engine_10000Noops_8Bays)->Iterations(3)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
