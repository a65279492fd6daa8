// Checks of one step against its step type and of its measurements' limits:
// arguments (unknown, missing, wrong kind, not one of the choices, the step
// type's own check()), measurement names and units, and the consistency of
// each limit (one kind of limit, low <= high, marginal band inside, regex
// compiles, units on numeric limits).
#include "bench/procedure/loader_internal.hpp"
#include "bench/procedure/references.hpp"
#include "bench/procedure/suggest.hpp"
#include "bench/procedure/units.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace bwc::bench::detail {
namespace {

using yaml::MapReader;

const std::vector<std::string> kMeasurementKeys{"name",   "unit",  "low",    "high",
                                                "equals", "regex", "one_of", "marginal"};
constexpr std::size_t kMaxRegexLength = 1000;

// What a YAML value is, for argument kinds.
enum class Kind { Nothing, Bool, Integer, Number, Text, List, Mapping };

Kind kind_of(const YAML::Node& n) {
    if (n.IsSequence())
        return Kind::List;
    if (n.IsMap())
        return Kind::Mapping;
    if (!n.IsScalar())
        return Kind::Nothing;
    if (yaml::is_text_scalar(n))
        return Kind::Text;
    const std::string& s = n.Scalar();
    if (s == "true" || s == "false" || s == "True" || s == "False" || s == "TRUE" || s == "FALSE")
        return Kind::Bool;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return Kind::Nothing;
    const bool integral = s.find_first_of(".eE") == std::string::npos ||
                          s.find("0x") != std::string::npos || s.find("0X") != std::string::npos;
    return integral ? Kind::Integer : Kind::Number;
}

bool kind_fits(ArgSpec::Kind want, Kind have) {
    switch (want) {
    case ArgSpec::Kind::Any:
        return have != Kind::Nothing;
    case ArgSpec::Kind::Number:
        return have == Kind::Number || have == Kind::Integer;
    case ArgSpec::Kind::Integer:
        return have == Kind::Integer;
    case ArgSpec::Kind::Text:
        return have == Kind::Text;
    case ArgSpec::Kind::Bool:
        return have == Kind::Bool;
    case ArgSpec::Kind::List:
        return have == Kind::List;
    }
    return false;
}

std::string article_kind(ArgSpec::Kind k) {
    switch (k) {
    case ArgSpec::Kind::Number:
        return "a number";
    case ArgSpec::Kind::Integer:
        return "an integer";
    case ArgSpec::Kind::Text:
        return "text";
    case ArgSpec::Kind::Bool:
        return "true or false";
    case ArgSpec::Kind::List:
        return "a list";
    case ArgSpec::Kind::Any:
        break;
    }
    return "a value";
}

void check_choice(const ArgSpec& spec, const YAML::Node& value, const std::string& text,
                  const std::string& type, yaml::Reporter& r) {
    if (spec.choices.empty() ||
        std::find(spec.choices.begin(), spec.choices.end(), text) != spec.choices.end())
        return;
    r.error(value, "argument '" + spec.name + "' of step type '" + type + "' is '" + text +
                       "', not one of " + quoted_list(spec.choices) +
                       did_you_mean(text, spec.choices));
}

// The value of one argument against its spec.
void check_arg_value(const ArgSpec& spec, const YAML::Node& value, const StepSource& src,
                     const std::string& type, yaml::Reporter& r) {
    const Kind have = kind_of(value);
    if (have == Kind::Text && has_references(value.Scalar())) {
        const std::string& text = value.Scalar();
        if (const auto ref = sole_reference(text)) {
            // "${button}" over a loop: every loop value must fit.
            const auto loop = src.loop_value_nodes.find(std::string(*ref));
            if (loop != src.loop_value_nodes.end()) {
                for (const YAML::Node& item : loop->second) {
                    if (!kind_fits(spec.kind, kind_of(item)))
                        r.error(item, "argument '" + spec.name + "' of step type '" + type +
                                          "' takes " + article_kind(spec.kind) +
                                          "; this loop value is " + yaml::describe(item));
                    else if (kind_of(item) == Kind::Text)
                        check_choice(spec, item, item.Scalar(), type, r);
                }
            }
            return; // typed when the step runs
        }
        if (spec.kind == ArgSpec::Kind::Text || spec.kind == ArgSpec::Kind::Any)
            return;
        r.error(value, "argument '" + spec.name + "' of step type '" + type + "' must be " +
                           article_kind(spec.kind) + "; '" + text +
                           "' is text (a value that is exactly one ${name} keeps its type)");
        return;
    }
    if (!kind_fits(spec.kind, have)) {
        std::string hint;
        if (spec.kind == ArgSpec::Kind::Text && value.IsScalar() && have != Kind::Nothing)
            hint = " (quote it: \"" + value.Scalar() + "\")";
        r.error(value, "argument '" + spec.name + "' of step type '" + type + "' must be " +
                           article_kind(spec.kind) + ", found " + yaml::describe(value) + hint);
        return;
    }
    if (have == Kind::Text)
        check_choice(spec, value, value.Scalar(), type, r);
}

// Each argument in one `args` mapping (the step's or a variant's). Adds to
// `meant` the arguments that misspelt keys probably stand for.
void check_arg_map(const YAML::Node& args, const StepSource& src, const StepTypeInfo& info,
                   yaml::Reporter& r, std::set<std::string>& meant) {
    std::vector<std::string> names;
    for (const ArgSpec& a : info.args)
        names.push_back(a.name);
    for (auto it = args.begin(); it != args.end(); ++it) {
        if (!it->first.IsScalar())
            continue; // reported when the args were read
        const std::string key = it->first.Scalar();
        const auto spec = std::find_if(info.args.begin(), info.args.end(),
                                       [&](const ArgSpec& a) { return a.name == key; });
        if (spec == info.args.end()) {
            for (std::string& close : closest_words(key, names))
                meant.insert(std::move(close));
            std::string hint = did_you_mean(key, names);
            if (hint.empty())
                hint = names.empty() ? " (it takes no arguments)"
                                     : " (it takes " + quoted_list(names) + ")";
            r.error(it->first,
                    "unknown argument '" + key + "' for step type '" + info.name + "'" + hint);
            continue;
        }
        check_arg_value(*spec, it->second, src, info.name, r);
    }
}

// A numeric limit bound: a number, or one ${reference} resolved at run time.
std::optional<nlohmann::json> limit_number(const YAML::Node& node, LoadState& st,
                                           const std::string& what) {
    yaml::Reporter& r = st.report;
    if (node.IsScalar()) {
        nlohmann::json j = yaml::scalar_to_json(node, r);
        if (j.is_number())
            return j;
        if (j.is_string() && sole_reference(j.get<std::string>()))
            return j;
    }
    r.error(node, what + " must be a number or one ${reference}, found " + yaml::describe(node));
    return std::nullopt;
}

// The number a bound stands for when the file alone tells (a literal, or a
// parameter); checks a parameter's type and unit against the measurement.
std::optional<double> static_number(const nlohmann::json& bound, const YAML::Node& node,
                                    const std::string& what, const MeasurementSpec& m,
                                    LoadState& st) {
    if (bound.is_number())
        return bound.get<double>();
    const std::string text = bound.get<std::string>(); // the view below points into it
    const auto ref = sole_reference(text);
    const Parameter* p = ref ? st.parameter(*ref) : nullptr;
    if (!p)
        return std::nullopt;
    if (!std::holds_alternative<double>(p->value)) {
        st.report.error(node, what + " refers to parameter '" + p->name + "', which is " +
                                  type_name(p->value) + " '" + to_text(p->value) +
                                  "', not a number");
        return std::nullopt;
    }
    if (!p->unit.empty() && !m.unit.empty() && p->unit != m.unit)
        st.report.error(node, what + " refers to parameter '" + p->name + "' in " + p->unit +
                                  ", but '" + m.name + "' is in " + m.unit);
    return std::get<double>(p->value);
}

struct Bound {
    nlohmann::json value;
    YAML::Node node;
    std::string what;             // "low", "marginal high"
    std::optional<double> number; // when known from the file
};

// "low 3150 is above high 2850", reported at the lower bound.
void check_order(const std::optional<Bound>& lower, const std::string& lower_what,
                 const std::optional<Bound>& upper, const std::string& upper_what,
                 yaml::Reporter& r) {
    if (lower && upper && lower->number && upper->number && *lower->number > *upper->number)
        r.error(lower->node, lower_what + " " + to_text(*lower->number) + " is above " +
                                 upper_what + " " + to_text(*upper->number));
}

std::optional<MeasurementSpec> read_measurement(const YAML::Node& node, LoadState& st,
                                                const StepSource& src) {
    yaml::Reporter& r = st.report;
    MapReader m(node, r, "measurement", kMeasurementKeys);
    if (!m.valid())
        return std::nullopt;
    MeasurementSpec ms;
    ms.pos = r.pos(node);
    const auto name = m.text("name", true);
    if (!name)
        return std::nullopt;
    ms.name = *name;
    if (!is_identifier(ms.name)) {
        r.error(*m.find("name"), identifier_rule("measurement name", ms.name));
        return std::nullopt;
    }
    const StepTypeInfo* info = src.type ? &src.type->info() : nullptr;
    const MeasurementInfo* declared = nullptr;
    if (info) {
        for (const MeasurementInfo& mi : info->measurements)
            if (mi.name == ms.name)
                declared = &mi;
        if (!declared && !info->any_measurement) {
            std::vector<std::string> names;
            for (const MeasurementInfo& mi : info->measurements)
                names.push_back(mi.name);
            std::string hint = did_you_mean(ms.name, names);
            if (hint.empty())
                hint = names.empty() ? " (it records none)"
                                     : " (it records " + quoted_list(names) + ")";
            r.error(*m.find("name"),
                    "step type '" + info->name + "' has no measurement '" + ms.name + "'" + hint);
        }
    }

    const std::size_t errors_before = r.count();
    const YAML::Node* unit_node = m.find("unit");
    if (auto unit = m.text("unit", false)) {
        if (!find_unit(*unit))
            r.error(*unit_node, unknown_unit_message(*unit));
        else if (declared && declared->unit.empty())
            r.error(*unit_node, "'" + ms.name + "' has no unit: step type '" + info->name +
                                    "' records it as text or true/false");
        else if (declared && *unit != declared->unit)
            r.error(*unit_node, "unit " + *unit + " differs from " + declared->unit +
                                    ", the unit step type '" + info->name + "' records '" +
                                    ms.name + "' in");
        ms.unit = *unit;
    }

    // Numeric bounds.
    std::optional<Bound> low, high, marginal_low, marginal_high;
    auto read_bound = [&](const YAML::Node* n, const std::string& what) -> std::optional<Bound> {
        if (!n)
            return std::nullopt;
        auto v = limit_number(*n, st, what);
        if (!v)
            return std::nullopt;
        return Bound{*v, *n, what, std::nullopt};
    };
    low = read_bound(m.find("low"), "low");
    high = read_bound(m.find("high"), "high");
    const YAML::Node* marginal_node = m.find("marginal");
    if (marginal_node) {
        MapReader band(*marginal_node, r, "marginal", {"low", "high"});
        if (band.valid() && band.entries().empty())
            r.error(*marginal_node, "marginal needs low and/or high");
        marginal_low = read_bound(band.find("low"), "marginal low");
        marginal_high = read_bound(band.find("high"), "marginal high");
    }
    const bool numeric = m.find("low") || m.find("high") || marginal_node;

    // The other kinds of limit.
    const YAML::Node* equals = m.find("equals");
    const YAML::Node* regex = m.find("regex");
    const YAML::Node* one_of = m.find("one_of");
    if (equals) {
        if (!equals->IsScalar())
            r.error(*equals, "equals must be a single value, found " + yaml::describe(*equals));
        else
            ms.limit["equals"] = yaml::scalar_to_json(*equals, r);
    }
    if (regex) {
        if (auto pattern = yaml::as_text(*regex, r, "regex")) {
            if (pattern->size() > kMaxRegexLength) {
                r.error(*regex,
                        "regex is longer than " + std::to_string(kMaxRegexLength) + " characters");
            } else if (!has_references(*pattern)) {
                Limit probe;
                probe.kind = Limit::Kind::Regex;
                probe.pattern = *pattern;
                if (auto why = probe.compile())
                    r.error(*regex, "regex does not compile: " + *why);
            }
            ms.limit["regex"] = *pattern;
        }
    }
    if (one_of) {
        if (!one_of->IsSequence() || one_of->size() == 0) {
            r.error(*one_of, "one_of must be a non-empty list of values");
        } else {
            nlohmann::json items = nlohmann::json::array();
            for (const YAML::Node& item : *one_of) {
                if (!r.spend(item))
                    break;
                if (!item.IsScalar()) {
                    r.error(item,
                            "one_of values must be single values, found " + yaml::describe(item));
                    continue;
                }
                items.push_back(yaml::scalar_to_json(item, r));
            }
            ms.limit["one_of"] = std::move(items);
        }
    }

    // One kind of limit per measurement.
    std::vector<std::pair<std::string, const YAML::Node*>> kinds;
    if (m.find("low") || m.find("high"))
        kinds.emplace_back("low/high", m.key_node(m.find("low") ? "low" : "high"));
    if (equals)
        kinds.emplace_back("equals", m.key_node("equals"));
    if (regex)
        kinds.emplace_back("regex", m.key_node("regex"));
    if (one_of)
        kinds.emplace_back("one_of", m.key_node("one_of"));
    if (kinds.size() > 1)
        r.error(*kinds[1].second, "'" + kinds[1].first + "' cannot be combined with '" +
                                      kinds[0].first + "': a measurement has one kind of limit");
    else if (marginal_node && !m.find("low") && !m.find("high"))
        r.error(*m.key_node("marginal"), "marginal needs low and/or high beside it");
    else if (numeric && !unit_node) {
        // Numeric limits must say what they count in.
        const YAML::Node* first = m.key_node(m.find("low")    ? "low"
                                             : m.find("high") ? "high"
                                                              : "marginal");
        std::string hint;
        if (declared && !declared->unit.empty()) {
            const UnitInfo* u = find_unit(declared->unit);
            hint = "; step type '" + info->name + "' records it in " + declared->unit +
                   (u ? " (" + std::string(u->name) + ")" : "");
        }
        r.error(*first,
                "limit without units: '" + ms.name + "' has a numeric limit but no 'unit'" + hint);
    }
    if (!unit_node && declared)
        ms.unit = declared->unit; // recorded in the unit the step type reports

    // Bounds in order, when the file tells their values.
    if (r.count() == errors_before) {
        for (auto* b : {&low, &high, &marginal_low, &marginal_high}) {
            if (*b)
                (*b)->number = static_number((*b)->value, (*b)->node, (*b)->what, ms, st);
        }
        const std::size_t before_order = r.count();
        check_order(low, "low", high, "high", r);
        check_order(marginal_low, "marginal low", marginal_high, "marginal high", r);
        // A band is checked against bounds that are themselves in order.
        const bool ordered = r.count() == before_order;
        if (ordered && low && marginal_low && low->number && marginal_low->number &&
            *marginal_low->number < *low->number)
            r.error(marginal_low->node, "marginal low " + to_text(*marginal_low->number) +
                                            " is below low " + to_text(*low->number) +
                                            ": the marginal band lies inside low/high");
        if (ordered && high && marginal_high && high->number && marginal_high->number &&
            *marginal_high->number > *high->number)
            r.error(marginal_high->node, "marginal high " + to_text(*marginal_high->number) +
                                             " is above high " + to_text(*high->number) +
                                             ": the marginal band lies inside low/high");
    }
    if (low)
        ms.limit["low"] = low->value;
    if (high)
        ms.limit["high"] = high->value;
    if (marginal_low || marginal_high) {
        nlohmann::json band = nlohmann::json::object();
        if (marginal_low)
            band["low"] = marginal_low->value;
        if (marginal_high)
            band["high"] = marginal_high->value;
        ms.limit["marginal"] = std::move(band);
    }
    return ms;
}

} // namespace

