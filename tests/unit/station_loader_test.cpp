// The station loader (bench/station/station.hpp): a good file loads with its
// dock, bays (sorted), URIs and fixtures; each mistake gives exactly one
// diagnostic at the offending value, with parse_uri's precise message for a
// bad URI.
#include "bench/station/station.hpp"
#include "procedure_fakes.hpp" // position_of

#include <boost/test/unit_test.hpp>

using namespace bwc::bench;
using bwc::test::position_of;

namespace {

const std::string kStation = R"(station: bench-3
dock: {model: W701, serial: D1, uri: "tcp://127.0.0.1:7124"}
fixtures:
  vision: {uri: "tcp://127.0.0.1:7300", kind: vision, pipeline: "v4l2src device=/dev/video0 ! appsink name=frames"}
  thermal: usb://1a2b:3c4d?serial=TH-07
bays:
  - bay: 2
    camera: serial:///dev/ttyACM0?baud=115200
    fixtures:
      psu: {uri: "serial:///dev/ttyUSB3?baud=9600", kind: psu}
  - bay: 1
    camera: tcp://127.0.0.1:7100
    physical: tcp://127.0.0.1:7101
    nmea: tcp://127.0.0.1:7102
calibration: cal/bench-3.json
results: /var/lib/bench/results
)";

std::string mutated(const std::string& from, const std::string& to) {
    std::string text = kStation;
    const auto at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, "test bug: '" << from << "' not in the text");
    return text.replace(at, from.size(), to);
}

void expect_one(const std::string& text, const std::string& needle, const std::string& fragment,
                int nth = 0) {
    auto r = parse_station(text, "s.yaml");
    BOOST_TEST_REQUIRE(!r.ok(), "the station loaded but should not:\n" << text);
    std::string all;
    for (const Diagnostic& d : r.error())
        all += d.text() + "\n";
    BOOST_TEST_REQUIRE(r.error().size() == 1u, "expected one diagnostic, got:\n" << all);
    const Diagnostic& d = r.error()[0];
    const SourcePos want = position_of(text, needle, nth, "s.yaml");
    BOOST_TEST(d.pos.line == want.line, d.text());
    BOOST_TEST(d.pos.column == want.column, d.text());
    BOOST_TEST(d.message.find(fragment) != std::string::npos,
               "'" << d.message << "' lacks '" << fragment << "'");
}

} // namespace

BOOST_AUTO_TEST_SUITE(station_loader)

BOOST_AUTO_TEST_CASE(good_station_loads) {
    auto r = parse_station(kStation, "stations/s.yaml");
    BOOST_TEST_REQUIRE(r.ok());
    const Station& s = *r;
    BOOST_TEST(s.id == "bench-3");
    BOOST_TEST(s.path == "stations/s.yaml");
    BOOST_TEST_REQUIRE(s.dock.has_value());
    BOOST_TEST(s.dock->model == "W701");
    BOOST_TEST(s.dock->serial == "D1");
    BOOST_TEST(s.dock->uri.port == 7124);
    BOOST_TEST_REQUIRE(s.bays.size() == 2u);
    BOOST_TEST(s.bays[0].number == 1); // sorted by number
    BOOST_TEST(s.bays[0].camera.to_string() == "tcp://127.0.0.1:7100");
    BOOST_TEST(s.bays[0].physical.has_value());
    BOOST_TEST(s.bays[0].nmea->port == 7102);
    BOOST_TEST((s.bays[1].camera.scheme == Scheme::Serial));
    BOOST_TEST(s.bays[1].camera.path == "/dev/ttyACM0");
    BOOST_TEST(!s.bays[1].physical.has_value());
    BOOST_TEST_REQUIRE(s.bays[1].fixtures.size() == 1u);
    BOOST_TEST(s.bays[1].fixtures[0].name == "psu");
    BOOST_TEST(s.bays[1].fixtures[0].kind == "psu");
    BOOST_TEST(!s.bays[1].fixtures[0].shared);
    BOOST_TEST(s.bay(2) == &s.bays[1]);
    BOOST_TEST(s.bay(3) == nullptr);
    BOOST_TEST_REQUIRE(s.fixtures.size() == 2u);
    BOOST_TEST(s.fixtures[0].shared); // station-wide fixtures are shared unless they say not
    BOOST_TEST(s.fixtures[1].name == "thermal");
    BOOST_TEST(s.fixtures[1].uri.vid == 0x1a2b);
    BOOST_TEST(s.fixtures[1].uri_text == "usb://1a2b:3c4d?serial=TH-07");
    BOOST_TEST(s.calibration == "stations/cal/bench-3.json"); // beside the station file
    BOOST_TEST(s.results_dir == "/var/lib/bench/results");
}

