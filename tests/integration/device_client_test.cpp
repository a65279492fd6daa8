// The bench's device clients (bench/device/) against bwc-emu run as a
// separate process over TCP: camera identity, the bay clock, events of a
// button press with their device times, the STATE snapshot, the dock's
// identity and bays, reconnecting after the client closed, and a device
// that goes away mid-session ending in a Transport error, never a hang.
#include "bench/device/camera_protocol.hpp"
#include "bench/device/device_client.hpp"
#include "bench/device/dock_protocol.hpp"
#include "emu_process.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>

using namespace bwc::bench;
using bwc::test::EmuProcess;
using Kind = DeviceError::Kind;

namespace {

Uri local(int port) {
    auto uri = parse_uri("tcp://127.0.0.1:" + std::to_string(port));
    BOOST_TEST_REQUIRE(uri.ok(), uri.error());
    return *uri;
}

ClientOptions options() {
    ClientOptions o;
    o.reply_timeout = Millis{10'000};
    o.reconnect_backoff = Millis{20};
    return o;
}

/// A connected client of `protocol` on `port`.
std::unique_ptr<DeviceClient> open_client(int port, const std::string& protocol) {
    auto client = std::make_unique<DeviceClient>(local(port), protocol, options());
    const auto st = client->connect();
    BOOST_TEST_REQUIRE(st.ok(), st.error().message);
    return client;
}

struct Camera {
    std::unique_ptr<DeviceClient> diag;
    std::unique_ptr<DeviceClient> physical;
    explicit Camera(const bwc::test::CameraPorts& ports)
        : diag(open_client(ports.diag, "BWC-DIAG")),
          physical(open_client(ports.physical, "BWC-PHYS")) {}
};

template <class T>
const T& ok(const DeviceResult<T>& r) {
    BOOST_TEST_REQUIRE(r.ok(), r.error().message);
    return r.value();
}

/// Events seen on the diag port up to now: a PING round trip first, so every
/// event published before it (for a command on the physical port) has arrived.
std::vector<DeviceEvent> events_so_far(DeviceClient& diag) {
    ok(diag.command("PING"));
    return diag.take_events();
}

bool has_event(const std::vector<DeviceEvent>& events, const std::string& kind,
               const std::string& what, std::int64_t at_ms) {
    return std::any_of(events.begin(), events.end(), [&](const DeviceEvent& e) {
        return e.kind == kind && e.what == what && e.at_ms == at_ms;
    });
}

} // namespace

BOOST_AUTO_TEST_SUITE(device_client_emu)

BOOST_AUTO_TEST_CASE(identify_cameras_of_both_models) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1,mac=02:00:00:00:00:01", "--camera",
                    "model=w100,serial=SN2"});
    Camera w120(emu.cameras().at(0));
    BOOST_TEST(w120.diag->describe() ==
               "BWC-DIAG W120 SN1 at tcp://127.0.0.1:" + std::to_string(emu.cameras()[0].diag));
    const CameraIdentity a = ok(identify_camera(*w120.diag));
    BOOST_TEST(a.model == "W120");
    BOOST_TEST(a.serial == "SN1");
    BOOST_TEST(a.mac == "02:00:00:00:00:01");
    BOOST_TEST(a.imei.size() == 15u); // the W120 has a modem
    BOOST_TEST(!a.firmware.empty());
    BOOST_TEST(!a.battery_id.empty());
    Camera w100(emu.cameras().at(1));
    const CameraIdentity b = ok(identify_camera(*w100.diag));
    BOOST_TEST(b.model == "W100");
    BOOST_TEST(b.imei.empty()); // no modem
    const GaugeReading g = ok(read_gauge(*w100.diag));
    BOOST_TEST(g.present);
    BOOST_TEST(g.battery_id == b.battery_id);
    BOOST_TEST(g.voltage_mv.has_value());
}

BOOST_AUTO_TEST_CASE(time_moves_only_when_advanced) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1"});
    Camera cam(emu.cameras().at(0));
    const DeviceTime start = ok(read_time(*cam.diag));
    BOOST_TEST(start.virtual_time);
    BOOST_TEST(ok(advance_time(*cam.physical, 1234)) == start.now_ms + 1234);
    BOOST_TEST(ok(read_time(*cam.diag)).now_ms == start.now_ms + 1234); // one clock per bay
    BOOST_TEST(ok(advance_until(*cam.diag, start.now_ms + 5000)) == start.now_ms + 5000);
    const auto past = advance_until(*cam.diag, start.now_ms + 10);
    BOOST_TEST_REQUIRE(!past.ok());
    BOOST_TEST((past.error().kind == Kind::Refused));
    BOOST_TEST(past.error().code == "bad_argument");
    BOOST_TEST(past.error().message.find("SN1") != std::string::npos, past.error().message);
}

