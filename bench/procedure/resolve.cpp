// resolve(): a planned step's ${…} references filled in from the run's names
// just before it runs, its limits built and its run_if evaluated (see
// procedure.hpp). Steps without references take the fast path: plan()
// prepared them, so resolving is a copy plus run_if.
#include "bench/procedure/expression.hpp"
#include "bench/procedure/resolve_internal.hpp"

namespace bwc::bench {
namespace detail {
namespace {

// A low/high bound: a number, or a reference to one.
Result<std::optional<double>> bound(const nlohmann::json& limit, const char* key,
                                    NameLookup names) {
    using R = Result<std::optional<double>>;
    const auto it = limit.find(key);
    if (it == limit.end())
        return std::optional<double>();
    if (it->is_number())
        return std::optional<double>(it->get<double>());
    if (!it->is_string())
        return R::failure(std::string(key) + " is not a number");
    auto v = substitute_value(it->get<std::string>(), names);
    if (!v)
        return R::failure(std::string(key) + ": " + v.error());
    if (const double* d = std::get_if<double>(&*v))
        return std::optional<double>(*d);
    return R::failure(std::string(key) + " " + it->get<std::string>() + " is " + type_name(*v) +
                      " '" + to_text(*v) + "', not a number");
}

Result<Value> scalar(const nlohmann::json& j, NameLookup names) {
    if (j.is_string())
        return substitute_value(j.get<std::string>(), names);
    return json_as_value(j);
}

} // namespace

Result<ResolvedMeasurement> resolve_measurement(const MeasurementSpec& m, NameLookup names) {
    using R = Result<ResolvedMeasurement>;
    ResolvedMeasurement out{m.name, m.unit, Limit{}};
    const nlohmann::json& j = m.limit;
    auto fail = [&](const std::string& why) { return R::failure("'" + m.name + "': " + why); };
    Limit& l = out.limit;
    if (j.contains("low") || j.contains("high")) {
        auto low = bound(j, "low", names);
        auto high = bound(j, "high", names);
        if (!low || !high)
            return fail(!low ? low.error() : high.error());
        l = Limit::range(*low, *high);
        if (const auto band = j.find("marginal"); band != j.end()) {
            auto ml = bound(*band, "low", names);
            auto mh = bound(*band, "high", names);
            if (!ml || !mh)
                return fail("marginal " + (!ml ? ml.error() : mh.error()));
            l.marginal_low = *ml;
            l.marginal_high = *mh;
        }
        if (l.low && l.high && *l.low > *l.high)
            return fail("low " + to_text(*l.low) + " is above high " + to_text(*l.high));
    } else if (const auto eq = j.find("equals"); eq != j.end()) {
        auto v = scalar(*eq, names);
        if (!v)
            return fail("equals: " + v.error());
        l = Limit::equal_to(std::move(v).value());
    } else if (const auto re = j.find("regex"); re != j.end()) {
        auto pattern = interpolate(re->is_string() ? re->get<std::string>() : re->dump(), names);
        if (!pattern)
            return fail("regex: " + pattern.error());
        l.kind = Limit::Kind::Regex;
        l.pattern = std::move(pattern).value();
        if (auto why = l.compile())
            return fail(*why);
    } else if (const auto list = j.find("one_of"); list != j.end() && list->is_array()) {
        l.kind = Limit::Kind::OneOf;
        for (const nlohmann::json& item : *list) {
            auto v = scalar(item, names);
            if (!v)
                return fail("one_of: " + v.error());
            l.one_of.push_back(std::move(v).value());
        }
    }
    return out;
}

void prepare(PlannedStep& step) {
    if (has_references(step.id) || has_references(step.name) || has_references(step.failure_code) ||
        json_has_references(step.args))
        return;
    for (const MeasurementSpec& m : step.measurements)
        if (json_has_references(m.limit))
            return;
    auto none = [](std::string_view) -> const Value* { return nullptr; };
    auto ready = std::make_shared<ResolvedStep>();
    ready->id = step.id;
    ready->name = step.name;
    ready->type = step.spec ? step.spec->type : "";
    ready->args = step.args;
    ready->failure_code = step.failure_code;
    for (const MeasurementSpec& m : step.measurements) {
        auto r = resolve_measurement(m, none);
        if (!r)
            return; // resolve() reports it when the step runs
        ready->measurements.push_back(std::move(r).value());
    }
    step.prepared = std::move(ready);
}

} // namespace detail

Result<ResolvedStep> resolve(const PlannedStep& step, const Env& env) {
    using R = Result<ResolvedStep>;
    // Loop values first, then the run's names.
    auto names = [&](std::string_view name) -> const Value* {
        for (const auto& [n, value] : step.loop_values)
            if (n == name)
                return &value;
        return env.find(name);
    };
    auto fail = [&](const std::string& why) {
        return R::failure("step '" + step.id + "': " + why);
    };
    ResolvedStep out;
    if (step.prepared) {
        out = *step.prepared;
    } else {
        out.id = step.id;
        out.type = step.spec ? step.spec->type : "";
        auto name = interpolate(step.name, names);
        if (!name)
            return fail("name: " + name.error());
        out.name = std::move(name).value();
        auto code = interpolate(step.failure_code, names);
        if (!code)
            return fail("failure_code: " + code.error());
        out.failure_code = std::move(code).value();
        auto args = substitute_json(step.args, names);
        if (!args)
            return fail("args: " + args.error());
        out.args = std::move(args).value();
        for (const MeasurementSpec& m : step.measurements) {
            auto resolved = detail::resolve_measurement(m, names);
            if (!resolved)
                return fail(resolved.error());
            out.measurements.push_back(std::move(resolved).value());
        }
    }
    if (step.spec && step.spec->condition) {
        auto run = step.spec->condition->evaluate(names);
        if (!run)
            return fail("run_if: " + run.error());
        out.run = *run;
    }
    return out;
}

} // namespace bwc::bench
