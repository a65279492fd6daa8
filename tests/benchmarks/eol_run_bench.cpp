// The end-of-line run as an operator starts it: the real `bench` binary runs
// procedures/eol/w120.yaml on an emulated station it brings up itself
// (bwc-emu, bwc-fixtures, calibration), on one bay and on eight.
//
// Reported, per run:
//   wall_s            the whole command, station start-up and calibration included
//   device_s          device time of the slowest bay: what a real station would
//                     take for the same steps (bays run in parallel)
//   device_s_per_unit device time / bays
//   device_vs_wall    device_s / wall_s: how much faster than real time the
//                     emulated station proves a procedure
//   wall_vs_baseline  wall_s over the baseline measured in the same run: the same
//                     command with a one-step procedure (one vision.led read) on a station
//                     with fixtures, i.e. the fixed cost of start-up and calibration
//   units_per_hour_8  8 bays: units a real station would finish per hour (device time)
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace {

std::map<int, double> g_baseline_wall_s; // by bays

std::string temp_dir() {
    std::string tmpl = "/tmp/bwc-eol-bench-XXXXXX";
    if (!mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    return tmpl;
}

struct RunResult {
    double wall_s = 0;
    double device_s = 0; // the slowest bay's
    bool passed = false;
    std::string problem;
};

RunResult run_bench(const std::string& procedure, int bays) {
    const std::string dir = temp_dir();
    const std::string json_path = dir + "/summary.json";
    const std::string cmd = std::string("'") + BWC_BENCH_PATH + "' run '" + procedure +
                            "' --emulate w120 --bays " + std::to_string(bays) + " --results '" +
                            dir + "/results' --progress quiet --json '" + json_path + "' > '" +
                            dir + "/out.txt' 2>&1";
    RunResult r;
    const auto t0 = std::chrono::steady_clock::now();
    const int status = std::system(cmd.c_str());
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ifstream in(json_path);
    if (status != 0 || !in) {
        r.problem = "bench run exited " + std::to_string(status) + " (see " + dir + "/out.txt)";
        return r;
    }
    const nlohmann::json summary = nlohmann::json::parse(in);
    r.passed = true;
    for (const auto& b : summary["bays"]) {
        r.device_s = std::max(r.device_s, b["device_time_ms"].get<double>() / 1000.0);
        r.passed = r.passed && b["verdict"] == "pass";
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return r;
}

void BM_Baseline_IdentifyOnly(benchmark::State& state) {
    // A one-step procedure that still brings up the fixtures and calibrates
    // (it has a vision step), on as many bays, so only the EOL steps differ.
    const std::string dir = temp_dir();
    const std::string proc = dir + "/baseline.yaml";
    std::ofstream(proc) << "procedure: baseline\nversion: 1\nproducts: [camera]\nmodels: [W120]\n"
                           "main:\n  - {id: led, type: vision.led, args: {led: status_led}}\n";
    const int bays = static_cast<int>(state.range(0));
    RunResult r;
    for (auto _ : state)
        r = run_bench(proc, bays);
    if (!r.passed) {
        state.SkipWithError(("baseline: " + r.problem).c_str());
        return;
    }
    g_baseline_wall_s[bays] = r.wall_s;
    state.counters["wall_s"] = r.wall_s;
}

void BM_EolW120(benchmark::State& state) {
    const int bays = static_cast<int>(state.range(0));
    RunResult r;
    for (auto _ : state)
        r = run_bench(BWC_SOURCE_DIR "/procedures/eol/w120.yaml", bays);
    if (!r.passed) {
        state.SkipWithError(("a unit did not pass: " + r.problem).c_str());
        return;
    }
    state.counters["wall_s"] = r.wall_s;
    state.counters["device_s"] = r.device_s;
    state.counters["device_s_per_unit"] = r.device_s / bays;
    state.counters["device_vs_wall"] = r.device_s / r.wall_s;
    if (g_baseline_wall_s.count(bays))
        state.counters["wall_vs_baseline"] = r.wall_s / g_baseline_wall_s[bays];
    if (bays == 8)
        state.counters["units_per_hour_8"] = 8 * 3600.0 / r.device_s;
}

} // namespace

BENCHMARK(BM_Baseline_IdentifyOnly)
    ->Arg(1)
    ->Arg(8)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();
BENCHMARK(BM_EolW120)->Arg(1)->Arg(8)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK_MAIN();
