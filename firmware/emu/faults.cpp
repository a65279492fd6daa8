// The fault catalogue and its parser (see faults.hpp).
#include "firmware/emu/faults.hpp"

#include "firmware/emu/command_line.hpp"

#include <array>

namespace bwc::emu {
namespace {

using enum FaultValue;

constexpr std::array kCatalogue{
    FaultSpec{"button.<button>.threshold_ms", Milliseconds, "W100 W120",
              "SPEC §2 gesture thresholds",
              "every hold threshold of the button moves to this many ms (drift)"},
    FaultSpec{"button.<button>.stuck", None, "W100 W120", "SPEC §2",
              "the contact is permanently closed"},
    FaultSpec{"button.<button>.dead", None, "W100 W120", "SPEC §2", "the contact never closes"},
    FaultSpec{"led.<led>.dead", None, "W100 W120", "SPEC §3 indicators",
              "the LED never lights (the firmware does not know)"},
    FaultSpec{"led.<led>.color", Colour, "W100 W120", "SPEC §3 indicators",
              "the LED shows this colour whenever lit (wrong die or filter)"},
    FaultSpec{"display.dead", None, "W120", "SPEC §3, §8 'display off'", "the display stays black"},
    FaultSpec{"display.dead_rows", Range, "W120", "SPEC §3 display",
              "display rows <from>-<to> (0-based, of the face's display region) stay black"},
    FaultSpec{"charger.ignore_temperature", None, "W100 W120", "SPEC §5 0–40 °C window",
              "the charging policy ignores the temperature window"},
    FaultSpec{"charger.no_cap", None, "W100 W120", "SPEC §5 70 % above 35 °C",
              "the charging policy does not stop at 70 % above 35 °C"},
    FaultSpec{"charger.dead", None, "W100 W120", "SPEC §8 battery not charging",
              "the charger delivers no current"},
    FaultSpec{"battery.capacity_pct", Percent, "W100 W120", "SPEC §5 battery, §8 battery",
              "the cell holds only this percentage of its rated capacity (worn battery)"},
    FaultSpec{"battery.missing", None, "W100 W120", "SPEC §5 battery replacement",
              "no battery fitted: the gauge does not answer"},
    FaultSpec{"storage.error", None, "W100 W120", "SPEC §8 storage error",
              "the storage medium has failed"},
    FaultSpec{"storage.slow_mbps", MbitPerSecond, "W100 W120", "SPEC §6 offload",
              "the storage reads and writes at only this many Mbit/s"},
    FaultSpec{"gnss.no_fix", None, "W120", "SPEC §7 GPS", "the receiver never gets a fix"},
    FaultSpec{"gnss.offset_m", Metres, "W120", "SPEC §7 GPS",
              "the reported position is this many metres off (north)"},
    FaultSpec{"gnss.cn0_drop_db", Decibels, "W120", "SPEC §7 GPS",
              "every satellite's C/N0 is this many dB lower (bad antenna)"},
    FaultSpec{"modem.absent", None, "W120", "SPEC §7 LTE, §8 mobile icon red",
              "the modem never answers"},
    FaultSpec{"modem.imei", Digits, "W120", "SPEC §7 LTE (IMEI)",
              "the modem reports this IMEI instead of the label's"},
    FaultSpec{"sim.absent", None, "W120", "SPEC §7 LTE submode", "no SIM card in the slot"},
    FaultSpec{"sim.locked", None, "W120", "SPEC §7 LTE PUK", "the SIM needs its PUK"},
    FaultSpec{"modem.rssi_drop_db", Decibels, "W120", "SPEC §7 LTE signal",
              "received LTE level this many dB lower (bad antenna)"},
    FaultSpec{"wifi.dead", None, "W100 W120", "SPEC §7 Wi-Fi, §8 Wi-Fi icon red",
              "the Wi-Fi radio hears nothing"},
    FaultSpec{"wifi.band", Band, "W100 W120", "SPEC §7 Wi-Fi bands",
              "the radio works only on this band (2.4 or 5)"},
    FaultSpec{"wifi.rssi_drop_db", Decibels, "W100 W120", "SPEC §7 Wi-Fi signal",
              "received Wi-Fi level this many dB lower (bad antenna)"},
    FaultSpec{"wifi.wpa2_fail", None, "W100 W120", "SPEC §7 Wi-Fi WPA2",
              "every WPA2 handshake fails"},
    FaultSpec{"boot.hang", None, "W100 W120", "SPEC §4 power on to ready",
              "the camera never finishes booting"},
    FaultSpec{"boot.slow_ms", Milliseconds, "W100 W120", "SPEC §4 power on to ready",
              "booting takes this many ms longer"},
    FaultSpec{"dock.pin.<pin>.resistance_mohm", Milliohm, "W700 W701", "SPEC §9 pogo contacts",
              "the pogo pin's contact resistance, in milliohm"},
    FaultSpec{"dock.vbus_mv", Millivolt, "W700 W701", "SPEC §9 VBUS 4.75–5.25 V",
              "the bay's VBUS voltage, in millivolt"},
};

constexpr std::array kButtons{"power", "record", "function", "top"};
constexpr std::array kPins{"vbus", "gnd", "dp", "dm", "id"};

std::vector<std::string> split_dots(std::string_view s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = s.find('.', start);
        out.emplace_back(s.substr(start, dot - start));
        if (dot == std::string_view::npos)
            return out;
        start = dot + 1;
    }
}

std::string led_names(const fw::ModelSpec& spec) {
    std::string out;
    for (fw::Indicator i : spec.indicators) {
        if (i == fw::Indicator::Display)
            continue;
        out += (out.empty() ? "" : "|") + std::string(fw::to_string(i));
    }
    return out;
}

/// Does a concrete name match a pattern? `why` explains a near miss.
bool matches(const FaultSpec& spec, const std::vector<std::string>& parts,
             const fw::ModelSpec& model, std::string& why) {
    const std::vector<std::string> pattern = split_dots(spec.pattern);
    if (pattern.size() != parts.size())
        return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& p = pattern[i];
        const std::string& v = parts[i];
        if (p == "<button>") {
            bool ok = false;
            for (const char* b : kButtons)
                ok = ok || v == b;
            if (!ok) {
                why = "unknown button '" + v + "' (power|record|function|top)";
                return false;
            }
        } else if (p == "<led>") {
            bool ok = false;
            for (fw::Indicator ind : model.indicators)
                ok = ok || (ind != fw::Indicator::Display && v == fw::to_string(ind));
            if (!ok) {
                why = "the " + std::string(model.name) + " has no LED '" + v + "' (" +
                      led_names(model) + ")";
                return false;
            }
        } else if (p == "<pin>") {
            bool ok = false;
            for (const char* pin : kPins)
                ok = ok || v == pin;
            if (!ok) {
                why = "unknown pogo pin '" + v + "' (vbus|gnd|dp|dm|id)";
                return false;
            }
        } else if (p != v) {
            return false;
        }
    }
    return true;
}

