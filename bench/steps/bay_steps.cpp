// Seating step type: `bay.seat` takes the unit out of its dock bay or puts it
// back (the dock port's REMOVE / INSERT: the bay's pogo contacts open or
// close) and waits, on the camera's clock, until the camera is on again in
// the new place — SPEC §4: an undocked camera restarts and is ready within
// 40 s (W120) / about 20 s (W100); a docked one restarts too. Button and
// indicator tests run undocked, since a docked camera does not record.
#include "bench/device/camera_protocol.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "firmware/core/model.hpp"

namespace bwc::bench {
namespace {

struct Seen {
    std::string power;
    bool docked = false;
};

Result<Seen> power_and_dock(StepContext& ctx) {
    auto state = read_state(ctx.camera());
    if (!state)
        return Result<Seen>::failure(state.error().message);
    const auto power = state->find("power");
    const auto docked = state->find("docked");
    if (power == state->end() || !power->is_string() || docked == state->end() ||
        !docked->is_boolean())
        return Result<Seen>::failure(ctx.camera().describe() +
                                     ": STATE lacks a text 'power' or a boolean 'docked'");
    return Seen{power->get<std::string>(), docked->get<bool>()};
}

class SeatStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "bay.seat",
            .family = "bay",
            .help = "Takes the unit out of its dock bay (seated: false) or seats it again (true) "
                    "through the dock port (REMOVE / INSERT <bay>), then lets device time pass "
                    "until the camera has restarted (SPEC §4) and reports itself on and docked (or "
                    "undocked); restart_ms is that time, empty when it never came back within "
                    "timeout_ms.",
            .args = {{.name = "seated",
                      .kind = ArgSpec::Kind::Bool,
                      .required = true,
                      .help = "true: into the bay; false: out of it"},
                     {.name = "timeout_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 90000,
                      .help = "device time to wait for the camera (1..600000)"},
                     {.name = "poll_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 500,
                      .help = "device time between looks (1..60000)"}},
            .measurements = {{.name = "restart_ms",
                              .unit = "C26",
                              .help = "seating change to the camera on again"},
                             {.name = "docked", .unit = "", .help = "what the camera says"},
                             {.name = "power", .unit = "", .help = "on, restarting, off, …"}},
            .needs_dock = true};
        return i;
    }
    std::vector<ModelFact> model_facts(std::string_view model,
                                       const nlohmann::json& args) const override {
        const auto m = fw::parse_model(model);
        const auto seated = args.find("seated");
        if (!m || seated == args.end() || !seated->is_boolean() || seated->get<bool>())
            return {};
        return {{.measurement = "restart_ms",
                 .value = static_cast<double>(fw::model_spec(*m).timing.undock_restart.count()),
                 .unit = "C26",
                 .what = "undock: restart, then ready"}};
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        const auto seated = args.find("seated");
        if (seated == args.end() || !seated->is_boolean())
            return StepOutput::failed("argument 'seated' must be true or false");
        auto timeout = arg_integer(args, "timeout_ms", 90000, 1, 600000);
        auto poll = arg_integer(args, "poll_ms", 500, 1, 60000);
        if (!timeout || !poll)
            return StepOutput::failed(!timeout ? timeout.error() : poll.error());
        DeviceClient* dock = ctx.dock();
        if (!dock)
            return StepOutput::failed("the station has no dock to seat bay " +
                                      std::to_string(ctx.bay()) + "'s unit in");
        const bool into = seated->get<bool>();
        const std::string command = (into ? "INSERT " : "REMOVE ") + std::to_string(ctx.bay());
        if (auto r = dock->command(command); !r)
            return StepOutput::failed(r.error().message);
        const std::int64_t changed_at = ctx.device_now_ms();
        // SPEC §4: the camera restarts on every seating change; "on" counts
        // only once it has been seen restarting (or off) since the change.
        Seen seen;
        bool left_on = false;
        for (std::int64_t waited = 0; waited <= *timeout; waited += *poll) {
            // The change itself takes effect at once; look first, then wait.
            if (waited > 0)
                if (auto now = ctx.advance(*poll); !now)
                    return StepOutput::failed(now.error().message);
            auto s = power_and_dock(ctx);
            if (!s)
                return StepOutput::failed(s.error());
            seen = *s;
            left_on = left_on || seen.power != "on";
            if (left_on && seen.power == "on" && seen.docked == into)
                return StepOutput{}
                    .add("restart_ms", Value(static_cast<double>(ctx.device_now_ms() - changed_at)))
                    .add("docked", Value(seen.docked))
                    .add("power", Value(seen.power));
        }
        return StepOutput{}
            .add("restart_ms", Value{})
            .add("docked", Value(seen.docked))
            .add("power", Value(seen.power));
    }
};
REGISTER_STEP_TYPE(SeatStep);

} // namespace
} // namespace bwc::bench
