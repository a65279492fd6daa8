// Flow step types: noop (does nothing; the engine's overhead benchmark runs
// thousands of them), wait (lets device time pass), and the operator prompts
// prompt.scan_serial and prompt.confirm.
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"

namespace bwc::bench {
namespace {

class NoopStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "noop",
            .family = "flow",
            .help = "Does nothing and passes; a placeholder, and the unit of the "
                    "engine's per-step overhead benchmark.",
            .args = {},
            .measurements = {}};
        return i;
    }
    StepOutput measure(StepContext&, const nlohmann::json&) const override { return {}; }
};
REGISTER_STEP_TYPE(NoopStep);

class WaitStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{.name = "wait",
                                    .family = "flow",
                                    .help = "Lets device time pass: virtual time on an emulated "
                                            "station, wall time on hardware.",
                                    .args = {{.name = "ms",
                                              .kind = ArgSpec::Kind::Integer,
                                              .required = true,
                                              .help = "how long, in milliseconds (0..86400000)"}},
                                    .measurements = {}};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto ms = arg_integer(args, "ms");
        if (!ms)
            return StepOutput::failed(ms.error());
        if (*ms < 0 || *ms > 86'400'000)
            return StepOutput::failed("argument 'ms' must be 0..86400000, not " +
                                      std::to_string(*ms));
        auto now = ctx.advance(*ms);
        if (!now)
            return StepOutput::failed(now.error().message);
        return {};
    }
};
REGISTER_STEP_TYPE(WaitStep);

/// Both prompts: ask, and report the answer under `measurement`.
class PromptStep : public StepType {
protected:
    StepOutput ask(StepContext& ctx, const nlohmann::json& args, PromptRequest::Kind kind,
                   const std::string& fallback_text) const {
        auto text = arg_text(args, "text", fallback_text);
        if (!text)
            return StepOutput::failed(text.error());
        auto answer = ctx.ask(PromptRequest{kind, *text});
        if (!answer)
            return StepOutput::failed(answer.error().message);
        StepOutput out;
        if (kind == PromptRequest::Kind::Confirm)
            out.add("confirmed", Value(*answer == "yes" || *answer == "y" || *answer == "ok"));
        else
            out.add("serial", Value(*answer));
        return out;
    }
};

class ScanSerialStep final : public PromptStep {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "prompt.scan_serial",
            .family = "flow",
            .help = "Asks the operator to scan the unit's serial label; reports it as 'serial' "
                    "(later steps "
                    "compare it with ${<this step id>.serial}).",
            .args = {{.name = "text",
                      .kind = ArgSpec::Kind::Text,
                      .help = "what the operator is asked"}},
            .measurements = {{.name = "serial", .unit = "", .help = "the scanned label"}}};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        return ask(ctx, args, PromptRequest::Kind::ScanSerial,
                   "Scan the serial label of the unit in bay " + std::to_string(ctx.bay()));
    }
};
REGISTER_STEP_TYPE(ScanSerialStep);

class ConfirmStep final : public PromptStep {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "prompt.confirm",
            .family = "flow",
            .help = "Asks the operator a yes/no question; reports 'confirmed' (limit it with "
                    "equals: true).",
            .args = {{.name = "text",
                      .kind = ArgSpec::Kind::Text,
                      .required = true,
                      .help = "the question"}},
            .measurements = {
                {.name = "confirmed", .unit = "", .help = "true when the operator said yes"}}};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        return ask(ctx, args, PromptRequest::Kind::Confirm, "");
    }
};
REGISTER_STEP_TYPE(ConfirmStep);

} // namespace
} // namespace bwc::bench
