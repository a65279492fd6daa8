// Every camera fault of `bwc-emu --list-faults` is visible from outside: a
// good camera and a faulty one run side by side in the same bwc-emu process,
// receive the same script over their physical ports, and one observable —
// read over the diag port or from the rendered face — must differ, and must
// differ in the direction the fault means.
#include "emu_process.hpp"
#include "firmware/emu/face/face_layout.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace bwc::test;
using nlohmann::json;

namespace {

/// One observable, read from a camera's diag port (or its face).
struct Probe {
    std::string diag; // diag command, e.g. "STATE", "GAUGE"
    std::string what; // JSON pointer for STATE, key for key=value, "" = whole reply,
                      // "face:<region>" for the face's mean brightness there
};

struct FaultCase {
    std::string fault;
    std::string model;
    std::string camera_extra;        // appended to the --camera spec
    std::vector<std::string> script; // physical-port commands, in order
    Probe probe;
    /// Holds for (good, faulty) readings when the fault shows as it should.
    std::function<bool(const std::string&, const std::string&)> shows;
};

std::ostream& operator<<(std::ostream& os, const FaultCase& c) {
    return os << c.fault;
}

bool differ(const std::string& good, const std::string& bad) {
    return good != bad;
}
std::function<bool(const std::string&, const std::string&)> is(std::string g, std::string b) {
    return
        [g, b](const std::string& good, const std::string& bad) { return good == g && bad == b; };
}
std::function<bool(const std::string&, const std::string&)> less_than_good() {
    return [](const std::string& good, const std::string& bad) {
        return !good.empty() && !bad.empty() && std::stod(bad) < std::stod(good);
    };
}
std::function<bool(const std::string&, const std::string&)> more_than_good() {
    return [](const std::string& good, const std::string& bad) {
        return !good.empty() && !bad.empty() && std::stod(bad) > std::stod(good);
    };
}

const std::vector<std::string> kPowerOn = {"PRESS power 300", "TIME ADVANCE 31000"};
std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
const std::vector<std::string> kDockLinked = {"DOCK", "CONTROLLER link=1 added=1 user=Op",
                                              "TIME ADVANCE 60000"};
const std::vector<std::string> kLte = {"RF LTE plmn=24001 level=-70"};
const std::vector<std::string> kSky = {
    "GNSS SCENARIO lat=48.8566 lon=2.3522 alt=35 cn0=44 utc=2026-11-23T09:00:00"};
const std::vector<std::string> kAp = {"RF WIFI ADD ssid=Line psk=line-key band=2.4 level=-50"};

std::vector<FaultCase> cases() {
    std::vector<FaultCase> c;
    auto add = [&](FaultCase f) { c.push_back(std::move(f)); };
    add({"button.record.threshold_ms=5000",
         "w120",
         "",
         with(kPowerOn,
              {"PRESS record 300", "TIME ADVANCE 1000", "PRESS record 3150", "TIME ADVANCE 4000"}),
         {"STATE", "/recording/active"},
         is("false", "true")});
    add({"button.power.stuck", "w120", "", kPowerOn, {"STATE", "/power"}, is("\"on\"", "\"off\"")});
    add({"button.power.dead", "w100", "", kPowerOn, {"STATE", "/power"}, is("\"on\"", "\"off\"")});
    add({"led.operation_led.dead",
         "w100",
         "",
         kPowerOn,
         {"FACE", "face:operation_led"},
         less_than_good()});
    add({"led.status_led.color=red",
         "w120",
         "",
         kPowerOn,
         {"FACE", "face:status_led.green"},
         less_than_good()});
    add({"display.dead", "w120", "", kPowerOn, {"FACE", "face:display"}, less_than_good()});
    add({"display.dead_rows=0-120",
         "w120",
         "",
         kPowerOn,
         {"FACE", "face:display"},
         less_than_good()});
    add({"charger.ignore_temperature",
         "w120",
         ",soc=30",
         with({"TEMP 41"}, kDockLinked),
         {"STATE", "/battery/charge_state"},
         is("\"temperature_high\"", "\"charging\"")});
    add({"charger.no_cap",
         "w120",
         ",soc=66",
         with({"TEMP 36"}, with(kDockLinked, {"TIME ADVANCE 7200000"})),
         {"GAUGE", "soc"},
         more_than_good()});
    add({"charger.dead",
         "w100",
         ",soc=30",
         kDockLinked,
         {"STATE", "/battery/charge_state"},
         is("\"charging\"", "\"charger_fault\"")});
    add({"battery.capacity_pct=50",
         "w120",
         "",
         {},
         {"GAUGE", "full_charge_mah"},
         less_than_good()});
    add({"battery.missing", "w100", "", {}, {"GAUGE", "present"}, is("1", "0")});
    add({"storage.error", "w120", "", kPowerOn, {"STORAGE", "error"}, is("0", "1")});
    add({"storage.slow_mbps=8",
         "w120",
         "",
         with(kPowerOn,
              {"PRESS record 300", "TIME ADVANCE 600000", "PRESS record 3150", "TIME ADVANCE 4000",
               "DOCK", "CONTROLLER link=1 added=1 user=Op", "TIME ADVANCE 90000"}),
         {"STORAGE", "pending_offload_bytes"},
         more_than_good()});
    add({"gnss.no_fix",
         "w120",
         "",
         with(kPowerOn, with(kSky, {"TIME ADVANCE 60000"})),
         {"GNSS", "fix"},
         is("yes", "none")});
    add({"gnss.offset_m=500",
         "w120",
         "",
         with(kPowerOn, with(kSky, {"TIME ADVANCE 60000"})),
         {"GNSS", "lat"},
         more_than_good()});
    add({"gnss.cn0_drop_db=10",
         "w120",
         "",
         with(kPowerOn, with(kSky, {"TIME ADVANCE 60000"})),
         {"GNSS", "best_cn0"},
         less_than_good()});
    add({"modem.absent",
         "w120",
         "",
         with(kLte, with(kPowerOn, {"TIME ADVANCE 60000"})),
         {"STATE", "/radios/lte/state"},
         is("\"registered\"", "\"error\"")});
    add({"modem.imei=356938035643809",
         "w120",
         "",
         kLte,
         {"AT+CGSN", ""},
         [](const std::string&, const std::string& bad) {
             return bad.find("356938035643809") != std::string::npos;
         }});
    add({"sim.absent",
         "w120",
         "",
         with(kLte, with(kPowerOn, {"TIME ADVANCE 60000"})),
         {"STATE", "/radios/lte/state"},
         is("\"registered\"", "\"no_sim\"")});
    add({"sim.locked",
         "w120",
         "",
         with(kLte, with(kPowerOn, {"TIME ADVANCE 60000"})),
         {"STATE", "/radios/lte/state"},
         is("\"registered\"", "\"sim_puk_required\"")});
    add({"modem.rssi_drop_db=20",
         "w120",
         "",
         with(kLte, {"TIME ADVANCE 20000"}),
         {"AT+CSQ", ""},
         differ});
    add({"wifi.dead",
         "w100",
         "",
         kAp,
         {"WIFI SCAN", ""},
         [](const std::string& good, const std::string& bad) {
             return good.find("Line") != std::string::npos && bad == "OK []";
         }});
    add({"wifi.band=5",
         "w120",
         "",
         kAp,
         {"WIFI SCAN", ""},
         [](const std::string& good, const std::string& bad) {
             return good.find("Line") != std::string::npos && bad == "OK []";
         }});
    add({"wifi.rssi_drop_db=20", "w120", "", kAp, {"WIFI SCAN", ""}, differ});
    add({"wifi.wpa2_fail", "w120", "", kAp, {"WIFI STATUS", "state"}, is("connected", "error")});
    add({"boot.hang",
         "w120",
         "",
         with(kPowerOn, {"TIME ADVANCE 600000"}),
         {"STATE", "/power"},
         is("\"on\"", "\"booting\"")});
    add({"boot.slow_ms=10000",
         "w100",
         "",
         {"PRESS power 300", "TIME ADVANCE 16000"},
         {"STATE", "/power"},
         is("\"on\"", "\"booting\"")});
    return c;
}

/// Mean brightness (or, for "<region>.green", the green channel's excess)
/// inside a face region of a square-on render.
double face_reading(const std::string& png, bwc::fw::Model model, std::string region) {
    const cv::Mat image = cv::imread(png);
    BOOST_REQUIRE(!image.empty());
    bool green = false;
    if (auto dot = region.find(".green"); dot != std::string::npos) {
        green = true;
        region.erase(dot);
    }
    const auto& layout = bwc::emu::face_layout(model);
    for (const auto& r : bwc::emu::project_regions(
             layout, bwc::emu::face_homography(layout, bwc::emu::RenderConditions{}))) {
        if (r.name != region)
            continue;
        std::vector<cv::Point> poly(r.polygon.begin(), r.polygon.end());
        cv::Mat mask = cv::Mat::zeros(image.size(), CV_8U);
        cv::fillConvexPoly(mask, poly, cv::Scalar(255));
        const cv::Scalar m = cv::mean(image, mask);
        return green ? m[1] - std::max(m[0], m[2]) : (m[0] + m[1] + m[2]) / 3.0;
    }
    BOOST_FAIL("no face region " << region);
    return 0;
}

std::string read_probe(LineClient& diag, LineClient& phys, const Probe& p, const std::string& model,
                       const std::string& png) {
    if (p.what.rfind("face:", 0) == 0) {
        const std::string r = phys.command("FACE file=" + png);
        BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0, r);
        return std::to_string(face_reading(
            png, model == "w100" ? bwc::fw::Model::W100 : bwc::fw::Model::W120, p.what.substr(5)));
    }
    const std::string reply = diag.command(p.diag);
    if (p.what.empty())
        return reply;
    if (p.diag == "STATE")
        return json::parse(reply.substr(3)).at(json::json_pointer(p.what)).dump();
    return field(reply, p.what);
}

} // namespace

