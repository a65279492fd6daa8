// Procedure against station and against the model table (see station_fit.hpp).
#include "bench/procedure/station_fit.hpp"

#include "bench/steps/step_type.hpp"

#include <algorithm>
#include <set>

namespace bwc::bench {
namespace {

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return out;
}

std::string bay_list(const std::vector<int>& bays) {
    std::vector<std::string> names;
    for (int b : bays)
        names.push_back(std::to_string(b));
    return (bays.size() == 1 ? "bay " : "bays ") + join(names);
}

bool has_fixture(const std::vector<FixtureRef>& list, const std::string& name) {
    return std::any_of(list.begin(), list.end(),
                       [&](const FixtureRef& f) { return f.name == name; });
}

/// The names a bay's steps can reach: its own fixtures, then the station's.
std::string fixtures_of(const Station& station, const Bay* bay) {
    std::set<std::string> names;
    for (const FixtureRef& f : station.fixtures)
        names.insert(f.name);
    if (bay)
        for (const FixtureRef& f : bay->fixtures)
            names.insert(f.name);
    if (names.empty())
        return "it has no fixtures";
    return "it has " + join(std::vector<std::string>(names.begin(), names.end()));
}

std::string station_name(const Station& station) {
    return "station " + station.id + (station.path.empty() ? "" : " (" + station.path + ")");
}

} // namespace

Diagnostics check_station_fit(const Procedure& proc, const Station& station,
                              std::span<const int> bays) {
    std::vector<const Bay*> running;
    if (bays.empty()) {
        for (const Bay& b : station.bays)
            running.push_back(&b);
    } else {
        for (int n : bays)
            if (const Bay* b = station.bay(n))
                running.push_back(b);
    }
    Diagnostics out;
    std::set<std::pair<std::string, std::string>> told; // (step type, need): once per procedure
    for (Group g : {Group::Setup, Group::Main, Group::Teardown}) {
        for (const StepSpec& spec : proc.group(g)) {
            const StepType* type = StepRegistry::instance().find(spec.type);
            if (!type)
                continue; // the loader has reported it
            const StepTypeInfo& info = type->info();
            const std::string who = "step '" + spec.id + "' (" + spec.type + ")";
            for (const std::string& fixture : info.fixtures) {
                if (!told.insert({spec.type, "fixture " + fixture}).second)
                    continue;
                std::vector<int> without;
                for (const Bay* b : running)
                    if (!has_fixture(b->fixtures, fixture) &&
                        !has_fixture(station.fixtures, fixture))
                        without.push_back(b->number);
                if (without.empty())
                    continue;
                const Bay* first = station.bay(without.front());
                const bool all = without.size() == running.size();
                out.push_back(
                    {spec.pos, who + " needs fixture '" + fixture + "', which " +
                                   station_name(station) +
                                   (all ? " does not have" : " lacks in " + bay_list(without)) +
                                   " (" + fixtures_of(station, first) + ")"});
            }
            if (info.needs_physical && told.insert({spec.type, "physical"}).second) {
                std::vector<int> without;
                for (const Bay* b : running)
                    if (!b->physical)
                        without.push_back(b->number);
                if (!without.empty())
                    out.push_back({spec.pos, who +
                                                 " needs a physical port (button actuators), "
                                                 "which " +
                                                 bay_list(without) + " of " +
                                                 station_name(station) + " lack"});
            }
            if (info.needs_dock && !station.dock && told.insert({spec.type, "dock"}).second)
                out.push_back({spec.pos, who + " needs a dock, and " + station_name(station) +
                                             " has none (a 'dock:' entry)"});
        }
    }
    return out;
}

Diagnostics check_model_facts(const Procedure& proc) {
    Diagnostics out;
    // References the loader can fill without running anything: parameters.
    Env env;
    for (const Parameter& p : proc.parameters)
        env.set(p.name, p.value);
    for (const std::string& model : proc.models) {
        Env model_env(&env);
        model_env.set("model", Value(model));
        for (Group g : {Group::Setup, Group::Main, Group::Teardown}) {
            auto planned = plan(proc, g, model);
            if (!planned)
                continue; // the loader has reported it
            for (const PlannedStep& step : *planned) {
                const StepType* type = StepRegistry::instance().find(step.spec->type);
                if (!type)
                    continue;
                // A step whose args or limits need results of earlier steps
                // cannot be judged here; resolve() says so, and it is skipped.
                auto resolved = resolve(step, model_env);
                if (!resolved)
                    continue;
                for (const ModelFact& fact : type->model_facts(model, resolved->args)) {
                    for (const ResolvedMeasurement& m : resolved->measurements) {
                        if (m.name != fact.measurement || m.limit.kind != Limit::Kind::Range)
                            continue;
                        if (m.unit != fact.unit)
                            continue; // a unit mismatch is the loader's to report
                        const bool below = m.limit.low && fact.value < *m.limit.low;
                        const bool above = m.limit.high && fact.value > *m.limit.high;
                        if (!below && !above)
                            continue;
                        SourcePos pos = step.spec->pos;
                        for (const MeasurementSpec& ms : step.measurements)
                            if (ms.name == m.name)
                                pos = ms.pos;
                        out.push_back({pos, "limit " + m.limit.describe() + " " + m.unit + " of " +
                                                step.id + "." + m.name + " contradicts the " +
                                                model + " model table: " + fact.what + " is " +
                                                to_text(Value(fact.value)) + " " + fact.unit +
                                                ", so a good unit would fail"});
                    }
                }
            }
        }
    }
    return out;
}

} // namespace bwc::bench
