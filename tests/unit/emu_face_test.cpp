// Unit tests for the emulator's face renderer and its layout contract, suite "emu_face".
//
// Snapshots are built by hand (fields set directly, no camera behind them), rendered, and the
// image is measured independently of the renderer's internals: the mean colour inside each
// region the ground truth names is classified by hue (red / amber / green / blue / white /
// unlit) with thresholds written here; markers are found by cv::aruco::detectMarkers, not read
// back from the renderer. Covered: LED colours of both models; flashing at 0.25 / 0.75 of the
// period; pulsing brighter at mid-period; the W120 display (icons in their slots with their
// colours and levels, progress bar fill, glyphs distinct from one another); markers and their
// ids under tilt 5°, noise 8, blur 2, ±1 EV and the white-balance extremes; faults (dead LED,
// colour override, dead display, dead display rows); determinism; rejected conditions; and a
// loose speed bound.
//
// Set BWC_FACE_EXAMPLES_DIR to write example frames there (PNG) for eyeballing.
#include "firmware/core/snapshot.hpp"
#include "firmware/emu/face/face_layout.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <algorithm>
#include <array>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <opencv2/aruco.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fw = bwc::fw;
using bwc::emu::FaceFaults;
using bwc::emu::ImageRegion;
using bwc::emu::RegionKind;
using bwc::emu::RenderConditions;
using bwc::emu::RenderedFace;
using namespace std::chrono_literals;

namespace bwc::fw {
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Colour c) {
    return os << to_string(c);
}
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Model m) {
    return os << to_string(m);
}
} // namespace bwc::fw

namespace {

constexpr std::array kAllIcons{
    fw::Icon::Logo,
    fw::Icon::Docked,
    fw::Icon::Charging,
    fw::Icon::UserAssigned,
    fw::Icon::FirmwareUpgrade,
    fw::Icon::DataTransfer,
    fw::Icon::NoUser,
    fw::Icon::NotAdded,
    fw::Icon::GeneralError,
    fw::Icon::LostController,
    fw::Icon::Battery,
    fw::Icon::UsbCharging,
    fw::Icon::Storage,
    fw::Icon::StorageError,
    fw::Icon::HolsterSensor,
    fw::Icon::AppLink,
    fw::Icon::MiniSensor,
    fw::Icon::MicrophoneOff,
    fw::Icon::LiveLink,
    fw::Icon::Gps,
    fw::Icon::Mobile,
    fw::Icon::Wifi,
    fw::Icon::Locked,
    fw::Icon::Recording,
};

/// The model a marker id stands for, by name ("none" when no model has it).
std::string_view marker_model(int id) {
    const std::optional<fw::Model> m = bwc::emu::model_for_marker(id);
    return m ? fw::to_string(*m) : "none";
}

fw::LightState steady(fw::Colour c) {
    return {c, fw::Pattern::Steady, 0ms};
}

// W100: five colours on five LEDs, two LEDs dark.
fw::Snapshot w100_snapshot() {
    fw::Snapshot s;
    s.model = fw::Model::W100;
    s.power = fw::PowerState::On;
    s.lights = {
        {fw::Indicator::DockingLed, steady(fw::Colour::Green)},
        {fw::Indicator::RecordingStatusLed, steady(fw::Colour::Red)},
        {fw::Indicator::OperationLed, steady(fw::Colour::Amber)},
        {fw::Indicator::BatteryLed, steady(fw::Colour::Blue)},
        {fw::Indicator::StorageLed, steady(fw::Colour::White)},
        {fw::Indicator::MicrophoneLed, {}},
        {fw::Indicator::ExtensionLed, {}},
    };
    return s;
}

// W120 recording, operating screen, with a charging bar and text so every display area is used.
fw::Snapshot w120_snapshot() {
    fw::Snapshot s;
    s.model = fw::Model::W120;
    s.power = fw::PowerState::On;
    s.lights = {
        {fw::Indicator::RecordingLed, steady(fw::Colour::Red)},
        {fw::Indicator::StatusLed, steady(fw::Colour::Green)},
        {fw::Indicator::FrontIndicator, {}},
        {fw::Indicator::Display, steady(fw::Colour::White)},
    };
    s.display.on = true;
    s.display.icons = {
        {fw::Icon::Recording, fw::Colour::Red},
        {fw::Icon::Battery, fw::Colour::Green, fw::Pattern::Steady, 0ms, 3},
        {fw::Icon::Storage, fw::Colour::Amber},
        {fw::Icon::LiveLink, fw::Colour::Blue},
        {fw::Icon::Wifi, fw::Colour::White, fw::Pattern::Steady, 0ms, 2},
        {fw::Icon::Mobile, fw::Colour::Red},
        {fw::Icon::Charging, fw::Colour::Amber},
    };
    s.display.bars = {{fw::Icon::Charging, 60}};
    s.display.text = {"Officer Jane Doe", "Battery 60%", "Storage 71% free"};
    return s;
}

const ImageRegion& region(const RenderedFace& f, RegionKind kind, std::string_view name) {
    const ImageRegion* r = f.find(kind, name);
    BOOST_TEST_REQUIRE(r != nullptr, "no region " << name);
    return *r;
}

/// Mask of the polygon shrunk about its centroid by `shrink` (stay clear of anti-aliased edges).
cv::Mat region_mask(cv::Size size, const ImageRegion& r, double shrink) {
    cv::Point2f c{0, 0};
    for (const cv::Point2f& p : r.polygon)
        c += p;
    c *= 1.0f / static_cast<float>(r.polygon.size());
    std::vector<cv::Point> pts;
    for (const cv::Point2f& p : r.polygon) {
        const cv::Point2f q = c + (p - c) * static_cast<float>(shrink);
        pts.emplace_back(static_cast<int>(std::lround(q.x)), static_cast<int>(std::lround(q.y)));
    }
    cv::Mat mask = cv::Mat::zeros(size, CV_8U);
    cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255));
    return mask;
}

