// actuator.latency: how long after a command the actuator's finger closes
// the switch. Presses of 20 ms — under the firmware's 30 ms debounce, so the
// unit does nothing — are timed on the camera's own clock: the time read just
// before the command against the closing time the actuator reports.
#include "calibration/routines.hpp"

#include "bench/device/camera_protocol.hpp"
#include "fixtures/actuator/driver.hpp"

#include <algorithm>

namespace bwc::calibration {
namespace {
constexpr int kPresses = 5;
constexpr std::int64_t kPressMs = 20;     // below the 30 ms debounce (firmware/core/model.hpp)
constexpr std::int64_t kMaxLatencyMs = 500; // beyond this the actuator is broken, not slow
} // namespace

Outcome calibrate_actuator(const Session& s, int bay) {
    Outcome out;
    const std::string who = "bay " + std::to_string(bay) + " actuator";
    auto actuator = connect_fixture(s, "actuator", bay);
    auto camera = connect_camera(s, bay);
    if (!actuator || !camera) {
        out.problems.push_back(who + ": " + (!actuator ? actuator.error() : camera.error()));
        return out;
    }
    fixtures::actuator::Driver driver(**actuator);
    std::vector<std::int64_t> samples;
    for (int i = 0; i < kPresses; ++i) {
        auto before = bench::read_time(**camera);
        if (!before) {
            out.problems.push_back(who + ": " + before.error().message);
            return out;
        }
        auto press = driver.press(fixtures::actuator::Button::Power, kPressMs);
        if (!press) {
            out.problems.push_back(who + ": " + press.error().message);
            return out;
        }
        const std::int64_t latency = press->closed_at_ms - before->now_ms;
        if (latency < 0 || latency > kMaxLatencyMs) {
            out.problems.push_back(who + ": contact closed " + std::to_string(latency) +
                                   " ms after the command (expected 0.." +
                                   std::to_string(kMaxLatencyMs) + ")");
            return out;
        }
        samples.push_back(latency);
    }
    double mean = 0;
    for (std::int64_t v : samples)
        mean += static_cast<double>(v);
    mean /= static_cast<double>(samples.size());
    const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
    s.progress(who + ": latency " + std::to_string(mean) + " ms");
    out.records.push_back(make_record(
        s, "actuator.latency", bay,
        {instrument_name(**actuator, "actuator"),
         "camera " + (*camera)->banner().get("serial") + " (clock reference)"},
        {{"latency_ms", mean},
         {"min_ms", *lo},
         {"max_ms", *hi},
         {"samples", samples},
         {"press_ms", kPressMs}}));
    return out;
}

} // namespace bwc::calibration
