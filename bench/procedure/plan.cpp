// Procedure accessors, the Env, and plan(): one model's steps with variants
// merged and loops expanded, loop variables substituted (see procedure.hpp).
#include "bench/procedure/loader_internal.hpp"
#include "bench/procedure/references.hpp"
#include "bench/procedure/resolve_internal.hpp"

#include <algorithm>
#include <cctype>

namespace bwc::bench {

std::string_view to_string(Group g) {
    switch (g) {
    case Group::Setup:
        return "setup";
    case Group::Main:
        return "main";
    case Group::Teardown:
        return "teardown";
    }
    return "?";
}

const std::vector<StepSpec>& Procedure::group(Group g) const {
    return g == Group::Setup ? setup : g == Group::Main ? main : teardown;
}

bool Procedure::applies_to(std::string_view model) const {
    std::string upper(model);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return models.empty() || std::find(models.begin(), models.end(), upper) != models.end();
}

const Value* Env::find(std::string_view name) const {
    for (const Env* e = this; e; e = e->parent_) {
        const auto it = e->vars_.find(std::string(name));
        if (it != e->vars_.end())
            return &it->second;
    }
    return nullptr;
}

namespace {

// The step's measurements with a variant's replacing those of the same name
// (and adding new ones).
std::vector<MeasurementSpec> merge_measurements(const std::vector<MeasurementSpec>& base,
                                                const StepVariant* variant) {
    if (!variant || !variant->measurements)
        return base;
    std::vector<MeasurementSpec> out = base;
    for (const MeasurementSpec& m : *variant->measurements) {
        const auto same = std::find_if(out.begin(), out.end(),
                                       [&](const MeasurementSpec& o) { return o.name == m.name; });
        if (same != out.end())
            *same = m;
        else
            out.push_back(m);
    }
    return out;
}

nlohmann::json merge_args(const nlohmann::json& base, const StepVariant* variant) {
    nlohmann::json out = base.is_object() ? base : nlohmann::json::object();
    if (variant && variant->args && variant->args->is_object())
        for (const auto& [key, value] : variant->args->items())
            out[key] = value;
    return out;
}

// Substitutes this iteration's loop variables, leaving other references for resolve().
Result<PlannedStep> bind_loop(PlannedStep step, NameLookup loop) {
    auto id = interpolate(step.id, loop, true);
    auto name = interpolate(step.name, loop, true);
    auto code = interpolate(step.failure_code, loop, true);
    auto args = substitute_json(step.args, loop, true);
    if (!id || !name || !code || !args)
        return Result<PlannedStep>::failure("step '" + step.id + "': " +
                                            (!id     ? id.error()
                                             : !name ? name.error()
                                             : !code ? code.error()
                                                     : args.error()));
    step.id = std::move(id).value();
    step.name = std::move(name).value();
    step.failure_code = std::move(code).value();
    step.args = std::move(args).value();
    for (MeasurementSpec& m : step.measurements) {
        auto limit = substitute_json(m.limit, loop, true);
        if (!limit)
            return Result<PlannedStep>::failure("step '" + step.id + "': " + limit.error());
        m.limit = std::move(limit).value();
    }
    return step;
}

} // namespace

Result<std::vector<PlannedStep>> plan(const Procedure& proc, Group group, std::string_view model) {
    using Steps = std::vector<PlannedStep>;
    std::string upper(model);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!proc.applies_to(upper)) {
        std::string list;
        for (const std::string& m : proc.models)
            list += (list.empty() ? "" : ", ") + m;
        return Result<Steps>::failure("procedure '" + proc.name + "' does not apply to model " +
                                      upper + " (it lists " + list + ")");
    }
    Steps out;
    for (const StepSpec& spec : proc.group(group)) {
        const auto v = spec.variants.find(upper);
        const StepVariant* variant = v == spec.variants.end() ? nullptr : &v->second;
        if (variant && variant->skip.value_or(false))
            continue;
        PlannedStep base;
        base.spec = &spec;
        base.group = group;
        base.id = spec.id;
        base.name = spec.name.empty() ? spec.id : spec.name;
        base.args = merge_args(spec.args, variant);
        base.measurements = merge_measurements(spec.measurements, variant);
        base.failure_code = spec.failure_code;
        if (spec.for_each.empty()) {
            detail::prepare(base);
            out.push_back(std::move(base));
            continue;
        }
        std::string error;
        detail::visit_iterations(spec.for_each, [&](const std::vector<std::size_t>& at) {
            std::vector<std::pair<std::string, Value>> values;
            for (std::size_t k = 0; k < at.size(); ++k)
                values.emplace_back(spec.for_each[k].name, spec.for_each[k].values[at[k]]);
            auto lookup = [&values](std::string_view name) -> const Value* {
                for (const auto& [n, value] : values)
                    if (n == name)
                        return &value;
                return nullptr;
            };
            PlannedStep step = base;
            step.loop_values = values;
            auto bound = bind_loop(std::move(step), lookup);
            if (!bound) {
                error = bound.error();
                return false;
            }
            detail::prepare(*bound);
            out.push_back(std::move(bound).value());
            return true;
        });
        if (!error.empty())
            return Result<Steps>::failure(error);
    }
    return out;
}

} // namespace bwc::bench
