// `bench vision inspect` end to end, suite "vision_inspect": bwc-emu renders what the fixture
// camera sees (FACE on the physical port, PNG files), the real `bench` binary reads them, and
// its JSON is checked against what the camera's own state says (STATE on the diag port).
// Covered: FACTORY LEDTEST red/blue → every LED of a W120 and a W100 reads that colour; a W120's
// display icons as its snapshot lists them; --model of the other model → wrong_model (exit 1);
// a missing image → exit 2 naming the file.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kBench = BWC_BINARY_DIR "/bench/bench";

struct Camera {
    LineClient diag;
    LineClient phys;
    explicit Camera(const CameraPorts& p) : diag(p.diag), phys(p.physical) {
        BOOST_REQUIRE_EQUAL(diag.hello(), "OK BWC-DIAG 1");
        BOOST_REQUIRE_EQUAL(phys.hello(), "OK BWC-PHYS 1");
    }
    std::string ok(LineClient& c, const std::string& cmd) {
        const std::string r = c.command(cmd);
        BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0, cmd << " -> " << r);
        return r;
    }
    void power_on() {
        ok(phys, "PRESS power 300");
        ok(phys, "TIME ADVANCE 31000");
    }
    json state() { return json::parse(ok(diag, "STATE").substr(3)); }
    std::string face(const TempDir& dir, const std::string& name) {
        const std::string path = dir.path() + "/" + name;
        ok(phys, "FACE width=1280 height=720 noise=4 blur=1 tilt=3 file=" + path);
        return path;
    }
};

std::vector<json> inspect(const std::vector<std::string>& args, int expected_exit) {
    std::vector<std::string> all{"vision", "inspect"};
    all.insert(all.end(), args.begin(), args.end());
    const ProgramResult r = run_program(kBench, all);
    BOOST_REQUIRE_MESSAGE(r.exit_code == expected_exit, "exit " << r.exit_code << "\n"
                                                                << r.out << r.err);
    std::vector<json> lines;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
        lines.push_back(json::parse(line));
    return lines;
}

} // namespace

BOOST_AUTO_TEST_SUITE(vision_inspect)

BOOST_AUTO_TEST_CASE(led_test_colours_read_on_every_led_of_both_models) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1", "--camera", "model=w100,serial=SN2"});
    TempDir dir("vision-inspect");
    for (std::size_t i = 0; i < 2; ++i) {
        Camera cam(emu.cameras()[i]);
        cam.power_on();
        const std::string model = emu.cameras()[i].model;
        for (const std::string colour : {"red", "blue"}) {
            cam.ok(cam.diag, "FACTORY LEDTEST " + colour);
            const std::string png = cam.face(dir, model + "-" + colour + ".png");
            const auto out = inspect({"--model", model, png}, 0);
            BOOST_REQUIRE_EQUAL(out.size(), 1u);
            BOOST_TEST(out[0]["model"] == model);
            // Every LED of the camera reads the LED test's colour (the test
            // drives the lights directly; STATE keeps reporting the state's own).
            const json lights = cam.state()["lights"];
            std::size_t leds_in_state = 0;
            for (const auto& [name, light] : lights.items())
                leds_in_state += name != "display" ? 1 : 0;
            BOOST_TEST(out[0]["leds"].size() == leds_in_state);
            for (const json& led : out[0]["leds"]) {
                const std::string name = led["name"];
                BOOST_REQUIRE(lights.contains(name));
                BOOST_TEST(led["colour"] == colour, name << " read " << led["colour"]);
            }
        }
        cam.ok(cam.diag, "FACTORY LEDTEST off");
    }
}

BOOST_AUTO_TEST_CASE(display_icons_match_the_snapshot) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1"});
    TempDir dir("vision-inspect");
    Camera cam(emu.cameras()[0]);
    cam.power_on();
    const json state = cam.state();
    const auto out = inspect({"--model", "w120", cam.face(dir, "display.png")}, 0);
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    const json& display = out[0]["display"];
    BOOST_TEST(display["on"] == state["display"]["on"]);
    std::map<std::string, std::string> expected; // steady icons: always drawn
    for (const json& icon : state["display"]["icons"])
        if (icon["pattern"] == "steady")
            expected[icon["icon"]] = icon["colour"];
    BOOST_TEST(!expected.empty());
    for (const json& icon : display["icons"]) {
        const auto it = expected.find(icon["icon"]);
        if (it != expected.end()) {
            BOOST_TEST(icon["shown"] == true, icon["icon"]);
            BOOST_TEST(icon["colour"] == it->second, icon["icon"]);
        }
    }
}

BOOST_AUTO_TEST_CASE(wrong_model_and_missing_file) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1"});
    TempDir dir("vision-inspect");
    Camera cam(emu.cameras()[0]);
    const std::string png = cam.face(dir, "w120.png");
    const auto out = inspect({"--model", "w100", png}, 1);
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    BOOST_TEST(out[0]["rejection"]["code"] == "wrong_model");

    const std::string missing = dir.path() + "/no-such-frame.png";
    const ProgramResult r = run_program(kBench, {"vision", "inspect", missing});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find(missing) != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()