BOOST_AUTO_TEST_CASE(a_press_gives_gesture_and_action_events_at_device_time) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1"});
    Camera cam(emu.cameras().at(0));
    BOOST_TEST_REQUIRE(cam.diag->subscribe().ok());
    const std::int64_t t0 = ok(read_time(*cam.diag)).now_ms;
    BOOST_TEST_REQUIRE(press_button(*cam.physical, "power", 300).ok());
    ok(advance_time(*cam.physical, 300));
    const auto events = events_so_far(*cam.diag);
    BOOST_TEST(has_event(events, "gesture", "power.press", t0 + 300));
    BOOST_TEST(has_event(events, "action", "power_on", t0 + 300));
}

BOOST_AUTO_TEST_CASE(state_is_the_schema_1_snapshot) {
    EmuProcess emu({"--camera", "model=w100,serial=ST1"});
    Camera cam(emu.cameras().at(0));
    const nlohmann::json state = ok(read_state(*cam.diag));
    BOOST_TEST(state["schema"] == 1);
    BOOST_TEST(state["identity"]["serial"] == "ST1");
    BOOST_TEST(state["power"] == "off");
    BOOST_TEST_REQUIRE(set_button(*cam.physical, "power", true).ok());
    ok(advance_time(*cam.physical, 300));
    BOOST_TEST_REQUIRE(set_button(*cam.physical, "power", false).ok());
    ok(advance_time(*cam.physical, 20'000));
    BOOST_TEST(ok(read_state(*cam.diag))["power"] == "on");
}

BOOST_AUTO_TEST_CASE(dock_identity_and_bays) {
    EmuProcess emu(
        {"--camera", "model=w120,serial=SN1", "--dock", "model=w701,serial=D1,bays=SN1+-"});
    auto dock = open_client(emu.dock_port("D1"), "BWC-DOCK");
    const DockIdentity id = ok(identify_dock(*dock));
    BOOST_TEST(id.model == "W701");
    BOOST_TEST(id.serial == "D1");
    ok(dock->command("INSERT 1"));
    const std::vector<BayStatus> bays = ok(read_bays(*dock));
    BOOST_TEST_REQUIRE(bays.size() == static_cast<std::size_t>(id.bays));
    BOOST_TEST(bays[0].bay == 1);
    BOOST_TEST(bays[0].serial.value_or("") == "SN1");
    BOOST_TEST(bays[0].present);
    BOOST_TEST(bays[0].pins_mohm.size() == 5u);
    BOOST_TEST(!bays[1].serial.has_value());
    BOOST_TEST(!bays[1].present);
}

BOOST_AUTO_TEST_CASE(reconnect_after_close_resubscribes) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1"});
    Camera cam(emu.cameras().at(0));
    BOOST_TEST_REQUIRE(cam.diag->subscribe().ok());
    cam.diag->close();
    BOOST_TEST(!cam.diag->connected());
    BOOST_TEST((cam.diag->command("PING").error().kind == Kind::Transport));
    const auto st = cam.diag->reconnect();
    BOOST_TEST_REQUIRE(st.ok(), st.error().message);
    BOOST_TEST(ok(identify_camera(*cam.diag)).serial == "SN1");
    // Events flow again without a new SUBSCRIBE from the caller.
    const std::int64_t t0 = ok(read_time(*cam.physical)).now_ms;
    BOOST_TEST_REQUIRE(press_button(*cam.physical, "power", 300).ok());
    ok(advance_time(*cam.physical, 300));
    BOOST_TEST(has_event(events_so_far(*cam.diag), "gesture", "power.press", t0 + 300));
}

BOOST_AUTO_TEST_CASE(a_stopped_emulator_is_a_lost_device_not_a_hang) {
    EmuProcess emu({"--camera", "model=w120,serial=SN1"});
    Camera cam(emu.cameras().at(0));
    ok(identify_camera(*cam.diag));
    emu.stop();
    const auto r = cam.diag->command("IDENTIFY");
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST((r.error().kind == Kind::Transport));
    BOOST_TEST(r.error().message.find("BWC-DIAG W120 SN1") != std::string::npos, r.error().message);
    BOOST_TEST(r.error().message.find("device lost") != std::string::npos, r.error().message);
    BOOST_TEST(!cam.diag->connected());
    const auto again = cam.diag->reconnect();
    BOOST_TEST_REQUIRE(!again.ok());
    BOOST_TEST((again.error().kind == Kind::Transport));
    BOOST_TEST(again.error().message.find("gave up") != std::string::npos, again.error().message);
}

BOOST_AUTO_TEST_SUITE_END()
