// Reading the gauge and the charging part of STATE (see charge_readouts.hpp).
#include "bench/steps/charge_readouts.hpp"

#include "bench/device/camera_protocol.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>

namespace bwc::bench::charging {

using nlohmann::json;

namespace {

/// The charge states the firmware reports (firmware/core/battery.cpp).
constexpr std::array<std::string_view, 10> kChargeStates{"charging",
                                                         "no_external_power",
                                                         "full",
                                                         "reduced_limit_reached",
                                                         "time_limit_reached",
                                                         "temperature_low",
                                                         "temperature_high",
                                                         "no_battery",
                                                         "charger_fault",
                                                         "deep_discharge_locked"};

} // namespace

Result<Gauge> read_gauge_checked(DeviceClient& camera) {
    using R = Result<Gauge>;
    auto payload = camera.command("GAUGE");
    if (!payload)
        return R::failure(payload.error().message);
    const auto bad = [&](const std::string& what) {
        return R::failure(camera.describe() + ": GAUGE reply " + what + ": '" + *payload + "'");
    };
    auto fields = parse_key_values(*payload);
    if (!fields)
        return bad("is not key=value words (" + fields.error() + ")");
    Gauge g;
    g.raw = *payload;
    struct Number {
        const char* key;
        std::optional<std::int64_t>* into;
        std::int64_t low, high;
    };
    const std::array numbers{
        Number{"voltage_mv", &g.voltage_mv, 0, 100000},
        Number{"current_ma", &g.current_ma, -100000, 100000},
        Number{"temperature_dc", &g.temperature_dc, -1000, 2000},
        Number{"soc", &g.soc, 0, 100},
        Number{"remaining_mah", &g.remaining_mah, 0, 1000000},
        Number{"full_charge_mah", &g.full_charge_mah, 0, 1000000},
        Number{"cycle_count", &g.cycle_count, 0, 1000000},
    };
    for (const Number& n : numbers) {
        const std::string* text = fields->find(n.key);
        if (!text)
            return bad(std::string("lacks ") + n.key);
        if (text->empty())
            continue; // the gauge cannot give it now
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
        if (ec != std::errc() || end != text->data() + text->size() || v < n.low || v > n.high)
            return bad(std::string("has a malformed or impossible ") + n.key + "='" + *text + "'");
        *n.into = v;
    }
    const std::string* id = fields->find("battery_id");
    const std::string* present = fields->find("present");
    if (!id)
        return bad("lacks battery_id");
    if (!present || (*present != "0" && *present != "1"))
        return bad("has no present=0|1");
    g.battery_id = *id;
    g.present = *present == "1";
    if (g.present && (!g.voltage_mv || !g.current_ma || !g.temperature_dc || !g.soc))
        return bad("says a battery is present but leaves voltage, current, temperature or soc "
                   "empty");
    return g;
}

Result<ChargeView> read_charge_view(DeviceClient& camera) {
    using R = Result<ChargeView>;
    auto state = read_state(camera);
    if (!state)
        return R::failure(state.error().message);
    const auto bad = [&](const std::string& what, const json& part) {
        std::string quoted = part.dump();
        if (quoted.size() > 400)
            quoted = quoted.substr(0, 400) + "…";
        return R::failure(camera.describe() + ": STATE " + what + ": " + quoted);
    };
    const json& s = *state;
    ChargeView v;
    for (const char* key : {"power", "activity"}) {
        auto it = s.find(key);
        if (it == s.end() || !it->is_string())
            return bad(std::string("has no text '") + key + "'", s);
        (key == std::string_view("power") ? v.power : v.activity) = it->get<std::string>();
    }
    const auto battery = s.find("battery");
    if (battery == s.end() || !battery->is_object())
        return bad("has no 'battery' object", s);
    const auto cs = battery->find("charge_state");
    if (cs == battery->end() || !cs->is_string() ||
        std::find(kChargeStates.begin(), kChargeStates.end(), cs->get<std::string>()) ==
            kChargeStates.end())
        return bad("gives no known battery.charge_state", *battery);
    v.charge_state = cs->get<std::string>();
    const auto set_ma = battery->find("charge_current_set_ma");
    if (set_ma == battery->end() || !set_ma->is_number_integer() || set_ma->get<std::int64_t>() < 0)
        return bad("gives no battery.charge_current_set_ma (mA, 0 or more)", *battery);
    v.charge_set_ma = set_ma->get<std::int64_t>();

    const auto conditions = s.find("conditions");
    if (conditions == s.end() || !conditions->is_array())
        return bad("has no 'conditions' list", s);
    for (const json& c : *conditions) {
        if (!c.is_string())
            return bad("has a condition that is not a name", *conditions);
        v.not_charging = v.not_charging || c.get<std::string>() == "battery_not_charging";
    }

    const auto sound = s.find("sound");
    if (sound == s.end() || !sound->is_object() || !sound->contains("continuous") ||
        !((*sound)["continuous"].is_null() || (*sound)["continuous"].is_string()))
        return bad("has no sound.continuous (a name or null)", sound == s.end() ? s : *sound);
    v.sound = (*sound)["continuous"].is_null() ? "none" : (*sound)["continuous"].get<std::string>();

    const auto display = s.find("display");
    if (display == s.end() || !display->is_object() || !display->contains("icons") ||
        !(*display)["icons"].is_array())
        return bad("has no display.icons list", display == s.end() ? s : *display);
    v.charging_icon = "none";
    for (const json& icon : (*display)["icons"]) {
        if (!icon.is_object() || !icon.contains("icon") || !icon["icon"].is_string() ||
            !icon.contains("pattern") || !icon["pattern"].is_string())
            return bad("has an icon without a name and pattern", icon);
        if (icon["icon"] == "charging")
            v.charging_icon = icon["pattern"].get<std::string>();
    }

    const auto lights = s.find("lights");
    if (lights == s.end() || !lights->is_object())
        return bad("has no 'lights' object", s);
    v.docking_led = "none";
    if (auto led = lights->find("docking_led"); led != lights->end()) {
        if (!led->is_object() || !led->contains("colour") || !(*led)["colour"].is_string() ||
            !led->contains("pattern") || !(*led)["pattern"].is_string())
            return bad("has a docking_led without colour and pattern", *led);
        const std::string colour = (*led)["colour"].get<std::string>();
        const std::string pattern = (*led)["pattern"].get<std::string>();
        v.docking_led = colour == "off" || pattern == "off" ? "off" : colour + " " + pattern;
    }
    return v;
}

} // namespace bwc::bench::charging