std::optional<fw::Colour> parse_colour(std::string_view s) {
    for (fw::Colour c : {fw::Colour::Off, fw::Colour::Red, fw::Colour::Green, fw::Colour::Amber,
                         fw::Colour::Blue, fw::Colour::White})
        if (s == fw::to_string(c))
            return c;
    return std::nullopt;
}

std::string_view value_hint(FaultValue v) {
    switch (v) {
    case None:
        return "";
    case Milliseconds:
        return "=<ms>";
    case Percent:
        return "=<1-100>";
    case Colour:
        return "=<red|green|amber|blue|white|off>";
    case Range:
        return "=<from>-<to>";
    case Band:
        return "=<2.4|5>";
    case Digits:
        return "=<digits>";
    case Decibels:
        return "=<dB>";
    case Metres:
        return "=<m>";
    case Milliohm:
        return "=<mOhm>";
    case Millivolt:
        return "=<mV>";
    case MbitPerSecond:
        return "=<Mbit/s>";
    }
    return "";
}

} // namespace

std::span<const FaultSpec> fault_catalogue() {
    return kCatalogue;
}

std::optional<std::vector<ConcreteFault>> concrete_faults(std::string_view model) {
    const std::optional<fw::Model> camera = fw::parse_model(model);
    if (!camera && model != "W700" && model != "W701")
        return std::nullopt;
    std::vector<ConcreteFault> out;
    for (const FaultSpec& f : kCatalogue) {
        if (f.models.find(model) == std::string_view::npos)
            continue;
        // Each placeholder in turn multiplies the names so far by its values.
        std::vector<std::string> names{""};
        const std::vector<std::string> parts = split_dots(f.pattern);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            std::vector<std::string> values;
            if (parts[i] == "<button>") {
                for (std::size_t b = 0; b < kButtons.size(); ++b)
                    if (camera &&
                        fw::has_button(fw::model_spec(*camera), static_cast<fw::Button>(b)))
                        values.emplace_back(kButtons[b]);
            } else if (parts[i] == "<led>") {
                for (fw::Indicator ind : fw::model_spec(*camera).indicators)
                    if (ind != fw::Indicator::Display)
                        values.emplace_back(fw::to_string(ind));
            } else if (parts[i] == "<pin>") {
                values.assign(kPins.begin(), kPins.end());
            } else {
                values.push_back(parts[i]);
            }
            std::vector<std::string> grown;
            for (const std::string& n : names)
                for (const std::string& v : values)
                    grown.push_back(n + (i == 0 ? "" : ".") + v);
            names = std::move(grown);
        }
        for (std::string& n : names)
            out.push_back({std::move(n), &f});
    }
    return out;
}

std::string_view value_placeholder(FaultValue v) {
    return value_hint(v);
}

