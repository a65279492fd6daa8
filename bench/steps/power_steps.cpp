// Power step types: `power.on` presses the power button and waits, on the
// camera's clock, until it reports itself on (SPEC §4: power on to ready),
// measuring how long the boot took. A camera already on passes at once.
#include "bench/device/camera_protocol.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "firmware/core/model.hpp"

namespace bwc::bench {
namespace {

/// The "power" field of the camera's STATE snapshot.
Result<std::string> power_state(StepContext& ctx) {
    auto state = read_state(ctx.camera());
    if (!state)
        return Result<std::string>::failure(state.error().message);
    auto it = state->find("power");
    if (it == state->end() || !it->is_string())
        return Result<std::string>::failure(ctx.camera().describe() +
                                            ": STATE has no text field 'power'");
    return it->get<std::string>();
}

class PowerOnStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "power.on",
            .family = "power",
            .help =
                "Presses power for press_ms and waits up to timeout_ms (device time) for the "
                "camera to "
                "report power on; boot_ms is press to 'state power on' (0 when it was already on).",
            .args = {{.name = "press_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 300,
                      .help = "power press length"},
                     {.name = "timeout_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 90000,
                      .help = "longest boot accepted (device time)"},
                     {.name = "poll_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 1000,
                      .help = "device time between looks"}},
            .measurements = {{.name = "boot_ms", .unit = "C26", .help = "press to power on"},
                             {.name = "power",
                              .unit = "",
                              .help = "power state at the end: on, off, …"}},
            .needs_physical = true};
        return i;
    }
    std::vector<ModelFact> model_facts(std::string_view model,
                                       const nlohmann::json&) const override {
        const auto m = fw::parse_model(model);
        if (!m)
            return {};
        const auto ready = fw::model_spec(*m).timing.boot_to_ready;
        return {{.measurement = "boot_ms",
                 .value = static_cast<double>(ready.count()),
                 .unit = "C26",
                 .what = "power on to ready"}};
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto press = arg_integer(args, "press_ms", 300, 1, 10000);
        auto timeout = arg_integer(args, "timeout_ms", 90000, 1, 600000);
        auto poll = arg_integer(args, "poll_ms", 1000, 1, 60000);
        if (!press || !timeout || !poll)
            return StepOutput::failed(!press     ? press.error()
                                      : !timeout ? timeout.error()
                                                 : poll.error());
        auto before = power_state(ctx);
        if (!before)
            return StepOutput::failed(before.error());
        if (*before == "on")
            return StepOutput{}.add("boot_ms", Value(0.0)).add("power", Value(*before));
        if (!ctx.physical())
            return StepOutput::failed("bay " + std::to_string(ctx.bay()) + " has no physical port");
        if (auto s = ctx.ensure_subscribed(); !s)
            return StepOutput::failed(s.error().message);
        ctx.camera().take_events();
        const std::int64_t pressed_at = ctx.device_now_ms();
        if (auto s = press_button(*ctx.physical(), "power", *press); !s)
            return StepOutput::failed(s.error().message);
        for (std::int64_t waited = 0; waited < *timeout; waited += *poll) {
            if (auto now = ctx.advance(std::min(*poll, *timeout - waited)); !now)
                return StepOutput::failed(now.error().message);
            for (const DeviceEvent& e : ctx.camera().take_events())
                if (e.kind == "state" && e.what == "power" && e.detail.ends_with("->on"))
                    return StepOutput{}
                        .add("boot_ms", Value(static_cast<double>(e.at_ms - pressed_at)))
                        .add("power", Value(std::string("on")));
        }
        auto after = power_state(ctx);
        if (!after)
            return StepOutput::failed(after.error());
        return StepOutput{}.add("boot_ms", Value{}).add("power", Value(*after));
    }
};
REGISTER_STEP_TYPE(PowerOnStep);

} // namespace
} // namespace bwc::bench
