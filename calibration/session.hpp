// What every calibration routine works with: the station, who performs the
// calibration, how long its records hold, and where progress goes. A
// routine connects the instruments it needs itself (through the same
// drivers the step types use), measures, and returns the records it made or
// why it could not — it never writes a half-made record.
#pragma once

#include "bench/device/device_client.hpp"
#include "bench/station/calibration_book.hpp"
#include "bench/station/station.hpp"

#include <functional>
#include <string>
#include <vector>

namespace bwc::calibration {

struct Session {
    const bench::Station& station;
    std::string operator_name;
    int valid_days = 0;      // 0: each kind's default (see routines.cpp)
    std::int64_t now_s = 0;  // when the calibration is performed (UTC seconds)
    bench::ClientOptions client;
    std::function<void(const std::string&)> progress = [](const std::string&) {};
};

/// What one routine produced.
struct Outcome {
    std::vector<bench::CalibrationRecord> records;
    std::vector<std::string> problems; // non-empty: no record of this routine is valid
};

/// A record of `kind` for `bay` (nullopt: the station), stamped with the
/// session's operator, time and the kind's validity; `data` and
/// `instruments` are the routine's.
bench::CalibrationRecord make_record(const Session& s, const std::string& kind,
                                     std::optional<int> bay, std::vector<std::string> instruments,
                                     nlohmann::json data);

/// How many days a record of `kind` holds unless the session says otherwise.
int default_valid_days(const std::string& kind);

} // namespace bwc::calibration