BOOST_AUTO_TEST_CASE(unknown_uri_scheme) {
    expect_one(mutated("camera: tcp://127.0.0.1:7100", "camera: tcpp://127.0.0.1:7100"), "tcpp",
               "bad URI \"tcpp://127.0.0.1:7100\": unknown scheme \"tcpp\"");
}

BOOST_AUTO_TEST_CASE(bad_uris_carry_parse_uris_message) {
    expect_one(mutated("baud=115200", "baud=115201"), "serial:///dev/ttyACM0",
               "baud 115201 is not a standard rate");
    expect_one(mutated("tcp://127.0.0.1:7101", "tcp://127.0.0.1:99999"), "tcp://127.0.0.1:99999",
               "port 99999 is out of range 1-65535");
    expect_one(mutated("usb://1a2b:3c4d", "usb://1a2b"), "usb://1a2b", "missing PID");
}

BOOST_AUTO_TEST_CASE(duplicate_bay) {
    expect_one(mutated("  - bay: 1", "  - bay: 2"), "2\n    camera: tcp", "duplicate bay 2");
}

BOOST_AUTO_TEST_CASE(duplicate_uri_across_bays) {
    // Bay 2 comes first in the file, so bay 1's physical port is the second use.
    expect_one(mutated("serial:///dev/ttyACM0?baud=115200", "tcp://127.0.0.1:7101"),
               "tcp://127.0.0.1:7101", "URI tcp://127.0.0.1:7101 is already used by bay 2 camera",
               1);
}

BOOST_AUTO_TEST_CASE(bay_numbers_and_the_dock) {
    expect_one(mutated("  - bay: 2", "  - bay: 9"), "9", "'bay' must be an integer from 1 to 8");
    expect_one(mutated("  - bay: 2", "  - bay: 0"), "0\n", "'bay' must be an integer from 1 to 8");
    expect_one(mutated("W701", "W700"), "2\n", "bay 2: a W700 dock has 1 bay");
}

BOOST_AUTO_TEST_CASE(missing_camera) {
    expect_one(mutated("    camera: serial:///dev/ttyACM0?baud=115200\n", ""), "bay: 2",
               "bay 2 has no camera URI");
}

BOOST_AUTO_TEST_CASE(unknown_keys_and_dock_models) {
    expect_one(mutated("physical:", "phsyical:"), "phsyical",
               "unknown key 'phsyical' in bay (did you mean 'physical'?)");
    expect_one(mutated("model: W701", "model: W702"), "W702", "unknown dock model 'W702'");
    expect_one(mutated("kind: psu}", "kind: psu, shared: true}"), "shared",
               "unknown key 'shared' in fixture 'psu'");
}

BOOST_AUTO_TEST_CASE(fixture_kinds) {
    // A name that is no kind must say its kind; a misspelt kind gets a suggestion.
    expect_one(mutated("thermal: usb://", "chamber: usb://"), "chamber",
               "fixture 'chamber': unknown kind 'chamber'");
    expect_one(mutated("kind: psu}", "kind: pus}"), "pus", "unknown kind 'pus' (did you mean 'psu'?)");
    // The vision camera's frames come through its pipeline; nothing else has one.
    expect_one(mutated(R"(, pipeline: "v4l2src device=/dev/video0 ! appsink name=frames")", ""),
               "vision}", "a vision camera needs pipeline:");
    expect_one(mutated("kind: psu}", "kind: psu, pipeline: \"x\"}"), "\"x\"",
               "only a vision camera has a pipeline");
    auto s = parse_station(kStation, "s.yaml");
    BOOST_TEST_REQUIRE(s.ok());
    BOOST_TEST(s->fixtures[0].kind == "vision");
    BOOST_TEST(s->fixtures[0].pipeline.find("appsink") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(station_id_and_bays_are_required) {
    expect_one(mutated("station: bench-3\n", ""), "dock:", "missing 'station'");
    auto r = parse_station("station: x\nbays: []\n", "s.yaml");
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().at(0).message.find("bays must be a non-empty list") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
