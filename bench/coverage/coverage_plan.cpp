// Loading a fault-coverage plan (see coverage_plan.hpp). Every problem is a
// diagnostic with its file, line and column.
#include "bench/coverage/coverage_plan.hpp"

#include "bench/procedure/yaml_reader.hpp"

#include <filesystem>

namespace bwc::bench {
namespace {

using yaml::MapReader;

const std::vector<std::string> kTopKeys{"coverage", "description", "models"};
const std::vector<std::string> kModelKeys{"procedure", "faults"};
const std::vector<std::string> kFaultKeys{"value", "step", "code", "why"};
const std::vector<std::string> kModels{"W100", "W120", "W700", "W701"};

std::optional<PlannedFault> read_fault(const std::string& name, const YAML::Node& node,
                                       yaml::Reporter& r) {
    PlannedFault f;
    f.name = name;
    f.pos = r.pos(node);
    MapReader m(node, r, "fault '" + name + "'", kFaultKeys);
    if (!m.valid())
        return std::nullopt;
    auto step = m.text("step", true);
    auto code = m.text("code", true);
    auto value = m.text("value", false);
    auto why = m.text("why", false);
    if (!step || !code)
        return std::nullopt;
    f.step = *step;
    f.code = *code;
    f.value = value.value_or("");
    f.why = why.value_or("");
    if (f.value.find_first_of(" \t,") != std::string::npos) {
        r.error(*m.find("value"), "value '" + f.value + "' of fault '" + name +
                                      "' has a space or comma: bwc-emu could not take it");
        return std::nullopt;
    }
    return f;
}

} // namespace

const ModelCoverage* CoveragePlan::find(std::string_view model) const {
    for (const ModelCoverage& m : models)
        if (m.model == model)
            return &m;
    return nullptr;
}

Result<CoveragePlan, Diagnostics> parse_coverage_plan(std::string_view text,
                                                      const std::string& path) {
    using R = Result<CoveragePlan, Diagnostics>;
    yaml::Reporter r(path, text);
    auto doc = yaml::parse_document(text, r);
    CoveragePlan plan;
    plan.path = path;
    if (doc) {
        MapReader top(*doc, r, "a coverage plan", kTopKeys);
        if (top.valid()) {
            plan.name = top.text("coverage", true).value_or("");
            (void)top.text("description", false);
            const std::filesystem::path folder = std::filesystem::path(path).parent_path();
            if (const YAML::Node* models = top.require("models")) {
                MapReader per_model(*models, r, "models", kModels);
                for (const auto& [model, node] : per_model.entries()) {
                    ModelCoverage mc;
                    mc.model = model;
                    mc.pos = r.pos(node);
                    MapReader m(node, r, "model " + model, kModelKeys);
                    if (!m.valid())
                        continue;
                    if (auto proc = m.text("procedure", true))
                        mc.procedure = (folder / *proc).lexically_normal().string();
                    if (const YAML::Node* faults = m.require("faults")) {
                        MapReader fm(*faults, r, "faults of " + model);
                        for (const auto& [name, fnode] : fm.entries())
                            if (auto f = read_fault(name, fnode, r))
                                mc.faults.push_back(std::move(*f));
                    }
                    plan.models.push_back(std::move(mc));
                }
            }
        }
    }
    if (r.count() > 0)
        return R::failure(r.take());
    return plan;
}

Result<CoveragePlan, Diagnostics> load_coverage_plan(const std::string& path) {
    return yaml::load_file<CoveragePlan>(path, parse_coverage_plan);
}

} // namespace bwc::bench
