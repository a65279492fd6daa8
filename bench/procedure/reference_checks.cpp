// Checks across the whole procedure file, once every step is read: step ids
// are unique after loops expand, and every ${name} and run_if name refers to
// something known at that point — a built-in, a parameter, one of the step's
// loop variables, or a measurement of a step that runs earlier.
#include "bench/procedure/expression.hpp"
#include "bench/procedure/loader_internal.hpp"
#include "bench/procedure/references.hpp"
#include "bench/procedure/suggest.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace bwc::bench::detail {
namespace {

constexpr int kMaxWalkDepth = 32;

// What is known while walking the procedure in running order.
struct Known {
    std::map<std::string, const StepSpec*> all_ids;               // every expanded id in the file
    std::set<std::string> earlier_ids;                            // ids of steps already passed
    std::map<std::string, std::vector<std::string>> measurements; // id -> names
    std::set<std::string> open_ids; // measurements not known from the file (any_measurement)
};

class ReferenceChecker {
public:
    explicit ReferenceChecker(LoadState& st) : st_(st), r_(st.report) {}

    void run() {
        collect_ids();
        for (std::size_t g = 0; g < 3; ++g) {
            const auto& steps = st_.proc.group(static_cast<Group>(g));
            for (std::size_t i = 0; i < steps.size(); ++i) {
                check_step(steps[i], st_.sources[g][i]);
                learn(steps[i], st_.sources[g][i]);
            }
        }
    }

private:
    void collect_ids() {
        for (std::size_t g = 0; g < 3; ++g) {
            const auto& steps = st_.proc.group(static_cast<Group>(g));
            for (std::size_t i = 0; i < steps.size(); ++i) {
                const StepSpec& s = steps[i];
                if (s.id.empty())
                    continue;
                const auto id_node = yaml::find_key(st_.sources[g][i].node, "id");
                const YAML::Node& at = id_node ? *id_node : st_.sources[g][i].node;
                // Each loop variable must be in the id, or the iterations share it.
                bool loops_in_id = true;
                for (const LoopVar& l : s.for_each) {
                    if (s.id.find("${" + l.name + "}") == std::string::npos) {
                        r_.error(at, "step id '" + s.id + "' must contain ${" + l.name +
                                         "}: each iteration of the loop needs its own id");
                        loops_in_id = false;
                    }
                }
                if (!loops_in_id)
                    continue;
                std::set<std::string> own;
                for (std::string& id : expanded_ids(s, kMaxIterations))
                    own.insert(std::move(id));
                for (const std::string& id : own) {
                    const auto [it, fresh] = known_.all_ids.emplace(id, &s);
                    if (!fresh) {
                        r_.error(at, "duplicate step id '" + id + "' (also at line " +
                                         std::to_string(it->second->pos.line) + ")");
                        break;
                    }
                }
            }
        }
    }

    // After a step is checked, later steps may use its measurements.
    void learn(const StepSpec& s, const StepSource& src) {
        if (s.id.empty())
            return;
        std::vector<std::string> names;
        auto add = [&](const std::string& n) {
            if (std::find(names.begin(), names.end(), n) == names.end())
                names.push_back(n);
        };
        for (const MeasurementSpec& m : s.measurements)
            add(m.name);
        for (const auto& [model, v] : s.variants)
            if (v.measurements)
                for (const MeasurementSpec& m : *v.measurements)
                    add(m.name);
        const bool open = !src.type || src.type->info().any_measurement;
        if (src.type)
            for (const MeasurementInfo& mi : src.type->info().measurements)
                add(mi.name);
        for (const std::string& id : expanded_ids(s, kMaxIterations)) {
            known_.earlier_ids.insert(id);
            known_.measurements[id] = names;
            if (open)
                known_.open_ids.insert(id);
        }
    }

