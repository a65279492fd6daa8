// State read-out step type: `camera.state` reads the camera's factory
// snapshot (diag STATE, firmware/core/snapshot.hpp) and reports the fields
// the procedure names, so a toggle (microphone, silent mode, troubleshooting
// page) or a final state (shipping mode) is judged on what the camera says
// about itself. Each field becomes a measurement of the same name; a dotted
// path reaches into objects ("battery.gauge.soc" is reported as
// "battery_gauge_soc", since measurement names carry no dots).
#include "bench/device/camera_protocol.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"

namespace bwc::bench {
namespace {

std::string measurement_name(const std::string& path) {
    std::string name = path;
    for (char& c : name)
        c = c == '.' ? '_' : c;
    return name;
}

/// The value at a dotted `path` of `state`, or why there is none.
Result<Value> field(const nlohmann::json& state, const std::string& path,
                    const std::string& device) {
    const nlohmann::json* at = &state;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot - start);
        if (!at->is_object() || !at->contains(key))
            return Result<Value>::failure(device + ": STATE has no field '" + path + "'");
        at = &(*at)[key];
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    if (at->is_boolean())
        return Value(at->get<bool>());
    if (at->is_number())
        return Value(at->get<double>());
    if (at->is_string())
        return Value(at->get<std::string>());
    if (at->is_null())
        return Value{};
    return Result<Value>::failure(device + ": STATE field '" + path +
                                  "' is not a single value: " + at->dump().substr(0, 120));
}

class CameraStateStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "camera.state",
            .family = "state",
            .help = "Reads the camera's factory snapshot (diag STATE) and reports each field named "
                    "in `fields` as a measurement of that name (dots become underscores: "
                    "battery.gauge.soc is battery_gauge_soc). A field the snapshot lacks is an "
                    "error naming it.",
            .args = {{.name = "fields",
                      .kind = ArgSpec::Kind::List,
                      .required = true,
                      .help = "snapshot fields, e.g. [silent, microphone_off, shipping_mode]"}},
            .any_measurement = true};
        return i;
    }
    std::vector<std::string> check(const nlohmann::json& args) const override {
        auto fields = arg_text_list(args, "fields");
        if (!fields)
            return {fields.error()};
        for (const std::string& f : *fields)
            if (f.empty())
                return {"argument 'fields' holds '" + f + "', not a field name"};
        return {};
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto fields = arg_text_list(args, "fields");
        if (!fields)
            return StepOutput::failed(fields.error());
        if (fields->empty())
            return StepOutput::failed("argument 'fields' names no field");
        auto state = read_state(ctx.camera());
        if (!state)
            return StepOutput::failed(state.error().message);
        StepOutput out;
        for (const std::string& f : *fields) {
            auto v = field(*state, f, ctx.camera().describe());
            if (!v)
                return StepOutput::failed(v.error());
            out.add(measurement_name(f), std::move(*v));
        }
        return out;
    }
};
REGISTER_STEP_TYPE(CameraStateStep);

} // namespace
} // namespace bwc::bench
