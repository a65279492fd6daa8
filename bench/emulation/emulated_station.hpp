// An emulated station started by `bench run --emulate MODEL` or `bench
// emulate`: one bwc-emu process holding N cameras of the model seated in a
// W701 dock (a W700 for one bay), on free TCP ports, in virtual time, and —
// when asked — one bwc-fixtures process serving every fixture instrument
// (actuators, PSUs and vision cameras per bay; thermal chamber, GNSS
// simulator, RF shield box and bay instrumentation shared) acting on them.
// The station it describes is an ordinary Station (the runner cannot tell it
// from hardware); the processes are stopped when this object goes, and die
// with the bench if the bench is killed.
#pragma once

#include "bench/emulation/child_process.hpp"
#include "bench/station/station.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace bwc::bench {

struct EmulationOptions {
    std::string model = "W120"; // W100 or W120; W700 or W701: that dock with W120 units
    int bays = 8;               // 1..8
    std::vector<std::pair<int, std::string>>
        faults;              // bay → fault as bwc-emu --list-faults names it
    std::uint64_t seed = 1;  // chooses the units' serial numbers
    std::string emulator;    // path of bwc-emu
    std::string fixtures;    // path of bwc-fixtures; "" = a station without fixtures
    std::string vision_size; // the emulated vision cameras' frame size, "1280x720"; "" = default
    std::string work_dir;    // where the ports files and logs go (created)
};

/// Parses "3:button.record.threshold_ms=3300"; errors name the text.
Result<std::pair<int, std::string>> parse_bay_fault(std::string_view text, int bays);

class EmulatedStation {
public:
    static Result<std::unique_ptr<EmulatedStation>> start(const EmulationOptions& options);
    ~EmulatedStation();
    EmulatedStation(const EmulatedStation&) = delete;
    EmulatedStation& operator=(const EmulatedStation&) = delete;

    const Station& station() const { return station_; }
    Station& station() { return station_; }
    /// What the label of the unit in `bay` says (its serial number).
    std::string label(int bay) const;
    /// The station as a station file (bench check accepts it).
    std::string station_yaml() const;
    /// Both programs are still running.
    bool running();
    /// Which program stopped and the end of its log, once running() is false.
    std::string why_stopped() const;
    /// Stops the emulator (SIGTERM, then SIGKILL after 5 s); its exit status.
    int stop();

private:
    EmulatedStation() = default;
    /// Starts bwc-fixtures on the emulator's ports and adds its instruments; "" or why not.
    std::string start_fixtures(const EmulationOptions& o, const std::string& emu_ports);
    Station station_;
    std::vector<std::string> serials_;
    std::unique_ptr<ChildProcess> emulator_, fixtures_;
};

} // namespace bwc::bench