BOOST_AUTO_TEST_SUITE(emu_fault_visibility)

BOOST_DATA_TEST_CASE(each_fault_changes_what_the_bench_can_see,
                     boost::unit_test::data::make(cases()), c) {
    const std::string spec = "model=" + c.model + c.camera_extra;
    EmuProcess emu({"--camera", spec + ",serial=GOOD", "--camera", spec + ",serial=BAD", "--fault",
                    "BAD:" + c.fault});
    const TempDir dir("bwc-faults");
    std::string readings[2];
    for (int i = 0; i < 2; ++i) {
        const CameraPorts& ports = emu.cameras().at(static_cast<std::size_t>(i));
        LineClient diag(ports.diag);
        LineClient phys(ports.physical);
        BOOST_REQUIRE_EQUAL(diag.hello(), "OK BWC-DIAG 1");
        BOOST_REQUIRE_EQUAL(phys.hello(), "OK BWC-PHYS 1");
        if (c.fault.rfind("wifi.", 0) == 0 && c.probe.diag == "WIFI STATUS") {
            for (const std::string& cmd : with(kPowerOn, {}))
                BOOST_REQUIRE(phys.command(cmd).rfind("OK", 0) == 0);
        }
        for (const std::string& cmd : c.script) {
            const std::string r = phys.command(cmd);
            BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0,
                                  ports.serial << ": " << cmd << " -> " << r);
        }
        if (c.probe.diag == "WIFI STATUS") {
            BOOST_REQUIRE(diag.command("WIFI CONNECT Line line-key").rfind("OK", 0) == 0);
            BOOST_REQUIRE(phys.command("TIME ADVANCE 5000").rfind("OK", 0) == 0);
        }
        readings[i] =
            read_probe(diag, phys, c.probe, c.model, dir.path() + "/" + ports.serial + ".png");
    }
    BOOST_TEST_MESSAGE(c.fault << ": good " << readings[0].substr(0, 120) << " | faulty "
                               << readings[1].substr(0, 120));
    BOOST_TEST(c.shows(readings[0], readings[1]),
               c.fault << " not visible: good '" << readings[0].substr(0, 160) << "' faulty '"
                       << readings[1].substr(0, 160) << "'");
}

BOOST_AUTO_TEST_SUITE_END()
