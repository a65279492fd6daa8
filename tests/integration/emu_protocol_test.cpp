// bwc-emu as a separate process, driven over TCP only (firmware/PROTOCOL.md):
// handshake, identify, gestures at their ±150 ms boundaries in virtual time,
// dock/charge/undock, injected faults seen through the diag port, and
// robustness against bad lines and dropped clients.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <thread>

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kEmu = BWC_BINARY_DIR "/firmware/emu/bwc-emu";

json state(LineClient& diag) {
    const std::string r = diag.command("STATE");
    BOOST_REQUIRE_MESSAGE(r.rfind("OK {", 0) == 0, "STATE replied: " << r.substr(0, 200));
    return json::parse(r.substr(3));
}

struct Camera {
    LineClient diag;
    LineClient phys;
    explicit Camera(const CameraPorts& p) : diag(p.diag), phys(p.physical) {
        BOOST_REQUIRE_EQUAL(diag.hello(), "OK BWC-DIAG 1");
        BOOST_REQUIRE_EQUAL(phys.hello(), "OK BWC-PHYS 1");
    }
    void ok(LineClient& c, const std::string& cmd) {
        const std::string r = c.command(cmd);
        BOOST_REQUIRE_MESSAGE(r.rfind("OK", 0) == 0, cmd << " -> " << r);
    }
    void advance(long long ms) { ok(phys, "TIME ADVANCE " + std::to_string(ms)); }
    void press(const std::string& button, long long ms) {
        ok(phys, "PRESS " + button + " " + std::to_string(ms));
        advance(ms);
    }
    void power_on(long long boot_ms) {
        press("power", 300);
        advance(boot_ms);
        BOOST_REQUIRE_EQUAL(state(diag)["power"], "on");
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(emu_protocol)

BOOST_AUTO_TEST_CASE(handshake_is_versioned_and_required) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1"});
    LineClient diag(emu.cameras().at(0).diag);
    BOOST_TEST(diag.banner() == "BWC-DIAG 1 model=W120 serial=SN1");
    BOOST_TEST(diag.command("IDENTIFY").rfind("ERR not_ready", 0) == 0);
    BOOST_TEST(diag.command("HELLO BWC-DIAG 2") ==
               "ERR version_mismatch device speaks 1, client asked 2");
    BOOST_TEST(diag.command("HELLO BWC-PHYS 1").rfind("ERR bad_argument", 0) == 0);
    BOOST_TEST(diag.hello() == "OK BWC-DIAG 1");
    BOOST_TEST(diag.command("PING") == "OK PONG");
    LineClient phys(emu.cameras().at(0).physical);
    BOOST_TEST(phys.banner() == "BWC-PHYS 1 model=W120 serial=SN1");
}

BOOST_AUTO_TEST_CASE(identify_reports_the_command_line_identity) {
    EmuProcess emu({"--camera", "model=w100,serial=SN-100,mac=00:11:22:33:44:55", "--camera",
                    "model=w120,serial=SN-120,imei=490154203237518"});
    BOOST_REQUIRE_EQUAL(emu.cameras().size(), 2u);
    Camera w100(emu.cameras()[0]);
    const std::string id = w100.diag.command("IDENTIFY");
    BOOST_TEST(field(id, "model") == "W100");
    BOOST_TEST(field(id, "serial") == "SN-100");
    BOOST_TEST(field(id, "mac") == "00:11:22:33:44:55");
    BOOST_TEST(field(id, "firmware") == "1.9.0-ref");
    BOOST_TEST(!field(id, "battery_id").empty());
    Camera w120(emu.cameras()[1]);
    BOOST_TEST(field(w120.diag.command("IDENTIFY"), "imei") == "490154203237518");
}

BOOST_AUTO_TEST_CASE(gestures_fire_at_threshold_plus_150_not_minus_150) {
    // model, boot time, stop-recording hold (SPEC §2, §4)
    for (auto [model, boot_ms, stop_ms] :
         {std::tuple{"w100", 15000, 4000}, std::tuple{"w120", 30000, 3000}}) {
        BOOST_TEST_CONTEXT(model) {
            EmuProcess emu({"--camera", std::string("model=") + model + ",serial=G1"});
            Camera cam(emu.cameras().at(0));
            cam.ok(cam.diag, "SUBSCRIBE");
            cam.power_on(boot_ms);
            cam.press("record", 300);
            BOOST_TEST(state(cam.diag)["recording"]["active"] == true);
            cam.press("record", stop_ms - 150);
            BOOST_TEST(state(cam.diag)["recording"]["active"] == true);
            cam.press("record", stop_ms + 150);
            BOOST_TEST(state(cam.diag)["recording"]["active"] == false);
            // microphone and silent-mode toggles: hold 3 s on function / top
            cam.press("function", 2850);
            BOOST_TEST(state(cam.diag)["microphone_off"] == false);
            cam.press("function", 3150);
            BOOST_TEST(state(cam.diag)["microphone_off"] == true);
            cam.press("top", 2850);
            BOOST_TEST(state(cam.diag)["silent"] == false);
            cam.press("top", 3150);
            BOOST_TEST(state(cam.diag)["silent"] == true);
            // power off: hold 5 s
            cam.press("power", 4850);
            BOOST_TEST(state(cam.diag)["power"] == "on");
            cam.press("power", 5150);
            BOOST_TEST(state(cam.diag)["power"] == "off");
            // the event stream saw the gestures, with their device times
            const auto events = cam.diag.events();
            const auto has = [&](const std::string& text) {
                return std::any_of(events.begin(), events.end(), [&](const std::string& e) {
                    return e.find(text) != std::string::npos;
                });
            };
            BOOST_TEST(has("gesture record.hold." + std::to_string(stop_ms)));
            BOOST_TEST(has("action stop_recording"));
            BOOST_TEST(has("gesture power.hold.5000"));
        }
    }
}

BOOST_AUTO_TEST_CASE(w120_double_presses_bookmark_and_live_stream_over_tcp) {
    EmuProcess emu({"--camera", "model=w120,serial=DP1"});
    Camera cam(emu.cameras().at(0));
    // Without a SIM the camera streams over Wi-Fi (submode WLAN, SPEC §7).
    cam.ok(cam.phys, "SIM REMOVE");
    cam.ok(cam.phys, "RF WIFI ADD ssid=Live psk=live-key-1");
    cam.power_on(30'000);
    cam.ok(cam.diag, "WIFI CONNECT Live live-key-1");
    cam.advance(5'000);
    // Troubleshooting: double press top (releases 250 ms apart, inside the
    // 400 ms window) enters, press top turns the page, hold 5 s leaves.
    cam.ok(cam.phys, "PRESS top 100");
    cam.advance(250);
    cam.press("top", 100);
    cam.advance(500);
    BOOST_TEST(state(cam.diag)["troubleshooting_page"] == 1);
    cam.press("top", 100);
    cam.advance(500);
    BOOST_TEST(state(cam.diag)["troubleshooting_page"] == 2);
    cam.press("top", 5150);
    BOOST_TEST(state(cam.diag)["troubleshooting_page"] == 0);
    // Releases 550 ms apart are two single presses, not a double press.
    cam.ok(cam.phys, "PRESS top 100");
    cam.advance(550);
    cam.press("top", 100);
    cam.advance(500);
    BOOST_TEST(state(cam.diag)["troubleshooting_page"] == 0);
    // Live stream: double press function; it starts a recording too.
    cam.ok(cam.phys, "PRESS function 100");
    cam.advance(250);
    cam.press("function", 100);
    cam.advance(500);
    json s = state(cam.diag);
    BOOST_TEST(s["live_streaming"] == true);
    BOOST_TEST(s["recording"]["active"] == true);
    // Bookmark: one press of record while recording.
    cam.press("record", 300);
    BOOST_TEST(state(cam.diag)["recording"]["bookmarks"] == 1);
    cam.press("record", 3150);
    s = state(cam.diag);
    BOOST_TEST(s["live_streaming"] == false);
    BOOST_TEST(s["recording"]["active"] == false);
}

BOOST_AUTO_TEST_CASE(dock_charge_and_undock) {
    EmuProcess emu({"--camera", "model=w120,serial=D1,soc=20"});
    Camera cam(emu.cameras().at(0));
    cam.ok(cam.phys, "DOCK");
    cam.ok(cam.phys, "CONTROLLER link=1 added=1 user=\"Officer Dock\"");
    cam.advance(60'000);
    json s = state(cam.diag);
    BOOST_TEST(s["activity"] == "docked");
    BOOST_TEST(s["battery"]["charge_state"] == "charging");
    const int soc_before = s["battery"]["state_of_charge_percent"];
    cam.advance(3'600'000);
    const std::string gauge = cam.diag.command("GAUGE");
    BOOST_TEST(std::stoi(field(gauge, "soc")) > soc_before + 20);
    BOOST_TEST(std::stoi(field(gauge, "current_ma")) > 0);
    cam.ok(cam.phys, "TEMP 41");
    cam.advance(20'000);
    s = state(cam.diag);
    BOOST_TEST(s["battery"]["charge_state"] == "temperature_high");
    BOOST_TEST(s["sound"]["continuous"] == "continuous_beep");
    cam.ok(cam.phys, "UNDOCK");
    cam.advance(45'000);
    s = state(cam.diag);
    BOOST_TEST(s["docked"] == false);
    BOOST_TEST(s["power"] == "on");
    BOOST_TEST(s["activity"] == "idle");
}

BOOST_AUTO_TEST_CASE(faults_are_visible_through_the_diag_port) {
    EmuProcess emu({"--camera", "model=w120,serial=F1", "--camera", "model=w120,serial=F2",
                    "--fault", "F1:boot.hang", "--fault", "F2:button.record.threshold_ms=5000",
                    "--fault", "F2:storage.error"});
    Camera hung(emu.cameras()[0]);
    BOOST_TEST(hung.diag.command("FAULTS") == "OK boot.hang");
    hung.press("power", 300);
    hung.advance(120'000);
    BOOST_TEST(state(hung.diag)["power"] == "booting");

    Camera drifted(emu.cameras()[1]);
    BOOST_TEST(drifted.diag.command("FAULTS") ==
               "OK button.record.threshold_ms=5000 storage.error");
    drifted.power_on(30'000);
    const json s = state(drifted.diag);
    BOOST_TEST(s["storage"]["error"] == true);
    BOOST_TEST((std::find(s["conditions"].begin(), s["conditions"].end(), "storage_error") !=
                s["conditions"].end()));
    BOOST_TEST(field(drifted.diag.command("STORAGE"), "error") == "1");
}

BOOST_AUTO_TEST_CASE(bad_lines_get_named_errors_and_the_port_keeps_answering) {
    EmuProcess emu({"--camera", "model=w120,serial=R1"});
    Camera cam(emu.cameras().at(0));
    BOOST_TEST(cam.diag.command(std::string(2000, 'A')).rfind("ERR line_too_long", 0) == 0);
    BOOST_TEST(cam.diag.command("PING") == "OK PONG");
    BOOST_TEST(cam.diag
                   .command(std::string("ID\x01"
                                        "ENTIFY"))
                   .rfind("ERR bad_byte", 0) == 0);
    BOOST_TEST(cam.diag.command("FROBNICATE").rfind("ERR unknown_command 'FROBNICATE'", 0) == 0);
    BOOST_TEST(cam.phys.command("PRESS elbow 300") ==
               "ERR bad_argument the W120 has no button 'elbow' (power, record, function, top)");
    BOOST_TEST(cam.phys.command("PRESS power soon") ==
               "ERR bad_argument press duration (ms) wants a whole number, got 'soon'");
    BOOST_TEST(cam.phys.command("TEMP 300") ==
               "ERR bad_argument temperature (C) must be -40..85, got 300");
    BOOST_TEST(cam.phys.command("CONTROLLER link=maybe") ==
               "ERR bad_argument link wants 0 or 1, got 'maybe'");
    BOOST_TEST(cam.phys.command("DOCK colour=blue") ==
               "ERR bad_argument unknown argument 'colour='");
    cam.advance(100);
    BOOST_TEST(cam.phys.command("TIME UNTIL 5") ==
               "ERR bad_argument TIME UNTIL 5 is in the past (now_ms=100)");
    BOOST_TEST(cam.phys.command("TIME SIDEWAYS 5").rfind("ERR bad_argument TIME takes", 0) == 0);
    BOOST_TEST(cam.diag.command("STATE extra").rfind("ERR bad_argument", 0) == 0);
    BOOST_TEST(cam.diag.command("PING") == "OK PONG");
}

BOOST_AUTO_TEST_CASE(a_dropped_client_can_reconnect) {
    EmuProcess emu({"--camera", "model=w100,serial=C1"});
    {
        Camera cam(emu.cameras().at(0));
        cam.ok(cam.diag, "SUBSCRIBE");
        cam.press("power", 300); // connection dropped with events pending
    }
    Camera again(emu.cameras().at(0));
    again.advance(15'000);
    BOOST_TEST(state(again.diag)["power"] == "on");
    BOOST_TEST(emu.running());
}

BOOST_AUTO_TEST_CASE(bad_command_lines_are_refused_at_start) {
    auto r = run_program(kEmu, {"--fault", "led.status_led.purple"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("unknown fault 'led.status_led.purple'") != std::string::npos);
    r = run_program(kEmu, {"--fault", "led.status_led.color=purple"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("wants red|green|amber|blue|white|off, got 'purple'") !=
               std::string::npos);
    r = run_program(kEmu, {"--camera", "model=w100,serial=X", "--fault", "led.status_led.dead"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("the W100 has no LED 'status_led'") != std::string::npos);
    r = run_program(kEmu, {"--camera", "model=w100,serial=X", "--fault", "gnss.no_fix"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("does not apply to a W100") != std::string::npos);
    r = run_program(kEmu, {"--camera", "model=w999,serial=X"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("unknown model 'w999'") != std::string::npos);
    r = run_program(kEmu, {"--camera", "model=w120"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("serial=") != std::string::npos);
    r = run_program(kEmu, {"--list-faults"});
    BOOST_TEST(r.exit_code == 0);
    for (const char* name : {"button.<button>.threshold_ms", "led.<led>.color", "display.dead_rows",
                             "charger.ignore_temperature", "battery.capacity_pct", "gnss.offset_m",
                             "modem.imei", "sim.locked", "wifi.band", "boot.slow_ms",
                             "dock.pin.<pin>.resistance_mohm", "dock.vbus_mv"})
        BOOST_TEST(r.out.find(name) != std::string::npos, name);
}

BOOST_AUTO_TEST_CASE(factory_commands_battery_swap_and_real_time) {
    {
        EmuProcess emu({"--camera", "model=w100,serial=FC1"});
        Camera cam(emu.cameras().at(0));
        cam.power_on(15'000);
        cam.ok(cam.diag, "FACTORY SHIPPING");
        json s = state(cam.diag);
        BOOST_TEST(s["shipping_mode"] == true);
        BOOST_TEST(s["power"] == "shipping");
        cam.press("power", 300);
        cam.advance(20'000);
        BOOST_TEST(state(cam.diag)["power"] == "shipping"); // does not start
        BOOST_TEST(cam.diag.command("FACTORY LEDTEST purple") ==
                   "ERR bad_argument unknown colour 'purple' (red green amber blue white off)");
        cam.ok(cam.diag, "FACTORY LEDTEST blue");
        cam.ok(cam.diag, "FACTORY LEDTEST off");

        cam.ok(cam.phys, "BATTERY SWAP soc=40 capacity_mah=2800 id=ID1058-NEW");
        const std::string g = cam.diag.command("GAUGE");
        BOOST_TEST(field(g, "battery_id") == "ID1058-NEW");
        BOOST_TEST(field(g, "full_charge_mah") == "2800");
        BOOST_TEST(std::abs(std::stoi(field(g, "soc")) - 40) <= 1);
        BOOST_TEST(field(cam.diag.command("IDENTIFY"), "battery_id") == "ID1058-NEW");
    }
    EmuProcess emu({"--camera", "model=w120,serial=RT1", "--realtime"});
    Camera cam(emu.cameras().at(0));
    const std::string t0 = cam.phys.command("TIME");
    BOOST_TEST(field(t0, "mode") == "realtime");
    BOOST_TEST(cam.phys.command("TIME ADVANCE 1000").rfind("ERR wrong_state", 0) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const long long later = std::stoll(field(cam.phys.command("TIME"), "now_ms"));
    BOOST_TEST(later >= std::stoll(field(t0, "now_ms")) + 250, "the clock follows wall time");
}

BOOST_AUTO_TEST_SUITE_END()
