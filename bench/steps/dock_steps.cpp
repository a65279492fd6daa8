// Dock step types, for the docking stations' own end-of-line procedure (SPEC
// §9), one bay at a time: `dock.bay` measures a bay's pogo contacts, VBUS
// under load, the charge current and the link through the shared dock bay
// instrumentation (fixture kind `bayinst`, fixtures/PROTOCOL.md), and
// `dock.led` reads the dock's LED and supply over the dock port (POWER, LED),
// optionally cutting the supply to see the LED go off.
#include "bench/device/dock_protocol.hpp"
#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "fixtures/bayinst/driver.hpp"

#include <algorithm>
#include <string>

namespace bwc::bench {
namespace {

namespace bayinst = fixtures::bayinst;

/// The station fixture dock.bay measures through (its name in station files).
constexpr const char* kBayInstrument = "bayinst";

class DockBayStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "dock.bay",
            .family = "dock",
            .help = "Measures one dock bay with the bay instrumentation (MEASURE <bay> "
                    "load_ma=): each pogo contact's resistance (SPEC §9 assumption: <= 100 mΩ), "
                    "VBUS while load_ma is drawn from it (4.75-5.25 V), the current the seated "
                    "camera charges with (0.5-2.0 A while charging), whether a camera is "
                    "detected and the bay's link is up.",
            .args = {{.name = "bay",
                      .kind = ArgSpec::Kind::Integer,
                      .help = "the dock bay (1..64); default: the bay the step runs in"},
                     {.name = "load_ma",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 1000,
                      .help = "electronic load on VBUS during the measurement (0..3000 mA)"}},
            .measurements = {{.name = "present", .unit = "", .help = "a camera is detected"},
                             {.name = "vbus_mohm", .unit = "E45", .help = "VBUS contact"},
                             {.name = "gnd_mohm", .unit = "E45", .help = "GND contact"},
                             {.name = "dp_mohm", .unit = "E45", .help = "USB D+ contact"},
                             {.name = "dm_mohm", .unit = "E45", .help = "USB D- contact"},
                             {.name = "id_mohm", .unit = "E45", .help = "ID/detect contact"},
                             {.name = "vbus_mv", .unit = "2Z", .help = "VBUS under load_ma"},
                             {.name = "load_ma",
                              .unit = "4K",
                              .help = "the load it was measured under"},
                             {.name = "charge_ma", .unit = "4K", .help = "current into the camera"},
                             {.name = "link", .unit = "", .help = "the bay's USB link is up"}},
            .fixtures = {kBayInstrument}};
        return i;
    }
    std::vector<std::string> check(const nlohmann::json& args) const override {
        std::vector<std::string> problems;
        const auto range = [&](const char* name, std::int64_t low, std::int64_t high) {
            auto it = args.find(name);
            if (it != args.end() && it->is_number_integer() &&
                (it->get<std::int64_t>() < low || it->get<std::int64_t>() > high))
                problems.push_back(std::string("argument '") + name + "' must be " +
                                   std::to_string(low) + ".." + std::to_string(high) + ", not " +
                                   it->dump());
        };
        range("bay", 1, bayinst::kMaxBays);
        range("load_ma", 0, bayinst::kMaxLoadMa);
        return problems;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto bay = arg_integer(args, "bay", ctx.bay(), 1, bayinst::kMaxBays);
        auto load = arg_integer(args, "load_ma", 1000, 0, bayinst::kMaxLoadMa);
        if (!bay || !load)
            return StepOutput::failed(!bay ? bay.error() : load.error());
        FixtureLink* link = ctx.fixture(kBayInstrument);
        if (!link)
            return StepOutput::failed("bay " + std::to_string(ctx.bay()) +
                                      ": the station has no fixture '" + kBayInstrument + "'");
        auto m = bayinst::Driver(link->control()).measure(*bay, *load);
        if (!m)
            return StepOutput::failed(m.error().message);
        StepOutput out;
        out.add("present", Value(m->present));
        for (std::size_t p = 0; p < bayinst::kPins.size(); ++p)
            out.add(std::string(bayinst::kPins[p]) + "_mohm",
                    Value(static_cast<double>(m->pins_mohm[p])));
        out.add("vbus_mv", Value(static_cast<double>(m->vbus_mv)))
            .add("load_ma", Value(static_cast<double>(m->load_ma)))
            .add("charge_ma", Value(static_cast<double>(m->charge_ma)))
            .add("link", Value(m->link));
        return out;
    }
};
REGISTER_STEP_TYPE(DockBayStep);

