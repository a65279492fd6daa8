// What the parts of the procedure loader share (procedure_loader.cpp reads
// the structure, step_checks.cpp checks steps against their step types,
// reference_checks.cpp checks ${…} and run_if names across the file). Not a
// public API: include procedure.hpp instead.
#pragma once

#include "bench/procedure/procedure.hpp"
#include "bench/procedure/yaml_reader.hpp"
#include "bench/steps/step_type.hpp"

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench::detail {

/// Names every run defines (the runner sets them in the Env).
inline constexpr std::array<std::string_view, 4> kBuiltinNames{"model", "bay", "station", "serial"};
/// Device models a procedure may name, and the product each belongs to.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kModels{
    {{"W100", "camera"}, {"W120", "camera"}, {"W700", "dock"}, {"W701", "dock"}}};
/// Loop iterations one step may expand to.
inline constexpr std::size_t kMaxIterations = 100000;

bool is_builtin_name(std::string_view name);
bool is_known_model(std::string_view model);

/// The YAML a step came from, kept for the checks that need positions.
struct StepSource {
    YAML::Node node;
    std::map<std::string, std::vector<YAML::Node>> loop_value_nodes; // per loop variable
    const StepType* type = nullptr; // nullptr: unknown type (already reported)
};

/// One procedure file being loaded.
struct LoadState {
    yaml::Reporter& report;
    Procedure& proc;
    std::vector<std::vector<StepSource>> sources; // parallel to setup, main, teardown

    const Parameter* parameter(std::string_view name) const;
};

/// Reads a step's `measurements` list (also a variant's); checks names,
/// units and limits, and against `type` when known.
std::vector<MeasurementSpec> read_measurements(const YAML::Node& list, LoadState& st,
                                               const StepSource& src);
/// Checks a step's args (with every variant merged in) against its step type.
void check_step_args(const StepSpec& step, const StepSource& src, LoadState& st);
/// Pass over the whole file once every step is read: step ids (unique after
/// loops), ${…} references and run_if names, each against what is known at
/// that point of the procedure.
void check_references(LoadState& st);

/// The ids a step expands to (loop variables substituted), at most `max`.
std::vector<std::string> expanded_ids(const StepSpec& step, std::size_t max);

/// Calls f(indices) for every combination of loop values, first loop
/// outermost, until f returns false. Without loops, once with no indices.
template <class F>
void visit_iterations(const std::vector<LoopVar>& loops, F&& f) {
    std::vector<std::size_t> at(loops.size(), 0);
    for (const LoopVar& l : loops)
        if (l.values.empty())
            return;
    while (true) {
        if (!f(at))
            return;
        std::size_t k = loops.size();
        while (k > 0) {
            --k;
            if (++at[k] < loops[k].values.size())
                break;
            at[k] = 0;
            if (k == 0)
                return;
        }
        if (loops.empty())
            return;
    }
}

} // namespace bwc::bench::detail
