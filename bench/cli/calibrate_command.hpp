// `bench calibrate`: runs the station calibration routines (calibration/)
// and adds their records to the station's calibration file, or checks the
// station against a known-good unit (golden).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace bwc::bench {

int calibrate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct Station;
/// Calibrates an emulated station it has just started (every routine, the
/// operator "bench (emulated station)"), writes the records to `book_path`
/// and points the station at it. The problems met; empty when calibrated.
std::vector<std::string> calibrate_emulated_station(Station& station, const std::string& book_path);

} // namespace bwc::bench
