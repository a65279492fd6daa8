// A test procedure as loaded from its YAML file (procedures/README.md has the
// language): what it applies to, its parameters, and its setup / main /
// teardown groups of steps. Steps keep their arguments and limits as written
// (with ${…} references unresolved); plan() expands variants and loops for one
// model, resolve() fills in the references just before a step runs.
#pragma once

#include "bench/core/limit.hpp"
#include "bench/core/value.hpp"
#include "bench/procedure/diagnostic.hpp"
#include "bench/transport/uri.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace bwc::bench {

class Expression; // bench/procedure/expression.hpp
struct ResolvedStep;

enum class Group { Setup, Main, Teardown };
std::string_view to_string(Group g);

/// One measurement a step declares, with its limit as written. `limit` is an
/// object with any of low, high, equals, regex, one_of, marginal {low, high};
/// values may be "${name}" references.
struct MeasurementSpec {
    std::string name;
    std::string unit; // UNECE Rec. 20 code (bench/procedure/units.hpp); "" for text and bool
    nlohmann::json limit = nlohmann::json::object();
    SourcePos pos;
};

/// What a per-model variant overrides in a step.
struct StepVariant {
    std::optional<nlohmann::json> args; // merged key by key over the step's args
    std::optional<std::vector<MeasurementSpec>> measurements; // replaces by name
    std::optional<bool> skip;                                  // the step does not apply
};

/// A loop: the step runs once per value (several loops nest, first outermost).
struct LoopVar {
    std::string name;
    std::vector<Value> values;
};

struct StepSpec {
    std::string id;   // unique in the procedure; may contain ${loopvar}
    std::string name; // for people; defaults to id
    std::string type; // a registered step type (bench/steps/step_type.hpp)
    nlohmann::json args = nlohmann::json::object();
    std::vector<MeasurementSpec> measurements;
    int repeat_on_fail = 0;                      // extra attempts after a failing one
    std::optional<std::string> run_if;           // expression (bench/procedure/expression.hpp)
    std::shared_ptr<const Expression> condition; // run_if parsed once by the loader
    std::vector<LoopVar> for_each;
    std::optional<int> timeout_ms;               // wall-clock limit per attempt
    std::string failure_code;                    // recorded when this step is the first to fail
    std::map<std::string, StepVariant> variants; // by model name, upper case ("W120")
    SourcePos pos;
};

struct Parameter {
    std::string name;
    Value value;
    std::string unit;
    SourcePos pos;
};

struct Procedure {
    std::string path; // the file it came from
    std::string name;
    std::string version;
    std::vector<std::string> products; // "camera", "dock"
    std::vector<std::string> models;   // "W100", "W120", "W700", "W701"
    std::vector<Parameter> parameters;
    std::vector<StepSpec> setup, main, teardown;
    std::string sha256; // of the file's bytes: the content hash each record stores

    const std::vector<StepSpec>& group(Group g) const;
    bool applies_to(std::string_view model) const;
};

/// Variables visible to ${…} and run_if: parameters, model, bay, station,
/// loop variables and the measurements of steps already run, as
/// "<step id>.<measurement>". A child scope sees its parent's names.
class Env {
public:
    Env() = default;
    explicit Env(const Env* parent) : parent_(parent) {}
    void set(std::string name, Value v) { vars_[std::move(name)] = std::move(v); }
    const Value* find(std::string_view name) const;

private:
    const Env* parent_ = nullptr;
    std::unordered_map<std::string, Value> vars_;
};

/// A step of one model's plan: variants applied, one loop iteration bound.
struct PlannedStep {
    const StepSpec* spec = nullptr;
    Group group = Group::Main;
    std::string id;   // loop variables substituted
    std::string name; // loop variables substituted
    nlohmann::json args;
    std::vector<MeasurementSpec> measurements;
    std::vector<std::pair<std::string, Value>> loop_values; // this iteration's variables
    std::string failure_code;                               // loop variables substituted
    /// Filled by plan() when nothing in the step refers to ${…}: resolve()
    /// then only copies it and evaluates run_if (its fast path).
    std::shared_ptr<const ResolvedStep> prepared;
};

/// A step ready to run: every reference resolved, limits compiled.
struct ResolvedMeasurement {
    std::string name;
    std::string unit;
    Limit limit;
};
struct ResolvedStep {
    std::string id;
    std::string name;
    std::string type;
    nlohmann::json args;
    std::vector<ResolvedMeasurement> measurements;
    bool run = true;          // run_if evaluated true (or absent)
    std::string failure_code; // every reference resolved
};

/// Loads and validates a procedure file; every problem as a diagnostic.
Result<Procedure, Diagnostics> load_procedure(const std::string& path);
/// The same from text (`path` only names it in diagnostics).
Result<Procedure, Diagnostics> parse_procedure(std::string_view text, const std::string& path);

/// The steps of `group` for `model`: variants merged, loops expanded in order.
Result<std::vector<PlannedStep>> plan(const Procedure& proc, Group group, std::string_view model);
/// ${…} in args and limits replaced from `env` (plus the step's loop values),
/// run_if evaluated. Errors name the step and the unknown reference.
Result<ResolvedStep> resolve(const PlannedStep& step, const Env& env);

} // namespace bwc::bench