cv::Scalar mean_in(const cv::Mat& img, const ImageRegion& r, double shrink = 0.7) {
    return cv::mean(img, region_mask(img.size(), r, shrink));
}

cv::Vec3b hsv_of(const cv::Scalar& bgr) {
    cv::Mat px(1, 1, CV_8UC3, cv::Scalar(bgr[0], bgr[1], bgr[2]));
    cv::Mat hsv;
    cv::cvtColor(px, hsv, cv::COLOR_BGR2HSV);
    return hsv.at<cv::Vec3b>(0, 0);
}

/// What a person would call the colour of a light: OpenCV hue is 0–180 (2° steps). Returns
/// Colour::Off for a dark, greyish lens.
fw::Colour classify(const cv::Scalar& bgr) {
    const cv::Vec3b hsv = hsv_of(bgr);
    const int h = hsv[0], s = hsv[1], v = hsv[2];
    if (v < 130)
        return fw::Colour::Off;
    if (s < 50)
        return v > 200 ? fw::Colour::White : fw::Colour::Off;
    if (h <= 8 || h >= 170)
        return fw::Colour::Red;
    if (h >= 12 && h <= 28)
        return fw::Colour::Amber;
    if (h >= 45 && h <= 75)
        return fw::Colour::Green;
    if (h >= 100 && h <= 130)
        return fw::Colour::Blue;
    return fw::Colour::Off; // a hue no light has: count as not the expected colour
}

double brightness(const cv::Scalar& bgr) {
    return std::max({bgr[0], bgr[1], bgr[2]});
}

fw::Colour led_colour(const RenderedFace& f, fw::Indicator i) {
    return classify(mean_in(f.image, region(f, RegionKind::Led, fw::to_string(i))));
}

/// Colour of the lit pixels of an icon slot (those clearly above the display background),
/// Colour::Off when fewer than 3 % of the slot is lit.
fw::Colour icon_colour(const RenderedFace& f, fw::Icon icon) {
    const cv::Mat mask =
        region_mask(f.image.size(), region(f, RegionKind::Icon, fw::to_string(icon)), 1.0);
    std::vector<cv::Mat> ch;
    cv::split(f.image, ch);
    cv::Mat peak = cv::max(cv::max(ch[0], ch[1]), ch[2]);
    const cv::Mat lit = (peak > 110) & mask;
    if (cv::countNonZero(lit) < 0.03 * cv::countNonZero(mask))
        return fw::Colour::Off;
    return classify(cv::mean(f.image, lit));
}

/// The slot's binary glyph (peak channel above the background), resampled to 32 × 32.
cv::Mat glyph_mask(const RenderedFace& f, fw::Icon icon) {
    const ImageRegion& r = region(f, RegionKind::Icon, fw::to_string(icon));
    const cv::Rect box = cv::boundingRect(r.polygon) & cv::Rect(0, 0, f.image.cols, f.image.rows);
    std::vector<cv::Mat> ch;
    cv::split(f.image(box), ch);
    cv::Mat peak = cv::max(cv::max(ch[0], ch[1]), ch[2]);
    cv::Mat small;
    cv::resize(peak > 110, small, {32, 32}, 0, 0, cv::INTER_AREA);
    return small > 127;
}

/// ArUco detection as the vision code would do it, with sub-pixel corner refinement.
std::vector<int> detect_markers(const cv::Mat& img,
                                std::vector<std::vector<cv::Point2f>>& corners) {
    std::vector<int> ids;
    const cv::Ptr<cv::aruco::DetectorParameters> params = cv::aruco::DetectorParameters::create();
    params->cornerRefinementMethod = cv::aruco::CORNER_REFINE_SUBPIX;
    cv::aruco::detectMarkers(img, cv::aruco::getPredefinedDictionary(cv::aruco::DICT_4X4_50),
                             corners, ids, params);
    return ids;
}

