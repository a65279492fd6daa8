// Bringing up an emulated station for one procedure, as `bench run
// --emulate` and `bench coverage` both do: bwc-emu with the units (and their
// injected faults), bwc-fixtures when a step of the procedure uses a fixture,
// render conditions of the emulated vision cameras when asked, and the
// station's calibration, so the runner finds a station like a real one at
// the start of a shift.
#pragma once

#include "bench/emulation/emulated_station.hpp"
#include "bench/procedure/procedure.hpp"
#include "bench/runner/run_monitor.hpp"

#include <memory>
#include <optional>
#include <string>

namespace bwc::bench {

/// Render conditions for every emulated vision camera (the station's
/// lighting and optics), in the vision PROTOCOL's CONDITIONS words.
struct VisionConditions {
    double exposure_ev = 0;
    double wb_k = 6500;
    double noise = 0;
    double blur_px = 0;
    double tilt_deg = 0;
    double tilt_axis_deg = 30;
    std::uint64_t seed = 1;
    /// "exposure=… wb=… noise=… blur=… tilt=… tilt_axis=… seed=…"
    std::string words() const;
};

/// A step of the procedure names a fixture.
bool procedure_uses_fixtures(const Procedure& procedure);

struct StartedStation {
    std::unique_ptr<EmulatedStation> station;
    std::string error;        // why not, when station is null
    bool usage_error = false; // the options were wrong (exit 2), not the emulators (exit 3)
};

/// Starts the emulated station of `options` for `procedure` (fixtures only
/// when it uses them; `self` finds bwc-fixtures), applies `conditions` to the
/// vision cameras before calibrating, and calibrates when there are fixtures.
StartedStation start_emulated_station(const Procedure& procedure, EmulationOptions options,
                                      const std::string& self,
                                      const std::optional<VisionConditions>& conditions = {});

/// Makes the runner's prompts go to the emulated station's automatic operator:
/// a serial scan is answered with the label of the unit in that bay, anything
/// else with "yes". `station` must outlive the run.
void answer_as_operator(RunMonitor& monitor, const EmulatedStation& station);

} // namespace bwc::bench
