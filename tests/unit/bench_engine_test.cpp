// The engine's shared judgement and bookkeeping, in process: limits and
// outcomes (bench/core/limit.hpp), the step runner's timing, retries,
// cancellation and records (bench/steps/step_runner.hpp) with a scripted step
// type and an in-memory record, and the run monitor's prompts and events.
#include "bench/core/limit.hpp"
#include "bench/runner/run_monitor.hpp"
#include "bench/steps/step_runner.hpp"

#include <boost/test/unit_test.hpp>
#include <thread>

using namespace bwc::bench;

namespace {

/// Keeps everything the runner writes.
class MemoryRecord final : public RecordWriter {
public:
    void begin(const RecordHeader&) override {}
    void identity(const UnitIdentity& u) override { unit = u; }
    void step_started(int, const std::string& id, const std::string&) override {
        started.push_back(id);
    }
    void step(const StepRecord& s) override { steps.push_back(s); }
    void evidence(const Evidence&) override {}
    void log(std::string_view, std::string_view text) override { logs.emplace_back(text); }
    void end(const RecordEnd&) override {}
    std::optional<std::string> failure() const override { return std::nullopt; }
    UnitIdentity unit;
    std::vector<std::string> started, logs;
    std::vector<StepRecord> steps;
};

class NoServices final : public BayServices {
public:
    DeviceResult<std::string> ask(const PromptRequest&) override { return std::string("yes"); }
    void log(std::string_view, std::string_view) override {}
    void identity(const UnitIdentity&) override {}
    void evidence(const Evidence&) override {}
};

/// Reports the next value of a script on each attempt (or an error text).
class ScriptedStep final : public StepType {
public:
    explicit ScriptedStep(std::vector<StepOutput> script) : script_(std::move(script)) {}
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{.name = "scripted",
                                    .family = "test",
                                    .help = "",
                                    .args = {},
                                    .measurements = {{.name = "x", .unit = "C26", .help = ""}}};
        return i;
    }
    StepOutput measure(StepContext&, const nlohmann::json&) const override {
        return script_.at(std::min(calls_++, script_.size() - 1));
    }
    mutable std::size_t calls_ = 0;

private:
    std::vector<StepOutput> script_;
};

ResolvedStep step_with_limit(Limit limit) {
    ResolvedStep s;
    s.id = "s1";
    s.name = "scripted step";
    s.type = "scripted";
    s.measurements.push_back({"x", "C26", std::move(limit)});
    return s;
}

StepOutput value(double x) {
    return StepOutput{}.add("x", Value(x));
}

struct FakeBay {
    NoServices services;
    std::atomic<bool> cancel{false};
    StepContext ctx{1, "W120", services, cancel};
    MemoryRecord record;
};

} // namespace

BOOST_AUTO_TEST_SUITE(bench_limits)

BOOST_AUTO_TEST_CASE(range_with_marginal_band) {
    Limit l = Limit::range(2850.0, 3150.0);
    l.marginal_low = 2900;
    l.marginal_high = 3100;
    BOOST_TEST(to_string(evaluate(l, Value(3000.0))) == "pass");
    BOOST_TEST(to_string(evaluate(l, Value(2850.0))) == "marginal"); // limits are inclusive
    BOOST_TEST(to_string(evaluate(l, Value(3120.0))) == "marginal");
    BOOST_TEST(to_string(evaluate(l, Value(3150.5))) == "fail");
    BOOST_TEST(to_string(evaluate(l, Value(2849.0))) == "fail");
    BOOST_TEST(to_string(evaluate(l, Value{})) == "fail"); // nothing measured
    BOOST_TEST(to_string(evaluate(l, Value(std::string("3000")))) ==
               "fail"); // text is not a number
    BOOST_TEST(l.describe() == "2850 <= x <= 3150");
}

BOOST_AUTO_TEST_CASE(open_ended_ranges) {
    BOOST_TEST(to_string(evaluate(Limit::range(std::nullopt, 10.0), Value(-1e9))) == "pass");
    BOOST_TEST(to_string(evaluate(Limit::range(5.0, std::nullopt), Value(4.99))) == "fail");
}

