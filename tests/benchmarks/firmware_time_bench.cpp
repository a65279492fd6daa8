// Benchmarks of the firmware core on the virtual clock: how much wall time a
// 6.5-hour charge and an 8-week lock-out take. Targets (issue "Foundation and
// firmware core"): each under one second of wall time.
//
// The machine is shared and noisy, so every result is also reported as a
// ratio: `budget_fraction` = wall time / 1 s budget (must stay below 1), and
// `vs_baseline` = wall time / the wall time of a baseline measured in the
// same run (one simulated hour of an idle camera, the cheapest workload on
// the same code path), which shows whether a change made the hot path slower
// independently of how loaded the machine was.
#include "firmware/host/sim_camera.hpp"

#include <benchmark/benchmark.h>
#include <chrono>

using namespace bwc;
using fw::Millis;
using namespace std::chrono_literals;

namespace {

double g_baseline_seconds = 0.0;

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void report(benchmark::State& state, double wall_total, double simulated_hours) {
    const double per_run = wall_total / static_cast<double>(state.iterations());
    state.counters["wall_s"] = per_run;
    state.counters["budget_fraction"] = per_run / 1.0;
    state.counters["sim_hours_per_wall_s"] = simulated_hours / per_run;
    if (g_baseline_seconds > 0)
        state.counters["vs_baseline"] = per_run / g_baseline_seconds;
}

// Baseline: one simulated hour of a camera that is on and idle, undocked.
void BM_Baseline_IdleHour(benchmark::State& state) {
    double wall = 0;
    for (auto _ : state) {
        host::SimCamera sim({.model = fw::Model::W120});
        sim.press(fw::Button::Power, 300ms);
        const auto t0 = std::chrono::steady_clock::now();
        sim.run_for(fw::hours(1));
        wall += seconds_since(t0);
        benchmark::DoNotOptimize(sim.snapshot().battery.gauge.state_of_charge_percent);
    }
    g_baseline_seconds = wall / static_cast<double>(state.iterations());
    report(state, wall, 1.0);
}

// A depleted battery charged to full in the cold band (0–10 °C), the slowest
// case: about 6 hours of camera time.
void BM_FullChargeCold(benchmark::State& state) {
    const auto model = static_cast<fw::Model>(state.range(0));
    double wall = 0;
    double simulated = 0;
    for (auto _ : state) {
        host::SimCamera sim({.model = model, .battery_soc_percent = 0.0, .temperature_dc = 50});
        const auto t0 = std::chrono::steady_clock::now();
        sim.dock();
        sim.link_controller("bench");
        const Millis start = sim.now();
        const bool full = sim.run_until_state(
            [](const fw::Snapshot& s) { return s.battery.charge.reason == fw::ChargeReason::Full; },
            fw::hours(7), 60s);
        wall += seconds_since(t0);
        simulated = static_cast<double>((sim.now() - start).count()) / 3.6e6;
        if (!full)
            state.SkipWithError("battery did not reach full within 7 h");
    }
    report(state, wall, simulated);
    state.counters["charge_hours"] = simulated;
}

// Undock, stay powered for 8 weeks (on a dock-less USB supply so the battery
// lasts), and be locked out at the end.
void BM_EightWeekLockout(benchmark::State& state) {
    const auto model = static_cast<fw::Model>(state.range(0));
    double wall = 0;
    for (auto _ : state) {
        host::SimCamera sim({.model = model, .undocked_for = 0ms});
        sim.cell().set_external_power(true);
        sim.camera().set_usb_power(true);
        sim.press(fw::Button::Power, 300ms);
        const auto t0 = std::chrono::steady_clock::now();
        sim.run_until(fw::weeks(8) + 1min);
        wall += seconds_since(t0);
        if (!sim.snapshot().locked)
            state.SkipWithError("camera not locked after 8 weeks");
    }
    report(state, wall, 8.0 * 7 * 24);
}

} // namespace

BENCHMARK(BM_Baseline_IdleHour)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FullChargeCold)
    ->Arg(static_cast<int>(fw::Model::W100))
    ->Arg(static_cast<int>(fw::Model::W120))
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EightWeekLockout)
    ->Arg(static_cast<int>(fw::Model::W100))
    ->Arg(static_cast<int>(fw::Model::W120))
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
