// The physical port's SUPPLY readout (firmware/PROTOCOL.md) over TCP: what a
// supply feeding the camera measures — the charger's current into the cell
// plus the electronics' draw, from external power only while it is present —
// checked against the fuel gauge and the model table's power draw.
#include "emu_process.hpp"
#include "firmware/core/model.hpp"

#include <boost/test/unit_test.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <utility>

using namespace bwc::test;

namespace {

/// The reply to `command`, which must be OK.
std::string ok(LineClient& port, const std::string& command) {
    const std::string reply = port.command(command);
    BOOST_REQUIRE_MESSAGE(reply.rfind("OK", 0) == 0, command << " -> " << reply);
    return reply;
}

/// A whole-number field of a reply, which must be there.
long long number(const std::string& reply, const std::string& key) {
    const std::string value = field(reply, key);
    BOOST_REQUIRE_MESSAGE(!value.empty(), "no " << key << "= in " << reply);
    return std::stoll(value);
}

/// The camera's diag and physical ports, greeted.
std::pair<std::unique_ptr<LineClient>, std::unique_ptr<LineClient>> ports(const CameraPorts& p) {
    auto diag = std::make_unique<LineClient>(p.diag);
    auto phys = std::make_unique<LineClient>(p.physical);
    BOOST_REQUIRE_EQUAL(diag->hello(), "OK BWC-DIAG 1");
    BOOST_REQUIRE_EQUAL(phys->hello(), "OK BWC-PHYS 1");
    return {std::move(diag), std::move(phys)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(emu_supply)

BOOST_AUTO_TEST_CASE(supply_current_is_charge_plus_system_draw_from_external_power_only) {
    const bwc::fw::ModelSpec& spec = bwc::fw::model_spec(bwc::fw::Model::W120);
    EmuProcess emu({"--camera", "model=w120,serial=S1,soc=50"});
    auto [diag, phys] = ports(emu.cameras().at(0));

    // On its battery: nothing from a supply; the electronics (off) draw from the cell.
    std::string s = ok(*phys, "SUPPLY");
    BOOST_TEST(number(s, "external") == 0);
    BOOST_TEST(number(s, "supply_ma") == 0);
    BOOST_TEST(number(s, "charge_ma") == 0);
    BOOST_TEST(number(s, "system_ma") == spec.draw.off_ma);

    // A USB charger: the charger's current shows in the gauge and in the supply.
    ok(*phys, "USB 1");
    ok(*phys, "TIME ADVANCE 10000");
    s = ok(*phys, "SUPPLY");
    const long long gauge_ma = number(ok(*diag, "GAUGE"), "current_ma");
    BOOST_TEST(gauge_ma > 0); // half full at room temperature: charging
    BOOST_TEST(number(s, "external") == 1);
    BOOST_TEST(number(s, "charge_ma") == gauge_ma);
    BOOST_TEST(number(s, "supply_ma") == gauge_ma + spec.draw.off_ma);

    // Powered on, the electronics draw their standby current from the supply too.
    ok(*phys, "PRESS power 300");
    ok(*phys, "TIME ADVANCE " + std::to_string(spec.timing.boot_to_ready.count() + 1000));
    BOOST_REQUIRE(nlohmann::json::parse(ok(*diag, "STATE").substr(3))["power"] == "on");
    s = ok(*phys, "SUPPLY");
    BOOST_TEST(number(s, "system_ma") == spec.draw.standby_ma);
    BOOST_TEST(number(s, "supply_ma") == number(s, "charge_ma") + spec.draw.standby_ma);

    // Unplugged: the supply sees nothing, the cell carries the load.
    ok(*phys, "USB 0");
    s = ok(*phys, "SUPPLY");
    BOOST_TEST(number(s, "external") == 0);
    BOOST_TEST(number(s, "supply_ma") == 0);
    BOOST_TEST(number(s, "system_ma") == spec.draw.standby_ma);
    BOOST_TEST(number(ok(*diag, "GAUGE"), "current_ma") == -spec.draw.standby_ma);
}

BOOST_AUTO_TEST_CASE(supply_in_a_dock_and_with_a_dead_charger) {
    EmuProcess emu({"--camera", "model=w100,serial=S2,soc=40", "--fault", "S2:charger.dead"});
    auto [diag, phys] = ports(emu.cameras().at(0));
    ok(*phys, "DOCK vbus=1");
    ok(*phys, "TIME ADVANCE 10000");
    const std::string s = ok(*phys, "SUPPLY");
    BOOST_TEST(number(s, "external") == 1);
    BOOST_TEST(number(s, "charge_ma") == 0); // commanded, but no current flows
    BOOST_TEST(number(s, "supply_ma") == number(s, "system_ma"));
    BOOST_TEST(phys->command("SUPPLY now").rfind("ERR bad_argument", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
