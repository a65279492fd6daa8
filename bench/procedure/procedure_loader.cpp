// Loading a procedure file: the top level, parameters, groups and the
// structure of each step (procedures/README.md is the language reference).
// Checks against step types live in step_checks.cpp, checks of names across
// the file in reference_checks.cpp.
#include "bench/procedure/expression.hpp"
#include "bench/procedure/loader_internal.hpp"
#include "bench/procedure/references.hpp"
#include "bench/procedure/suggest.hpp"
#include "bench/procedure/units.hpp"
#include "firmware/core/sha256.hpp"

#include <algorithm>

namespace bwc::bench {

namespace detail {

bool is_builtin_name(std::string_view name) {
    return std::find(kBuiltinNames.begin(), kBuiltinNames.end(), name) != kBuiltinNames.end();
}

bool is_known_model(std::string_view model) {
    return std::any_of(kModels.begin(), kModels.end(),
                       [&](const auto& m) { return m.first == model; });
}

const Parameter* LoadState::parameter(std::string_view name) const {
    for (const Parameter& p : proc.parameters)
        if (p.name == name)
            return &p;
    return nullptr;
}

} // namespace detail

namespace {

using namespace detail;
using yaml::MapReader;

const std::vector<std::string> kTopKeys{"procedure", "version", "description",
                                        "products",  "models",  "parameters",
                                        "setup",     "main",    "teardown"};
const std::vector<std::string> kStepKeys{"id",           "name",           "type",    "args",
                                         "measurements", "repeat_on_fail", "run_if",  "for_each",
                                         "timeout_ms",   "failure_code",   "variants"};
const std::vector<std::string> kVariantKeys{"args", "measurements", "skip"};
const std::vector<std::string> kProducts{"camera", "dock"};
constexpr long long kMaxRepeatOnFail = 10;
constexpr long long kMaxTimeoutMs = 24LL * 3600 * 1000;
constexpr long long kMaxRangeBound = 1000000000;

std::vector<std::string> model_names() {
    std::vector<std::string> out;
    for (const auto& m : kModels)
        out.emplace_back(m.first);
    return out;
}

std::vector<StepSpec>& group_of(Procedure& p, Group g) {
    return g == Group::Setup ? p.setup : g == Group::Main ? p.main : p.teardown;
}

bool valid_procedure_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
    });
}

// A list of words from a closed set (products, models): each unknown or
// repeated word is reported at its own position.
std::vector<std::string> read_word_list(const YAML::Node& node, LoadState& st,
                                        std::string_view what,
                                        const std::vector<std::string>& allowed) {
    yaml::Reporter& r = st.report;
    std::vector<std::string> out;
    if (!node.IsSequence() || node.size() == 0) {
        r.error(node, "'" + std::string(what) + "' must be a non-empty list like [" +
                          allowed.front() + "]");
        return out;
    }
    for (const YAML::Node& item : node) {
        if (!r.spend(item))
            break;
        auto word = yaml::as_text(item, r, "each of '" + std::string(what) + "'");
        if (!word)
            continue;
        if (std::find(allowed.begin(), allowed.end(), *word) == allowed.end()) {
            std::string hint = did_you_mean(*word, allowed);
            if (hint.empty())
                hint = " (expected " + quoted_list(allowed) + ")";
            r.error(item, "unknown " + std::string(what == "models" ? "model" : "product") + " '" +
                              *word + "'" + hint);
        } else if (std::find(out.begin(), out.end(), *word) != out.end()) {
            r.error(item, "'" + *word + "' is listed twice");
        } else {
            out.push_back(*word);
        }
    }
    return out;
}

void read_header(MapReader& top, LoadState& st) {
    yaml::Reporter& r = st.report;
    Procedure& p = st.proc;
    if (auto name = top.text("procedure", true)) {
        if (!valid_procedure_name(*name))
            r.error(*top.find("procedure"),
                    "procedure name '" + *name + "' may use letters, digits, '.', '_' and '-'");
        p.name = *name;
    }
    if (auto version = top.text("version", true)) {
        if (version->empty())
            r.error(*top.find("version"), "'version' is empty");
        p.version = *version;
    }
    if (const YAML::Node* d = top.find("description"))
        yaml::as_text(*d, r, "'description'");
    if (const YAML::Node* products = top.require("products"))
        p.products = read_word_list(*products, st, "products", kProducts);
    if (const YAML::Node* models = top.require("models")) {
        p.models = read_word_list(*models, st, "models", model_names());
        // A model belongs to one product; the procedure must say it tests that product.
        std::size_t i = 0;
        for (const YAML::Node& item : *models) {
            if (i++ >= 64 || !item.IsScalar())
                continue;
            for (const auto& [model, product] : kModels) {
                if (item.Scalar() == model && !p.products.empty() &&
                    std::find(p.products.begin(), p.products.end(), product) == p.products.end())
                    r.error(item, "model " + std::string(model) + " is a " + std::string(product) +
                                      ", but 'products' does not list " + std::string(product));
            }
        }
    }
}

