// bwc-emu over TCP: the GNSS receiver replaying a real log to a fix, the
// modem's raw AT replies parsed by the firmware's own parser (the one that
// reads shared/data/at/replies.tsv), Wi-Fi and LTE from the shield box, the
// NMEA port, and faults that only the face shows (a dead or miscoloured LED).
#include "emu_process.hpp"
#include "firmware/core/radio/at_reply.hpp"
#include "firmware/emu/face/face_layout.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace bwc::test;
using nlohmann::json;
namespace radio = bwc::fw::radio;

namespace {

struct Cam {
    LineClient diag;
    LineClient phys;
    explicit Cam(const CameraPorts& p) : diag(p.diag), phys(p.physical) {
        BOOST_REQUIRE_EQUAL(diag.hello(), "OK BWC-DIAG 1");
        BOOST_REQUIRE_EQUAL(phys.hello(), "OK BWC-PHYS 1");
    }
    std::string ok(LineClient& c, const std::string& cmd) {
        const std::string r = c.command(cmd);
        BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0, cmd << " -> " << r);
        return r;
    }
    json state() { return json::parse(ok(diag, "STATE").substr(3)); }
    void power_on() {
        ok(phys, "PRESS power 300");
        ok(phys, "TIME ADVANCE 31000");
        BOOST_REQUIRE_EQUAL(state()["power"], "on");
    }
};

/// "OK \"\\r\\n+CSQ: 19,99…\"" → the raw bytes the modem sent.
std::string unescape_reply(const std::string& reply) {
    const auto start = reply.find('"');
    const auto end = reply.rfind('"');
    BOOST_REQUIRE(start != std::string::npos && end > start);
    std::string out;
    for (std::size_t i = start + 1; i < end; ++i) {
        if (reply[i] != '\\') {
            out += reply[i];
            continue;
        }
        const char e = reply[++i];
        out += e == 'r' ? '\r' : e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }
    return out;
}

radio::Response parse_at(const std::string& command, const std::string& reply) {
    radio::ResponseAssembler assembler;
    assembler.expect(command + "\r");
    assembler.feed(unescape_reply(reply));
    auto response = assembler.take_response();
    BOOST_REQUIRE_MESSAGE(response, "no complete response in " << reply);
    return *response;
}

/// Mean BGR inside a face region found from the layout and the ground-truth
/// homography of a square-on render (tilt 0).
cv::Scalar mean_in(const cv::Mat& image, bwc::fw::Model model, const std::string& name) {
    const bwc::emu::FaceLayout& layout = bwc::emu::face_layout(model);
    const auto regions = bwc::emu::project_regions(
        layout, bwc::emu::face_homography(layout, bwc::emu::RenderConditions{}));
    for (const auto& r : regions) {
        if (r.name != name)
            continue;
        std::vector<cv::Point> poly(r.polygon.begin(), r.polygon.end());
        cv::Mat mask = cv::Mat::zeros(image.size(), CV_8U);
        cv::fillConvexPoly(mask, poly, cv::Scalar(255));
        cv::erode(mask, mask, cv::Mat(), cv::Point(-1, -1), 3);
        return cv::mean(image, mask);
    }
    BOOST_FAIL("no region " << name);
    return {};
}

bool lit_red(const cv::Scalar& bgr) {
    return bgr[2] > 150 && bgr[1] < 90 && bgr[0] < 90;
}
bool lit(const cv::Scalar& bgr) {
    return std::max({bgr[0], bgr[1], bgr[2]}) > 150;
}

} // namespace

BOOST_AUTO_TEST_SUITE(emu_radios_face)

