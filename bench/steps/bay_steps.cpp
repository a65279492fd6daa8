// Seating step type: `bay.seat` takes the unit out of its dock bay or puts it
// back (the dock port's REMOVE / INSERT: the bay's pogo contacts open or
// close) and waits, on the camera's clock, until the camera is on again in
// the new place — SPEC §4: an undocked camera restarts and is ready within
// 40 s (W120) / about 20 s (W100); a docked one restarts too. Button and
// indicator tests run undocked, since a docked camera does not record.
// Seated with `offload`, the dock then moves what the unit recorded over its
// link (SPEC §10: on dock, content is offloaded) while the step still holds
// the dock, so no other bay's offload measurement shares the link with it.
#include "bench/device/camera_protocol.hpp"
#include "bench/device/reply_fields.hpp"
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

/// The camera's pending_offload_bytes (diag STORAGE, which reads the medium
/// now; STATE's copy is the last snapshot), or why not.
Result<std::int64_t> pending_bytes(StepContext& ctx) {
    auto reply = ReplyFields::query(ctx.camera(), "STORAGE");
    if (!reply)
        return Result<std::int64_t>::failure(reply.error().message);
    const std::int64_t pending = reply->integer("pending_offload_bytes", 0, std::int64_t{1} << 50);
    if (reply->problem())
        return Result<std::int64_t>::failure(reply->problem()->message);
    return pending;
}

/// OFFLOAD <bay> until the camera has nothing pending; the bytes moved, or why not.
Result<std::int64_t> drain(StepContext& ctx, DeviceClient& dock) {
    using R = Result<std::int64_t>;
    std::int64_t moved = 0;
    constexpr int kMaxOffloads = 1000; // a transfer that needs more is not moving
    // A zero-byte OFFLOAD opens the transfer: the storage's read window
    // starts now rather than at a transfer long ago (offload_steps.cpp).
    if (auto opened = dock.command("OFFLOAD " + std::to_string(ctx.bay()) + " bytes=0"); !opened)
        return R::failure(opened.error().message);
    for (int i = 0; i < kMaxOffloads; ++i) {
        auto pending = pending_bytes(ctx);
        if (!pending)
            return R::failure(pending.error());
        if (*pending == 0) {
            // The transfer took the camera's time: bring the bay's clock up to date.
            if (auto now = ctx.advance(0); !now)
                return R::failure(now.error().message);
            return moved;
        }
        auto reply = ReplyFields::query(dock, "OFFLOAD " + std::to_string(ctx.bay()) +
                                                  " bytes=" + std::to_string(*pending));
        if (!reply)
            return R::failure(reply.error().message);
        const std::int64_t bytes = reply->integer("bytes", 0, std::int64_t{1} << 50);
        if (reply->problem())
            return R::failure(reply->problem()->message);
        if (bytes == 0) {
            std::string said;
            for (const auto& [k, v] : reply->fields().items())
                said += (said.empty() ? "" : " ") + k + "=" + v;
            return R::failure(dock.describe() + ": OFFLOAD " + std::to_string(ctx.bay()) +
                              " moved nothing while the camera has " + std::to_string(*pending) +
                              " bytes pending (it said '" + said + "')");
        }
        moved += bytes;
    }
    return R::failure(dock.describe() + ": bay " + std::to_string(ctx.bay()) + " still has " +
                      "content pending after " + std::to_string(kMaxOffloads) + " OFFLOADs");
}

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
                      .help = "device time between looks (1..60000)"},
                     {.name = "offload",
                      .kind = ArgSpec::Kind::Bool,
                      .default_value = false,
                      .help = "seated: then move everything the unit recorded over the dock "
                              "link, holding the dock"}},
            .measurements = {{.name = "restart_ms",
                              .unit = "C26",
                              .help = "seating change to the camera on again"},
                             {.name = "docked", .unit = "", .help = "what the camera says"},
                             {.name = "power", .unit = "", .help = "on, restarting, off, …"},
                             {.name = "offloaded_bytes",
                              .unit = "AD",
                              .help = "with offload: what the dock moved"}},
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
        const auto offload = args.find("offload");
        const bool drain_after =
            offload != args.end() && offload->is_boolean() && offload->get<bool>();
        if (drain_after && !into)
            return StepOutput::failed("argument 'offload' needs seated: true");
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
            if (left_on && seen.power == "on" && seen.docked == into) {
                StepOutput out;
                out.add("restart_ms", Value(static_cast<double>(ctx.device_now_ms() - changed_at)))
                    .add("docked", Value(seen.docked))
                    .add("power", Value(seen.power));
                if (drain_after) {
                    auto moved = drain(ctx, *dock);
                    if (!moved)
                        return StepOutput::failed(moved.error());
                    out.add("offloaded_bytes", Value(static_cast<double>(*moved)));
                }
                return out;
            }
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
