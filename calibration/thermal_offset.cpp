// thermal.offset: what the chamber's own sensor reads against a reference
// thermometer at 25 °C. The reference is the battery thermistor of the
// known-good unit in the station's lowest bay, read through its fuel gauge
// (tenths of a degree); the offset is what charging steps subtract from the
// chamber's readout.
#include "calibration/routines.hpp"

#include "bench/device/camera_protocol.hpp"
#include "fixtures/thermal/driver.hpp"

#include <chrono>
#include <cmath>
#include <thread>

namespace bwc::calibration {
namespace {
constexpr double kReferenceC = 25.0;
constexpr double kMaxOffsetC = 5.0; // a larger disagreement is a broken sensor, not an offset
constexpr auto kSettleTimeout = std::chrono::minutes(30);
} // namespace

Outcome calibrate_thermal(const Session& s) {
    Outcome out;
    if (s.station.bays.empty()) {
        out.problems.push_back("thermal: the station has no bays");
        return out;
    }
    const int bay = s.station.bays.front().number;
    auto chamber = connect_fixture(s, "thermal", bay);
    auto camera = connect_camera(s, bay);
    if (!chamber || !camera) {
        out.problems.push_back("thermal: " + (!chamber ? chamber.error() : camera.error()));
        return out;
    }
    fixtures::thermal::Driver driver(**chamber);
    if (auto set = driver.set(kReferenceC); !set) {
        out.problems.push_back("thermal: " + set.error().message);
        return out;
    }
    const auto give_up = std::chrono::steady_clock::now() + kSettleTimeout;
    fixtures::thermal::Reading reading;
    while (true) {
        auto r = driver.read();
        if (!r) {
            out.problems.push_back("thermal: " + r.error().message);
            return out;
        }
        reading = *r;
        if (reading.settled)
            break;
        if (std::chrono::steady_clock::now() > give_up) {
            out.problems.push_back("thermal: the chamber did not settle at 25 °C within 30 min");
            return out;
        }
        s.progress("thermal: waiting for the chamber to settle (" + std::to_string(reading.temp_c) +
                   " °C)");
        std::this_thread::sleep_for(std::chrono::seconds(5));
    }
    auto gauge = bench::read_gauge(**camera);
    if (!gauge || !gauge->temperature_dc) {
        out.problems.push_back("thermal: reference thermometer (bay " + std::to_string(bay) +
                               " battery thermistor): " +
                               (gauge ? "the gauge reports no temperature" : gauge.error().message));
        return out;
    }
    const double reference = *gauge->temperature_dc / 10.0;
    const double offset = reading.temp_c - reference;
    if (std::abs(offset) > kMaxOffsetC) {
        out.problems.push_back("thermal: the chamber reads " + std::to_string(reading.temp_c) +
                               " °C where the reference reads " + std::to_string(reference) +
                               " °C: more than " + std::to_string(kMaxOffsetC) +
                               " °C apart, service the chamber's sensor");
        return out;
    }
    s.progress("thermal: offset " + std::to_string(offset) + " °C");
    out.records.push_back(make_record(
        s, "thermal.offset", std::nullopt,
        {instrument_name(**chamber, "thermal"),
         "reference: battery thermistor of " + (*camera)->banner().get("serial")},
        {{"offset_c", offset},
         {"setpoint_c", kReferenceC},
         {"chamber_c", reading.temp_c},
         {"reference_c", reference}}));
    return out;
}

} // namespace bwc::calibration