BOOST_AUTO_TEST_CASE(gnss_fix_from_a_replayed_real_log) {
    EmuProcess emu({"--camera", "model=w120,serial=G1"});
    Cam cam(emu.cameras().at(0));
    cam.power_on();
    const std::string r = cam.ok(cam.phys, "GNSS REPLAY " BWC_SHARED_DIR "/data/nmea/ublox-8.log");
    BOOST_TEST(field(r, "epochs") == "73");
    cam.ok(cam.phys, "TIME ADVANCE 20000");
    const std::string g = cam.ok(cam.diag, "GNSS");
    BOOST_TEST(field(g, "fix") == "yes");
    // gpsd's decode of ublox-8.log puts the receiver near 44.069 N, 121.314 W.
    BOOST_TEST(std::abs(std::stod(field(g, "lat")) - 44.069) < 0.001);
    BOOST_TEST(std::abs(std::stod(field(g, "lon")) + 121.314) < 0.001);
    const json s = cam.state();
    BOOST_TEST(s["radios"]["gnss"]["position"] == true);
    bool gps_icon_green = false;
    for (const auto& i : s["display"]["icons"])
        gps_icon_green = gps_icon_green || (i["icon"] == "gps" && i["colour"] == "green");
    BOOST_TEST(gps_icon_green);
}

