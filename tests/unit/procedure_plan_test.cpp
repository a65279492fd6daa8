// plan() and resolve() (bench/procedure/procedure.hpp): loops expand in order
// with their values substituted (typed when a text is one reference),
// variants merge args key by key, replace measurements by name and skip
// steps; resolve() fills ${…} from the run's names, builds the limits and
// evaluates run_if, and names the step and the name when one is unknown.
#include "bench/core/limit.hpp"
#include "bench/procedure/procedure.hpp"
#include "procedure_fakes.hpp"

#include <boost/test/unit_test.hpp>

using namespace bwc::bench;

namespace {

const std::string kProcedure = R"(procedure: plan-demo
version: 2
products: [camera]
models: [W100, W120]
parameters:
  low_ms: {value: 2850, unit: C26}
  pattern: '^2\.4\.'
  label: Scan
setup:
  - id: scan
    type: t.scan
    args: {text: "${label} bay ${bay}"}
main:
  - id: identify
    type: t.identify
    measurements:
      - {name: model, equals: "${model}"}
      - {name: serial, equals: "${scan.serial}"}
      - {name: firmware, regex: "${pattern}"}
  - id: hold-${button}
    name: ${button} hold
    type: t.hold
    for_each: {button: [record, top]}
    args: {button: "${button}", max_ms: 6000, pins: ["${button}", 2]}
    measurements:
      - {name: threshold_ms, unit: C26, low: "${low_ms}", high: 3150, marginal: {low: 2900, high: 3100}}
    run_if: model == "W120" and bay != 3
    failure_code: BTN-${button}
    variants:
      W100:
        args: {max_ms: 7000}
        measurements: [{name: threshold_ms, unit: C26, low: 3850, high: 4150}, {name: gesture, equals: x}]
  - id: grid-${row}-${col}
    type: t.noop
    for_each: {row: {range: [1, 2]}, col: [a, b, c]}
  - id: count-${i}
    type: t.hold
    for_each: {i: {range: [7, 8]}}
    args: {button: top, max_ms: "${i}", factor: "${low_ms}"}
  - id: w120-only
    type: t.noop
    variants:
      W100: {skip: true}
  - id: plain
    type: t.identify
    measurements:
      - {name: model, one_of: [W100, W120]}
      - {name: firmware, regex: '^2\.'}
teardown:
  - id: ship
    type: t.noop
    run_if: hold-record.threshold_ms > 2900
)";

struct Fixture {
    Fixture() {
        bwc::test::register_fake_steps();
        auto r = parse_procedure(kProcedure, "plan.yaml");
        if (!r.ok())
            for (const Diagnostic& d : r.error())
                BOOST_TEST_MESSAGE(d.text());
        BOOST_TEST_REQUIRE(r.ok());
        proc = std::move(r).value();
        env.set("model", Value(std::string("W120")));
        env.set("bay", Value(2.0));
        env.set("station", Value(std::string("bench-1")));
        env.set("serial", Value(std::string("SN0001")));
        env.set("scan.serial", Value(std::string("SN0001")));
        for (const Parameter& p : proc.parameters)
            env.set(p.name, p.value);
    }
    std::vector<PlannedStep> planned(Group g, const std::string& model) {
        auto r = plan(proc, g, model);
        BOOST_TEST_REQUIRE(r.ok(), r.error());
        return std::move(r).value();
    }
    const PlannedStep& find(const std::vector<PlannedStep>& steps, const std::string& id) {
        for (const PlannedStep& s : steps)
            if (s.id == id)
                return s;
        BOOST_FAIL("no planned step " + id);
        return steps.front();
    }
    ResolvedStep resolved(const PlannedStep& s) {
        auto r = resolve(s, env);
        BOOST_TEST_REQUIRE(r.ok(), r.error());
        return std::move(r).value();
    }
    Procedure proc;
    Env env;
};

