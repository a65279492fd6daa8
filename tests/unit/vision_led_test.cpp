// Unit tests for the colour reference and LED reading (bench/vision/colour_reference.hpp,
// led_reader.hpp), suite "vision_led". Rendered frames; the truth is the snapshot drawn and the
// renderer's pattern_intensity(). Covered: gains measured against the ratio of the same surface
// in a neutral and a tinted frame; the exposure estimate; every colour on every LED of both
// models at the corners of the exposure / white-balance ranges with noise, blur, tilt and heavy
// bloom; the intensity of a pulsing LED at known phases; a stored colour reference in place of
// the frame's own.
#include "bench/vision/face_reader.hpp"
#include "firmware/emu/face/face_renderer.hpp"
#include "vision_print.hpp"

#include <boost/test/unit_test.hpp>
#include <ostream>

namespace {

namespace fw = bwc::fw;
namespace emu = bwc::emu;
namespace vision = bwc::vision;

fw::Snapshot all_leds(fw::Model model, fw::LightState light) {
    fw::Snapshot s;
    s.model = model;
    for (fw::Indicator ind : fw::model_spec(model).indicators)
        if (ind != fw::Indicator::Display)
            s.lights.push_back({ind, light});
    return s;
}

emu::RenderConditions camera(double ev, double wb) {
    emu::RenderConditions c = bwc::test::harsh_conditions(ev, wb, 200);
    c.led_bloom_px = 40;
    return c;
}

/// Mean of the middle of the body (a grey surface) straight from the image, for a ground truth
/// of the channel gains that does not go through the code under test.
cv::Vec3d body_mean(const emu::RenderedFace& f) {
    const cv::Vec3d c = f.face_to_image * cv::Vec3d(80, 80, 1); // below display and LEDs
    const cv::Rect r(static_cast<int>(c[0] / c[2]) - 20, static_cast<int>(c[1] / c[2]) - 6, 40, 12);
    const cv::Scalar m = cv::mean(f.image(r));
    return {m[0], m[1], m[2]};
}

} // namespace

BOOST_AUTO_TEST_SUITE(vision_led)

BOOST_AUTO_TEST_CASE(gains_and_exposure_follow_the_camera) {
    emu::RenderConditions neutral;
    neutral.size = {1280, 720};
    const fw::Snapshot dark = all_leds(fw::Model::W100, {});
    const cv::Vec3d base = body_mean(emu::render_face(dark, fw::Millis{0}, neutral));
    for (double ev : {-1.0, -0.3, 0.0, 0.6, 1.0})
        for (double wb : {3000.0, 5000.0, 6500.0, 7500.0}) {
            emu::RenderConditions c = neutral;
            c.exposure_ev = ev;
            c.white_balance_k = wb;
            const auto face = emu::render_face(dark, fw::Millis{0}, c);
            const auto reg = vision::register_frame(face.image);
            BOOST_REQUIRE(reg);
            const auto ref = vision::measure_colour_reference(face.image, *reg);
            BOOST_REQUIRE_MESSAGE(ref, ref.error().message);
            const cv::Vec3d seen = body_mean(face);
            for (int ch = 0; ch < 3; ++ch)
                BOOST_TEST(ref->gain[ch] == seen[ch] / base[ch],
                           boost::test_tools::tolerance(0.04));
            if (wb == 6500.0)
                BOOST_TEST(std::abs(ref->exposure_ev - ev) < 0.05);
        }
}

BOOST_AUTO_TEST_CASE(every_colour_on_every_led_at_the_range_corners) {
    for (fw::Model model : fw::all_models())
        for (fw::Colour colour : {fw::Colour::Off, fw::Colour::Red, fw::Colour::Green,
                                  fw::Colour::Amber, fw::Colour::Blue, fw::Colour::White})
            for (double ev : {-1.0, 1.0})
                for (double wb : {3000.0, 7500.0}) {
                    const fw::LightState light{
                        colour, colour == fw::Colour::Off ? fw::Pattern::Off : fw::Pattern::Steady,
                        fw::Millis{0}};
                    const auto face =
                        emu::render_face(all_leds(model, light), fw::Millis{0}, camera(ev, wb));
                    const auto r = vision::read_face(face.image);
                    BOOST_REQUIRE_MESSAGE(r, r.error().message);
                    BOOST_REQUIRE(r->leds.size() == vision::led_names(model).size());
                    for (const vision::LedReading& led : r->leds)
                        BOOST_TEST(led.colour == colour, fw::to_string(model)
                                                             << " " << led.name << " at " << ev
                                                             << " EV, " << wb << " K: read "
                                                             << fw::to_string(led.colour));
                }
}

BOOST_AUTO_TEST_CASE(pulsing_intensity_follows_the_phase) {
    const fw::Millis period = fw::model_spec(fw::Model::W120).indicator_timing.pulse_period;
    const fw::Snapshot s =
        all_leds(fw::Model::W120, {fw::Colour::Blue, fw::Pattern::Pulsing, period});
    for (double phase : {0.2, 0.3, 0.5, 0.7}) {
        const fw::Millis at{static_cast<std::int64_t>(phase * static_cast<double>(period.count()))};
        const auto face = emu::render_face(s, at, camera(-0.5, 6500));
        const auto r = vision::read_face(face.image);
        BOOST_REQUIRE(r);
        const double truth = emu::pattern_intensity(fw::Pattern::Pulsing, period, at);
        for (const vision::LedReading& led : r->leds) {
            BOOST_TEST(led.colour == fw::Colour::Blue);
            BOOST_TEST(led.intensity_determined);
            BOOST_TEST(std::abs(led.intensity - truth) < 0.1, led.name << " at phase " << phase
                                                                       << ": " << led.intensity
                                                                       << " vs " << truth);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_stored_colour_reference_reads_like_the_frames_own) {
    const auto face = emu::render_face(
        all_leds(fw::Model::W100, {fw::Colour::Amber, fw::Pattern::Steady, fw::Millis{0}}),
        fw::Millis{0}, camera(0.8, 3200));
    const auto reg = vision::register_frame(face.image);
    BOOST_REQUIRE(reg);
    vision::ReadOptions options;
    options.registration = *reg;
    options.colour_reference = vision::measure_colour_reference(face.image, *reg).value();
    options.colour_reference->source = vision::ColourReference::Source::Calibration;
    const auto r = vision::read_face(face.image, options);
    BOOST_REQUIRE(r);
    BOOST_TEST(r->colour.source == vision::ColourReference::Source::Calibration);
    for (const vision::LedReading& led : r->leds)
        BOOST_TEST(led.colour == fw::Colour::Amber);
}

BOOST_AUTO_TEST_SUITE_END()
