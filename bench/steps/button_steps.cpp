// Button-timing step types. Each presses a button through the bay's physical
// port (an actuator on a real station, the emulator's physical port on an
// emulated one), lets device time pass, and reads what the camera reports on
// its diag port as events — so a threshold is measured on the device's own
// clock: the gesture's timestamp minus the instant of the press.
//   button.hold_threshold  hold up to max_ms; when did the first hold fire?
//   button.press           a press of a given length; which gesture, which action?
//   button.double_press    two presses gap_ms apart; which gesture, which action?
#include "bench/device/camera_protocol.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "firmware/core/model.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace bwc::bench {
namespace {

const std::vector<std::string> kButtons{"power", "record", "function", "top"};

ArgSpec button_arg() {
    return {.name = "button",
            .kind = ArgSpec::Kind::Text,
            .required = true,
            .choices = kButtons,
            .help = "which button"};
}
ArgSpec ms_arg(const char* name, int fallback, const char* help) {
    return {.name = name, .kind = ArgSpec::Kind::Integer, .default_value = fallback, .help = help};
}

struct Observed {
    std::int64_t pressed_at_ms = 0;
    std::vector<DeviceEvent> events;
};

/// One or more presses of `button` (each `press_ms` long, `gap_ms` between
/// releases and the next press), then `settle_ms` for late gestures; returns
/// the events the camera reported meanwhile.
Result<Observed> press_and_watch(StepContext& ctx, const std::string& button, std::int64_t press_ms,
                                 int presses, std::int64_t gap_ms, std::int64_t settle_ms) {
    DeviceClient* physical = ctx.physical();
    if (!physical)
        return Result<Observed>::failure(
            "bay " + std::to_string(ctx.bay()) +
            " has no physical port (button actuator) in the station file");
    if (auto s = ctx.ensure_subscribed(); !s)
        return Result<Observed>::failure(s.error().message);
    ctx.camera().take_events(); // only what this press causes counts
    Observed seen;
    seen.pressed_at_ms = ctx.device_now_ms();
    for (int i = 0; i < presses; ++i) {
        if (auto s = press_button(*physical, button, press_ms); !s)
            return Result<Observed>::failure(s.error().message);
        const std::int64_t pause = i + 1 < presses ? press_ms + gap_ms : press_ms + settle_ms;
        if (auto now = ctx.advance(pause); !now)
            return Result<Observed>::failure(now.error().message);
    }
    seen.events = ctx.camera().take_events();
    return seen;
}

/// The first event of `kind` whose `what` starts with `prefix`.
const DeviceEvent* first_event(const std::vector<DeviceEvent>& events, std::string_view kind,
                               std::string_view prefix = {}) {
    for (const DeviceEvent& e : events)
        if (e.kind == kind && e.what.starts_with(prefix))
            return &e;
    return nullptr;
}

Value what_or_none(const DeviceEvent* e) {
    return Value(e ? e->what : std::string("none"));
}

/// The model table's hold thresholds of `button` on `model`, shortest first
/// (a held button fires each in turn); empty for an unknown model or button.
std::vector<fw::Millis> hold_thresholds(std::string_view model, const std::string& button) {
    const auto m = fw::parse_model(model);
    if (!m)
        return {};
    std::vector<fw::Millis> out;
    for (const fw::GestureBinding& b : fw::model_spec(*m).gestures)
        if (b.kind == fw::GestureKind::Hold && fw::to_string(b.button) == button &&
            std::find(out.begin(), out.end(), b.hold_threshold) == out.end())
            out.push_back(b.hold_threshold);
    std::sort(out.begin(), out.end());
    return out;
}

class HoldThresholdStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "button.hold_threshold",
            .family = "buttons",
            .help =
                "Holds the button for max_ms and measures, on the camera's clock, when its first "
                "hold "
                "gesture fired. No hold gesture: threshold_ms is none and fails any range limit.",
            .args = {button_arg(), ms_arg("max_ms", 8000, "how long to hold at most (1..60000)"),
                     ms_arg("settle_ms", 500, "time after the release for late events (0..10000)")},
            .measurements =
                {{.name = "threshold_ms", .unit = "C26", .help = "press to first hold gesture"},
                 {.name = "gesture", .unit = "", .help = "that gesture, e.g. record.hold.3000"}},
            .needs_physical = true};
        return i;
    }
    std::vector<ModelFact> model_facts(std::string_view model,
                                       const nlohmann::json& args) const override {
        const auto button = args.find("button");
        if (button == args.end() || !button->is_string())
            return {};
        const auto thresholds = hold_thresholds(model, button->get<std::string>());
        if (thresholds.empty())
            return {};
        return {{.measurement = "threshold_ms",
                 .value = static_cast<double>(thresholds.front().count()),
                 .unit = "C26",
                 .what = "the " + button->get<std::string>() + " button's first hold"}};
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto button = arg_text(args, "button");
        auto max_ms = arg_integer(args, "max_ms", 8000, 1, 60000);
        auto settle = arg_integer(args, "settle_ms", 500, 0, 10000);
        if (!button || !max_ms || !settle)
            return StepOutput::failed(!button   ? button.error()
                                      : !max_ms ? max_ms.error()
                                                : settle.error());
        auto seen = press_and_watch(ctx, *button, *max_ms, 1, 0, *settle);
        if (!seen)
            return StepOutput::failed(seen.error());
        const DeviceEvent* hold = first_event(seen->events, "gesture", *button + ".hold");
        StepOutput out;
        out.add("threshold_ms",
                hold ? Value(static_cast<double>(hold->at_ms - seen->pressed_at_ms)) : Value{});
        out.add("gesture", what_or_none(hold));
        return out;
    }
};
REGISTER_STEP_TYPE(HoldThresholdStep);

class PressStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "button.press",
            .family = "buttons",
            .help =
                "Presses the button for ms and reports the first gesture of that button, the first "
                "action the camera took, and whether any hold fired (threshold - 150 ms must not, "
                "threshold + 150 ms must).",
            .args = {button_arg(), ms_arg("ms", 200, "press length (1..60000)"),
                     ms_arg("settle_ms", 600,
                            "time after the release for late gestures (0..10000)")},
            .measurements =
                {{.name = "gesture", .unit = "", .help = "e.g. record.press, top.hold.3000, none"},
                 {.name = "action", .unit = "", .help = "e.g. start_recording, none"},
                 {.name = "hold_fired", .unit = "", .help = "a hold gesture of the button fired"}},
            .needs_physical = true};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto button = arg_text(args, "button");
        auto ms = arg_integer(args, "ms", 200, 1, 60000);
        auto settle = arg_integer(args, "settle_ms", 600, 0, 10000);
        if (!button || !ms || !settle)
            return StepOutput::failed(!button ? button.error() : !ms ? ms.error() : settle.error());
        auto seen = press_and_watch(ctx, *button, *ms, 1, 0, *settle);
        if (!seen)
            return StepOutput::failed(seen.error());
        StepOutput out;
        out.add("gesture", what_or_none(first_event(seen->events, "gesture", *button + ".")));
        out.add("action", what_or_none(first_event(seen->events, "action")));
        out.add("hold_fired",
                Value(first_event(seen->events, "gesture", *button + ".hold") != nullptr));
        return out;
    }
};
REGISTER_STEP_TYPE(PressStep);

class DoublePressStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "button.double_press",
            .family = "buttons",
            .help = "Two presses of press_ms, gap_ms apart (release to press); reports the first "
                    "gesture "
                    "of the button and the first action (inside the 400 ms window: double_press).",
            .args = {button_arg(), ms_arg("press_ms", 150, "each press's length"),
                     ms_arg("gap_ms", 200, "release to next press"),
                     ms_arg("settle_ms", 600, "time after the last release")},
            .measurements = {{.name = "gesture", .unit = "", .help = "e.g. top.double_press"},
                             {.name = "action", .unit = "", .help = "e.g. enter_troubleshooting"}},
            .needs_physical = true};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto button = arg_text(args, "button");
        auto press = arg_integer(args, "press_ms", 150, 1, 10000);
        auto gap = arg_integer(args, "gap_ms", 200, 0, 10000);
        auto settle = arg_integer(args, "settle_ms", 600, 0, 10000);
        if (!button || !press || !gap || !settle)
            return StepOutput::failed(!button  ? button.error()
                                      : !press ? press.error()
                                      : !gap   ? gap.error()
                                               : settle.error());
        auto seen = press_and_watch(ctx, *button, *press, 2, *gap, *settle);
        if (!seen)
            return StepOutput::failed(seen.error());
        StepOutput out;
        out.add("gesture", what_or_none(first_event(seen->events, "gesture", *button + ".")));
        out.add("action", what_or_none(first_event(seen->events, "action")));
        return out;
    }
};
REGISTER_STEP_TYPE(DoublePressStep);

} // namespace
} // namespace bwc::bench