BOOST_AUTO_TEST_CASE(equals_regex_one_of) {
    BOOST_TEST(to_string(evaluate(Limit::equal_to(Value(std::string("W120"))),
                                  Value(std::string("W100")))) == "fail");
    BOOST_TEST(to_string(evaluate(Limit::equal_to(Value(true)), Value(true))) == "pass");
    BOOST_TEST(to_string(evaluate(Limit::equal_to(Value(1.0)), Value(true))) ==
               "fail"); // no type juggling

    Limit re;
    re.kind = Limit::Kind::Regex;
    re.pattern = "^2\\.4\\.";
    BOOST_TEST(to_string(evaluate(re, Value(std::string("2.4.0")))) == "fail"); // not compiled yet
    BOOST_TEST(!re.compile());
    BOOST_TEST(to_string(evaluate(re, Value(std::string("2.4.0-ref")))) ==
               "pass");                                                          // found, like grep
    BOOST_TEST(to_string(evaluate(re, Value(std::string("12.4.0")))) == "fail"); // anchored at ^
    re.pattern = "ref$";
    BOOST_TEST(!re.compile());
    BOOST_TEST(to_string(evaluate(re, Value(std::string("2.4.0-ref")))) == "pass");
    BOOST_TEST(to_string(evaluate(re, Value(std::string("2.4.0-ref2")))) == "fail");
    re.pattern = "(";
    BOOST_TEST(re.compile().has_value());

    Limit one;
    one.kind = Limit::Kind::OneOf;
    one.one_of = {Value(std::string("a")), Value(2.0)};
    BOOST_TEST(to_string(evaluate(one, Value(2.0))) == "pass");
    BOOST_TEST(to_string(evaluate(one, Value(std::string("b")))) == "fail");
    BOOST_TEST(one.describe() == "in {a, 2}");
}

