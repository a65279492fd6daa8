// A station as described by its YAML file (stations/README.md): its id, the
// dock and its bays, each bay's device URIs, the fixtures (shared between bays
// or per bay), the calibration record and where results go.
#pragma once

#include "bench/procedure/diagnostic.hpp"
#include "bench/transport/uri.hpp"

#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

struct FixtureRef {
    std::string name;     // "vision", "thermal", …: what procedures ask for
    std::string kind;     // the driver (fixture_link.hpp); the name when not written
    Uri uri;              // its control port
    std::string uri_text; // as written
    std::string pipeline; // vision: the GStreamer media pipeline ending in appsink
    bool shared = false;  // locked and scheduled between bays
    SourcePos pos;
};

struct Bay {
    int number = 0;   // 1-based, unique
    Uri camera;       // the camera's diag port (BWC-DIAG 1)
    std::optional<Uri> physical; // its physical-world port (BWC-PHYS 1): actuators, RF, sky
    std::optional<Uri> nmea;     // raw NMEA port, when the camera has one
    std::vector<FixtureRef> fixtures; // per-bay fixtures
    SourcePos pos;
};

struct DockRef {
    std::string model;  // "W700" or "W701"
    std::string serial; // as printed on the dock
    Uri uri;            // the dock port (BWC-DOCK 1)
    SourcePos pos;
};

struct Station {
    std::string path;
    std::string id;
    std::optional<DockRef> dock;
    std::vector<Bay> bays; // sorted by number
    std::vector<FixtureRef> fixtures; // station-wide (normally shared)
    std::string calibration;  // calibration record file; "" = none
    std::string results_dir;  // where results.sqlite and journal/ live; "" = default
    std::string emulator;     // "" for real hardware; set by --emulate

    const Bay* bay(int number) const;
};

Result<Station, Diagnostics> load_station(const std::string& path);
Result<Station, Diagnostics> parse_station(std::string_view text, const std::string& path);

} // namespace bwc::bench
