// The step type registry (see step_type.hpp).
#include "bench/steps/step_type.hpp"

#include <algorithm>

namespace bwc::bench {

std::string_view to_string(ArgSpec::Kind k) {
    switch (k) {
    case ArgSpec::Kind::Number:
        return "number";
    case ArgSpec::Kind::Integer:
        return "integer";
    case ArgSpec::Kind::Text:
        return "text";
    case ArgSpec::Kind::Bool:
        return "bool";
    case ArgSpec::Kind::List:
        return "list";
    case ArgSpec::Kind::Any:
        return "any";
    }
    return "?";
}

StepRegistry& StepRegistry::instance() {
    static StepRegistry registry;
    return registry;
}

void StepRegistry::add(std::unique_ptr<StepType> type) {
    types_.push_back(std::move(type));
}

const StepType* StepRegistry::find(std::string_view name) const {
    for (const auto& t : types_)
        if (t->info().name == name)
            return t.get();
    return nullptr;
}

std::vector<const StepType*> StepRegistry::all() const {
    std::vector<const StepType*> out;
    for (const auto& t : types_)
        out.push_back(t.get());
    std::sort(out.begin(), out.end(),
              [](const StepType* a, const StepType* b) { return a->info().name < b->info().name; });
    return out;
}

} // namespace bwc::bench
