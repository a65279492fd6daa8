// The golden-unit check: with a known-good unit in each bay, the station
// must measure what its calibration says. The routines are run again and
// their fresh results compared with the book's records within tolerances,
// and the vision camera must read every LED in each test colour through the
// calibrated registration and colour reference — the path steps use.
#include "calibration/routines.hpp"

#include "bench/vision/colour_reference.hpp"
#include "bench/vision/led_reader.hpp"
#include "fixtures/vision/driver.hpp"

#include <cmath>
#include <sstream>

namespace bwc::calibration {
namespace {

constexpr double kLatencyToleranceMs = 5.0;
constexpr double kThermalToleranceC = 0.5;
constexpr double kContactRiseFraction = 0.5; // +50 % …
constexpr double kContactRiseFloorMohm = 20; // … or +20 mΩ, whichever is larger

std::string fmt(double v) {
    std::ostringstream o;
    o.precision(3);
    o << v;
    return o.str();
}

GoldenCheck missing(const std::string& what, const std::string& kind, std::optional<int> bay) {
    return {what, false,
            "no " + kind + " record" + (bay ? " for bay " + std::to_string(*bay) : "") +
                " in the calibration file"};
}

GoldenCheck check_number(const std::string& what, const Outcome& fresh,
                         const bench::CalibrationRecord* recorded, const std::string& key,
                         double tolerance, const std::string& unit) {
    if (!fresh.problems.empty())
        return {what, false, fresh.problems.front()};
    const double now = fresh.records.front().data.value(key, NAN);
    const double then = recorded->data.value(key, NAN);
    const bool ok = std::abs(now - then) <= tolerance;
    return {what, ok,
            "measured " + fmt(now) + " " + unit + ", calibrated " + fmt(then) + " " + unit +
                " (tolerance ±" + fmt(tolerance) + ")"};
}

GoldenCheck check_contacts(const std::string& what, const Outcome& fresh,
                           const bench::CalibrationRecord* recorded) {
    if (!fresh.problems.empty())
        return {what, false, fresh.problems.front()};
    const auto& now = fresh.records.front().data["pins_mohm"];
    const auto& base = recorded->data.value("pins_mohm", nlohmann::json::object());
    std::string worst;
    bool ok = true;
    for (auto it = now.begin(); it != now.end(); ++it) {
        const double n = it.value().get<double>();
        const double b = base.value(it.key(), NAN);
        const double limit = b + std::max(kContactRiseFloorMohm, b * kContactRiseFraction);
        if (!(n <= limit)) {
            ok = false;
            worst += (worst.empty() ? "" : ", ") + it.key() + " " + fmt(n) + " mΩ > " + fmt(limit);
        }
    }
    return {what, ok, ok ? "every pin within its baseline" : worst};
}

GoldenCheck check_vision(const Session& s, int bay, const bench::CalibrationBook& book) {
    const std::string what = "bay " + std::to_string(bay) + " vision reads LEDTEST colours";
    const auto* reg_rec = book.latest("vision.registration", bay);
    const auto* col_rec = book.latest("vision.colour", bay);
    if (!reg_rec || !col_rec)
        return missing(what, !reg_rec ? "vision.registration" : "vision.colour", bay);
    auto reg = vision::registration_from_json(reg_rec->data);
    auto colour = vision::colour_reference_from_json(col_rec->data);
    if (!reg || !colour)
        return {what, false,
                "calibration record " + (!reg ? reg_rec->id + ": " + reg.error()
                                              : col_rec->id + ": " + colour.error())};
    const bench::FixtureRef* f = fixture_of_kind(s.station, "vision", bay);
    auto cam_diag = connect_camera(s, bay);
    if (!f || !cam_diag)
        return {what, false, !f ? "no vision camera for this bay" : cam_diag.error()};
    fixtures::vision::VisionCameraOptions options;
    options.control = s.client;
    auto camera = fixtures::vision::VisionCamera::open(f->uri, f->pipeline, options);
    if (!camera)
        return {what, false, camera.error().message};
    std::string detail;
    bool ok = true;
    for (fw::Colour c : {fw::Colour::Red, fw::Colour::Green, fw::Colour::Blue}) {
        const std::string name(fw::to_string(c));
        if (auto r = (*cam_diag)->command("FACTORY LEDTEST " + name); !r)
            return {what, false, r.error().message};
        auto frames = (*camera)->capture(1, 100);
        if (!frames)
            return {what, false, frames.error().message};
        auto leds = vision::read_leds(frames->front().bgr, *reg, *colour);
        if (!leds) {
            ok = false;
            detail += name + ": frame rejected (" + leds.error().message + "); ";
            continue;
        }
        for (const vision::LedReading& led : *leds)
            if (led.colour != c) {
                ok = false;
                detail += name + ": " + led.name + " reads " + std::string(fw::to_string(led.colour)) +
                          "; ";
            }
    }
    (void)(*cam_diag)->command("FACTORY LEDTEST off");
    return {what, ok, ok ? "every LED read red, green and blue as lit" : detail};
}

} // namespace

std::vector<GoldenCheck> golden_unit_check(const Session& s, const bench::CalibrationBook& book,
                                           const std::vector<int>& bays) {
    std::vector<GoldenCheck> out;
    for (int bay : bays) {
        const std::string b = "bay " + std::to_string(bay);
        if (fixture_of_kind(s.station, "vision", bay))
            out.push_back(check_vision(s, bay, book));
        if (fixture_of_kind(s.station, "actuator", bay)) {
            const std::string what = b + " actuator latency";
            if (const auto* rec = book.latest("actuator.latency", bay))
                out.push_back(check_number(what, calibrate_actuator(s, bay), rec, "latency_ms",
                                           kLatencyToleranceMs, "ms"));
            else
                out.push_back(missing(what, "actuator.latency", bay));
        }
        if (fixture_of_kind(s.station, "bayinst", bay)) {
            const std::string what = b + " contact resistance";
            if (const auto* rec = book.latest("dock.contacts", bay))
                out.push_back(check_contacts(what, calibrate_contacts(s, bay), rec));
            else
                out.push_back(missing(what, "dock.contacts", bay));
        }
        s.progress(b + ": golden-unit checks done");
    }
    if (!bays.empty() && fixture_of_kind(s.station, "thermal", bays.front())) {
        const std::string what = "thermal chamber offset";
        if (const auto* rec = book.latest("thermal.offset", std::nullopt))
            out.push_back(check_number(what, calibrate_thermal(s), rec, "offset_c",
                                       kThermalToleranceC, "°C"));
        else
            out.push_back(missing(what, "thermal.offset", std::nullopt));
    }
    return out;
}

} // namespace bwc::calibration