BOOST_AUTO_TEST_CASE(scenario_position_and_the_nmea_port) {
    EmuProcess emu({"--camera", "model=w120,serial=G2", "--fault", "gnss.offset_m=100"});
    Cam cam(emu.cameras().at(0));
    LineClient nmea(emu.cameras().at(0).nmea, LineClient::Banner::None);
    cam.power_on();
    cam.ok(cam.phys, "GNSS SCENARIO lat=59.3293 lon=18.0686 alt=20 cn0=45 utc=2026-11-23T12:00:00");
    cam.ok(cam.phys, "TIME ADVANCE 60000");
    const std::string g = cam.ok(cam.diag, "GNSS");
    BOOST_TEST(field(g, "fix") == "yes");
    // The injected fault moves the reported position 100 m north: 0.000899 deg.
    const double north_m = (std::stod(field(g, "lat")) - 59.3293) * 111'195.0;
    BOOST_TEST(std::abs(north_m - 100.0) < 2.0, "offset " << north_m << " m");
    const std::string bytes = nmea.read_some(std::chrono::milliseconds(500));
    // A mixed GPS + GLONASS sky: combined "GN" talker for GGA and RMC.
    BOOST_TEST(bytes.find("$GNGGA,") != std::string::npos, bytes.substr(0, 200));
    BOOST_TEST(bytes.find("$GNRMC,") != std::string::npos);
    BOOST_TEST(bytes.find("\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(modem_replies_parse_with_the_firmware_parser) {
    EmuProcess emu({"--camera", "model=w120,serial=M1,imei=490154203237518"});
    Cam cam(emu.cameras().at(0));
    cam.ok(cam.phys, "RF LTE plmn=24001 name=Telia level=-75");
    cam.ok(cam.phys, "TIME ADVANCE 20000");
    auto csq = parse_at("AT+CSQ", cam.ok(cam.diag, "AT+CSQ"));
    BOOST_REQUIRE(csq.ok());
    auto q = radio::parse_csq(*csq.info_with_prefix("+CSQ:"));
    BOOST_REQUIRE(q);
    BOOST_TEST(q->rssi_dbm.value() == -75);
    auto imei = parse_at("AT+CGSN", cam.ok(cam.diag, "AT+CGSN"));
    BOOST_REQUIRE(imei.ok());
    auto parsed = radio::parse_imei(imei.info.at(0));
    BOOST_REQUIRE(parsed);
    BOOST_TEST(parsed->digits == "490154203237518");
    BOOST_TEST(radio::imei_luhn_valid(parsed->digits));
    auto cpin = parse_at("AT+CPIN?", cam.ok(cam.diag, "AT+CPIN?"));
    BOOST_REQUIRE(cpin.ok());
    BOOST_TEST(
        (radio::parse_cpin(*cpin.info_with_prefix("+CPIN:")).value() == radio::SimStatus::ready));
    auto bad = parse_at("AT+NOPE", cam.ok(cam.diag, "AT+NOPE"));
    BOOST_TEST(!bad.ok());
    // The firmware's own LTE manager registered on the same cell.
    cam.power_on();
    cam.ok(cam.phys, "TIME ADVANCE 30000");
    const json s = cam.state();
    BOOST_TEST(s["radios"]["lte"]["state"] == "registered");
    BOOST_TEST(s["radios"]["lte"]["imei"] == "490154203237518");
    BOOST_TEST(s["radios"]["submode"] == "LTE");
}

BOOST_AUTO_TEST_CASE(sim_and_modem_faults_show_on_the_mobile_icon) {
    EmuProcess emu({"--camera", "model=w120,serial=S1", "--fault", "sim.locked"});
    Cam cam(emu.cameras().at(0));
    cam.ok(cam.phys, "RF LTE plmn=24001");
    cam.power_on();
    cam.ok(cam.phys, "TIME ADVANCE 30000");
    const json s = cam.state();
    BOOST_TEST(s["radios"]["lte"]["state"] == "sim_puk_required");
    BOOST_TEST(s["radios"]["lte"]["icon"] == "error");
    BOOST_TEST((std::find(s["conditions"].begin(), s["conditions"].end(), "mobile_error") !=
                s["conditions"].end()));
}

BOOST_AUTO_TEST_CASE(wifi_from_the_shield_box_joined_through_the_diag_port) {
    for (auto [model, band, joins] : {std::tuple{"w120", "5", true}, std::tuple{"w100", "5", false},
                                      std::tuple{"w100", "2.4", true}}) {
        BOOST_TEST_CONTEXT(model << " on " << band << " GHz") {
            EmuProcess emu({"--camera", std::string("model=") + model + ",serial=W1"});
            Cam cam(emu.cameras().at(0));
            cam.ok(cam.phys, std::string("RF WIFI ADD ssid=Line4 psk=factory-key band=") + band);
            cam.power_on();
            cam.ok(cam.diag, "WIFI CONNECT Line4 factory-key");
            cam.ok(cam.phys, "TIME ADVANCE 5000");
            const std::string st = cam.ok(cam.diag, "WIFI STATUS");
            BOOST_TEST((field(st, "state") == "connected") == joins, st);
            if (joins)
                BOOST_TEST(!field(st, "ipv4").empty());
        }
    }
    EmuProcess emu({"--camera", "model=w120,serial=W2", "--fault", "wifi.wpa2_fail"});
    Cam cam(emu.cameras().at(0));
    cam.ok(cam.phys, "RF WIFI ADD ssid=Line4 psk=factory-key");
    cam.power_on();
    cam.ok(cam.diag, "WIFI CONNECT Line4 factory-key");
    cam.ok(cam.phys, "TIME ADVANCE 5000");
    BOOST_TEST(field(cam.ok(cam.diag, "WIFI STATUS"), "state") == "error");
}

BOOST_AUTO_TEST_CASE(led_faults_show_on_the_face_not_in_the_readout) {
    EmuProcess emu({"--camera", "model=w120,serial=L1", "--camera", "model=w120,serial=L2",
                    "--fault", "L1:led.recording_led.dead", "--fault",
                    "L2:led.recording_led.color=green"});
    const TempDir dir("bwc-face");
    for (int i = 0; i < 2; ++i) {
        Cam cam(emu.cameras().at(static_cast<std::size_t>(i)));
        cam.power_on();
        cam.ok(cam.phys, "PRESS record 300");
        cam.ok(cam.phys, "TIME ADVANCE 1000");
        // The firmware believes the recording LED is red…
        BOOST_TEST(cam.state()["lights"]["recording_led"]["colour"] == "red");
        // …but the face shows otherwise.
        const std::string png = dir.path() + "/face" + std::to_string(i) + ".png";
        cam.ok(cam.phys, "FACE file=" + png);
        const cv::Mat image = cv::imread(png);
        BOOST_REQUIRE(!image.empty());
        const cv::Scalar rec = mean_in(image, bwc::fw::Model::W120, "recording_led");
        const cv::Scalar front = mean_in(image, bwc::fw::Model::W120, "front_indicator");
        BOOST_TEST(lit_red(front), "front indicator lit red as usual");
        if (i == 0)
            BOOST_TEST(!lit(rec), "dead LED dark");
        else
            BOOST_TEST((lit(rec) && rec[1] > rec[2]), "miscoloured LED shows green");
    }
}

BOOST_AUTO_TEST_SUITE_END()
