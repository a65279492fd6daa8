// Unit tests for blink pattern classification (bench/vision/pattern_classifier.hpp), suite
// "vision_pattern": sequences of frames rendered at chosen times, read by read_face and
// classified; the truth is the snapshot's pattern and the model table's period. Covered: off,
// steady, flashing and pulsing with their colour and period (frames evenly and unevenly
// spaced); refusals for too few frames per phase and too short a span, with their reasons.
#include "bench/vision/face_reader.hpp"
#include "bench/vision/pattern_classifier.hpp"
#include "firmware/emu/face/face_renderer.hpp"
#include "vision_print.hpp"

#include <boost/test/unit_test.hpp>
#include <ostream>

namespace {

namespace fw = bwc::fw;
namespace emu = bwc::emu;
namespace vision = bwc::vision;

const fw::IndicatorTiming& timing() {
    return fw::model_spec(fw::Model::W100).indicator_timing;
}

/// The W100's LEDs: off, steady red, flashing green, pulsing white, steady blue, flashing amber,
/// pulsing blue.
fw::Snapshot mixed_patterns() {
    fw::Snapshot s;
    s.model = fw::Model::W100;
    const fw::LightState states[] = {
        {},
        {fw::Colour::Red, fw::Pattern::Steady, fw::Millis{0}},
        {fw::Colour::Green, fw::Pattern::Flashing, timing().flash_period},
        {fw::Colour::White, fw::Pattern::Pulsing, timing().pulse_period},
        {fw::Colour::Blue, fw::Pattern::Steady, fw::Millis{0}},
        {fw::Colour::Amber, fw::Pattern::Flashing, timing().flash_period},
        {fw::Colour::Blue, fw::Pattern::Pulsing, timing().pulse_period},
    };
    std::size_t i = 0;
    for (fw::Indicator ind : fw::model_spec(s.model).indicators)
        s.lights.push_back({ind, states[i++]});
    return s;
}

std::map<std::string, std::vector<vision::TimedLed>>
record(const fw::Snapshot& s, const std::vector<int>& times_ms, double ev) {
    emu::RenderConditions c;
    c.size = {960, 540};
    c.noise_sigma = 5;
    c.blur_px = 1;
    c.exposure_ev = ev;
    std::map<std::string, std::vector<vision::TimedLed>> out;
    for (int t : times_ms) {
        c.seed = static_cast<std::uint64_t>(t) + 1;
        const auto face = emu::render_face(s, fw::Millis{t}, c);
        const auto r = vision::read_face(face.image);
        BOOST_REQUIRE_MESSAGE(r, r.error().message);
        for (const vision::LedReading& led : r->leds)
            out[led.name].push_back({fw::Millis{t}, led});
    }
    return out;
}

void check_all(const fw::Snapshot& s, const std::vector<int>& times, double ev) {
    auto series = record(s, times, ev);
    for (const fw::IndicatorReading& l : s.lights) {
        const std::string name(fw::to_string(l.indicator));
        const auto p = vision::classify_pattern(series[name], vision::pattern_limits(s.model));
        BOOST_REQUIRE_MESSAGE(p, name << ": " << p.error().message);
        BOOST_TEST(p->pattern == l.light.pattern, name << " read " << fw::to_string(p->pattern));
        if (l.light.pattern != fw::Pattern::Off)
            BOOST_TEST(p->colour == l.light.colour, name);
        if (l.light.pattern == fw::Pattern::Flashing || l.light.pattern == fw::Pattern::Pulsing) {
            BOOST_REQUIRE(p->period);
            BOOST_TEST(std::abs(static_cast<double>(p->period->count()) /
                                    static_cast<double>(l.light.period.count()) -
                                1) < 0.08,
                       name << " period " << p->period->count() << " ms");
        } else {
            BOOST_TEST(!p->period);
        }
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(vision_pattern)

BOOST_AUTO_TEST_CASE(patterns_colours_and_periods_from_even_frames) {
    std::vector<int> times;
    for (int t = 300; t <= 300 + 4200; t += 150)
        times.push_back(t);
    check_all(mixed_patterns(), times, 0.0);
    check_all(mixed_patterns(), times, 1.0); // clipping hides the bright half of a pulse
}

BOOST_AUTO_TEST_CASE(patterns_from_unevenly_spaced_frames) {
    std::vector<int> times;
    const int gaps[] = {90, 160, 120, 150, 100, 140};
    for (int t = 1234, k = 0; t <= 1234 + 4300; t += gaps[k++ % 6])
        times.push_back(t);
    check_all(mixed_patterns(), times, -0.7);
}

BOOST_AUTO_TEST_CASE(refuses_too_few_frames_per_phase) {
    std::vector<int> times;
    for (int t = 0; t <= 6000; t += 250) // 2 frames per 500 ms phase
        times.push_back(t);
    auto series = record(mixed_patterns(), times, 0.0);
    const auto p =
        vision::classify_pattern(series["operation_led"], vision::pattern_limits(fw::Model::W100));
    BOOST_REQUIRE(!p);
    BOOST_TEST(p.error().code == vision::RejectionCode::TooFewFrames);
    BOOST_TEST(p.error().message.find("fewer than 3 frames per 500 ms phase") != std::string::npos,
               p.error().message);
}

BOOST_AUTO_TEST_CASE(refuses_too_short_a_span) {
    std::vector<int> times;
    for (int t = 0; t <= 2500; t += 100) // 2.5 s: not 2 periods of the 2 s pulse
        times.push_back(t);
    auto series = record(mixed_patterns(), times, 0.0);
    const auto p =
        vision::classify_pattern(series["battery_led"], vision::pattern_limits(fw::Model::W100));
    BOOST_REQUIRE(!p);
    BOOST_TEST(p.error().code == vision::RejectionCode::TooFewFrames);
    BOOST_TEST(p.error().message.find("need 4000 ms") != std::string::npos, p.error().message);
}

BOOST_AUTO_TEST_SUITE_END()