void read_parameters(const YAML::Node& node, LoadState& st) {
    yaml::Reporter& r = st.report;
    MapReader params(node, r, "parameters");
    for (std::size_t i = 0; i < params.entries().size(); ++i) {
        const auto& [name, value] = params.entries()[i];
        const YAML::Node& key = params.key_nodes()[i];
        if (!is_identifier(name)) {
            r.error(key, identifier_rule("parameter name", name));
            continue;
        }
        if (is_builtin_name(name)) {
            r.error(key, "parameter '" + name + "' would hide the built-in name '" + name + "'");
            continue;
        }
        Parameter p{name, {}, "", r.pos(key)};
        YAML::Node value_node = value;
        if (value.IsMap()) {
            MapReader body(value, r, "parameter '" + name + "'", {"value", "unit"});
            const YAML::Node* v = body.require("value");
            if (!v)
                continue;
            value_node = *v;
            if (auto unit = body.text("unit", false)) {
                if (!find_unit(*unit))
                    r.error(*body.find("unit"), unknown_unit_message(*unit));
                p.unit = *unit;
            }
        }
        if (value_node.IsNull()) {
            r.error(key, "parameter '" + name + "' has no value");
            continue;
        }
        if (!value_node.IsScalar()) {
            r.error(value_node, "parameter '" + name +
                                    "' must be a value or {value: …, unit: …}, not a list or "
                                    "mapping");
            continue;
        }
        p.value = json_as_value(yaml::scalar_to_json(value_node, r));
        if (const auto* s = std::get_if<std::string>(&p.value); s && has_references(*s)) {
            r.error(value_node,
                    "parameter values are plain: '" + *s + "' cannot refer to other names");
            continue;
        }
        if (!p.unit.empty() && !std::holds_alternative<double>(p.value)) {
            r.error(value_node, "parameter '" + name + "' has a unit but its value '" +
                                    to_text(p.value) + "' is not a number");
            continue;
        }
        st.proc.parameters.push_back(std::move(p));
    }
}

// The values of one loop: a list of single values or {range: [first, last]};
// nullopt (reported) when they are not.
std::optional<std::vector<Value>> read_loop_values(const std::string& name,
                                                   const YAML::Node& values, const YAML::Node& key,
                                                   LoadState& st, StepSource& src) {
    yaml::Reporter& r = st.report;
    std::vector<Value> out;
    if (values.IsSequence()) {
        for (const YAML::Node& item : values) {
            if (!r.spend(item))
                return std::nullopt;
            if (out.size() >= kMaxIterations) {
                r.error(values, "loop over '" + name + "' has more than " +
                                    std::to_string(kMaxIterations) + " values");
                return std::nullopt;
            }
            if (!item.IsScalar()) {
                r.error(item, "loop values must be single values, found " + yaml::describe(item));
                return std::nullopt;
            }
            out.push_back(json_as_value(yaml::scalar_to_json(item, r)));
            src.loop_value_nodes[name].push_back(item);
        }
        if (out.empty()) {
            r.error(values, "loop over '" + name + "' has no values");
            return std::nullopt;
        }
        return out;
    }
    if (!values.IsMap()) {
        r.error(values.IsNull() ? key : values,
                "loop '" + name + "' must be a list [a, b] or {range: [first, last]}");
        return std::nullopt;
    }
    MapReader range(values, r, "loop '" + name + "'", {"range"});
    const YAML::Node* bounds = range.require("range");
    if (!bounds)
        return std::nullopt;
    if (!bounds->IsSequence() || bounds->size() != 2) {
        r.error(*bounds, "range must be [first, last], e.g. [1, 10]");
        return std::nullopt;
    }
    auto first = yaml::as_integer((*bounds)[0], r, "range start", -kMaxRangeBound, kMaxRangeBound);
    auto last = yaml::as_integer((*bounds)[1], r, "range end", -kMaxRangeBound, kMaxRangeBound);
    if (!first || !last)
        return std::nullopt;
    if (*first > *last) {
        r.error(*bounds, "range [" + std::to_string(*first) + ", " + std::to_string(*last) +
                             "] is empty: first > last");
        return std::nullopt;
    }
    if (static_cast<unsigned long long>(*last - *first) >= kMaxIterations) {
        r.error(*bounds, "range gives " + std::to_string(*last - *first + 1) + " values; at most " +
                             std::to_string(kMaxIterations));
        return std::nullopt;
    }
    for (long long v = *first; v <= *last; ++v)
        out.emplace_back(static_cast<double>(v));
    return out;
}