/// Largest distance between a detected marker corner and the ground truth.
double worst_corner_error(const RenderedFace& f, const std::vector<int>& ids,
                          const std::vector<std::vector<cv::Point2f>>& corners) {
    double worst = 0;
    for (std::size_t k = 0; k < ids.size(); ++k) {
        const ImageRegion* truth = nullptr;
        for (const ImageRegion& r : f.regions)
            if (r.kind == RegionKind::Marker && r.marker_id == ids[k])
                truth = &r;
        if (truth == nullptr)
            return 1e9;
        for (std::size_t q = 0; q < 4; ++q)
            worst = std::max(worst, cv::norm(corners[k][q] - truth->polygon[q]));
    }
    return worst;
}

void maybe_write(const std::string& name, const cv::Mat& img) {
    if (const char* dir = std::getenv("BWC_FACE_EXAMPLES_DIR")) {
        std::filesystem::create_directories(dir);
        cv::imwrite((std::filesystem::path(dir) / (name + ".png")).string(), img);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(emu_face)

BOOST_AUTO_TEST_CASE(layout_names_match_the_firmware_and_regions_do_not_collide) {
    std::vector<int> ids;
    for (fw::Model m : fw::all_models()) {
        const bwc::emu::FaceLayout& layout = bwc::emu::face_layout(m);
        BOOST_TEST(layout.model == m);
        for (fw::Indicator i : fw::model_spec(m).indicators) {
            const RegionKind kind =
                i == fw::Indicator::Display ? RegionKind::Display : RegionKind::Led;
            BOOST_TEST(bwc::emu::find_region(layout, kind, fw::to_string(i)) != nullptr,
                       fw::to_string(m) << " has no region for " << fw::to_string(i));
        }
        int markers = 0;
        for (const bwc::emu::FaceRegion& r : layout.regions) {
            // Everything inside the nest.
            BOOST_TEST(r.cx_mm - r.w_mm / 2 >= 0.0f);
            BOOST_TEST(r.cy_mm - r.h_mm / 2 >= 0.0f);
            BOOST_TEST(r.cx_mm + r.w_mm / 2 <= layout.nest_w_mm);
            BOOST_TEST(r.cy_mm + r.h_mm / 2 <= layout.nest_h_mm);
            if (r.kind == RegionKind::Marker) {
                ++markers;
                ids.push_back(r.marker_id);
                BOOST_TEST(marker_model(r.marker_id) == fw::to_string(m));
            }
        }
        BOOST_TEST(markers == 4);
        // Regions of these kinds must not overlap one another (a reader would see two things
        // in one place), and must lie on the body.
        const bwc::emu::FaceRegion* body = bwc::emu::find_region(layout, RegionKind::Body, "body");
        BOOST_TEST_REQUIRE(body != nullptr);
        const auto rect = [](const bwc::emu::FaceRegion& r) {
            return cv::Rect2f(r.cx_mm - r.w_mm / 2, r.cy_mm - r.h_mm / 2, r.w_mm, r.h_mm);
        };
        std::vector<const bwc::emu::FaceRegion*> parts;
        for (const bwc::emu::FaceRegion& r : layout.regions)
            if (r.kind == RegionKind::Led || r.kind == RegionKind::Icon ||
                r.kind == RegionKind::Bar || r.kind == RegionKind::Text)
                parts.push_back(&r);
        for (std::size_t a = 0; a < parts.size(); ++a) {
            BOOST_TEST((rect(*parts[a]) & rect(*body)) == rect(*parts[a]), parts[a]->name);
            for (std::size_t b = a + 1; b < parts.size(); ++b)
                BOOST_TEST((rect(*parts[a]) & rect(*parts[b])).area() == 0.0f,
                           parts[a]->name << " overlaps " << parts[b]->name);
        }
    }
    std::sort(ids.begin(), ids.end());
    BOOST_TEST((std::adjacent_find(ids.begin(), ids.end()) == ids.end()),
               "marker ids not distinct");

    // W120: an icon slot for every Icon, a bar for every activity with one, all in the display.
    const bwc::emu::FaceLayout& w120 = bwc::emu::face_layout(fw::Model::W120);
    const bwc::emu::FaceRegion* disp = bwc::emu::find_region(w120, RegionKind::Display, "display");
    BOOST_TEST_REQUIRE(disp != nullptr);
    const cv::Rect2f display_rect(disp->cx_mm - disp->w_mm / 2, disp->cy_mm - disp->h_mm / 2,
                                  disp->w_mm, disp->h_mm);
    std::vector<const bwc::emu::FaceRegion*> inside;
    for (fw::Icon i : kAllIcons)
        inside.push_back(bwc::emu::find_region(w120, RegionKind::Icon, fw::to_string(i)));
    for (fw::Icon i : {fw::Icon::Charging, fw::Icon::FirmwareUpgrade, fw::Icon::DataTransfer})
        inside.push_back(bwc::emu::find_region(w120, RegionKind::Bar, fw::to_string(i)));
    for (int line = 0; line < bwc::emu::kTextSlots; ++line)
        inside.push_back(
            bwc::emu::find_region(w120, RegionKind::Text, bwc::emu::text_slot_name(line)));
    for (const bwc::emu::FaceRegion* r : inside) {
        BOOST_TEST_REQUIRE(r != nullptr);
        const cv::Rect2f rr(r->cx_mm - r->w_mm / 2, r->cy_mm - r->h_mm / 2, r->w_mm, r->h_mm);
        BOOST_TEST((rr & display_rect) == rr, r->name);
    }
    BOOST_TEST(bwc::emu::face_layout(fw::Model::W100).panel_rows == 0);
}

BOOST_AUTO_TEST_CASE(pattern_phases) {
    using bwc::emu::pattern_intensity;
    BOOST_TEST(pattern_intensity(fw::Pattern::Off, 0ms, 123ms) == 0.0);
    BOOST_TEST(pattern_intensity(fw::Pattern::Steady, 0ms, 123ms) == 1.0);
    BOOST_TEST(pattern_intensity(fw::Pattern::Flashing, 1000ms, 250ms) == 1.0);
    BOOST_TEST(pattern_intensity(fw::Pattern::Flashing, 1000ms, 750ms) == 0.0);
    BOOST_TEST(pattern_intensity(fw::Pattern::Flashing, 1000ms, 7250ms) == 1.0);
    BOOST_TEST(pattern_intensity(fw::Pattern::Pulsing, 2000ms, 0ms) == 0.0);
    BOOST_TEST(pattern_intensity(fw::Pattern::Pulsing, 2000ms, 1000ms) == 1.0);
    BOOST_TEST(pattern_intensity(fw::Pattern::Pulsing, 2000ms, 500ms) == 0.5,
               boost::test_tools::tolerance(1e-9));
    BOOST_TEST(pattern_intensity(fw::Pattern::Flashing, 0ms, 750ms) == 1.0); // no period: steady
}

BOOST_AUTO_TEST_CASE(w100_leds_show_their_colours) {
    const RenderedFace f = bwc::emu::render_face(w100_snapshot(), 0ms);
    BOOST_TEST(f.image.type() == CV_8UC3);
    BOOST_TEST(f.image.cols == 1920);
    BOOST_TEST(f.image.rows == 1080);
    BOOST_TEST(led_colour(f, fw::Indicator::DockingLed) == fw::Colour::Green);
    BOOST_TEST(led_colour(f, fw::Indicator::RecordingStatusLed) == fw::Colour::Red);
    BOOST_TEST(led_colour(f, fw::Indicator::OperationLed) == fw::Colour::Amber);
    BOOST_TEST(led_colour(f, fw::Indicator::BatteryLed) == fw::Colour::Blue);
    BOOST_TEST(led_colour(f, fw::Indicator::StorageLed) == fw::Colour::White);
    BOOST_TEST(led_colour(f, fw::Indicator::MicrophoneLed) == fw::Colour::Off);
    BOOST_TEST(led_colour(f, fw::Indicator::ExtensionLed) == fw::Colour::Off);
    // An unlit lens is still visible against the body (a reader can tell "LED there, off").
    const cv::Scalar lens = mean_in(f.image, region(f, RegionKind::Led, "microphone_led"));
    BOOST_TEST(brightness(lens) > 50.0);
    maybe_write("w100_neutral", f.image);
}

BOOST_AUTO_TEST_CASE(w120_leds_and_display) {
    const RenderedFace f = bwc::emu::render_face(w120_snapshot(), 0ms);
    BOOST_TEST(led_colour(f, fw::Indicator::RecordingLed) == fw::Colour::Red);
    BOOST_TEST(led_colour(f, fw::Indicator::StatusLed) == fw::Colour::Green);
    BOOST_TEST(led_colour(f, fw::Indicator::FrontIndicator) == fw::Colour::Off);

    BOOST_TEST(icon_colour(f, fw::Icon::Recording) == fw::Colour::Red);
    BOOST_TEST(icon_colour(f, fw::Icon::Battery) == fw::Colour::Green);
    BOOST_TEST(icon_colour(f, fw::Icon::Storage) == fw::Colour::Amber);
    BOOST_TEST(icon_colour(f, fw::Icon::LiveLink) == fw::Colour::Blue);
    BOOST_TEST(icon_colour(f, fw::Icon::Wifi) == fw::Colour::White);
    BOOST_TEST(icon_colour(f, fw::Icon::Mobile) == fw::Colour::Red);
    for (fw::Icon absent : {fw::Icon::Logo, fw::Icon::NoUser, fw::Icon::Gps, fw::Icon::Locked})
        BOOST_TEST(icon_colour(f, absent) == fw::Colour::Off, fw::to_string(absent));

    // The charging bar is 60 % full: measure along its middle row.
    const ImageRegion& bar = region(f, RegionKind::Bar, "charging");
    const cv::Rect box = cv::boundingRect(bar.polygon);
    const int y = box.y + box.height / 2;
    int lit = 0;
    const int inner = box.width - 8; // clear of the outline
    for (int x = box.x + 4; x < box.x + 4 + inner; ++x) {
        const cv::Vec3b px = f.image.at<cv::Vec3b>(y, x);
        lit += std::max({px[0], px[1], px[2]}) > 128 ? 1 : 0;
    }
    BOOST_TEST(static_cast<double>(lit) / inner == 0.60, boost::test_tools::tolerance(0.03));
    BOOST_TEST(icon_colour(f, fw::Icon::Charging) == fw::Colour::Amber);
    const cv::Scalar empty_bar = mean_in(f.image, region(f, RegionKind::Bar, "data_transfer"));
    BOOST_TEST(brightness(empty_bar) < 60.0);

    // Text lines with text are lit somewhere; the unused ones are not.
    const auto text_peak = [&](int line) {
        double lo = 0, hi = 0;
        cv::Mat grey;
        cv::cvtColor(f.image, grey, cv::COLOR_BGR2GRAY);
        cv::minMaxLoc(grey, &lo, &hi, nullptr, nullptr,
                      region_mask(f.image.size(),
                                  region(f, RegionKind::Text, bwc::emu::text_slot_name(line)),
                                  1.0));
        return hi;
    };
    BOOST_TEST(text_peak(0) > 200.0);
    BOOST_TEST(text_peak(2) > 200.0);
    BOOST_TEST(text_peak(3) < 60.0);
    maybe_write("w120_neutral", f.image);
}

BOOST_AUTO_TEST_CASE(signal_levels_light_the_right_number_of_bars) {
    // Wi-Fi at level 1 and level 4: the lit area grows with the level.
    const auto lit_area = [](int level) {
        fw::Snapshot s = w120_snapshot();
        s.display.icons = {{fw::Icon::Wifi, fw::Colour::White, fw::Pattern::Steady, 0ms, level},
                           {fw::Icon::Mobile, fw::Colour::White, fw::Pattern::Steady, 0ms, level}};
        const RenderedFace f = bwc::emu::render_face(s, 0ms);
        return std::pair{cv::countNonZero(glyph_mask(f, fw::Icon::Wifi)),
                         cv::countNonZero(glyph_mask(f, fw::Icon::Mobile))};
    };
    const auto [wifi1, mobile1] = lit_area(1);
    const auto [wifi4, mobile4] = lit_area(4);
    BOOST_TEST(wifi1 > 0);
    BOOST_TEST(wifi4 > 2 * wifi1);
    BOOST_TEST(mobile1 > 0);
    BOOST_TEST(mobile4 > 2 * mobile1);
}

BOOST_AUTO_TEST_CASE(every_icon_has_its_own_glyph) {
    fw::Snapshot s = w120_snapshot();
    s.display.icons.clear();
    s.display.bars.clear();
    s.display.text.clear();
    for (fw::Icon i : kAllIcons)
        s.display.icons.push_back({i, fw::Colour::White});
    const RenderedFace f = bwc::emu::render_face(s, 0ms);
    maybe_write("w120_all_icons", f.image);
    std::vector<cv::Mat> masks;
    for (fw::Icon i : kAllIcons) {
        masks.push_back(glyph_mask(f, i));
        BOOST_TEST(cv::countNonZero(masks.back()) > 32 * 32 / 20, fw::to_string(i) << " empty");
    }
    // Intersection over union of any two glyphs well below 1: shapes a classifier can tell apart.
    for (std::size_t a = 0; a < masks.size(); ++a)
        for (std::size_t b = a + 1; b < masks.size(); ++b) {
            const double inter = cv::countNonZero(masks[a] & masks[b]);
            const double uni = cv::countNonZero(masks[a] | masks[b]);
            BOOST_TEST(inter / uni < 0.75, fw::to_string(kAllIcons[a])
                                               << " looks like " << fw::to_string(kAllIcons[b]));
        }
}

BOOST_AUTO_TEST_CASE(flashing_led_follows_its_phase) {
    fw::Snapshot s = w100_snapshot();
    s.lights[2].light = {fw::Colour::Green, fw::Pattern::Flashing, 1000ms}; // operation LED
    BOOST_TEST(led_colour(bwc::emu::render_face(s, 250ms), fw::Indicator::OperationLed) ==
               fw::Colour::Green);
    BOOST_TEST(led_colour(bwc::emu::render_face(s, 750ms), fw::Indicator::OperationLed) ==
               fw::Colour::Off);
    BOOST_TEST(led_colour(bwc::emu::render_face(s, 10250ms), fw::Indicator::OperationLed) ==
               fw::Colour::Green);
    // A flashing icon blinks the same way.
    fw::Snapshot w = w120_snapshot();
    w.display.icons = {{fw::Icon::Charging, fw::Colour::Red, fw::Pattern::Flashing, 1000ms}};
    BOOST_TEST(icon_colour(bwc::emu::render_face(w, 250ms), fw::Icon::Charging) == fw::Colour::Red);
    BOOST_TEST(icon_colour(bwc::emu::render_face(w, 750ms), fw::Icon::Charging) == fw::Colour::Off);
}

BOOST_AUTO_TEST_CASE(pulsing_led_is_brighter_at_mid_period) {
    fw::Snapshot s = w100_snapshot();
    s.lights[6].light = {fw::Colour::Amber, fw::Pattern::Pulsing, 2000ms}; // extension LED
    const auto bright_at = [&](fw::Millis at) {
        const RenderedFace f = bwc::emu::render_face(s, at);
        return mean_in(f.image, region(f, RegionKind::Led, "extension_led"));
    };
    const cv::Scalar start = bright_at(0ms), quarter = bright_at(500ms), mid = bright_at(1000ms);
    BOOST_TEST(brightness(mid) > brightness(quarter) + 40.0);
    BOOST_TEST(brightness(quarter) > brightness(start) + 40.0);
    BOOST_TEST(classify(mid) == fw::Colour::Amber);
    BOOST_TEST(classify(start) == fw::Colour::Off);
}

BOOST_AUTO_TEST_CASE(markers_are_detected_under_harsh_conditions) {
    struct Case {
        double ev, wb, tilt, axis;
    };
    const std::array cases{Case{+1.0, 6500, 5.0, 30}, Case{-1.0, 6500, 5.0, 120},
                           Case{+1.0, 3000, 5.0, 75}, Case{-1.0, 7500, 5.0, 0},
                           Case{0.0, 6500, 0.0, 0}};
    for (fw::Model m : fw::all_models()) {
        const fw::Snapshot snap = m == fw::Model::W100 ? w100_snapshot() : w120_snapshot();
        for (const Case& c : cases) {
            RenderConditions cond;
            cond.exposure_ev = c.ev;
            cond.white_balance_k = c.wb;
            cond.tilt_deg = c.tilt;
            cond.tilt_axis_deg = c.axis;
            cond.noise_sigma = 8.0;
            cond.blur_px = 2.0;
            cond.seed = 42;
            const RenderedFace f = bwc::emu::render_face(snap, 0ms, cond);
            std::vector<std::vector<cv::Point2f>> corners;
            const std::vector<int> ids = detect_markers(f.image, corners);
            BOOST_TEST_CONTEXT(fw::to_string(m) << " ev " << c.ev << " wb " << c.wb << " tilt "
                                                << c.tilt << "@" << c.axis) {
                BOOST_TEST(ids.size() == 4u);
                for (int id : ids)
                    BOOST_TEST(marker_model(id) == fw::to_string(m));
                // The ground truth puts each marker where the detector finds it. (Blur rounds
                // the corners, which pulls the detector's corners inwards by about half a
                // pixel at sigma 2; noise at −1 EV, half the contrast, adds about as much.)
                BOOST_TEST(worst_corner_error(f, ids, corners) < 1.5);
            }
            if (c.ev > 0 && c.wb == 3000 && m == fw::Model::W120)
                maybe_write("w120_harsh", f.image);
        }
    }
}

BOOST_AUTO_TEST_CASE(marker_ground_truth_is_sub_pixel) {
    for (double tilt : {0.0, 5.0}) {
        RenderConditions cond;
        cond.tilt_deg = tilt;
        const RenderedFace f = bwc::emu::render_face(w120_snapshot(), 0ms, cond);
        std::vector<std::vector<cv::Point2f>> corners;
        const std::vector<int> ids = detect_markers(f.image, corners);
        BOOST_TEST(ids.size() == 4u);
        BOOST_TEST(worst_corner_error(f, ids, corners) < 0.3, "tilt " << tilt);
    }
}

BOOST_AUTO_TEST_CASE(tilt_moves_the_ground_truth_with_the_image) {
    // A lit LED must be found where the tilted ground truth says, not where the square-on one
    // does.
    RenderConditions cond;
    cond.tilt_deg = 5.0;
    cond.tilt_axis_deg = 0.0; // about a horizontal axis: the top and bottom edges move apart
    const RenderedFace tilted = bwc::emu::render_face(w100_snapshot(), 0ms, cond);
    const RenderedFace flat = bwc::emu::render_face(w100_snapshot(), 0ms);
    const auto centre = [](const ImageRegion& r) {
        cv::Point2f c{0, 0};
        for (const cv::Point2f& p : r.polygon)
            c += p;
        return c * (1.0f / static_cast<float>(r.polygon.size()));
    };
    const ImageRegion& truth = region(tilted, RegionKind::Led, "recording_status_led");
    const cv::Point2f expected = centre(truth);
    const cv::Point2f square_on = centre(region(flat, RegionKind::Led, "recording_status_led"));
    BOOST_TEST(cv::norm(expected - square_on) > 2.0); // the tilt really moved it

    // Centroid of the red pixels around it (bloom off would not matter: symmetric).
    const cv::Rect box = (cv::boundingRect(truth.polygon) + cv::Size(40, 40)) - cv::Point(20, 20);
    std::vector<cv::Mat> ch;
    cv::split(tilted.image(box), ch);
    const cv::Mat red = (ch[2] > 200) & (ch[1] < 100);
    const cv::Moments m = cv::moments(red, true);
    BOOST_TEST_REQUIRE(m.m00 > 100.0);
    const cv::Point2f found{static_cast<float>(box.x + m.m10 / m.m00),
                            static_cast<float>(box.y + m.m01 / m.m00)};
    BOOST_TEST(cv::norm(found - expected) < 0.5, "found " << found << ", truth " << expected);
    BOOST_TEST(cv::norm(found - square_on) > 1.5);

    // A marker corner far from the centre moves by several pixels.
    const cv::Point2f corner_tilted = region(tilted, RegionKind::Marker, "marker_tl").polygon[0];
    const cv::Point2f corner_flat = region(flat, RegionKind::Marker, "marker_tl").polygon[0];
    BOOST_TEST(cv::norm(corner_tilted - corner_flat) > 10.0);
}

BOOST_AUTO_TEST_CASE(white_balance_and_exposure_cast) {
    const auto paper = [](double ev, double wb) {
        RenderConditions cond;
        cond.exposure_ev = ev;
        cond.white_balance_k = wb;
        const RenderedFace f = bwc::emu::render_face(w100_snapshot(), 0ms, cond);
        // The white quiet zone just outside the top-left marker.
        const cv::Point2f tl = region(f, RegionKind::Marker, "marker_tl").polygon[0];
        return cv::mean(
            f.image(cv::Rect(static_cast<int>(tl.x) - 14, static_cast<int>(tl.y) + 20, 8, 40)));
    };
    const cv::Scalar neutral = paper(0, 6500), cold = paper(0, 3000), warm = paper(0, 7500);
    BOOST_TEST(std::abs(neutral[0] - neutral[2]) < 3.0);
    BOOST_TEST(cold[0] > cold[2] + 40.0); // camera set for tungsten sees daylight blue
    BOOST_TEST(warm[2] > warm[0] + 5.0);  // set above the scene's 6500 K: warm
    BOOST_TEST(paper(-1, 6500)[1] == neutral[1] / 2, boost::test_tools::tolerance(0.02));
    BOOST_TEST(paper(+1, 6500)[1] == 255.0); // clipped
}

BOOST_AUTO_TEST_CASE(dead_led_stays_dark_and_override_changes_colour) {
    FaceFaults faults;
    faults.dead_leds.insert(fw::Indicator::DockingLed);
    faults.colour_override[fw::Indicator::RecordingStatusLed] = fw::Colour::Green;
    faults.colour_override[fw::Indicator::MicrophoneLed] = fw::Colour::Red; // unlit: stays dark
    const fw::Snapshot s = w100_snapshot();
    BOOST_TEST(s.light(fw::Indicator::DockingLed)->lit());
    const RenderedFace f = bwc::emu::render_face(s, 0ms, {}, faults);
    BOOST_TEST(led_colour(f, fw::Indicator::DockingLed) == fw::Colour::Off);
    BOOST_TEST(led_colour(f, fw::Indicator::RecordingStatusLed) == fw::Colour::Green);
    BOOST_TEST(led_colour(f, fw::Indicator::MicrophoneLed) == fw::Colour::Off);
    BOOST_TEST(led_colour(f, fw::Indicator::OperationLed) == fw::Colour::Amber); // untouched
}

BOOST_AUTO_TEST_CASE(dead_display_and_dead_rows_are_black) {
    const fw::Snapshot s = w120_snapshot();
    const RenderedFace healthy = bwc::emu::render_face(s, 0ms);
    const ImageRegion& disp = region(healthy, RegionKind::Display, "display");
    const cv::Mat disp_mask = region_mask(healthy.image.size(), disp, 0.98);
    double hi = 0;
    BOOST_TEST(cv::mean(healthy.image, disp_mask)[1] > 20.0);

    FaceFaults dead;
    dead.display_dead = true;
    const RenderedFace black = bwc::emu::render_face(s, 0ms, {}, dead);
    cv::Mat grey;
    cv::cvtColor(black.image, grey, cv::COLOR_BGR2GRAY);
    cv::minMaxLoc(grey, nullptr, &hi, nullptr, nullptr, disp_mask);
    BOOST_TEST(hi == 0.0);
    BOOST_TEST(led_colour(black, fw::Indicator::RecordingLed) == fw::Colour::Red); // LEDs still on

    // Panel rows 40–119 of 240: the text of the top half and the bars fall into the band.
    FaceFaults rows;
    rows.display_dead_rows = bwc::emu::DeadRows{40, 119};
    const RenderedFace banded = bwc::emu::render_face(s, 0ms, {}, rows);
    maybe_write("w120_dead_rows", banded.image);
    const cv::Point2f tl = disp.polygon[0], br = disp.polygon[2];
    const double row_px = (br.y - tl.y) / 240.0;
    const int x0 = static_cast<int>(tl.x) + 2, x1 = static_cast<int>(br.x) - 2;
    const double y_start = tl.y + 40 * row_px, y_end = tl.y + 120 * row_px;
    const int band0 = static_cast<int>(std::ceil(y_start)) + 1;
    const int band1 = static_cast<int>(std::floor(y_end)) - 1;
    cv::cvtColor(banded.image, grey, cv::COLOR_BGR2GRAY);
    cv::minMaxLoc(grey(cv::Range(band0, band1), cv::Range(x0, x1)), nullptr, &hi);
    BOOST_TEST(hi == 0.0);
    // Healthy in the same band was not black (the fault, not the content, made it so)…
    cv::cvtColor(healthy.image, grey, cv::COLOR_BGR2GRAY);
    cv::minMaxLoc(grey(cv::Range(band0, band1), cv::Range(x0, x1)), nullptr, &hi);
    BOOST_TEST(hi > 100.0);
    // …and outside the band the two frames are identical (two pixels of margin for the
    // anti-aliased band edges).
    const int top = static_cast<int>(std::ceil(tl.y)) + 2, bottom = static_cast<int>(br.y) - 2;
    const int above_end = static_cast<int>(std::floor(y_start)) - 2;
    const int below_start = static_cast<int>(std::ceil(y_end)) + 2;
    const cv::Rect above(x0, top, x1 - x0, above_end - top);
    const cv::Rect below(x0, below_start, x1 - x0, bottom - below_start);
    BOOST_TEST(cv::norm(healthy.image(above), banded.image(above), cv::NORM_INF) == 0.0);
    BOOST_TEST(cv::norm(healthy.image(below), banded.image(below), cv::NORM_INF) == 0.0);
}

BOOST_AUTO_TEST_CASE(same_seed_same_image) {
    RenderConditions cond;
    cond.noise_sigma = 8.0;
    cond.blur_px = 1.0;
    cond.tilt_deg = 3.0;
    cond.seed = 7;
    const cv::Mat a = bwc::emu::render_face(w120_snapshot(), 500ms, cond).image;
    const cv::Mat b = bwc::emu::render_face(w120_snapshot(), 500ms, cond).image;
    BOOST_TEST(cv::norm(a, b, cv::NORM_INF) == 0.0);
    cond.seed = 8;
    const cv::Mat c = bwc::emu::render_face(w120_snapshot(), 500ms, cond).image;
    BOOST_TEST(cv::norm(a, c, cv::NORM_INF) > 0.0);
    // The noise has the asked-for spread (measured on the flat nest background).
    cv::Mat diff;
    cv::Mat(a(cv::Rect(900, 2, 100, 20))).convertTo(diff, CV_32F);
    cv::Scalar mean, sd;
    cv::meanStdDev(diff.reshape(1), mean, sd);
    BOOST_TEST(sd[0] == 8.0, boost::test_tools::tolerance(0.15));
}

BOOST_AUTO_TEST_CASE(conditions_out_of_range_are_rejected) {
    const auto rejects = [](auto tweak) {
        RenderConditions c;
        tweak(c);
        BOOST_CHECK_THROW(bwc::emu::render_face(w100_snapshot(), 0ms, c), std::invalid_argument);
    };
    rejects([](RenderConditions& c) { c.exposure_ev = 1.5; });
    rejects([](RenderConditions& c) { c.white_balance_k = 2500; });
    rejects([](RenderConditions& c) { c.noise_sigma = 9; });
    rejects([](RenderConditions& c) { c.blur_px = -1; });
    rejects([](RenderConditions& c) { c.tilt_deg = 6; });
    rejects([](RenderConditions& c) { c.led_bloom_px = 100; });
}

BOOST_AUTO_TEST_CASE(other_sizes_and_speed) {
    RenderConditions small;
    small.size = {640, 480};
    const RenderedFace f = bwc::emu::render_face(w100_snapshot(), 0ms, small);
    BOOST_TEST(f.image.cols == 640);
    BOOST_TEST(f.image.rows == 480);
    BOOST_TEST(led_colour(f, fw::Indicator::OperationLed) == fw::Colour::Amber);

    // Not a benchmark: a loose bound that catches an accidental per-pixel slow path.
    RenderConditions all;
    all.noise_sigma = 4;
    all.blur_px = 1;
    all.tilt_deg = 3;
    all.exposure_ev = 0.5;
    const fw::Snapshot s = w120_snapshot();
    bwc::emu::render_face(s, 0ms, all); // warm-up
    constexpr int kFrames = 10;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kFrames; ++i)
        bwc::emu::render_face(s, fw::Millis{i * 40}, all);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() /
        kFrames;
    BOOST_TEST_MESSAGE("1080p frame with all effects: " << ms << " ms");
    BOOST_TEST(ms < 150.0);
}

BOOST_AUTO_TEST_SUITE_END()
