// Unit tests for the factory state readout's JSON wire form (snapshot.hpp, to_json), suite
// "snapshot": the JSON parses (nlohmann/json) in every state we can reach, carries schema ==
// kSnapshotSchema and every top-level key in a fixed order, is byte-identical for identical
// states, keeps the key order of every nested object across states, escapes strings, and says
// the same as the Snapshot struct it was written from (checked field by field for a recording,
// a docked and charging, and a silent camera, among others).
#include "firmware/core/snapshot.hpp"
#include "firmware/host/sim_camera.hpp"
#include "sim_fixtures.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

using namespace bwc::fw;
using namespace bwc::fixtures;
using bwc::host::SimCamera;
using bwc::host::SimCameraOptions;
using Json = nlohmann::ordered_json; // keeps the keys in the order they were written

namespace {

/// The wire contract: every top-level key, in order (snapshot.hpp: "keys are stable").
const std::vector<std::string> kTopLevelKeys = {
    "schema",
    "at_ms",
    "model",
    "identity",
    "firmware_version",
    "power",
    "activity",
    "docked",
    "vbus",
    "usb_power",
    "shipping_mode",
    "added_to_system",
    "user",
    "profile",
    "silent",
    "microphone_off",
    "locked",
    "live_streaming",
    "certificate_valid",
    "certificate_expires_at_ms",
    "ready_to_undock",
    "troubleshooting_page",
    "recording",
    "firmware_update_percent",
    "lights",
    "display",
    "sound",
    "battery",
    "storage",
    "radios",
    "conditions",
};

Json parse(const Snapshot& s) {
    const std::string text = to_json(s);
    Json j;
    BOOST_REQUIRE_NO_THROW(j = Json::parse(text));
    BOOST_REQUIRE(j.is_object());
    return j;
}

std::vector<std::string> keys_of(const Json& object) {
    std::vector<std::string> keys;
    for (auto it = object.begin(); it != object.end(); ++it)
        keys.push_back(it.key());
    return keys;
}

/// Every object's key list by its path ("/radios/lte"); arrays contribute their first element's
/// keys under "path[]" so icon / bar objects are compared too.
void collect_shapes(const Json& j, const std::string& path,
                    std::map<std::string, std::vector<std::string>>& out) {
    if (j.is_object()) {
        out[path] = keys_of(j);
        for (auto it = j.begin(); it != j.end(); ++it)
            collect_shapes(it.value(), path + "/" + it.key(), out);
    } else if (j.is_array() && !j.empty()) {
        collect_shapes(j.front(), path + "[]", out);
    }
}

template <class T>
void check_optional(const Json& j, const std::optional<T>& v, const std::string& what) {
    if (!v) {
        BOOST_TEST(j.is_null(), what << " should be null");
        return;
    }
    BOOST_TEST_CONTEXT(what) {
        BOOST_TEST(j.get<T>() == *v);
    }
}

void check_light(const Json& j, const LightState& l) {
    BOOST_TEST(keys_of(j) == (std::vector<std::string>{"colour", "pattern", "period_ms"}));
    BOOST_TEST(j["colour"].get<std::string>() == to_string(l.colour));
    BOOST_TEST(j["pattern"].get<std::string>() == to_string(l.pattern));
    BOOST_TEST(j["period_ms"].get<std::int64_t>() == l.period.count());
}

/// Field by field: the JSON says what the struct says.
void check_agrees(const Snapshot& s, const Json& j) {
    BOOST_TEST(keys_of(j) == kTopLevelKeys);
    BOOST_TEST(j["schema"].get<int>() == kSnapshotSchema);
    BOOST_TEST(j["schema"].get<int>() == s.schema);
    BOOST_TEST(j["at_ms"].get<std::int64_t>() == s.at.count());
    BOOST_TEST(j["model"].get<std::string>() == to_string(s.model));
    BOOST_TEST(j["identity"]["serial"].get<std::string>() == s.identity.serial);
    BOOST_TEST(j["identity"]["hardware_revision"].get<std::string>() ==
               s.identity.hardware_revision);
    BOOST_TEST(j["identity"]["imei"].get<std::string>() == s.identity.imei);
    BOOST_TEST(j["identity"]["mac"].get<std::string>() == s.identity.mac);
    BOOST_TEST(j["firmware_version"].get<std::string>() == s.firmware_version);
    BOOST_TEST(j["power"].get<std::string>() == to_string(s.power));
    BOOST_TEST(j["activity"].get<std::string>() == to_string(s.activity));
    BOOST_TEST(j["docked"].get<bool>() == s.docked);
    BOOST_TEST(j["vbus"].get<bool>() == s.vbus);
    BOOST_TEST(j["usb_power"].get<bool>() == s.usb_power);
    BOOST_TEST(j["shipping_mode"].get<bool>() == s.shipping_mode);
    BOOST_TEST(j["added_to_system"].get<bool>() == s.added_to_system);
    check_optional(j["user"], s.user, "user");
    BOOST_TEST(j["profile"].get<std::string>() == s.profile);
    BOOST_TEST(j["silent"].get<bool>() == s.silent);
    BOOST_TEST(j["microphone_off"].get<bool>() == s.microphone_off);
    BOOST_TEST(j["locked"].get<bool>() == s.locked);
    BOOST_TEST(j["live_streaming"].get<bool>() == s.live_streaming);
    BOOST_TEST(j["certificate_valid"].get<bool>() == s.certificate_valid);
    std::optional<std::int64_t> expires;
    if (s.certificate_expires_at)
        expires = s.certificate_expires_at->count();
    check_optional(j["certificate_expires_at_ms"], expires, "certificate_expires_at_ms");
    BOOST_TEST(j["ready_to_undock"].get<bool>() == s.ready_to_undock);
    BOOST_TEST(j["troubleshooting_page"].get<int>() == s.troubleshooting_page);
    BOOST_TEST(j["recording"]["active"].get<bool>() == s.recording);
    BOOST_TEST(j["recording"]["for_ms"].get<std::int64_t>() == s.recording_for.count());
    BOOST_TEST(j["recording"]["prebuffer_ms"].get<std::int64_t>() == s.prebuffer.count());
    BOOST_TEST(j["recording"]["bookmarks"].get<int>() == s.bookmarks);
    check_optional(j["firmware_update_percent"], s.firmware_update_percent,
                   "firmware_update_percent");

    // Lights: one key per indicator, in the snapshot's (model-table) order.
    const Json& lights = j["lights"];
    BOOST_REQUIRE_EQUAL(lights.size(), s.lights.size());
    std::size_t n = 0;
    for (auto it = lights.begin(); it != lights.end(); ++it, ++n) {
        BOOST_TEST(it.key() == to_string(s.lights[n].indicator));
        check_light(it.value(), s.lights[n].light);
    }

    const Json& d = j["display"];
    BOOST_TEST(d["on"].get<bool>() == s.display.on);
    BOOST_REQUIRE_EQUAL(d["icons"].size(), s.display.icons.size());
    for (std::size_t i = 0; i < s.display.icons.size(); ++i) {
        const IconState& want = s.display.icons[i];
        const Json& got = d["icons"][i];
        BOOST_TEST(got["icon"].get<std::string>() == to_string(want.icon));
        BOOST_TEST(got["colour"].get<std::string>() == to_string(want.colour));
        BOOST_TEST(got["pattern"].get<std::string>() == to_string(want.pattern));
        BOOST_TEST(got["period_ms"].get<std::int64_t>() == want.period.count());
        BOOST_TEST(got["level"].get<int>() == want.level);
    }
    BOOST_TEST(d["text"].get<std::vector<std::string>>() == s.display.text);
    BOOST_REQUIRE_EQUAL(d["bars"].size(), s.display.bars.size());
    for (std::size_t i = 0; i < s.display.bars.size(); ++i) {
        BOOST_TEST(d["bars"][i]["icon"].get<std::string>() == to_string(s.display.bars[i].icon));
        BOOST_TEST(d["bars"][i]["percent"].get<int>() == s.display.bars[i].percent);
    }

    const Json& snd = j["sound"];
    std::optional<std::string> continuous;
    if (s.sound.continuous)
        continuous = std::string(to_string(*s.sound.continuous));
    std::optional<std::string> last;
    if (s.sound.last)
        last = std::string(to_string(*s.sound.last));
    check_optional(snd["continuous"], continuous, "sound.continuous");
    check_optional(snd["last"], last, "sound.last");
    BOOST_TEST(snd["last_at_ms"].get<std::int64_t>() == s.sound.last_at.count());
    BOOST_TEST(snd["played"].get<std::uint64_t>() == s.sound.played);

    const Json& b = j["battery"];
    const GaugeReading& g = s.battery.gauge;
    BOOST_TEST(b["voltage_mv"].get<std::int32_t>() == g.voltage_mv);
    BOOST_TEST(b["current_ma"].get<std::int32_t>() == g.current_ma);
    BOOST_TEST(b["temperature_dc"].get<std::int32_t>() == g.temperature_dc);
    BOOST_TEST(b["state_of_charge_percent"].get<std::int32_t>() == g.state_of_charge_percent);
    BOOST_TEST(b["remaining_mah"].get<std::int32_t>() == g.remaining_mah);
    BOOST_TEST(b["full_charge_mah"].get<std::int32_t>() == g.full_charge_mah);
    BOOST_TEST(b["cycle_count"].get<std::int32_t>() == g.cycle_count);
    BOOST_TEST(b["battery_id"].get<std::string>() == g.battery_id);
    BOOST_TEST(b["present"].get<bool>() == g.present);
    BOOST_TEST(b["level"].get<std::string>() == to_string(s.battery.level));
    BOOST_TEST(b["time_left_ms"].get<std::int64_t>() == s.battery.time_left.count());
    BOOST_TEST(b["external_power"].get<bool>() == s.battery.external_power);
    BOOST_TEST(b["charge_current_set_ma"].get<std::int32_t>() == s.battery.charge.current_ma);
    BOOST_TEST(b["charge_state"].get<std::string>() == to_string(s.battery.charge.reason));
    BOOST_TEST(b["charge_target_percent"].get<std::int32_t>() == s.battery.charge.target_percent);

    const Json& st = j["storage"];
    BOOST_TEST(st["capacity_bytes"].get<std::int64_t>() == s.storage.status.capacity_bytes);
    BOOST_TEST(st["used_bytes"].get<std::int64_t>() == s.storage.status.used_bytes);
    BOOST_TEST(st["pending_offload_bytes"].get<std::int64_t>() ==
               s.storage.status.pending_offload_bytes);
    BOOST_TEST(st["error"].get<bool>() == s.storage.status.error);
    BOOST_TEST(st["level"].get<std::string>() == to_string(s.storage.level));
    BOOST_TEST(st["recording_left_ms"].get<std::int64_t>() == s.storage.recording_left.count());
    BOOST_TEST(st["uploading"].get<bool>() == s.storage.uploading);
    BOOST_TEST(st["transfer_percent"].get<int>() == s.storage.transfer_percent);

    const Json& r = j["radios"];
    const RadioSummary& rs = s.radios;
    BOOST_TEST(r["submode"].get<std::string>() == to_string(rs.submode));
    BOOST_TEST(r["gnss"]["fitted"].get<bool>() == rs.gnss_fitted);
    BOOST_TEST(r["gnss"]["enabled"].get<bool>() == rs.gnss_enabled);
    BOOST_TEST(r["gnss"]["position"].get<bool>() == rs.gnss_position);
    for (const auto& [key, value] : {std::pair{"latitude_deg", rs.latitude_deg},
                                     std::pair{"longitude_deg", rs.longitude_deg}}) {
        if (value)
            BOOST_TEST(std::abs(r["gnss"][key].get<double>() - *value) < 1e-6, key);
        else
            BOOST_TEST(r["gnss"][key].is_null(), key);
    }
    BOOST_TEST(r["gnss"]["sats_used"].get<int>() == rs.gnss_sats_used);
    BOOST_TEST(r["gnss"]["sats_in_view"].get<int>() == rs.gnss_sats_in_view);
    BOOST_TEST(r["gnss"]["best_cn0_dbhz"].get<int>() == rs.gnss_best_cn0_dbhz);
    std::optional<std::int64_t> ttff;
    if (rs.gnss_ttff)
        ttff = rs.gnss_ttff->count();
    check_optional(r["gnss"]["ttff_ms"], ttff, "ttff_ms");
    BOOST_TEST(r["lte"]["fitted"].get<bool>() == rs.lte_fitted);
    BOOST_TEST(r["lte"]["state"].get<std::string>() == rs.lte_state);
    BOOST_TEST(r["lte"]["icon"].get<std::string>() == to_string(rs.mobile_icon));
    BOOST_TEST(r["lte"]["bars"].get<int>() == rs.lte_bars);
    check_optional(r["lte"]["rssi_dbm"], rs.lte_rssi_dbm, "lte rssi");
    BOOST_TEST(r["wifi"]["fitted"].get<bool>() == rs.wifi_fitted);
    BOOST_TEST(r["wifi"]["state"].get<std::string>() == rs.wifi_state);
    BOOST_TEST(r["wifi"]["icon"].get<std::string>() == to_string(rs.wifi_icon));
    BOOST_TEST(r["wifi"]["channel"].get<int>() == rs.wifi_channel);
    check_optional(r["wifi"]["rssi_dbm"], rs.wifi_rssi_dbm, "wifi rssi");

    std::vector<std::string> conditions;
    for (Condition c : s.conditions)
        conditions.emplace_back(to_string(c));
    BOOST_TEST(j["conditions"].get<std::vector<std::string>>() == conditions);
}

/// A named way to bring a camera into a state.
struct State {
    std::string name;
    Model model;
    std::function<void(SimCamera&)> reach;
    std::function<SimCameraOptions(SimCameraOptions)> tweak = [](SimCameraOptions o) { return o; };
};

std::vector<State> states() {
    std::vector<State> out;
    for (Model m : all_models()) {
        const std::string name(to_string(m));
        out.push_back({name + " off", m, [](SimCamera&) {}});
        out.push_back({name + " booting", m, [](SimCamera& sim) {
                           sim.press(Button::Power, 100ms);
                           sim.run_for(5s);
                       }});
        out.push_back({name + " idle", m, [](SimCamera& sim) { power_on(sim); }});
        out.push_back({name + " recording", m, [](SimCamera& sim) {
                           power_on(sim);
                           tap(sim, Button::Record);
                           sim.run_for(90s);
                       }});
        out.push_back({name + " silent", m, [](SimCamera& sim) {
                           power_on(sim);
                           sim.press(Button::Top, 3s + 150ms);
                       }});
        out.push_back({name + " docked charging", m,
                       [](SimCamera& sim) {
                           dock_and_settle(sim);
                           sim.link_controller(kUser);
                           sim.run_for(1min);
                       },
                       [](SimCameraOptions o) {
                           o.battery_soc_percent = 40.0;
                           return o;
                       }});
        out.push_back({name + " docked updating, no user", m, [](SimCamera& sim) {
                           dock_and_settle(sim);
                           ControllerState c;
                           c.link_up = true;
                           c.camera_added = true;
                           c.firmware_offer = "9.9.9-test";
                           sim.camera().set_controller(c);
                           sim.run_for(30s);
                       }});
        out.push_back({name + " storage error", m, [](SimCamera& sim) {
                           power_on(sim);
                           sim.storage().set_error(true);
                           sim.run_for(11s);
                           tap(sim, Button::Record);
                       }});
        out.push_back({name + " shipping", m, [](SimCamera& sim) { tap(sim, Button::Power); },
                       [](SimCameraOptions o) {
                           o.provisioned = false;
                           return o;
                       }});
    }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(snapshot)

BOOST_AUTO_TEST_CASE(json_is_valid_with_schema_and_all_top_level_keys_in_every_state) {
    for (const State& st : states()) {
        BOOST_TEST_CONTEXT(st.name) {
            SimCamera sim(st.tweak(options(st.model)));
            st.reach(sim);
            const Snapshot s = sim.snapshot();
            const Json j = parse(s);
            BOOST_TEST(j["schema"].get<int>() == kSnapshotSchema);
            BOOST_TEST(keys_of(j) == kTopLevelKeys);
            BOOST_TEST(j["model"].get<std::string>() == to_string(st.model));
            check_agrees(s, j);
        }
    }
}

BOOST_AUTO_TEST_CASE(identical_states_give_identical_json) {
    for (const State& st : states()) {
        BOOST_TEST_CONTEXT(st.name) {
            SimCamera a(st.tweak(options(st.model)));
            SimCamera b(st.tweak(options(st.model)));
            st.reach(a);
            st.reach(b);
            const std::string ja = to_json(a.snapshot());
            BOOST_TEST(ja == to_json(b.snapshot()));
            BOOST_TEST(ja == to_json(a.snapshot())); // asking twice changes nothing
        }
    }
    // And different states do give different JSON.
    SimCamera idle(options(Model::W120));
    SimCamera rec(options(Model::W120));
    power_on(idle);
    power_on(rec);
    tap(idle, Button::Top);
    tap(rec, Button::Record);
    BOOST_TEST(to_json(idle.snapshot()) != to_json(rec.snapshot()));
}

BOOST_AUTO_TEST_CASE(key_order_is_stable_across_states) {
    std::map<std::string, std::vector<std::string>> first_shape;
    std::map<std::string, std::string> first_seen_in;
    for (const State& st : states()) {
        SimCamera sim(st.tweak(options(st.model)));
        st.reach(sim);
        std::map<std::string, std::vector<std::string>> shape;
        collect_shapes(parse(sim.snapshot()), "", shape);
        for (const auto& [path, keys] : shape) {
            if (path == "/lights")
                continue; // per model, checked below
            auto [it, fresh] = first_shape.emplace(path, keys);
            if (fresh) {
                first_seen_in[path] = st.name;
                continue;
            }
            BOOST_TEST(keys == it->second, "keys of " << path << " differ between "
                                                      << first_seen_in[path] << " and " << st.name);
        }
    }
    // The nested objects were all seen (icons and bars in the W120 docked states).
    for (const char* path : {"", "/identity", "/recording", "/display", "/display/icons[]",
                             "/display/bars[]", "/sound", "/battery", "/storage", "/radios",
                             "/radios/gnss", "/radios/lte", "/radios/wifi"})
        BOOST_TEST(first_shape.count(path) == 1u, path);
}

BOOST_AUTO_TEST_CASE(lights_are_keyed_in_model_table_order) {
    for (Model m : all_models()) {
        BOOST_TEST_CONTEXT(to_string(m)) {
            SimCamera sim(options(m));
            power_on(sim);
            const Json j = parse(sim.snapshot());
            std::vector<std::string> expected;
            for (Indicator i : model_spec(m).indicators)
                expected.emplace_back(to_string(i));
            BOOST_TEST(keys_of(j["lights"]) == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(json_agrees_with_struct_while_recording) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    tap(sim, Button::Record);
    sim.run_for(2min);
    tap(sim, Button::Record); // a bookmark
    const Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.recording);
    const Json j = parse(s);
    check_agrees(s, j);
    BOOST_TEST(j["activity"].get<std::string>() == "recording");
    BOOST_TEST(j["recording"]["active"].get<bool>());
    BOOST_TEST(j["recording"]["for_ms"].get<std::int64_t>() > 120'000);
    BOOST_TEST(j["recording"]["bookmarks"].get<int>() == 1);
    BOOST_TEST(j["lights"]["recording_led"]["colour"].get<std::string>() == "red");
    BOOST_TEST(j["lights"]["recording_led"]["pattern"].get<std::string>() == "steady");
    BOOST_TEST(j["user"].get<std::string>() == kUser);
}

BOOST_AUTO_TEST_CASE(json_agrees_with_struct_while_docked_and_charging) {
    SimCameraOptions o = options(Model::W120);
    o.battery_soc_percent = 40.0;
    SimCamera sim(o);
    dock_and_settle(sim);
    sim.link_controller(kUser);
    sim.run_for(1min);
    const Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.docked);
    const Json j = parse(s);
    check_agrees(s, j);
    BOOST_TEST(j["docked"].get<bool>());
    BOOST_TEST(j["vbus"].get<bool>());
    BOOST_TEST(j["activity"].get<std::string>() == "docked");
    BOOST_TEST(j["battery"]["charge_state"].get<std::string>() == "charging");
    BOOST_TEST(j["battery"]["charge_current_set_ma"].get<int>() > 0);
    BOOST_TEST(j["battery"]["external_power"].get<bool>());
    BOOST_TEST(!j["ready_to_undock"].get<bool>());
    bool charging_bar = false;
    for (const Json& bar : j["display"]["bars"])
        if (bar["icon"] == "charging") {
            charging_bar = true;
            BOOST_TEST(bar["percent"].get<int>() ==
                       j["battery"]["state_of_charge_percent"].get<int>());
        }
    BOOST_TEST(charging_bar);
}

BOOST_AUTO_TEST_CASE(json_agrees_with_struct_in_silent_mode) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    sim.press(Button::Top, 3s + 150ms);
    const Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.silent);
    const Json j = parse(s);
    check_agrees(s, j);
    BOOST_TEST(j["silent"].get<bool>());
    BOOST_TEST(!j["display"]["on"].get<bool>());
    BOOST_TEST(j["display"]["icons"].empty());
    BOOST_TEST(j["lights"]["display"]["pattern"].get<std::string>() == "off");
}

BOOST_AUTO_TEST_CASE(json_agrees_with_struct_with_gnss_fix_and_sounds) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    sim.storage().set_error(true);
    sim.run_for(11s);
    tap(sim, Button::Record); // refused: a sound, a condition
    sim.camera().gnss_bytes(
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n");
    const Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.radios.gnss_position);
    BOOST_REQUIRE(s.sound.last.has_value());
    const Json j = parse(s);
    check_agrees(s, j);
    BOOST_TEST(std::abs(j["radios"]["gnss"]["latitude_deg"].get<double>() - 48.1173) < 1e-6);
    BOOST_TEST(std::abs(j["radios"]["gnss"]["longitude_deg"].get<double>() - 11.5166667) < 1e-6);
    BOOST_TEST(j["sound"]["last"].get<std::string>() == "recording_not_possible");
}

BOOST_AUTO_TEST_CASE(optional_fields_are_null_when_absent) {
    SimCameraOptions o = options(Model::W100);
    o.provisioned = false;
    SimCamera sim(o);
    const Json j = parse(sim.snapshot());
    BOOST_TEST(j["user"].is_null());
    BOOST_TEST(j["certificate_expires_at_ms"].is_null());
    BOOST_TEST(j["firmware_update_percent"].is_null());
    BOOST_TEST(j["sound"]["last"].is_null());
    BOOST_TEST(j["sound"]["continuous"].is_null());
    BOOST_TEST(j["conditions"].is_array());
    BOOST_TEST(j["conditions"].empty());
}

BOOST_AUTO_TEST_CASE(strings_are_escaped) {
    const std::string user = "O'Brien \"Bob\" \\ tab\there\nnew line \x01 caf\xC3\xA9 \xE2\x82\xAC";
    SimCameraOptions o = options(Model::W120);
    o.identity.serial = "SN\"1\\2";
    SimCamera sim(o);
    dock_and_settle(sim);
    sim.link_controller(user);
    const Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.user.has_value());
    const Json j = parse(s);
    BOOST_TEST(j["user"].get<std::string>() == user);
    BOOST_TEST(j["identity"]["serial"].get<std::string>() == "SN\"1\\2");
    check_agrees(s, j);
}

BOOST_AUTO_TEST_CASE(json_is_valid_with_a_non_utf8_user_name) {
    // User names come from the controller; one in Latin-1 ("Jos\xE9") must not make the readout
    // invalid JSON (RFC 8259 §8.1: JSON text is UTF-8).
    SimCamera sim(options(Model::W120));
    dock_and_settle(sim);
    sim.link_controller(std::string("Jos\xE9"));
    const std::string text = to_json(sim.snapshot());
    BOOST_TEST(Json::accept(text));
}

BOOST_AUTO_TEST_SUITE_END()
