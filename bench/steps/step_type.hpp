// What a step type is — its name, family, arguments, measurements and the
// fixtures it needs — and the registry every step type adds itself to at
// start-up (REGISTER_STEP_TYPE in its own .cpp; HACKING.md "Add a step type").
// `bench check` validates procedures against this; the runner executes
// through StepType::measure (bench/steps/step_runner.hpp owns the rest).
#pragma once

#include "bench/core/value.hpp"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

class StepContext;

struct ArgSpec {
    enum class Kind { Number, Integer, Text, Bool, List, Any };
    std::string name;
    Kind kind = Kind::Any;
    bool required = false;
    nlohmann::json default_value;     // null: none
    std::vector<std::string> choices; // Text: allowed values; empty = any
    std::string help;
};
std::string_view to_string(ArgSpec::Kind k);

struct MeasurementInfo {
    std::string name;
    std::string unit; // Rec. 20 code the step reports in; "" for text and bool
    std::string help;
};

struct StepTypeInfo {
    std::string name;   // "identify", "button.hold_threshold"
    std::string family; // "identification", "buttons", "flow"
    std::string help;
    std::vector<ArgSpec> args;
    std::vector<MeasurementInfo> measurements;
    bool any_measurement = false;      // the names come from the args (e.g. "state")
    std::vector<std::string> fixtures;     // station fixtures it needs ("vision")
    std::vector<std::string> calibrations; // calibration kinds it needs ("vision.colour")
    bool needs_physical = false;       // the bay's physical port (actuators)
    bool needs_dock = false;           // the station's dock port
};

/// What the model table says a measurement of a step must read on a good
/// unit of one model (a gesture threshold, a boot time). `bench check` refuses
/// a numeric limit that leaves it out: the procedure contradicts the table.
struct ModelFact {
    std::string measurement; // one of the step type's measurements
    double value = 0;
    std::string unit; // Rec. 20 code, as the step type records it
    std::string what; // for the message: "record button hold (stop recording)"
};

/// What one attempt of a step measured: values by name, or why it could not.
struct StepOutput {
    std::vector<std::pair<std::string, Value>> values;
    std::string error; // non-empty: the attempt is an Error with this cause
    static StepOutput failed(std::string why) {
        StepOutput o;
        o.error = std::move(why);
        return o;
    }
    StepOutput& add(std::string name, Value v) {
        values.emplace_back(std::move(name), std::move(v));
        return *this;
    }
};

class StepType {
public:
    virtual ~StepType() = default;
    virtual const StepTypeInfo& info() const = 0;
    /// Checks beyond the ArgSpecs (e.g. a button the model lacks); messages
    /// name the argument. `args` are as written (may hold "${…}" texts).
    virtual std::vector<std::string> check(const nlohmann::json& args) const {
        (void)args;
        return {};
    }
    /// The model table's values for this step's measurements on `model`
    /// ("W120"), given its arguments as planned; none by default. Arguments
    /// that still hold "${…}" are the step's business (return nothing for them).
    virtual std::vector<ModelFact> model_facts(std::string_view model,
                                               const nlohmann::json& args) const {
        (void)model;
        (void)args;
        return {};
    }
    /// Performs one attempt. Devices and time come from `ctx`; limits,
    /// retries, timing and the record are the caller's (step_runner).
    virtual StepOutput measure(StepContext& ctx, const nlohmann::json& args) const = 0;
};

class StepRegistry {
public:
    static StepRegistry& instance();
    void add(std::unique_ptr<StepType> type);
    const StepType* find(std::string_view name) const;
    /// Sorted by name.
    std::vector<const StepType*> all() const;

private:
    std::vector<std::unique_ptr<StepType>> types_;
};

/// Registers T (default-constructible) when the program starts. The step
/// library is linked whole-archive so these objects are never dropped.
template <class T>
struct StepTypeRegistration {
    StepTypeRegistration() { StepRegistry::instance().add(std::make_unique<T>()); }
};

} // namespace bwc::bench

#define BWC_STEP_CONCAT2(a, b) a##b
#define BWC_STEP_CONCAT(a, b) BWC_STEP_CONCAT2(a, b)
#define REGISTER_STEP_TYPE(T)                                                                      \
    static const ::bwc::bench::StepTypeRegistration<T> BWC_STEP_CONCAT(bwc_step_registration_,     \
                                                                       __LINE__)
