// Unit tests for registration and rejection (bench/vision/registration.hpp, colour_reference.hpp,
// face_reader.hpp), suite "vision_registration". Frames come from the emulator's renderer; the
// homography found from the markers is compared with the renderer's own face → image mapping.
// Covered: both models at the corners of the condition ranges; 3 of 4 markers; rejections (no
// markers, 2 of 4, markers of two models, wrong model, a clipped frame made by scaling an
// image); the cheap steady-state check (passes on a new frame, fails when the nest moved or
// the size differs); JSON round trips of Registration and ColourReference, and bad JSON.
#include "bench/vision/face_reader.hpp"
#include "firmware/emu/face/face_renderer.hpp"
#include "vision_print.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <ostream>

namespace {

namespace fw = bwc::fw;
namespace emu = bwc::emu;
namespace vision = bwc::vision;

fw::Snapshot lit(fw::Model model) {
    fw::Snapshot s;
    s.model = model;
    for (fw::Indicator ind : fw::model_spec(model).indicators)
        s.lights.push_back({ind, {fw::Colour::Green, fw::Pattern::Steady, fw::Millis{0}}});
    return s;
}

emu::RenderConditions harsh(double ev, double wb) {
    return bwc::test::harsh_conditions(ev, wb, 70);
}

/// Paints a marker (with its quiet zone) over in the nest's colour.
void hide_marker(emu::RenderedFace& face, const std::string& name) {
    const emu::ImageRegion* r = face.find(emu::RegionKind::Marker, name);
    BOOST_REQUIRE(r);
    cv::Rect box = cv::boundingRect(r->polygon);
    const int pad = box.width / 4;
    box = cv::Rect(box.x - pad, box.y - pad, box.width + 2 * pad, box.height + 2 * pad);
    face.image(box & cv::Rect({0, 0}, face.image.size())).setTo(face.image.at<cv::Vec3b>(2, 2));
}

double max_led_error_px(const vision::Registration& reg, const emu::RenderedFace& face) {
    double worst = 0;
    for (const emu::FaceRegion& r : emu::face_layout(reg.model).regions) {
        if (r.kind != emu::RegionKind::Led)
            continue;
        const cv::Vec3d a = reg.face_to_image * cv::Vec3d(r.cx_mm, r.cy_mm, 1);
        const cv::Vec3d b = face.face_to_image * cv::Vec3d(r.cx_mm, r.cy_mm, 1);
        worst = std::max(worst, std::hypot(a[0] / a[2] - b[0] / b[2], a[1] / a[2] - b[1] / b[2]));
    }
    return worst;
}

} // namespace

BOOST_AUTO_TEST_SUITE(vision_registration)

BOOST_AUTO_TEST_CASE(registers_both_models_at_the_corners_of_the_ranges) {
    for (fw::Model model : fw::all_models())
        for (double ev : {-1.0, 1.0})
            for (double wb : {3000.0, 7500.0}) {
                const auto face = emu::render_face(lit(model), fw::Millis{0}, harsh(ev, wb));
                const auto reg = vision::register_frame(face.image, model);
                BOOST_REQUIRE_MESSAGE(reg, reg.error().message);
                BOOST_TEST(reg->model == model);
                BOOST_TEST(reg->marker_ids.size() == 4u);
                BOOST_TEST(reg->reprojection_error_px < 1.5);
                BOOST_TEST(max_led_error_px(*reg, face) < 1.5);
            }
}

BOOST_AUTO_TEST_CASE(three_of_four_markers_are_enough_two_are_not) {
    auto face = emu::render_face(lit(fw::Model::W120), fw::Millis{0}, harsh(0, 5000));
    hide_marker(face, "marker_tr");
    const auto three = vision::register_frame(face.image);
    BOOST_REQUIRE_MESSAGE(three, three.error().message);
    BOOST_TEST(three->marker_ids == (std::vector<int>{4, 6, 7}));
    BOOST_TEST(max_led_error_px(*three, face) < 2.0);

    hide_marker(face, "marker_bl");
    const auto two = vision::register_frame(face.image);
    BOOST_REQUIRE(!two);
    BOOST_TEST(two.error().code == vision::RejectionCode::Unregistered);
    BOOST_TEST(two.error().message.find("found 2 of 4 markers of the W120 nest") !=
                   std::string::npos,
               two.error().message);
}

