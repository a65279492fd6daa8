// Unit tests for the W120 display checks (bench/vision/display_reader.hpp), suite
// "vision_display": rendered frames against the snapshot drawn. Covered: every icon in its slot,
// in several colours, under a harsh camera (shown, colour, glyph identified among all glyphs);
// empty slots read empty; levels of the levelled icons; progress bars at several fills; the
// text line matches its string and not a one-letter change; a display that is off; a W100 has no
// display; JSON of a reading.
#include "bench/vision/display_templates.hpp"
#include "bench/vision/face_reader.hpp"
#include "firmware/emu/face/face_renderer.hpp"
#include "vision_print.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

namespace {

namespace fw = bwc::fw;
namespace emu = bwc::emu;
namespace vision = bwc::vision;

fw::Snapshot display_on() {
    fw::Snapshot s;
    s.model = fw::Model::W120;
    s.power = fw::PowerState::On;
    s.display.on = true;
    return s;
}

emu::RenderConditions harsh(double ev, double wb) {
    return bwc::test::harsh_conditions(ev, wb, 120);
}

vision::DisplayReading read(const fw::Snapshot& s, const emu::RenderConditions& c,
                            const vision::DisplayOptions& options = {}) {
    vision::ReadOptions o;
    o.display = options;
    const auto r = vision::read_face(emu::render_face(s, fw::Millis{0}, c).image, o);
    BOOST_REQUIRE_MESSAGE(r, r.error().message);
    BOOST_REQUIRE(r->display);
    return *r->display;
}

} // namespace

BOOST_AUTO_TEST_SUITE(vision_display)

BOOST_AUTO_TEST_CASE(every_icon_in_every_colour_is_found_and_identified) {
    const fw::Colour colours[] = {fw::Colour::Red, fw::Colour::Green, fw::Colour::Amber,
                                  fw::Colour::Blue, fw::Colour::White};
    for (std::size_t k = 0; k < std::size(colours); ++k) {
        // Every other icon, shifting with the colour, so empty slots sit next to shown ones.
        fw::Snapshot s = display_on();
        for (fw::Icon icon : vision::all_icons())
            if ((static_cast<std::size_t>(icon) + k) % 2 == 0)
                s.display.icons.push_back({icon, colours[k]});
        vision::DisplayOptions o;
        o.identify_glyphs = true;
        const auto d = read(s, harsh(k % 2 ? 1.0 : -1.0, k < 3 ? 3000 : 7500), o);
        BOOST_TEST(d.on);
        for (const vision::IconReading& r : d.icons) {
            const bool shown = s.display.find(r.icon) != nullptr;
            BOOST_TEST(r.shown == shown, fw::to_string(r.icon)
                                             << " in " << fw::to_string(colours[k]));
            if (!shown || !r.shown)
                continue;
            BOOST_TEST(r.colour == colours[k], fw::to_string(r.icon));
            BOOST_REQUIRE(r.looks_like);
            BOOST_TEST(*r.looks_like == r.icon,
                       fw::to_string(r.icon) << " looks like " << fw::to_string(*r.looks_like));
            BOOST_TEST(r.match > 0.5);
        }
    }
}

BOOST_AUTO_TEST_CASE(levels_of_signal_and_battery_icons) {
    for (int level = 0; level <= 4; ++level) {
        fw::Snapshot s = display_on();
        for (fw::Icon icon : {fw::Icon::Battery, fw::Icon::Mobile, fw::Icon::Wifi})
            s.display.icons.push_back(
                {icon, fw::Colour::Green, fw::Pattern::Steady, fw::Millis{0}, level});
        const auto d = read(s, harsh(0.3, 5000));
        for (fw::Icon icon : {fw::Icon::Battery, fw::Icon::Mobile, fw::Icon::Wifi}) {
            const vision::IconReading* r = d.icon(icon);
            BOOST_REQUIRE(r);
            BOOST_TEST(r->shown, fw::to_string(icon) << " level " << level);
            BOOST_TEST(r->level.value_or(-1) == level, fw::to_string(icon));
        }
    }
}

BOOST_AUTO_TEST_CASE(progress_bars_read_their_fill) {
    for (int percent : {0, 3, 37, 50, 88, 100}) {
        fw::Snapshot s = display_on();
        s.display.icons.push_back({fw::Icon::Charging, fw::Colour::Amber});
        s.display.bars = {{fw::Icon::Charging, percent}, {fw::Icon::DataTransfer, 100 - percent}};
        const auto d = read(s, harsh(-0.6, 4000));
        const vision::BarReading* charging = d.bar(fw::Icon::Charging);
        const vision::BarReading* transfer = d.bar(fw::Icon::DataTransfer);
        const vision::BarReading* firmware = d.bar(fw::Icon::FirmwareUpgrade);
        BOOST_REQUIRE(charging && transfer && firmware);
        BOOST_TEST(std::abs(charging->percent - percent) <= 2.0, charging->percent);
        BOOST_TEST(std::abs(transfer->percent - (100 - percent)) <= 2.0, transfer->percent);
        BOOST_TEST(charging->shown);
        BOOST_TEST(transfer->shown);
        BOOST_TEST(!firmware->shown);
        if (percent > 10)
            BOOST_TEST(charging->colour == fw::Colour::Amber); // the bar takes its icon's colour
    }
}

BOOST_AUTO_TEST_CASE(text_line_matches_its_string_and_not_a_near_miss) {
    fw::Snapshot s = display_on();
    s.display.text = {"J. Smith", "", "Officer 1234"};
    vision::DisplayOptions o;
    o.expected_text = {{0, "J. Smith"}, {1, ""}, {2, "Officer 1284"}};
    for (double ev : {-1.0, 1.0}) {
        const auto d = read(s, harsh(ev, 3000), o);
        BOOST_REQUIRE(d.text.size() == 3u);
        BOOST_TEST(d.text[0].matches, d.text[0].score);
        BOOST_TEST(d.text[0].ink);
        BOOST_TEST(d.text[1].matches, d.text[1].score);
        BOOST_TEST(!d.text[1].ink);
        BOOST_TEST(!d.text[2].matches, d.text[2].score);
    }
    o.expected_text = {{0, "J. Smyth"}};
    BOOST_TEST(!read(s, harsh(0, 6500), o).text[0].matches);
}

BOOST_AUTO_TEST_CASE(a_dark_display_shows_nothing) {
    fw::Snapshot s = display_on();
    s.display.on = false;
    s.display.icons.push_back({fw::Icon::Recording, fw::Colour::Red});
    const auto d = read(s, harsh(0.5, 6500));
    BOOST_TEST(!d.on);
    for (const vision::IconReading& r : d.icons)
        BOOST_TEST(!r.shown);
}

BOOST_AUTO_TEST_CASE(a_w100_has_no_display_and_the_reading_is_json) {
    fw::Snapshot s;
    s.model = fw::Model::W100;
    const auto frame = emu::render_face(s, fw::Millis{0}, harsh(0, 6500)).image;
    const auto r = vision::read_face(frame);
    BOOST_REQUIRE(r);
    BOOST_TEST(!r->display);
    const auto reg = vision::register_frame(frame).value();
    const auto d = vision::read_display(frame, reg, r->colour);
    BOOST_REQUIRE(!d);
    BOOST_TEST(d.error().code == vision::RejectionCode::WrongModel);
    const nlohmann::json j = *r;
    BOOST_TEST(j["model"] == "W100");
    BOOST_TEST(j["leds"].size() == 7u);
    BOOST_TEST(j["leds"][0]["colour"] == "off");
}

BOOST_AUTO_TEST_SUITE_END()