std::string describe_fault_catalogue() {
    std::string out = "Faults (--fault [SERIAL:]NAME[=VALUE], repeatable):\n\n";
    for (const FaultSpec& f : kCatalogue) {
        std::string head = std::string(f.pattern) + std::string(value_hint(f.value));
        out += "  " + head;
        out += std::string(head.size() < 44 ? 44 - head.size() : 1, ' ');
        out += std::string(f.description) + "\n";
        out += std::string(46, ' ') + "models: " + std::string(f.models) + "; models " +
               std::string(f.spec_row) + "\n";
    }
    out += "\n  <button>: power|record|function|top (record is the W100's front button)\n"
           "  <led>: W100 docking_led|recording_status_led|operation_led|battery_led|"
           "storage_led|microphone_led|extension_led;\n"
           "         W120 recording_led|status_led|front_indicator\n"
           "  <pin>: vbus|gnd|dp|dm|id\n";
    return out;
}

fw::Result<Fault> parse_fault(std::string_view text, fw::Model model) {
    using R = fw::Result<Fault>;
    const fw::ModelSpec& spec = fw::model_spec(model);
    const std::size_t eq = text.find('=');
    const std::string name(text.substr(0, eq));
    const std::optional<std::string> value =
        eq == std::string_view::npos ? std::nullopt
                                     : std::optional<std::string>(std::string(text.substr(eq + 1)));
    Fault f;
    f.name = name;
    f.parts = split_dots(name);
    std::string why;
    for (const FaultSpec& candidate : kCatalogue) {
        if (matches(candidate, f.parts, spec, why)) {
            f.spec = &candidate;
            break;
        }
    }
    if (!f.spec)
        return R::failure("unknown fault '" + name + "'" + (why.empty() ? "" : ": " + why) +
                          " (bwc-emu --list-faults lists them)");
    if (f.spec->models.find(spec.name) == std::string_view::npos)
        return R::failure("fault '" + name + "' does not apply to a " + std::string(spec.name) +
                          " (applies to " + std::string(f.spec->models) + ")");
    const FaultValue kind = f.spec->value;
    if (kind == None) {
        if (value)
            return R::failure("fault '" + name + "' takes no value, got '=" + *value + "'");
        return f;
    }
    if (!value || value->empty())
        return R::failure("fault '" + name + "' needs a value: " + name +
                          std::string(value_hint(kind)));
    auto number = [&](std::int64_t min, std::int64_t max) -> std::optional<std::string> {
        auto n = parse_integer(*value, name, min, max);
        if (!n)
            return n.error().message;
        f.number = *n;
        return std::nullopt;
    };
    std::optional<std::string> error;
    switch (kind) {
    case Milliseconds:
        error = number(0, 3'600'000);
        break;
    case Percent:
        error = number(1, 100);
        break;
    case Decibels:
        error = number(0, 60);
        break;
    case Metres:
        error = number(0, 100'000);
        break;
    case Milliohm:
        error = number(0, 100'000'000);
        break;
    case Millivolt:
        error = number(0, 30'000);
        break;
    case MbitPerSecond:
        error = number(1, 10'000);
        break;
    case Colour:
        f.colour = parse_colour(*value);
        if (!f.colour)
            error =
                "fault '" + name + "' wants red|green|amber|blue|white|off, got '" + *value + "'";
        break;
    case Band:
        if (*value != "2.4" && *value != "5")
            error = "fault '" + name + "' wants 2.4 or 5, got '" + *value + "'";
        f.text = *value;
        break;
    case Digits:
        if (value->find_first_not_of("0123456789") != std::string::npos || value->size() > 20)
            error = "fault '" + name + "' wants up to 20 digits, got '" + *value + "'";
        f.text = *value;
        break;
    case Range: {
        const std::size_t dash = value->find('-');
        auto from = dash == std::string::npos
                        ? parse_integer("", name, 0, 0)
                        : parse_integer(value->substr(0, dash), name, 0, 4096);
        auto to = dash == std::string::npos ? parse_integer("", name, 0, 0)
                                            : parse_integer(value->substr(dash + 1), name, 0, 4096);
        if (!from || !to || *to < *from)
            error =
                "fault '" + name + "' wants <from>-<to> rows with from <= to, got '" + *value + "'";
        else
            f.range = std::pair<int, int>{static_cast<int>(*from), static_cast<int>(*to)};
        break;
    }
    case None:
        break;
    }
    if (error)
        return R::failure(*error);
    f.name = name + "=" + *value;
    return f;
}

const Fault* FaultSet::find(std::string_view name) const {
    for (const Fault& f : faults_) {
        const std::string_view base = std::string_view(f.name).substr(0, f.name.find('='));
        if (base == name)
            return &f;
    }
    return nullptr;
}

std::string FaultSet::names() const {
    std::string out;
    for (const Fault& f : faults_)
        out += (out.empty() ? "" : " ") + f.name;
    return out;
}

} // namespace bwc::emu
