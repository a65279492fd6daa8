// Stamping calibration records (see session.hpp).
#include "calibration/session.hpp"

#include <map>

namespace bwc::calibration {

int default_valid_days(const std::string& kind) {
    // A fixture camera that is bumped moves the nest in its image, and LEDs
    // and lamps drift: vision is re-checked weekly. Mechanics and contacts
    // wear slowly; the chamber's sensor is a lab instrument on a yearly cycle
    // that the station re-references quarterly.
    static const std::map<std::string, int> days{{"vision.registration", 7},
                                                 {"vision.colour", 7},
                                                 {"actuator.latency", 30},
                                                 {"thermal.offset", 90},
                                                 {"dock.contacts", 30}};
    const auto it = days.find(kind);
    return it == days.end() ? 7 : it->second;
}

bench::CalibrationRecord make_record(const Session& s, const std::string& kind,
                                     std::optional<int> bay, std::vector<std::string> instruments,
                                     nlohmann::json data) {
    bench::CalibrationRecord r;
    r.kind = kind;
    r.bay = bay;
    r.operator_name = s.operator_name;
    r.instruments = std::move(instruments);
    r.performed_s = s.now_s;
    r.expires_s = s.now_s + std::int64_t{86400} * (s.valid_days > 0 ? s.valid_days
                                                                    : default_valid_days(kind));
    r.performed = bench::format_utc_time(r.performed_s);
    r.expires = bench::format_utc_time(r.expires_s);
    // "CAL-20261124T101500Z-vision.colour-bay3": unique per station and time.
    std::string stamp = r.performed;
    std::erase(stamp, '-');
    std::erase(stamp, ':');
    r.id = "CAL-" + stamp + "-" + kind + (bay ? "-bay" + std::to_string(*bay) : "");
    r.data = std::move(data);
    return r;
}

} // namespace bwc::calibration