/// A lowercase word (an LED colour: green, amber, off, …).
bool led_word(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(),
                                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

struct PowerReading {
    bool power = false;
    std::string led;
};

/// POWER [0|1]: the supply and the LED it leaves; with `set`, the supply must
/// have become that.
Result<PowerReading> power(DeviceClient& dock, std::optional<bool> set) {
    using R = Result<PowerReading>;
    const std::string command = set ? std::string("POWER ") + (*set ? "1" : "0") : "POWER";
    auto f = ReplyFields::query(dock, command);
    if (!f)
        return R::failure(f.error().message);
    PowerReading r;
    r.power = f->flag("power");
    r.led = f->text("led");
    if (auto ok = f->result(0); !ok)
        return R::failure(ok.error().message);
    if (!led_word(r.led) || (set && r.power != *set))
        return R::failure(
            dock.describe() + ": the " + command + " reply " +
            (!led_word(r.led)
                 ? "gives led as " + quote_for_message(r.led) + ", not a colour word"
                 : std::string("says power=") + (r.power ? "1" : "0") + " after it was set") +
            " (reply " + quote_for_message("power=" + f->fields().get("power") + " led=" + r.led) +
            ")");
    return r;
}

/// LED: the colour, which must agree with what POWER just said.
Result<std::string> led(DeviceClient& dock, const std::string& after_power) {
    using R = Result<std::string>;
    auto f = ReplyFields::query(dock, "LED");
    if (!f)
        return R::failure(f.error().message);
    const std::string colour = f->text("led");
    if (auto ok = f->result(0); !ok)
        return R::failure(ok.error().message);
    if (!led_word(colour) || colour != after_power)
        return R::failure(
            dock.describe() + ": the LED reply gives led=" + quote_for_message(colour) +
            (led_word(colour) ? "" : ", not a colour word") +
            (colour != after_power ? ", but POWER just said led=" + after_power : ""));
    return colour;
}

class DockLedStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "dock.led",
            .family = "dock",
            .help = "Reads the dock's supply and LED (POWER, LED on the dock port). With "
                    "power_cycle the supply is cut to see the LED go off (SPEC §9: a dock with no "
                    "power has its LED off) and restored, whatever happened; that takes VBUS from "
                    "every bay, so it is refused while any other bay holds a camera.",
            .args = {{.name = "power_cycle",
                      .kind = ArgSpec::Kind::Bool,
                      .default_value = false,
                      .help = "also cut the supply and read the LED unpowered"}},
            .measurements = {{.name = "led", .unit = "", .help = "LED colour, powered"},
                             {.name = "power",
                              .unit = "",
                              .help = "the dock reports its supply on"},
                             {.name = "led_unpowered",
                              .unit = "",
                              .help = "LED colour with the supply cut (power_cycle only)"}},
            .needs_dock = true};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto it = args.find("power_cycle");
        if (it != args.end() && !it->is_null() && !it->is_boolean())
            return StepOutput::failed("argument 'power_cycle' must be true or false, not " +
                                      it->dump());
        const bool cycle = it != args.end() && it->is_boolean() && it->get<bool>();
        DeviceClient* dock = ctx.dock();
        if (!dock)
            return StepOutput::failed("bay " + std::to_string(ctx.bay()) +
                                      ": the station has no dock");
        auto now = power(*dock, std::nullopt);
        if (!now)
            return StepOutput::failed(now.error());
        auto colour = led(*dock, now->led);
        if (!colour)
            return StepOutput::failed(colour.error());
        StepOutput out;
        out.add("led", Value(*colour)).add("power", Value(now->power));
        if (!cycle)
            return out;

        // Cutting the supply undocks every seated camera: only with this bay's alone.
        auto bays = read_bays(*dock);
        if (!bays)
            return StepOutput::failed(bays.error().message);
        std::string others;
        for (const BayStatus& b : *bays)
            if (b.bay != ctx.bay() && b.present)
                others += (others.empty() ? "" : ", ") + std::to_string(b.bay);
        if (!others.empty())
            return StepOutput::failed(dock->describe() +
                                      ": power_cycle would take VBUS from the cameras in bay(s) " +
                                      others + "; cycle the supply only with no other bay in use");
        auto off = power(*dock, false);
        Result<std::string> dark =
            off ? led(*dock, off->led) : Result<std::string>::failure(off.error());
        auto on = power(*dock, true); // restored in every case
        if (!dark)
            return StepOutput::failed(dark.error() +
                                      (on ? "" : "; restoring power failed: " + on.error()));
        if (!on)
            return StepOutput::failed(on.error());
        return out.add("led_unpowered", Value(*dark));
    }
};
REGISTER_STEP_TYPE(DockLedStep);

} // namespace
} // namespace bwc::bench