BOOST_AUTO_TEST_CASE(no_markers_is_unregistered) {
    const cv::Mat grey(720, 1280, CV_8UC3, cv::Scalar(60, 60, 60));
    const auto reg = vision::register_frame(grey);
    BOOST_REQUIRE(!reg);
    BOOST_TEST(reg.error().code == vision::RejectionCode::Unregistered);
    BOOST_TEST(reg.error().message.find("no nest markers") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(markers_of_two_models_are_unregistered) {
    emu::RenderConditions c;
    c.size = {1280, 720};
    const auto w120 = emu::render_face(lit(fw::Model::W120), fw::Millis{0}, c);
    const auto w100 = emu::render_face(lit(fw::Model::W100), fw::Millis{0}, c);
    cv::Mat mixed = w120.image.clone();
    const cv::Rect right(640, 0, 640, 720);
    w100.image(right).copyTo(mixed(right));
    const auto reg = vision::register_frame(mixed);
    BOOST_REQUIRE(!reg);
    BOOST_TEST(reg.error().code == vision::RejectionCode::Unregistered);
    BOOST_TEST(reg.error().message.find("two models") != std::string::npos, reg.error().message);
}

BOOST_AUTO_TEST_CASE(another_model_than_expected_is_wrong_model) {
    const auto face = emu::render_face(lit(fw::Model::W120), fw::Millis{0}, harsh(0, 6500));
    vision::ReadOptions options;
    options.expected_model = fw::Model::W100;
    const auto r = vision::read_face(face.image, options);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().code == vision::RejectionCode::WrongModel);
    BOOST_TEST(r.error().message.find("W100") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_frame_scaled_into_saturation_is_clipped) {
    emu::RenderConditions clean;
    clean.size = {1280, 720};
    clean.blur_px = 1;
    const auto face = emu::render_face(lit(fw::Model::W100), fw::Millis{0}, clean);
    cv::Mat bright;
    face.image.convertTo(bright, -1, 6.0); // far beyond +1 EV: white and grey both at 255
    const auto r = vision::read_face(bright);
    BOOST_REQUIRE(!r);
    BOOST_TEST(r.error().code == vision::RejectionCode::Clipped, r.error().message);
    // The same frame within range reads.
    BOOST_TEST(static_cast<bool>(vision::read_face(face.image)));
}

BOOST_AUTO_TEST_CASE(steady_state_check_passes_until_the_nest_moves) {
    const auto first = emu::render_face(lit(fw::Model::W120), fw::Millis{0}, harsh(0.5, 4000));
    const auto reg = vision::register_frame(first.image);
    BOOST_REQUIRE(reg);
    emu::RenderConditions same = harsh(-0.5, 7000);
    same.seed = 99;
    fw::Snapshot other = lit(fw::Model::W120);
    other.lights.clear();
    const auto later = emu::render_face(other, fw::Millis{0}, same);
    const auto ok = vision::verify_registration(later.image, *reg);
    BOOST_REQUIRE_MESSAGE(ok, ok.error().message);
    BOOST_TEST(ok->markers_ok == 4);

    emu::RenderConditions moved = same;
    moved.tilt_axis_deg = 160; // the same tilt about another axis: markers move ~tens of px
    const auto shifted = emu::render_face(other, fw::Millis{0}, moved);
    const auto bad = vision::verify_registration(shifted.image, *reg);
    BOOST_REQUIRE(!bad);
    BOOST_TEST(bad.error().code == vision::RejectionCode::Unregistered);

    cv::Mat small;
    cv::resize(later.image, small, {640, 360});
    BOOST_TEST(!vision::verify_registration(small, *reg));
}

BOOST_AUTO_TEST_CASE(registration_and_colour_reference_round_trip_through_json) {
    const auto face = emu::render_face(lit(fw::Model::W100), fw::Millis{0}, harsh(0.4, 3500));
    const auto reg = vision::register_frame(face.image);
    BOOST_REQUIRE(reg);
    const nlohmann::json j = *reg;
    const auto back = vision::registration_from_json(nlohmann::json::parse(j.dump()));
    BOOST_REQUIRE_MESSAGE(back, back.error());
    BOOST_TEST(back->model == reg->model);
    BOOST_TEST(back->image_size == reg->image_size);
    BOOST_TEST(back->marker_ids == reg->marker_ids);
    BOOST_TEST(back->source == reg->source);
    for (int i = 0; i < 9; ++i)
        BOOST_TEST(back->face_to_image.val[i] == reg->face_to_image.val[i]);

    const auto ref = vision::measure_colour_reference(face.image, *reg);
    BOOST_REQUIRE(ref);
    const nlohmann::json rj = *ref;
    const auto ref_back = vision::colour_reference_from_json(nlohmann::json::parse(rj.dump()));
    BOOST_REQUIRE_MESSAGE(ref_back, ref_back.error());
    for (int c = 0; c < 3; ++c)
        BOOST_TEST(ref_back->gain[c] == ref->gain[c]);
    BOOST_TEST(ref_back->noise_sigma == ref->noise_sigma);
    BOOST_TEST(ref_back->gain_from_white == ref->gain_from_white);

    nlohmann::json broken = j;
    broken["face_to_image"][1] = "x";
    const auto err = vision::registration_from_json(broken);
    BOOST_REQUIRE(!err);
    BOOST_TEST(err.error().find("face_to_image") != std::string::npos);
    nlohmann::json no_gain = rj;
    no_gain.erase("gain_bgr");
    BOOST_TEST(vision::colour_reference_from_json(no_gain).error().find("gain_bgr") !=
               std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