std::vector<MeasurementSpec> read_measurements(const YAML::Node& list, LoadState& st,
                                               const StepSource& src) {
    yaml::Reporter& r = st.report;
    std::vector<MeasurementSpec> out;
    if (!list.IsSequence()) {
        r.error(list, "measurements must be a list (- {name: …, unit: …, low: …})");
        return out;
    }
    std::vector<std::pair<std::string, int>> seen;
    for (const YAML::Node& item : list) {
        if (!r.spend(item))
            break;
        auto m = read_measurement(item, st, src);
        if (!m)
            continue;
        const auto dup = std::find_if(seen.begin(), seen.end(),
                                      [&](const auto& s) { return s.first == m->name; });
        if (dup != seen.end()) {
            r.error(item, "measurement '" + m->name + "' is listed twice (first at line " +
                              std::to_string(dup->second) + ")");
            continue;
        }
        seen.emplace_back(m->name, m->pos.line);
        out.push_back(std::move(*m));
    }
    return out;
}

void check_step_args(const StepSpec& step, const StepSource& src, LoadState& st) {
    yaml::Reporter& r = st.report;
    const StepTypeInfo& info = src.type->info();
    const std::size_t errors_before = r.count();
    const auto args_node = yaml::find_key(src.node, "args");
    const auto type_node = yaml::find_key(src.node, "type");
    std::set<std::string> meant; // by misspelt keys: not reported missing as well
    if (args_node && args_node->IsMap())
        check_arg_map(*args_node, src, info, r, meant);
    if (const auto variants = yaml::find_key(src.node, "variants"); variants && variants->IsMap()) {
        for (auto it = variants->begin(); it != variants->end(); ++it) {
            if (const auto vargs = yaml::find_key(it->second, "args"); vargs && vargs->IsMap())
                check_arg_map(*vargs, src, info, r, meant);
        }
    }

    // The arguments each model runs with: the step's, with its variant merged in.
    std::vector<std::string> models = st.proc.models;
    if (models.empty())
        models.emplace_back();
    std::vector<nlohmann::json> merged_args;
    std::vector<std::pair<std::string, std::vector<std::string>>> missing; // arg, models
    for (const std::string& model : models) {
        nlohmann::json merged = step.args.is_object() ? step.args : nlohmann::json::object();
        const auto v = step.variants.find(model);
        if (v != step.variants.end()) {
            if (v->second.skip.value_or(false))
                continue;
            if (v->second.args && v->second.args->is_object())
                for (const auto& [k, value] : v->second.args->items())
                    merged[k] = value;
        }
        for (const ArgSpec& a : info.args) {
            if (!a.required || !a.default_value.is_null() || merged.contains(a.name) ||
                meant.count(a.name))
                continue;
            auto it = std::find_if(missing.begin(), missing.end(),
                                   [&](const auto& m) { return m.first == a.name; });
            if (it == missing.end())
                missing.emplace_back(a.name, std::vector<std::string>{model});
            else
                it->second.push_back(model);
        }
        if (std::find(merged_args.begin(), merged_args.end(), merged) == merged_args.end())
            merged_args.push_back(std::move(merged));
    }
    const YAML::Node& where = args_node ? *args_node : type_node ? *type_node : src.node;
    for (const auto& [arg, for_models] : missing) {
        const bool some = for_models.size() < models.size();
        r.error(where, "missing argument '" + arg + "' for step type '" + info.name + "'" +
                           (some ? " (for " + quoted_list(for_models) + ")" : ""));
    }
    if (r.count() != errors_before)
        return; // the step type's own checks assume well-formed arguments
    std::set<std::string> reported;
    for (const nlohmann::json& args : merged_args) {
        std::vector<std::string> problems;
        try {
            problems = src.type->check(args);
        } catch (const std::exception& e) {
            problems.push_back(std::string("could not check the arguments: ") + e.what());
        }
        for (const std::string& p : problems)
            if (reported.insert(p).second)
                r.error(where, "step type '" + info.name + "': " + p);
    }
}

} // namespace bwc::bench::detail