// `for_each: {button: [record, top], i: {range: [1, 10]}}`. A loop whose
// values are wrong still declares its variable, so its uses are not reported too.
void read_for_each(const YAML::Node& node, LoadState& st, StepSpec& step, StepSource& src) {
    yaml::Reporter& r = st.report;
    MapReader loops(node, r, "for_each");
    if (loops.valid() && loops.entries().empty())
        r.error(node, "for_each has no loop variables");
    std::size_t iterations = 1;
    for (std::size_t i = 0; i < loops.entries().size(); ++i) {
        const auto& [name, values] = loops.entries()[i];
        const YAML::Node& key = loops.key_nodes()[i];
        if (!is_identifier(name)) {
            r.error(key, identifier_rule("loop variable", name));
            continue;
        }
        if (is_builtin_name(name) || st.parameter(name)) {
            r.error(key, "loop variable '" + name + "' would hide the " +
                             (is_builtin_name(name) ? "built-in name" : "parameter") + " '" + name +
                             "'");
            continue;
        }
        auto loop_values = read_loop_values(name, values, key, st, src);
        if (loop_values) {
            iterations *= loop_values->size();
            if (iterations > kMaxIterations) {
                r.error(node, "the loops give more than " + std::to_string(kMaxIterations) +
                                  " iterations");
                loop_values.reset();
                iterations = 0;
            }
        }
        step.for_each.push_back(LoopVar{name, loop_values.value_or(std::vector<Value>{})});
    }
}

void read_variants(const YAML::Node& node, LoadState& st, StepSpec& step, StepSource& src) {
    yaml::Reporter& r = st.report;
    MapReader variants(node, r, "variants");
    for (std::size_t i = 0; i < variants.entries().size(); ++i) {
        const auto& [model, body] = variants.entries()[i];
        const YAML::Node& key = variants.key_nodes()[i];
        if (!is_known_model(model)) {
            std::string hint = did_you_mean(model, model_names());
            r.error(key,
                    "unknown model '" + model + "' in variants" +
                        (hint.empty() ? " (expected " + quoted_list(model_names()) + ")" : hint));
            continue;
        }
        if (std::find(st.proc.models.begin(), st.proc.models.end(), model) ==
            st.proc.models.end()) {
            r.error(key, "variant for " + model + ", but 'models' lists only " +
                             quoted_list(st.proc.models));
            continue;
        }
        MapReader v(body, r, "variant " + model, kVariantKeys);
        if (!v.valid())
            continue;
        StepVariant variant;
        if (const YAML::Node* args = v.find("args")) {
            if (!args->IsMap())
                r.error(*args, "args must be a mapping (name: value), found " +
                                   std::string(args->IsSequence() ? "a list" : "a single value"));
            else if (auto j = yaml::to_json(*args, r))
                variant.args = std::move(*j);
        }
        if (const YAML::Node* ms = v.find("measurements"))
            variant.measurements = read_measurements(*ms, st, src);
        variant.skip = v.boolean("skip", false);
        step.variants[model] = std::move(variant);
    }
}

void report_unknown_type(const YAML::Node& at, const std::string& type, yaml::Reporter& r) {
    std::vector<std::string> names;
    for (const StepType* t : StepRegistry::instance().all())
        names.push_back(t->info().name);
    std::string hint = did_you_mean(type, names);
    if (names.empty())
        hint = " (this build registers no step types)";
    else if (hint.empty())
        hint = " (`bench check --list-steps` lists them)";
    r.error(at, "unknown step type '" + type + "'" + hint);
}

void check_id_syntax(const std::string& id, const YAML::Node& node, yaml::Reporter& r) {
    auto refs = find_references(id);
    if (!refs) {
        r.error_in(node, refs.error().offset, "step id: " + refs.error().message);
        return;
    }
    std::string stripped;
    std::size_t copied = 0;
    for (const TextRef& ref : *refs) {
        stripped += id.substr(copied, ref.begin - copied) + "x";
        copied = ref.end;
    }
    stripped += id.substr(copied);
    if (!is_identifier(stripped))
        r.error(node, identifier_rule("step id", id) + " (plus ${loop variables})");
}

