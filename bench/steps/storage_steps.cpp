// Storage step types, the unit's storage at the end of the line:
// `storage.health` reads the recording storage over the diag port (STORAGE:
// capacity, use, the error flag of SPEC §8 "storage error"), and
// `final.shipping` puts the camera into shipping mode — the power-saving
// state it is stored and shipped in (SPEC §4) — and reads back that it is
// there. final.shipping is the last step of a camera's end-of-line run.
#include "bench/device/camera_protocol.hpp"
#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"

#include <cstdint>
#include <string>

namespace bwc::bench {
namespace {

/// Largest count of bytes a camera may report (2^50: a petabyte).
constexpr std::int64_t kMaxBytes = std::int64_t{1} << 50;

class StorageHealthStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "storage.health",
            .family = "storage",
            .help = "Reads the camera's recording storage (STORAGE on the diag port): the error "
                    "flag (SPEC §8 storage error), the capacity (SPEC §6 assumption: 64 GB) and "
                    "how much of it is free; a reply whose numbers contradict each other is an "
                    "error naming the camera.",
            .args = {},
            .measurements = {
                {.name = "error", .unit = "", .help = "the storage reports an error"},
                {.name = "capacity_gb", .unit = "E34", .help = "capacity, 10^9 bytes"},
                {.name = "free_pct", .unit = "P1", .help = "capacity not used, in percent"},
                {.name = "used_bytes", .unit = "AD", .help = "bytes in use"},
                {.name = "pending_bytes", .unit = "AD", .help = "bytes waiting to be offloaded"},
                {.name = "recordings", .unit = "C62", .help = "recordings made"}}};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json&) const override {
        DeviceClient& camera = ctx.camera();
        auto f = ReplyFields::query(camera, "STORAGE");
        if (!f)
            return StepOutput::failed(f.error().message);
        const std::int64_t capacity = f->integer("capacity_bytes", 0, kMaxBytes);
        const std::int64_t used = f->integer("used_bytes", 0, kMaxBytes);
        const std::int64_t pending = f->integer("pending_offload_bytes", 0, kMaxBytes);
        const std::int64_t recordings = f->integer("recordings", 0, ReplyFields::kIntMax);
        const bool error = f->flag("error");
        if (auto r = f->result(0); !r)
            return StepOutput::failed(r.error().message);
        if (capacity == 0 || used > capacity || pending > used)
            return StepOutput::failed(
                camera.describe() + ": the STORAGE reply has capacity_bytes=" +
                std::to_string(capacity) + " used_bytes=" + std::to_string(used) +
                " pending_offload_bytes=" + std::to_string(pending) +
                ", which cannot all be true (0 < capacity, pending <= used <= capacity)");
        const double cap = static_cast<double>(capacity);
        return StepOutput{}
            .add("error", Value(error))
            .add("capacity_gb", Value(cap / 1e9))
            .add("free_pct", Value(100.0 * (cap - static_cast<double>(used)) / cap))
            .add("used_bytes", Value(static_cast<double>(used)))
            .add("pending_bytes", Value(static_cast<double>(pending)))
            .add("recordings", Value(static_cast<double>(recordings)));
    }
};
REGISTER_STEP_TYPE(StorageHealthStep);

class FinalShippingStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "final.shipping",
            .family = "storage",
            .help = "The last step of a camera's end-of-line run: FACTORY SHIPPING puts it into "
                    "shipping mode (SPEC §4: power-saving, does not start until docked and "
                    "added to a system), then STATE must report it. A docked camera stays on "
                    "until it leaves the dock, so `power` reads on in a bay.",
            .args = {},
            .measurements = {
                {.name = "shipping", .unit = "", .help = "STATE shipping_mode"},
                {.name = "power", .unit = "", .help = "STATE power: on, shipping, off, …"},
                {.name = "added_to_system",
                 .unit = "",
                 .help = "STATE added_to_system (shipping mode leaves the system)"}}};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json&) const override {
        DeviceClient& camera = ctx.camera();
        auto done = camera.command("FACTORY SHIPPING");
        if (!done)
            return StepOutput::failed(done.error().message);
        if (!done->empty())
            return StepOutput::failed(camera.describe() +
                                      ": FACTORY SHIPPING should answer a bare OK, it sent " +
                                      quote_for_message("OK " + *done));
        auto state = read_state(camera);
        if (!state)
            return StepOutput::failed(state.error().message);
        const auto field = [&](const char* key, bool text) -> const nlohmann::json* {
            auto it = state->find(key);
            if (it == state->end() || (text ? !it->is_string() : !it->is_boolean()))
                return nullptr;
            return &*it;
        };
        const nlohmann::json* shipping = field("shipping_mode", false);
        const nlohmann::json* power = field("power", true);
        const nlohmann::json* added = field("added_to_system", false);
        if (!shipping || !power || !added)
            return StepOutput::failed(camera.describe() + ": STATE lacks " +
                                      (!shipping ? "the true/false field 'shipping_mode'"
                                       : !power  ? "the text field 'power'"
                                                 : "the true/false field 'added_to_system'") +
                                      " (STATE " + quote_for_message(state->dump()) + ")");
        return StepOutput{}
            .add("shipping", Value(shipping->get<bool>()))
            .add("power", Value(power->get<std::string>()))
            .add("added_to_system", Value(added->get<bool>()));
    }
};
REGISTER_STEP_TYPE(FinalShippingStep);

} // namespace
} // namespace bwc::bench
