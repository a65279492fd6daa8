// How fast an emulated camera runs in virtual time: simulated hours per wall
// second for a recording day (8 h recording, GNSS fix at 1 Hz, LTE
// registered, Wi-Fi joined) and a charge cycle (empty to full in a dock).
//
// Each emulator result is also reported against a baseline measured in the
// same run — the bare firmware core on the host stand-ins (SimCamera) doing
// the same day — as `vs_firmware_only`: how much the physical models (modem
// AT engine, GNSS NMEA at 1 Hz, Wi-Fi) cost on top. The machine is shared and
// noisy; ratios from one run are what to compare across changes.
#include "firmware/emu/emu_camera.hpp"
#include "firmware/host/sim_camera.hpp"

#include <benchmark/benchmark.h>
#include <chrono>

using namespace bwc;
using fw::Millis;
using namespace std::chrono_literals;

namespace {

double g_firmware_only_day_s = 0;

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

emu::CameraConfig config(double soc) {
    emu::CameraConfig c;
    c.model = fw::Model::W120;
    c.identity.serial = "BENCH1";
    c.battery_soc_percent = soc;
    return c;
}

void BM_Baseline_FirmwareOnlyRecordingDay(benchmark::State& state) {
    double wall = 0;
    for (auto _ : state) {
        host::SimCamera sim({.model = fw::Model::W120});
        const auto t0 = std::chrono::steady_clock::now();
        sim.press(fw::Button::Power, 300ms);
        sim.run_for(31s);
        sim.press(fw::Button::Record, 300ms);
        sim.run_for(fw::hours(8));
        wall += seconds_since(t0);
        if (!sim.snapshot().recording)
            state.SkipWithError("not recording after 8 h");
    }
    g_firmware_only_day_s = wall / static_cast<double>(state.iterations());
    state.counters["sim_hours_per_wall_s"] = 8.0 / g_firmware_only_day_s;
}

void BM_EmulatedRecordingDay(benchmark::State& state) {
    double wall = 0;
    for (auto _ : state) {
        emu::EmuCamera cam(config(100.0), emu::ClockMode::Virtual);
        emu::Scenario sky;
        sky.position = {57.7, 11.97, 10.0};
        sky.satellites = emu::default_sky(44.0);
        if (cam.gnss()->set_scenario(sky))
            state.SkipWithError("scenario refused");
        cam.modem()->set_cell(emu::Cell{});
        cam.wifi()->add_access_point(
            {.ssid = "Bench", .bssid = "02:00:00:00:00:01", .psk = "bench-key", .level_dbm = -50});
        const auto t0 = std::chrono::steady_clock::now();
        cam.press(fw::Button::Power, 300ms);
        cam.run_until(cam.now() + 31s);
        cam.press(fw::Button::Record, 300ms);
        cam.run_until(cam.now() + fw::hours(8));
        wall += seconds_since(t0);
        const fw::Snapshot s = cam.firmware().snapshot();
        if (!s.recording || !s.radios.gnss_position || s.radios.lte_state != "registered")
            state.SkipWithError("day did not go as planned");
    }
    const double per_day = wall / static_cast<double>(state.iterations());
    state.counters["sim_hours_per_wall_s"] = 8.0 / per_day;
    if (g_firmware_only_day_s > 0)
        state.counters["vs_firmware_only"] = per_day / g_firmware_only_day_s;
}

void BM_EmulatedChargeCycle(benchmark::State& state) {
    double wall = 0;
    double hours = 0;
    for (auto _ : state) {
        emu::EmuCamera cam(config(0.0), emu::ClockMode::Virtual);
        const auto t0 = std::chrono::steady_clock::now();
        cam.dock(true);
        fw::ControllerState link;
        link.link_up = true;
        link.camera_added = true;
        link.user = "bench";
        cam.firmware().set_controller(link);
        const Millis start = cam.now();
        while (cam.firmware().snapshot().battery.charge.reason != fw::ChargeReason::Full &&
               cam.now() - start < fw::hours(8))
            cam.run_until(cam.now() + 60s);
        wall += seconds_since(t0);
        hours = static_cast<double>((cam.now() - start).count()) / 3.6e6;
        if (hours >= 8.0)
            state.SkipWithError("not full within 8 h");
    }
    state.counters["charge_hours"] = hours;
    state.counters["sim_hours_per_wall_s"] =
        hours / (wall / static_cast<double>(state.iterations()));
}

} // namespace

BENCHMARK(BM_Baseline_FirmwareOnlyRecordingDay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmulatedRecordingDay)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EmulatedChargeCycle)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
