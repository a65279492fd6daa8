// Running several routines over a station's bays (see routines.hpp).
#include "calibration/routines.hpp"

namespace bwc::calibration {

std::vector<std::string> run_routines(const Session& s, const std::vector<std::string>& routines,
                                      const std::vector<int>& bays, bench::CalibrationBook& book) {
    std::vector<std::string> problems;
    const auto take = [&](Outcome o) {
        if (!o.problems.empty()) {
            problems.insert(problems.end(), o.problems.begin(), o.problems.end());
            return;
        }
        for (bench::CalibrationRecord& r : o.records)
            book.add(std::move(r));
    };
    for (const std::string& routine : routines) {
        if (routine == "thermal") {
            if (!bays.empty() && fixture_of_kind(s.station, "thermal", bays.front()))
                take(calibrate_thermal(s));
            continue;
        }
        for (int bay : bays) {
            if (routine == "vision" && fixture_of_kind(s.station, "vision", bay))
                take(calibrate_vision(s, bay));
            else if (routine == "actuator" && fixture_of_kind(s.station, "actuator", bay))
                take(calibrate_actuator(s, bay));
            else if (routine == "contacts" && fixture_of_kind(s.station, "bayinst", bay))
                take(calibrate_contacts(s, bay));
        }
    }
    return problems;
}

} // namespace bwc::calibration
