// The calibration routines `bench calibrate` runs (calibration/README.md),
// one file each, and the golden-unit check that verifies a calibrated station
// against a known-good unit in every bay.
#pragma once

#include "calibration/session.hpp"

#include <array>
#include <string_view>

namespace bwc::calibration {

/// actuator.latency: command → switch closing, from sub-debounce presses
/// timed on the camera's clock (bay's actuator and camera).
Outcome calibrate_actuator(const Session& s, int bay);
/// thermal.offset: the chamber's readout against the reference thermometer
/// (the battery thermistor of the unit in the lowest bay) at 25 °C.
Outcome calibrate_thermal(const Session& s);
/// dock.contacts: each pin's 4-wire contact resistance with the unit seated.
Outcome calibrate_contacts(const Session& s, int bay);
/// vision.registration and vision.colour: the nest's homography and region
/// map from its markers, and the white reference, from the bay's vision camera.
Outcome calibrate_vision(const Session& s, int bay);

/// One line of the golden-unit check.
struct GoldenCheck {
    std::string what; // "bay 3 vision: every LED reads red under LEDTEST red"
    bool pass = false;
    std::string detail;
};
/// Verifies the station, calibrated as `book` says, against the known-good
/// unit in each of `bays`: LED colours read through the calibration, the
/// actuator's latency and the contacts as calibrated, the chamber's offset.
std::vector<GoldenCheck> golden_unit_check(const Session& s, const bench::CalibrationBook& book,
                                           const std::vector<int>& bays);

/// The station's fixture of `kind` serving `bay` (its own, else a shared
/// one), or nullptr.
const bench::FixtureRef* fixture_of_kind(const bench::Station& station, std::string_view kind,
                                         int bay);
/// A connected client of that fixture's control port, or why not.
bench::Result<std::unique_ptr<bench::DeviceClient>> connect_fixture(const Session& s,
                                                                    std::string_view kind, int bay);
/// A connected client of the bay's camera diag port, or why not.
bench::Result<std::unique_ptr<bench::DeviceClient>> connect_camera(const Session& s, int bay);
/// "actuator ACT3 at tcp://…": what a record lists as an instrument.
std::string instrument_name(const bench::DeviceClient& client, std::string_view kind);

} // namespace bwc::calibration

namespace bwc::calibration {

/// The routines by their `bench calibrate` name.
inline constexpr std::array<std::string_view, 4> kRoutines{"vision", "actuator", "thermal",
                                                           "contacts"};

/// Runs `routines` (names from kRoutines) for `bays` — skipping a per-bay
/// routine on a bay without its fixture and a station routine the station
/// has no fixture for — and adds every record to `book`. Returns the
/// problems met; records of routines that failed are not added.
std::vector<std::string> run_routines(const Session& s, const std::vector<std::string>& routines,
                                      const std::vector<int>& bays, bench::CalibrationBook& book);

} // namespace bwc::calibration