std::optional<StepSpec> read_step(const YAML::Node& node, LoadState& st, StepSource& src) {
    yaml::Reporter& r = st.report;
    MapReader m(node, r, "step", kStepKeys);
    if (!m.valid())
        return std::nullopt;
    StepSpec s;
    s.pos = r.pos(node);
    src.node = node;
    if (auto id = m.text("id", true)) {
        check_id_syntax(*id, *m.find("id"), r);
        s.id = *id;
    }
    s.name = m.text("name", false).value_or(s.id);
    if (auto type = m.text("type", true)) {
        s.type = *type;
        src.type = StepRegistry::instance().find(*type);
        if (!src.type)
            report_unknown_type(*m.find("type"), *type, r);
    }
    if (const YAML::Node* args = m.find("args")) {
        if (!args->IsMap())
            r.error(args->IsNull() ? *m.key_node("args") : *args,
                    "args must be a mapping (name: value)");
        else if (auto j = yaml::to_json(*args, r))
            s.args = std::move(*j);
    }
    if (const YAML::Node* loops = m.find("for_each"))
        read_for_each(*loops, st, s, src);
    if (const YAML::Node* ms = m.find("measurements"))
        s.measurements = read_measurements(*ms, st, src);
    if (auto n = m.integer("repeat_on_fail", false, 0, kMaxRepeatOnFail))
        s.repeat_on_fail = static_cast<int>(*n);
    if (auto n = m.integer("timeout_ms", false, 1, kMaxTimeoutMs))
        s.timeout_ms = static_cast<int>(*n);
    if (auto cond = m.text("run_if", false)) {
        auto e = Expression::parse(*cond);
        if (!e) {
            r.error_in(*m.find("run_if"), e.error().offset, "run_if: " + e.error().message);
        } else {
            s.run_if = *cond;
            s.condition = std::make_shared<const Expression>(std::move(e).value());
        }
    }
    if (auto code = m.text("failure_code", false))
        s.failure_code = *code;
    if (const YAML::Node* variants = m.find("variants"))
        read_variants(*variants, st, s, src);
    if (src.type)
        check_step_args(s, src, st);
    return s;
}

void read_group(MapReader& top, const std::string& key, Group g, LoadState& st) {
    yaml::Reporter& r = st.report;
    const bool required = g == Group::Main;
    const YAML::Node* node = required ? top.require(key) : top.find(key);
    if (!node)
        return;
    if (!node->IsSequence() || node->size() == 0) {
        r.error(node->IsNull() ? *top.key_node(key) : *node,
                "'" + key + "' must be a list of steps (- id: …, type: …)" +
                    (node->IsSequence() ? ", found an empty list" : ""));
        return;
    }
    auto& steps = group_of(st.proc, g);
    auto& sources = st.sources[static_cast<std::size_t>(g)];
    for (const YAML::Node& item : *node) {
        if (!r.spend(item))
            return;
        StepSource src;
        if (auto step = read_step(item, st, src)) {
            steps.push_back(std::move(*step));
            sources.push_back(std::move(src));
        }
    }
}

} // namespace

Result<Procedure, Diagnostics> parse_procedure(std::string_view text, const std::string& path) {
    Procedure proc;
    proc.path = path;
    fw::Sha256 hash;
    hash.update(text);
    proc.sha256 = hash.hex_digest();

    yaml::Reporter r(path, text);
    auto doc = yaml::parse_document(text, r);
    if (!doc)
        return r.take();
    MapReader top(*doc, r, "a procedure file", kTopKeys);
    if (!top.valid())
        return r.take();
    LoadState st{r, proc, {}};
    st.sources.resize(3);
    read_header(top, st);
    if (const YAML::Node* params = top.find("parameters"))
        read_parameters(*params, st);
    read_group(top, "setup", Group::Setup, st);
    read_group(top, "main", Group::Main, st);
    read_group(top, "teardown", Group::Teardown, st);
    check_references(st);
    if (r.count() > 0)
        return r.take();
    return proc;
}

Result<Procedure, Diagnostics> load_procedure(const std::string& path) {
    return yaml::load_file<Procedure>(path, parse_procedure);
}

} // namespace bwc::bench
