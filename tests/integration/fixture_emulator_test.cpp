// The fixture instruments end to end: bwc-emu (a W701 dock with three
// cameras) and the real bwc-fixtures program on its ports file, each
// instrument driven through its bench driver over TCP, and the effect checked
// on the camera through its diag port or on the dock through its dock port.
// Also: the framing every instrument shares, bwc-fixtures' command line and
// errors, and drivers facing a fake instrument that sends malformed replies.
#include "bench/device/camera_protocol.hpp"
#include "bench/device/dock_protocol.hpp"
#include "emu_process.hpp"
#include "firmware/core/model.hpp"
#include "fixtures/actuator/driver.hpp"
#include "fixtures/bayinst/driver.hpp"
#include "fixtures/gnss/driver.hpp"
#include "fixtures/psu/driver.hpp"
#include "fixtures/rfbox/driver.hpp"
#include "fixtures/thermal/driver.hpp"
#include "run_program.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <fstream>
#include <functional>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace bwc;
using namespace bwc::test;
using namespace bwc::fixtures;
using nlohmann::json;

namespace {

const std::string kFixtures = BWC_BINARY_DIR "/fixtures/bwc-fixtures";
constexpr std::int64_t kLatencyMs = 40;
constexpr double kSensorOffsetC = 0.5;

std::unique_ptr<bench::DeviceClient> client_for(int port, const std::string& protocol) {
    bench::Uri uri;
    uri.scheme = bench::Scheme::Tcp;
    uri.host = "127.0.0.1";
    uri.port = static_cast<std::uint16_t>(port);
    bench::ClientOptions options;
    options.reply_timeout = bench::Millis{20'000};
    auto client = std::make_unique<bench::DeviceClient>(uri, protocol, options);
    auto connected = client->connect();
    BOOST_REQUIRE_MESSAGE(connected.ok(), connected.error().message);
    return client;
}

template <class T>
const T& require(const bench::DeviceResult<T>& r) {
    BOOST_REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

json read_json_file(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

/// bwc-fixtures running on the ports file of `emu`, and what its ports file says.
struct FixturesProgram {
    std::unique_ptr<BackgroundProgram> program;
    json fixtures;

    FixturesProgram(const EmuProcess& emu, const TempDir& dir) {
        const std::string ports_path = dir.path() + "/fixtures.json";
        program = std::make_unique<BackgroundProgram>(
            kFixtures,
            std::vector<std::string>{
                "--emu-ports", emu.ports_file(), "--port-base", "0", "--ports-file", ports_path,
                "--actuator-latency-ms", std::to_string(kLatencyMs), "--thermal-offset-c", "0.5",
                "--gnss-logs", BWC_SHARED_DIR "/data/nmea", "--vision-size", "320x240"},
            dir.path());
        for (int i = 0; i < 400 && !std::ifstream(ports_path); ++i) {
            if (!program->running())
                BOOST_FAIL("bwc-fixtures exited: " << program->wait().err);
            std::this_thread::sleep_for(std::chrono::milliseconds(25));
        }
        BOOST_REQUIRE_MESSAGE(std::ifstream(ports_path), "bwc-fixtures wrote no ports file");
        fixtures = read_json_file(ports_path)["fixtures"];
    }

    const json& entry(const std::string& kind, std::optional<int> bay = std::nullopt) const {
        for (const json& f : fixtures)
            if (f["kind"] == kind && (bay ? f["bay"] == *bay : f["bay"].is_null()))
                return f;
        BOOST_FAIL("no " << kind << " in " << fixtures.dump());
        return fixtures;
    }
    std::unique_ptr<bench::DeviceClient> instrument(const std::string& kind,
                                                    std::optional<int> bay = std::nullopt) const {
        const json& e = entry(kind, bay);
        return client_for(e["port"], e["protocol"]);
    }
};

/// bwc-emu with SN1, SN2 (W120) and SN3 (W100) assigned to bays 1-3 of a
/// W701 whose bay 2 has a worn GND contact, and bwc-fixtures serving the
/// station's instruments on its ports file.
struct Station {
    EmuProcess emu{{"--camera", "model=w120,serial=SN1", "--camera", "model=w120,serial=SN2",
                    "--camera", "model=w100,serial=SN3", "--dock",
                    "model=w701,serial=D1,bays=SN1+SN2+SN3", "--fault",
                    "D1/2:dock.pin.gnd.resistance_mohm=20000"}};
    TempDir dir{"bwc-fixtures-test"};
    FixturesProgram fx{emu, dir};
    const json& fixtures = fx.fixtures;

    const json& entry(const std::string& kind, std::optional<int> bay = std::nullopt) const {
        return fx.entry(kind, bay);
    }
    std::unique_ptr<bench::DeviceClient> instrument(const std::string& kind,
                                                    std::optional<int> bay = std::nullopt) {
        return fx.instrument(kind, bay);
    }
    std::unique_ptr<bench::DeviceClient> camera_port(int bay, const std::string& protocol) {
        const CameraPorts& p = emu.cameras().at(static_cast<std::size_t>(bay - 1));
        return client_for(protocol == "BWC-DIAG" ? p.diag : p.physical, protocol);
    }
    std::unique_ptr<bench::DeviceClient> dock() {
        return client_for(emu.dock_port("D1"), "BWC-DOCK");
    }
};

std::string ok(bench::DeviceClient& c, const std::string& command) {
    auto r = c.command(command);
    BOOST_REQUIRE_MESSAGE(r.ok(), command << ": " << r.error().message);
    return *r;
}

json state_of(bench::DeviceClient& diag) {
    return require(bench::read_state(diag));
}

void power_on(bench::DeviceClient& diag, actuator::Driver& fingers, fw::Model model) {
    require(fingers.press(actuator::Button::Power, 300));
    require(bench::advance_time(diag, fw::model_spec(model).timing.boot_to_ready.count() + 1000));
    BOOST_REQUIRE(state_of(diag)["power"] == "on");
}

const bench::BayStatus& bay_of(const std::vector<bench::BayStatus>& bays, int bay) {
    for (const auto& b : bays)
        if (b.bay == bay)
            return b;
    BOOST_FAIL("the dock lists no bay " << bay);
    return bays.front();
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(fixture_emulator, Station)

BOOST_AUTO_TEST_CASE(every_instrument_is_listed_and_greets_with_its_protocol) {
    const std::map<std::string, std::string> protocols{
        {"actuator", "BWC-ACT"}, {"psu", "BWC-PSU"},  {"thermal", "BWC-THERM"},
        {"gnss", "BWC-GNSS"},    {"rfbox", "BWC-RF"}, {"bayinst", "BWC-BAYI"},
        {"vision", "BWC-VISION"}};
    for (int bay = 1; bay <= 3; ++bay) {
        BOOST_TEST(entry("actuator", bay)["camera"] == emu.cameras().at(bay - 1).serial);
        BOOST_TEST(entry("actuator", bay)["latency_ms"] == kLatencyMs);
        BOOST_TEST(entry("psu", bay)["camera"] == emu.cameras().at(bay - 1).serial);
    }
    BOOST_TEST(entry("bayinst")["dock"] == "D1");
    BOOST_TEST(entry("thermal")["cameras"].size() == 3u);
    for (const json& f : fixtures) {
        BOOST_TEST_CONTEXT(f.dump()) {
            BOOST_TEST(f["name"] == f["kind"]);
            BOOST_TEST(f["protocol"] == protocols.at(f["kind"]));
            // A shared instrument has no bay; a per-bay one names its bay.
            const bool per_bay =
                f["kind"] == "actuator" || f["kind"] == "psu" || f["kind"] == "vision";
            BOOST_TEST(f["bay"].is_null() == !per_bay);
            auto client = client_for(f["port"], f["protocol"]);
            BOOST_TEST(client->connected());
        }
    }
    // Six instruments of this issue's part: 2 per bay, 4 shared (vision comes on top).
    std::size_t mine = 0;
    for (const json& f : fixtures)
        mine += f["kind"] != "vision";
    BOOST_TEST(mine == 3u * 2u + 4u);
}

BOOST_AUTO_TEST_CASE(framing_is_the_same_as_the_cameras) {
    LineClient chamber(entry("thermal")["port"]);
    BOOST_TEST(chamber.banner().rfind("BWC-THERM 1 model=", 0) == 0u, chamber.banner());
    BOOST_TEST(chamber.command("PING") == "OK PONG");
    BOOST_TEST(chamber.command("READ") == "ERR not_ready send HELLO BWC-THERM 1 first");
    BOOST_TEST(chamber.command("HELLO BWC-THERM 2") ==
               "ERR version_mismatch instrument speaks 1, client asked 2");
    BOOST_TEST(chamber.command("HELLO BWC-ACT 1").rfind("ERR bad_argument", 0) == 0u);
    BOOST_TEST(chamber.hello() == "OK BWC-THERM 1");
    BOOST_TEST(chamber.command("FROB").rfind("ERR unknown_command 'FROB'", 0) == 0u);
    BOOST_TEST(chamber.command("SET").rfind("ERR missing_argument", 0) == 0u);
    BOOST_TEST(chamber.command("SET 86").rfind("ERR bad_argument celsius", 0) == 0u);
    chamber.send_raw(std::string("RE\x01"
                                 "AD\n"));
    BOOST_TEST(chamber.read_reply().rfind("ERR bad_byte", 0) == 0u);
    chamber.send_raw(std::string(3000, 'A') + "\n");
    BOOST_TEST(chamber.read_reply().rfind("ERR line_too_long", 0) == 0u);
    chamber.send_raw("\n   \n"); // blank lines are keep-alives: no reply
    BOOST_TEST(chamber.command("READ").rfind("OK setpoint_c=", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(actuator_presses_in_bay_time_after_its_latency) {
    auto diag = camera_port(1, "BWC-DIAG");
    auto act = instrument("actuator", 1);
    actuator::Driver fingers(*act);
    require(diag->subscribe());

    const std::int64_t before = require(bench::read_time(*diag)).now_ms;
    const auto press = require(fingers.press(actuator::Button::Power, 300));
    BOOST_TEST(press.closed_at_ms == before + kLatencyMs);
    BOOST_TEST(press.press_ms == 300);
    // The reply came when the press was over: the bay clock is there already.
    BOOST_TEST(require(bench::read_time(*diag)).now_ms == press.closed_at_ms + press.press_ms);
    require(
        bench::advance_time(*diag, fw::model_spec(fw::Model::W120).timing.boot_to_ready.count()));
    BOOST_REQUIRE(state_of(*diag)["power"] == "on");

    // A hold of the function button toggles the microphone when the model
    // table's threshold is reached, counted from the contact closing.
    std::optional<std::int64_t> threshold;
    for (const auto& g : fw::model_spec(fw::Model::W120).gestures)
        if (g.button == fw::Button::Function && g.kind == fw::GestureKind::Hold)
            threshold = g.hold_threshold.count();
    BOOST_REQUIRE(threshold);
    diag->take_events();
    const auto hold = require(fingers.press(actuator::Button::Function, *threshold + 150));
    ok(*diag, "PING"); // every event the press caused has arrived
    bool seen = false;
    for (const bench::DeviceEvent& e : diag->take_events()) {
        if (e.kind != "gesture" || e.what.rfind("function.hold", 0) != 0)
            continue;
        seen = true;
        BOOST_TEST(e.at_ms == hold.closed_at_ms + *threshold);
    }
    BOOST_TEST(seen);
    BOOST_TEST(state_of(*diag)["microphone_off"] == true);

    // Double press of top (releases inside the 400 ms window): troubleshooting.
    const auto dbl = require(fingers.double_press(actuator::Button::Top, 100, 150));
    BOOST_TEST(dbl.press_ms == 100);
    BOOST_TEST(dbl.gap_ms == 150);
    BOOST_TEST(dbl.second_press_ms == 100);
    require(bench::advance_time(*diag, 500));
    BOOST_TEST(state_of(*diag)["troubleshooting_page"] == 1);

    // DOWN / UP: a hold of any length, measured at the switch.
    const auto down = require(fingers.down(actuator::Button::Record));
    BOOST_TEST(state_of(*diag)["recording"]["active"] == false); // a press fires on release
    require(bench::advance_time(*diag, 1000));
    const auto up = require(fingers.up(actuator::Button::Record));
    BOOST_TEST(up.opened_at_ms == down.closed_at_ms + 1000 + kLatencyMs);
    BOOST_TEST(*up.press_ms == 1000 + kLatencyMs);
    // A finger held down cannot press again until it is lifted.
    require(fingers.down(actuator::Button::Top));
    const auto again = fingers.press(actuator::Button::Top, 100);
    BOOST_REQUIRE(!again.ok());
    BOOST_TEST(again.error().code == "wrong_state");
    require(fingers.up(actuator::Button::Top));
}

BOOST_AUTO_TEST_CASE(thermal_chamber_at_41_stops_charging_in_the_dock) {
    auto dock_port = dock();
    ok(*dock_port, "INSERT 1");
    ok(*dock_port, "INSERT 3");
    ok(*dock_port, "TIME ADVANCE 20000");
    auto bays = require(bench::read_bays(*dock_port));
    BOOST_TEST(bay_of(bays, 1).charge_ma > 0); // 80 % at 25 °C: charging

    auto chamber = instrument("thermal");
    thermal::Driver therm(*chamber);
    const auto before = require(therm.read());
    BOOST_TEST(!before.setpoint_c.has_value());
    BOOST_TEST(!before.settled);
    BOOST_TEST(require(therm.set(41)).setpoint_c == 41.0);
    const auto reading = require(therm.read());
    BOOST_TEST(*reading.setpoint_c == 41.0);
    BOOST_TEST(reading.temp_c == 41.0);
    BOOST_TEST(reading.settled);

    // Every camera in the chamber sits in air at set point − sensor offset.
    const int air_dc = static_cast<int>(std::lround((41.0 - kSensorOffsetC) * 10));
    for (int bay = 1; bay <= 3; ++bay) {
        auto diag = camera_port(bay, "BWC-DIAG");
        BOOST_TEST(*require(bench::read_gauge(*diag)).temperature_dc == air_dc);
    }
    ok(*dock_port, "TIME ADVANCE 20000");
    bays = require(bench::read_bays(*dock_port));
    BOOST_TEST(bay_of(bays, 1).charge_ma == 0); // outside the 0-40 °C window (SPEC §5)
    BOOST_TEST(bay_of(bays, 3).charge_ma == 0);
    auto diag1 = camera_port(1, "BWC-DIAG");
    BOOST_TEST(state_of(*diag1)["battery"]["charge_state"] == "temperature_high");

    // Back to 25 °C: charging resumes.
    require(therm.set(25));
    ok(*dock_port, "TIME ADVANCE 20000");
    BOOST_TEST(bay_of(require(bench::read_bays(*dock_port)), 1).charge_ma > 0);
}

BOOST_AUTO_TEST_CASE(psu_feeds_the_usb_input_and_reads_the_cameras_draw) {
    auto diag = camera_port(3, "BWC-DIAG");
    auto phys = camera_port(3, "BWC-PHYS");
    auto link = instrument("psu", 3);
    psu::Driver supply(*link);

    auto r = require(supply.read());
    BOOST_TEST((r.mode == psu::Mode::Off));
    BOOST_TEST(r.current_ma == 0);
    BOOST_TEST(state_of(*diag)["usb_power"] == false);

    require(supply.set_voltage(5000));
    const auto on = require(supply.output(true));
    BOOST_TEST(on.output);
    BOOST_TEST(state_of(*diag)["usb_power"] == true);
    require(bench::advance_time(*diag, 10'000));
    r = require(supply.read());
    BOOST_TEST((r.mode == psu::Mode::ConstantVoltage));
    BOOST_TEST(r.voltage_mv == 5000);
    // What flows is the camera's charge current plus what its electronics draw.
    const auto gauge = require(bench::read_gauge(*diag));
    BOOST_TEST(*gauge.current_ma > 0);
    BOOST_TEST(r.current_ma == *gauge.current_ma + fw::model_spec(fw::Model::W100).draw.off_ma);

    // A limit below that: constant current, the voltage sags.
    require(supply.set_current_limit(100));
    r = require(supply.read());
    BOOST_TEST((r.mode == psu::Mode::ConstantCurrent));
    BOOST_TEST(r.current_ma == 100);
    BOOST_TEST(r.voltage_mv < 5000);

    // 9 V is more than the camera's USB input takes: it disconnects.
    require(supply.set_current_limit(3000));
    require(supply.set_voltage(9000));
    BOOST_TEST(state_of(*diag)["usb_power"] == false);
    BOOST_TEST(require(supply.read()).current_ma == 0);
    require(supply.set_voltage(5000));
    BOOST_TEST(state_of(*diag)["usb_power"] == true);
    require(supply.output(false));
    BOOST_TEST(state_of(*diag)["usb_power"] == false);
    BOOST_TEST(field("OK " + ok(*phys, "SUPPLY"), "supply_ma") == "0");
}

BOOST_AUTO_TEST_CASE(gnss_simulator_gives_every_receiver_a_fix) {
    auto act = instrument("actuator", 1);
    actuator::Driver fingers(*act);
    auto diag = camera_port(1, "BWC-DIAG");
    power_on(*diag, fingers, fw::Model::W120);

    auto link = instrument("gnss");
    gnss::Driver sim(*link);
    gnss::Scenario sky;
    sky.lat = 59.3293;
    sky.lon = 18.0686;
    sky.alt_m = 20;
    sky.cn0_dbhz = 45;
    sky.utc = "2026-11-23T12:00:00";
    const auto status = require(sim.scenario(sky));
    BOOST_TEST((status.mode == gnss::Mode::Scenario));
    BOOST_TEST((*status.scenario == sky));
    BOOST_TEST((*require(sim.status()).scenario == sky));
    require(bench::advance_time(*diag, 60'000));
    const std::string g = ok(*diag, "GNSS");
    BOOST_TEST(field("OK " + g, "fix") != "none");
    BOOST_TEST(std::abs(std::stod(field("OK " + g, "lat")) - sky.lat) < 0.0001, g);
    BOOST_TEST(std::abs(std::stod(field("OK " + g, "lon")) - sky.lon) < 0.0001, g);

    // A recorded log by name; a name the simulator lacks is refused.
    const auto replay = require(sim.replay("ublox-8.log"));
    BOOST_TEST((replay.mode == gnss::Mode::Replay));
    BOOST_TEST(*replay.epochs > 0);
    const auto missing = sim.replay("no-such.log");
    BOOST_REQUIRE(!missing.ok());
    BOOST_TEST(missing.error().code == "bad_argument");
    BOOST_TEST((require(sim.off()).mode == gnss::Mode::Off));
}

BOOST_AUTO_TEST_CASE(rf_box_access_point_appears_in_every_cameras_scan) {
    auto link = instrument("rfbox");
    rfbox::Driver box(*link);
    rfbox::AccessPoint ap;
    ap.ssid = "Bench AP";
    ap.psk = "bench-key-1";
    ap.channel = 11;
    ap.level_dbm = -48;
    BOOST_TEST(require(box.add_access_point(ap)).access_points == 1);
    for (int bay : {1, 3}) { // a W120 and a W100 (2.4 GHz)
        auto diag = camera_port(bay, "BWC-DIAG");
        const json scan = json::parse(ok(*diag, "WIFI SCAN"));
        bool found = false;
        for (const json& seen : scan)
            if (seen["ssid"] == "Bench AP") {
                found = true;
                BOOST_TEST(seen["channel"] == 11);
                BOOST_TEST(std::abs(seen["rssi_dbm"].get<int>() - ap.level_dbm) <= 10);
            }
        BOOST_TEST(found, "bay " << bay << " scan " << scan.dump());
    }
    // The LTE cell: the W100 has no modem and is passed over, not an error.
    const auto cell = require(box.set_lte_cell({"24001", 20, -75, "Telia"}));
    BOOST_REQUIRE(cell.lte);
    BOOST_TEST(cell.lte->plmn == "24001");
    BOOST_TEST(!require(box.lte_off()).lte.has_value());
    BOOST_TEST(require(box.clear_wifi()).access_points == 0);
    auto diag = camera_port(1, "BWC-DIAG");
    BOOST_TEST(json::parse(ok(*diag, "WIFI SCAN")).empty());
}

BOOST_AUTO_TEST_CASE(bay_instrumentation_agrees_with_the_dock_and_sees_the_worn_contact) {
    auto dock_port = dock();
    for (int bay = 1; bay <= 3; ++bay)
        ok(*dock_port, "INSERT " + std::to_string(bay));
    ok(*dock_port, "TIME ADVANCE 20000");
    auto link = instrument("bayinst");
    bayinst::Driver instrument_driver(*link);
    const auto bays = require(bench::read_bays(*dock_port));
    for (int bay = 1; bay <= 4; ++bay) {
        BOOST_TEST_CONTEXT("bay " << bay) {
            const auto m = require(instrument_driver.measure(bay));
            const bench::BayStatus& b = bay_of(bays, bay);
            BOOST_TEST(m.present == b.present);
            BOOST_TEST(m.vbus_mv == b.vbus_mv);
            BOOST_TEST(m.charge_ma == b.charge_ma);
            BOOST_TEST(m.link == b.link);
            for (std::size_t i = 0; i < bayinst::kPins.size(); ++i)
                BOOST_TEST(m.pins_mohm[i] == b.pins_mohm.at(i).second, bayinst::kPins[i]);
        }
    }
    // The worn GND contact of bay 2 (--fault D1/2:dock.pin.gnd.resistance_mohm=20000):
    const auto worn = require(instrument_driver.measure(2));
    BOOST_TEST(worn.pins_mohm[1] == 20000);
    BOOST_TEST(worn.vbus_mv == 0); // no return path: no VBUS for the camera
    BOOST_TEST(worn.charge_ma == 0);
    const auto good = require(instrument_driver.measure(1));
    BOOST_TEST(good.pins_mohm[1] < 100); // the SPEC §9 EOL limit
    BOOST_TEST(good.charge_ma > 0);
    // Under load, VBUS drops by the current times the VBUS and GND contacts.
    const auto loaded = require(instrument_driver.measure(1, 2000));
    BOOST_TEST(loaded.load_ma == 2000);
    BOOST_TEST(loaded.vbus_mv ==
               good.vbus_mv - 2000 * (good.pins_mohm[0] + good.pins_mohm[1]) / 1000);
    const auto beyond = instrument_driver.measure(9);
    BOOST_REQUIRE(!beyond.ok());
    BOOST_TEST(beyond.error().code == "bad_argument");
}

BOOST_AUTO_TEST_CASE(stops_cleanly_on_sigterm) {
    fx.program->signal(SIGTERM);
    const ProgramResult r = fx.program->wait();
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.err.find("stopped") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixture_emulator_cli)

BOOST_AUTO_TEST_CASE(bad_ports_files_and_unreachable_ports_are_named) {
    TempDir dir("bwc-fixtures-cli");
    const std::string bad = dir.path() + "/bad.json";
    std::ofstream(bad) << R"({"cameras":[{"serial":"SN1","model":"W120"}]})";
    auto r = run_program(kFixtures, {"--emu-ports", bad, "--port-base", "0"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find(bad) != std::string::npos, r.err);
    BOOST_TEST(r.err.find("cameras[0] has no \"physical\" port") != std::string::npos, r.err);

    r = run_program(kFixtures, {"--emu-ports", dir.path() + "/missing.json"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("missing.json") != std::string::npos, r.err);

    const std::string closed = dir.path() + "/closed.json";
    const int port = unused_port();
    std::ofstream(closed) << R"({"cameras":[{"serial":"SNX","model":"W120","physical":)" << port
                          << "}]}";
    r = run_program(kFixtures, {"--emu-ports", closed, "--port-base", "0"});
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.err.find("SNX") != std::string::npos, r.err);
    BOOST_TEST(r.err.find(std::to_string(port)) != std::string::npos, r.err);

    r = run_program(kFixtures, {"--port-base", "0"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("--emu-ports") != std::string::npos);
    r = run_program(kFixtures, {"--emu-ports", bad, "--actuator-latency-ms", "-3"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("--actuator-latency-ms") != std::string::npos, r.err);
    r = run_program(kFixtures, {"--help"});
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out.find("--thermal-offset-c") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_slow_instrument_does_not_hold_up_the_others) {
    // In real time a press takes as long as it lasts. Two bays' actuators,
    // each serving in its own thread, press at once: on the bays' real-time
    // clocks the two presses overlap (one after the other, they could not).
    EmuProcess emu(
        {"--realtime", "--camera", "model=w120,serial=RT1", "--camera", "model=w120,serial=RT2"});
    TempDir dir("bwc-fixtures-rt");
    FixturesProgram fx(emu, dir);
    auto act1 = fx.instrument("actuator", 1);
    auto act2 = fx.instrument("actuator", 2);
    constexpr std::int64_t kPressMs = 1500;
    bench::DeviceResult<actuator::PressReply> first = bench::DeviceError{};
    std::thread presser(
        [&] { first = actuator::Driver(*act1).press(actuator::Button::Top, kPressMs); });
    const auto second = actuator::Driver(*act2).press(actuator::Button::Top, kPressMs);
    presser.join();
    const auto& a = require(first);
    const auto& b = require(second);
    BOOST_TEST(a.press_ms >= kPressMs); // measured on the bay's real-time clock
    BOOST_TEST(b.press_ms >= kPressMs);
    BOOST_TEST(a.closed_at_ms < b.closed_at_ms + b.press_ms);
    BOOST_TEST(b.closed_at_ms < a.closed_at_ms + a.press_ms);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// An instrument in the test: a TCP server that greets as `protocol`,
/// answers HELLO properly and every other command with `reply(command)`.
class FakeInstrument {
public:
    FakeInstrument(std::string protocol, std::function<std::string(const std::string&)> reply)
        : protocol_(std::move(protocol)), reply_(std::move(reply)) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOST_REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        BOOST_REQUIRE(::listen(listener_, 4) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~FakeInstrument() {
        stop_ = true;
        thread_.join();
        ::close(listener_);
    }
    int port() const { return port_; }

private:
    bool wait_readable(int fd) {
        pollfd p{fd, POLLIN, 0};
        while (!stop_)
            if (::poll(&p, 1, 50) > 0)
                return true;
        return false;
    }
    void serve() {
        while (wait_readable(listener_)) {
            const int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0)
                continue;
            send_line(fd, protocol_ + " 1 model=FAKE serial=F1");
            std::string buffer;
            char chunk[4096];
            while (wait_readable(fd)) {
                const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0)
                    break;
                buffer.append(chunk, static_cast<std::size_t>(n));
                for (std::size_t nl; (nl = buffer.find('\n')) != std::string::npos;) {
                    const std::string line = buffer.substr(0, nl);
                    buffer.erase(0, nl + 1);
                    send_line(fd, line.rfind("HELLO ", 0) == 0 ? "OK " + protocol_ + " 1"
                                                               : reply_(line));
                }
            }
            ::close(fd);
        }
    }
    static void send_line(int fd, const std::string& line) {
        const std::string out = line + "\n";
        ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
    }

    std::string protocol_;
    std::function<std::string(const std::string&)> reply_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

/// Each malformed reply makes the call a Protocol error naming the instrument
/// and quoting what it sent; `field` (if any) is named too.
template <class Call>
void expect_protocol_error(const std::string& protocol, const std::string& reply,
                           const std::string& field, Call call) {
    FakeInstrument fake(protocol, [&](const std::string&) { return reply; });
    auto client = client_for(fake.port(), protocol);
    const auto result = call(*client);
    BOOST_TEST_CONTEXT(protocol << " replying '" << reply << "'") {
        BOOST_REQUIRE(!result.ok());
        BOOST_TEST((result.error().kind == bench::DeviceError::Kind::Protocol));
        const std::string& m = result.error().message;
        BOOST_TEST(m.find(protocol + " FAKE F1 at tcp://127.0.0.1:" +
                          std::to_string(fake.port())) != std::string::npos,
                   m);
        BOOST_TEST(m.find(reply.substr(reply.rfind(' ') + 1, 6)) != std::string::npos, m);
        if (!field.empty())
            BOOST_TEST(m.find(field) != std::string::npos, m);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(fixture_drivers_malformed)

BOOST_AUTO_TEST_CASE(every_driver_turns_a_malformed_reply_into_a_protocol_error) {
    const auto press = [](bench::DeviceClient& c) {
        return actuator::Driver(c).press(actuator::Button::Power, 300);
    };
    expect_protocol_error("BWC-ACT", "OK closed_at_ms=12", "press_ms", press);
    expect_protocol_error("BWC-ACT", "OK closed_at_ms=12 press_ms=fast", "press_ms", press);
    expect_protocol_error("BWC-ACT", "OK closed_at_ms=-4 press_ms=300", "closed_at_ms", press);
    expect_protocol_error("BWC-ACT", "DONE closed", "", press);
    expect_protocol_error("BWC-ACT", "OK opened_at_ms=1 press_ms=x", "press_ms",
                          [](auto& c) { return actuator::Driver(c).up(actuator::Button::Top); });
    const auto read = [](bench::DeviceClient& c) { return thermal::Driver(c).read(); };
    expect_protocol_error("BWC-THERM", "OK setpoint_c=41 temp_c=hot settled=1", "temp_c", read);
    expect_protocol_error("BWC-THERM", "OK setpoint_c=41 temp_c=41 settled=2", "settled", read);
    expect_protocol_error("BWC-THERM", "OK 41.0", "", read);
    expect_protocol_error("BWC-PSU",
                          "OK output=1 set_mv=5000 limit_ma=3000 voltage_mv=5000 current_ma=9 "
                          "mode=boost",
                          "mode", [](auto& c) { return psu::Driver(c).read(); });
    expect_protocol_error("BWC-PSU", "OK output=on set_mv=5000 limit_ma=3000", "output",
                          [](auto& c) { return psu::Driver(c).output(true); });
    expect_protocol_error("BWC-GNSS",
                          "OK mode=scenario lat= lon= alt= utc= sats= cn0= level_dbm= "
                          "log= epochs=",
                          "lat", [](auto& c) { return gnss::Driver(c).status(); });
    expect_protocol_error("BWC-GNSS", "OK mode=replay", "lat",
                          [](auto& c) { return gnss::Driver(c).off(); });
    expect_protocol_error("BWC-RF", "OK aps=1 lte=1 plmn=abc band=20 level_dbm=-85", "plmn",
                          [](auto& c) { return rfbox::Driver(c).status(); });
    expect_protocol_error("BWC-RF", "OK aps=many lte=0 plmn= band= level_dbm=", "aps",
                          [](auto& c) { return rfbox::Driver(c).clear_wifi(); });
    expect_protocol_error("BWC-BAYI",
                          "OK bay=1 present=1 vbus_mohm=20 gnd_mohm=20 dp_mohm=20 dm_mohm=20 "
                          "id_mohm=20 vbus_mv=5000 load_ma=0 charge_ma=0",
                          "link", [](auto& c) { return bayinst::Driver(c).measure(1); });
    expect_protocol_error("BWC-BAYI",
                          "OK bay=1 present=1 vbus_mohm=-20 gnd_mohm=20 dp_mohm=20 dm_mohm=20 "
                          "id_mohm=20 vbus_mv=5000 load_ma=0 charge_ma=0 link=1",
                          "vbus_mohm", [](auto& c) { return bayinst::Driver(c).measure(1); });
}

BOOST_AUTO_TEST_CASE(an_instrument_refusal_is_an_answer_with_its_code) {
    FakeInstrument fake("BWC-THERM",
                        [](const std::string&) { return "ERR device compressor fault"; });
    auto client = client_for(fake.port(), "BWC-THERM");
    const auto set = thermal::Driver(*client).set(41);
    BOOST_REQUIRE(!set.ok());
    BOOST_TEST((set.error().kind == bench::DeviceError::Kind::Refused));
    BOOST_TEST(set.error().code == "device");
    BOOST_TEST(set.error().message.find("compressor fault") != std::string::npos);
    // The connection stays usable after a refusal and after a malformed reply.
    BOOST_TEST(client->connected());
}

BOOST_AUTO_TEST_SUITE_END()