BOOST_AUTO_TEST_CASE(outcome_names_round_trip) {
    for (Outcome o : {Outcome::Pass, Outcome::Marginal, Outcome::Fail, Outcome::Error,
                      Outcome::Skipped, Outcome::Aborted})
        BOOST_TEST((parse_outcome(to_string(o)) == o));
    BOOST_TEST(!parse_outcome("passed"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bench_step_runner)

BOOST_AUTO_TEST_CASE(a_passing_step_is_recorded_once_with_its_judged_measurement) {
    FakeBay bay;
    ScriptedStep type({value(3000)});
    StepResult r = run_step(type, step_with_limit(Limit::range(2850.0, 3150.0)),
                            {.failure_code = "F1"}, 7, bay.ctx, bay.record);
    BOOST_TEST(to_string(r.outcome) == "pass");
    BOOST_REQUIRE_EQUAL(bay.record.steps.size(), 1u);
    const StepRecord& s = bay.record.steps[0];
    BOOST_TEST(s.index == 7);
    BOOST_TEST(s.attempt == 1);
    BOOST_TEST(s.final_attempt);
    BOOST_TEST(s.failure_code == "F1");
    BOOST_REQUIRE_EQUAL(s.measurements.size(), 1u);
    BOOST_TEST(s.measurements[0].unit == "C26");
    BOOST_TEST(std::get<double>(s.measurements[0].value) == 3000.0);
    BOOST_TEST(bay.record.started == std::vector<std::string>{"s1"});
}

BOOST_AUTO_TEST_CASE(repeat_on_fail_records_every_attempt_and_the_last_counts) {
    FakeBay bay;
    ScriptedStep type({value(3300), value(3010)});
    StepResult r = run_step(type, step_with_limit(Limit::range(2850.0, 3150.0)),
                            {.repeat_on_fail = 2}, 0, bay.ctx, bay.record);
    BOOST_TEST(to_string(r.outcome) == "pass");
    BOOST_TEST(r.attempts == 2); // passed on the second; no third attempt
    BOOST_REQUIRE_EQUAL(bay.record.steps.size(), 2u);
    BOOST_TEST(to_string(bay.record.steps[0].outcome) == "fail");
    BOOST_TEST(!bay.record.steps[0].final_attempt);
    BOOST_TEST(bay.record.steps[1].attempt == 2);
    BOOST_TEST(bay.record.steps[1].final_attempt);
}

BOOST_AUTO_TEST_CASE(a_step_failing_every_attempt_fails) {
    FakeBay bay;
    ScriptedStep type({value(3300)});
    StepResult r = run_step(type, step_with_limit(Limit::range(2850.0, 3150.0)),
                            {.repeat_on_fail = 1}, 0, bay.ctx, bay.record);
    BOOST_TEST(to_string(r.outcome) == "fail");
    BOOST_TEST(bay.record.steps.size() == 2u);
    BOOST_TEST(type.calls_ == 2u);
}

BOOST_AUTO_TEST_CASE(errors_are_not_repeated_and_carry_the_cause) {
    FakeBay bay;
    ScriptedStep type({StepOutput::failed("camera did not answer")});
    StepResult r = run_step(type, step_with_limit(Limit::range(0.0, 1.0)), {.repeat_on_fail = 3}, 0,
                            bay.ctx, bay.record);
    BOOST_TEST(to_string(r.outcome) == "error");
    BOOST_TEST(r.error == "camera did not answer");
    BOOST_TEST(type.calls_ == 1u);
    BOOST_TEST(bay.record.steps.at(0).error == "camera did not answer");
}

BOOST_AUTO_TEST_CASE(a_declared_measurement_not_reported_is_an_error_naming_it) {
    FakeBay bay;
    ScriptedStep type({StepOutput{}.add("y", Value(1.0))});
    StepResult r =
        run_step(type, step_with_limit(Limit::range(0.0, 1.0)), {}, 0, bay.ctx, bay.record);
    BOOST_TEST(to_string(r.outcome) == "error");
    BOOST_TEST(r.error.find("'x'") != std::string::npos, r.error);
}

BOOST_AUTO_TEST_CASE(undeclared_values_are_kept_unjudged) {
    FakeBay bay;
    ScriptedStep type({value(1).add("extra", Value(std::string("kept")))});
    StepResult r =
        run_step(type, step_with_limit(Limit::range(0.0, 2.0)), {}, 0, bay.ctx, bay.record);
    BOOST_TEST(to_string(r.outcome) == "pass");
    BOOST_REQUIRE_EQUAL(r.measurements.size(), 2u);
    BOOST_TEST(r.measurements[1].name == "extra");
    BOOST_TEST((r.measurements[1].limit.kind == Limit::Kind::None));
}

BOOST_AUTO_TEST_CASE(a_cancelled_bay_aborts_without_measuring) {
    FakeBay bay;
    bay.cancel = true;
    ScriptedStep type({value(1)});
    StepResult r =
        run_step(type, step_with_limit(Limit::range(0.0, 2.0)), {}, 0, bay.ctx, bay.record);
    BOOST_TEST(to_string(r.outcome) == "aborted");
    BOOST_TEST(type.calls_ == 0u);
    BOOST_TEST(bay.record.steps.size() == 1u);
}

BOOST_AUTO_TEST_CASE(worse_orders_outcomes) {
    BOOST_TEST(to_string(worse(Outcome::Pass, Outcome::Marginal)) == "marginal");
    BOOST_TEST(to_string(worse(Outcome::Fail, Outcome::Marginal)) == "fail");
    BOOST_TEST(to_string(worse(Outcome::Fail, Outcome::Error)) == "error");
    BOOST_TEST(to_string(worse(Outcome::Skipped, Outcome::Pass)) == "skipped");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bench_run_monitor)

BOOST_AUTO_TEST_CASE(a_prompt_waits_for_its_answer_and_shows_in_snapshots) {
    RunMonitor m({1, 2});
    std::atomic<bool> cancel{false};
    DeviceResult<std::string> answer = std::string();
    std::thread bay([&] {
        answer = m.ask(2, PromptRequest{PromptRequest::Kind::ScanSerial, "scan"}, cancel);
    });
    std::uint64_t id = 0;
    for (int i = 0; i < 500 && id == 0; ++i) {
        RunSnapshot s = m.snapshot();
        if (!s.prompts.empty())
            id = s.prompts.front().id;
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_REQUIRE(id != 0);
    BOOST_TEST(!m.answer(id + 100, "wrong prompt"));
    BOOST_TEST(m.answer(id, "SN42"));
    bay.join();
    BOOST_REQUIRE(answer.ok());
    BOOST_TEST(*answer == "SN42");
    BOOST_TEST(m.snapshot().prompts.empty());
}

BOOST_AUTO_TEST_CASE(cancelling_ends_a_waiting_prompt) {
    RunMonitor m({1});
    std::atomic<bool> cancel{false};
    DeviceResult<std::string> answer = std::string();
    std::thread bay([&] {
        answer = m.ask(1, PromptRequest{PromptRequest::Kind::Confirm, "sure?"}, cancel);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    cancel = true;
    bay.join();
    BOOST_TEST(!answer.ok());
    BOOST_TEST((answer.error().kind == DeviceError::Kind::Cancelled));
}

BOOST_AUTO_TEST_CASE(events_are_numbered_and_bounded) {
    RunMonitor m({1});
    for (std::size_t i = 0; i < RunMonitor::kKeepEvents + 10; ++i)
        m.publish(RunEvent::Kind::Log, 1, "line " + std::to_string(i));
    auto all = m.events_since(0);
    BOOST_TEST(all.size() == RunMonitor::kKeepEvents);
    BOOST_TEST(all.front().seq == 11u);
    BOOST_TEST(m.events_since(all.back().seq).empty());
    BOOST_TEST(m.events_since(all.back().seq - 2).size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
