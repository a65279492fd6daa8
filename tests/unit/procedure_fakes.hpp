// Fake step types for the procedure and `bench check` unit tests. The real
// ones (bench/steps/) are not linked into the unit tests, and these use their
// own "t." names so they never collide with them. register_fake_steps() adds
// them once, however many test files call it.
#pragma once

#include "bench/procedure/diagnostic.hpp"
#include "bench/steps/step_type.hpp"

#include <string>
#include <utility>

namespace bwc::test {

class FakeStep : public bench::StepType {
public:
    explicit FakeStep(bench::StepTypeInfo info) : info_(std::move(info)) {}
    const bench::StepTypeInfo& info() const override { return info_; }
    bench::StepOutput measure(bench::StepContext&, const nlohmann::json&) const override {
        return {};
    }

private:
    bench::StepTypeInfo info_;
};

/// t.hold rejects max_ms above 60000 in check(), like a real step type would.
class FakeHold : public FakeStep {
public:
    using FakeStep::FakeStep;
    std::vector<std::string> check(const nlohmann::json& args) const override {
        if (args.contains("max_ms") && args["max_ms"].is_number() &&
            args["max_ms"].get<double>() > 60000)
            return {"max_ms must be at most 60000"};
        return {};
    }
};

inline void register_fake_steps() {
    using bench::ArgSpec;
    using bench::StepTypeInfo;
    static const bool done = [] {
        auto& reg = bench::StepRegistry::instance();
        reg.add(std::make_unique<FakeStep>(StepTypeInfo{.name = "t.identify",
                                                        .family = "identification",
                                                        .measurements = {{"model", "", ""},
                                                                         {"serial", "", ""},
                                                                         {"firmware", "", ""},
                                                                         {"imei_valid", "", ""}}}));
        reg.add(std::make_unique<FakeHold>(StepTypeInfo{
            .name = "t.hold",
            .family = "buttons",
            .args = {{.name = "button",
                      .kind = ArgSpec::Kind::Text,
                      .required = true,
                      .choices = {"record", "function", "top"}},
                     {.name = "max_ms", .kind = ArgSpec::Kind::Integer, .default_value = 8000},
                     {.name = "factor", .kind = ArgSpec::Kind::Number},
                     {.name = "loud", .kind = ArgSpec::Kind::Bool},
                     {.name = "pins", .kind = ArgSpec::Kind::List}},
            .measurements = {{"threshold_ms", "C26", ""}, {"gesture", "", ""}}}));
        reg.add(std::make_unique<FakeStep>(
            StepTypeInfo{.name = "t.scan",
                         .family = "flow",
                         .args = {{.name = "text", .kind = ArgSpec::Kind::Text}},
                         .measurements = {{"serial", "", ""}}}));
        reg.add(std::make_unique<FakeStep>(StepTypeInfo{.name = "t.noop", .family = "flow"}));
        reg.add(std::make_unique<FakeStep>(
            StepTypeInfo{.name = "t.state",
                         .family = "flow",
                         .args = {{.name = "field", .kind = ArgSpec::Kind::Text, .required = true}},
                         .any_measurement = true}));
        return true;
    }();
    (void)done;
}

/// 1-based line and column of the `nth` (0-based) occurrence of `needle` in
/// `text`: where a diagnostic about that token must point.
inline bench::SourcePos position_of(const std::string& text, const std::string& needle, int nth = 0,
                                    const std::string& file = "t.yaml") {
    std::size_t at = text.find(needle);
    for (int i = 0; i < nth && at != std::string::npos; ++i)
        at = text.find(needle, at + 1);
    if (at == std::string::npos)
        return {file, -1, -1};
    bench::SourcePos p{file, 1, 1};
    for (std::size_t i = 0; i < at; ++i) {
        if (text[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

} // namespace bwc::test
