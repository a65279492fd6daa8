// An emulated station started by `bench run --emulate MODEL`: one bwc-emu
// process holding N cameras of the model seated in a W701 dock (a W700 for
// one bay), on free TCP ports, in virtual time. The station it describes is
// an ordinary Station (the runner cannot tell it from hardware); the process
// is stopped when this object goes, and dies with the bench if the bench is
// killed.
#pragma once

#include "bench/station/station.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace bwc::bench {

struct EmulationOptions {
    std::string model = "W120"; // W100 or W120
    int bays = 8;               // 1..8
    std::vector<std::pair<int, std::string>>
        faults;             // bay → fault as bwc-emu --list-faults names it
    std::uint64_t seed = 1; // chooses the units' serial numbers
    std::string emulator;   // path of bwc-emu
    std::string work_dir;   // where its ports file and log go (created)
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
    /// Stops the emulator (SIGTERM, then SIGKILL after 5 s); its exit status.
    int stop();

private:
    EmulatedStation() = default;
    Station station_;
    std::vector<std::string> serials_;
    pid_t pid_ = -1;
    std::string log_path_;
};

} // namespace bwc::bench