std::vector<std::string> ids(const std::vector<PlannedStep>& steps) {
    std::vector<std::string> out;
    for (const PlannedStep& s : steps)
        out.push_back(s.id);
    return out;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(procedure_plan, Fixture)

BOOST_AUTO_TEST_CASE(loops_expand_in_order_first_variable_outermost) {
    const auto steps = planned(Group::Main, "W120");
    const std::vector<std::string> want{
        "identify", "hold-record", "hold-top", "grid-1-a", "grid-1-b",  "grid-1-c", "grid-2-a",
        "grid-2-b", "grid-2-c",    "count-7",  "count-8",  "w120-only", "plain"};
    BOOST_TEST(ids(steps) == want, boost::test_tools::per_element());
    for (const PlannedStep& s : steps)
        BOOST_TEST((s.group == Group::Main));
}

BOOST_AUTO_TEST_CASE(loop_values_are_substituted_with_their_types) {
    const auto steps = planned(Group::Main, "W120");
    const PlannedStep& top = find(steps, "hold-top");
    BOOST_TEST(top.name == "top hold");
    BOOST_TEST(top.failure_code == "BTN-top");
    BOOST_TEST(top.args["button"] == "top");
    BOOST_TEST(top.args["pins"][0] == "top");
    BOOST_TEST(top.args["pins"][1] == 2);
    BOOST_TEST_REQUIRE(top.loop_values.size() == 1u);
    BOOST_TEST(top.loop_values[0].first == "button");
    BOOST_TEST(std::get<std::string>(top.loop_values[0].second) == "top");
    BOOST_TEST(top.spec == &proc.main[1]);

    const PlannedStep& count = find(steps, "count-8");
    BOOST_TEST(count.args["max_ms"].is_number_integer()); // "${i}" keeps the number type
    BOOST_TEST(count.args["max_ms"] == 8);
    BOOST_TEST(count.args["factor"] == "${low_ms}"); // not a loop variable: left for resolve()
}

BOOST_AUTO_TEST_CASE(variants_merge_args_replace_measurements_and_skip) {
    const auto w100 = planned(Group::Main, "w100"); // models are matched in any case
    const auto all_w100 = ids(w100);
    BOOST_TEST(std::count(all_w100.begin(), all_w100.end(), "w120-only") == 0);
    const PlannedStep& rec = find(w100, "hold-record");
    BOOST_TEST(rec.args["max_ms"] == 7000);     // from the variant
    BOOST_TEST(rec.args["button"] == "record"); // kept from the step
    BOOST_TEST_REQUIRE(rec.measurements.size() == 2u);
    BOOST_TEST(rec.measurements[0].limit["low"] == 3850);
    BOOST_TEST(!rec.measurements[0].limit.contains("marginal"));
    BOOST_TEST(rec.measurements[1].name == "gesture"); // added by the variant

    const auto w120 = planned(Group::Main, "W120");
    const PlannedStep& rec120 = find(w120, "hold-record");
    BOOST_TEST(rec120.args["max_ms"] == 6000);
    BOOST_TEST(rec120.measurements.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_model_the_procedure_does_not_list_is_an_error) {
    auto r = plan(proc, Group::Main, "W701");
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().find("does not apply to model W701") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(resolve_fills_references_and_builds_limits) {
    const auto steps = planned(Group::Main, "W120");
    const ResolvedStep id = resolved(find(steps, "identify"));
    BOOST_TEST(id.type == "t.identify");
    BOOST_TEST(id.run);
    BOOST_TEST_REQUIRE(id.measurements.size() == 3u);
    BOOST_TEST((id.measurements[0].limit.kind == Limit::Kind::Equals));
    BOOST_TEST(std::get<std::string>(id.measurements[0].limit.equals) == "W120");
    BOOST_TEST((evaluate(id.measurements[1].limit, Value(std::string("SN0001"))) == Outcome::Pass));
    BOOST_TEST((evaluate(id.measurements[1].limit, Value(std::string("SN0002"))) == Outcome::Fail));
    BOOST_TEST((id.measurements[2].limit.kind == Limit::Kind::Regex));
    BOOST_TEST(id.measurements[2].limit.pattern == "^2\\.4\\.");
    BOOST_TEST((evaluate(id.measurements[2].limit, Value(std::string("2.4.1"))) == Outcome::Pass));

    const ResolvedStep rec = resolved(find(steps, "hold-record"));
    BOOST_TEST(rec.id == "hold-record");
    BOOST_TEST(rec.failure_code == "BTN-record");
    BOOST_TEST(rec.args["button"] == "record");
    BOOST_TEST(rec.run); // model W120, bay 2
    const ResolvedMeasurement& t = rec.measurements.at(0);
    BOOST_TEST(t.unit == "C26");
    BOOST_TEST((t.limit.kind == Limit::Kind::Range));
    BOOST_TEST(t.limit.low.value_or(0) == 2850.0); // from the parameter
    BOOST_TEST(t.limit.high.value_or(0) == 3150.0);
    BOOST_TEST(t.limit.marginal_low.value_or(0) == 2900.0);
    BOOST_TEST((evaluate(t.limit, Value(2880.0)) == Outcome::Marginal));
    BOOST_TEST((evaluate(t.limit, Value(3000.0)) == Outcome::Pass));
    BOOST_TEST((evaluate(t.limit, Value(3200.0)) == Outcome::Fail));

    const ResolvedStep count = resolved(find(steps, "count-7"));
    BOOST_TEST(count.args["factor"] == 2850); // a parameter, typed
    BOOST_TEST(count.args["max_ms"] == 7);

    const auto setup = planned(Group::Setup, "W120");
    BOOST_TEST(resolved(setup.at(0)).args["text"] == "Scan bay 2"); // interpolated as text
}

BOOST_AUTO_TEST_CASE(run_if_is_evaluated_against_the_run) {
    const auto steps = planned(Group::Main, "W120");
    env.set("bay", Value(3.0));
    BOOST_TEST(!resolved(find(steps, "hold-top")).run);
    Env other(&env); // a child scope overrides its parent
    other.set("model", Value(std::string("W100")));
    other.set("bay", Value(1.0));
    auto r = resolve(find(steps, "hold-top"), other);
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST(!r->run);
    other.set("model", Value(std::string("W120")));
    r = resolve(find(steps, "hold-top"), other);
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST(r->run);
}

BOOST_AUTO_TEST_CASE(unknown_names_at_run_time_are_errors_naming_them) {
    const auto teardown = planned(Group::Teardown, "W120");
    // hold-record did not record (skipped or failed before measuring).
    auto r = resolve(teardown.at(0), env);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error() == "step 'ship': run_if: unknown name 'hold-record.threshold_ms'");
    env.set("hold-record.threshold_ms", Value(3000.0));
    r = resolve(teardown.at(0), env);
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST(r->run);

    Env bare;
    bare.set("model", Value(std::string("W120")));
    const auto steps = planned(Group::Main, "W120");
    auto id = resolve(find(steps, "identify"), bare);
    BOOST_TEST_REQUIRE(!id.ok());
    BOOST_TEST(id.error().find("step 'identify'") == 0u);
    BOOST_TEST(id.error().find("unknown name 'scan.serial'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_reference_of_the_wrong_type_in_a_limit_is_an_error) {
    env.set("low_ms", Value(std::string("soon")));
    const auto steps = planned(Group::Main, "W120");
    auto r = resolve(find(steps, "hold-record"), env);
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST(r.error().find("'threshold_ms'") != std::string::npos);
    BOOST_TEST(r.error().find("is text 'soon', not a number") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(steps_without_references_are_prepared_and_resolve_the_same) {
    const auto steps = planned(Group::Main, "W120");
    const PlannedStep& plain = find(steps, "plain");
    BOOST_TEST_REQUIRE(plain.prepared != nullptr);
    BOOST_TEST(find(steps, "grid-2-c").prepared != nullptr);
    BOOST_TEST(find(steps, "identify").prepared == nullptr); // refers to ${model}

    const ResolvedStep fast = resolved(plain);
    PlannedStep slow_step = plain;
    slow_step.prepared.reset();
    const ResolvedStep slow = resolved(slow_step);
    BOOST_TEST(fast.id == slow.id);
    BOOST_TEST(fast.name == slow.name);
    BOOST_TEST(fast.type == slow.type);
    BOOST_TEST(fast.args == slow.args);
    BOOST_TEST_REQUIRE(fast.measurements.size() == slow.measurements.size());
    for (std::size_t i = 0; i < fast.measurements.size(); ++i) {
        BOOST_TEST(fast.measurements[i].limit.describe() == slow.measurements[i].limit.describe());
        for (const char* v : {"W120", "2.9", "W700"})
            BOOST_TEST((evaluate(fast.measurements[i].limit, Value(std::string(v))) ==
                        evaluate(slow.measurements[i].limit, Value(std::string(v)))));
    }
}

BOOST_AUTO_TEST_SUITE_END()