    // Why `name` cannot be used in step `s`, or nullopt when it can.
    std::optional<std::string> problem(std::string_view name, const StepSpec& s) const {
        const auto dot = name.find('.');
        if (dot == std::string_view::npos) {
            if (is_builtin_name(name) || st_.parameter(name) ||
                std::any_of(s.for_each.begin(), s.for_each.end(),
                            [&](const LoopVar& l) { return l.name == name; }))
                return std::nullopt;
            if (known_.all_ids.count(std::string(name)))
                return "'" + std::string(name) + "' is a step: name one of its measurements, '" +
                       std::string(name) + ".<measurement>'";
            return "unknown name '" + std::string(name) + "'" + did_you_mean(name, candidates(s));
        }
        const std::string id(name.substr(0, dot));
        const std::string measurement(name.substr(dot + 1));
        if (known_.earlier_ids.count(id)) {
            if (known_.open_ids.count(id))
                return std::nullopt;
            const auto& names = known_.measurements.at(id);
            if (std::find(names.begin(), names.end(), measurement) != names.end())
                return std::nullopt;
            std::string hint = did_you_mean(measurement, names);
            if (hint.empty())
                hint = names.empty() ? " (it records none)"
                                     : " (it records " + quoted_list(names) + ")";
            return "step '" + id + "' has no measurement '" + measurement + "'" + hint;
        }
        const auto later = known_.all_ids.find(id);
        if (later != known_.all_ids.end()) {
            if (later->second == &s)
                return "'" + std::string(name) +
                       "' is this step's own measurement: it is not known before the step runs";
            return "step '" + id + "' runs after this one: its measurements are not known yet";
        }
        return "unknown name '" + std::string(name) + "'" + did_you_mean(name, candidates(s));
    }

    std::vector<std::string> candidates(const StepSpec& s) const {
        std::vector<std::string> out;
        for (auto b : kBuiltinNames)
            out.emplace_back(b);
        for (const Parameter& p : st_.proc.parameters)
            out.push_back(p.name);
        for (const LoopVar& l : s.for_each)
            out.push_back(l.name);
        std::size_t n = 0;
        for (const auto& [id, names] : known_.measurements) {
            for (const std::string& m : names)
                out.push_back(id + "." + m);
            if (++n > 1000)
                break; // enough to suggest from
        }
        return out;
    }

    // Every ${…} in the strings under `node`.
    void check_strings(const YAML::Node& node, const StepSpec& s, int depth) {
        if (depth > kMaxWalkDepth || !r_.spend(node))
            return;
        if (node.IsSequence()) {
            for (const YAML::Node& item : node)
                check_strings(item, s, depth + 1);
        } else if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it)
                check_strings(it->second, s, depth + 1);
        } else if (node.IsScalar() && has_references(node.Scalar())) {
            check_text(node, s);
        }
    }

    void check_text(const YAML::Node& scalar, const StepSpec& s) {
        const std::string& text = scalar.Scalar();
        auto refs = find_references(text);
        if (!refs) {
            r_.error_in(scalar, refs.error().offset, refs.error().message);
            return;
        }
        for (const TextRef& ref : *refs)
            if (auto why = problem(ref.name, s))
                r_.error_in(scalar, ref.begin, *why);
    }

    void check_step(const StepSpec& s, const StepSource& src) {
        // The id may use only this step's loop variables.
        if (const auto id = yaml::find_key(src.node, "id"); id && id->IsScalar()) {
            if (auto refs = find_references(id->Scalar())) {
                for (const TextRef& ref : *refs) {
                    const bool loop_var =
                        std::any_of(s.for_each.begin(), s.for_each.end(),
                                    [&](const LoopVar& l) { return l.name == ref.name; });
                    if (!loop_var)
                        r_.error_in(*id, ref.begin,
                                    "a step id may use only the step's loop variables; '" +
                                        std::string(ref.name) + "' is not one");
                }
            }
        }
        for (const char* key : {"name", "failure_code", "args", "measurements", "variants"})
            if (const auto node = yaml::find_key(src.node, key))
                check_strings(*node, s, 0);
        const auto run_if = yaml::find_key(src.node, "run_if");
        if (s.condition && run_if) {
            for (const Expression::NameUse& use : s.condition->names())
                if (auto why = problem(use.name, s))
                    r_.error_in(*run_if, use.offset, "run_if: " + *why);
        }
    }

    LoadState& st_;
    yaml::Reporter& r_;
    Known known_;
};

} // namespace

std::vector<std::string> expanded_ids(const StepSpec& step, std::size_t max) {
    if (!has_references(step.id) || step.for_each.empty())
        return {step.id};
    std::vector<std::string> out;
    visit_iterations(step.for_each, [&](const std::vector<std::size_t>& at) {
        auto lookup = [&](std::string_view name) -> const Value* {
            for (std::size_t k = 0; k < step.for_each.size(); ++k)
                if (step.for_each[k].name == name)
                    return &step.for_each[k].values[at[k]];
            return nullptr;
        };
        auto id = interpolate(step.id, lookup, true);
        out.push_back(id ? std::move(id).value() : step.id);
        return out.size() < max;
    });
    return out;
}

void check_references(LoadState& st) {
    ReferenceChecker(st).run();
}

} // namespace bwc::bench::detail
