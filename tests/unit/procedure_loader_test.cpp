// The procedure loader (bench/procedure/procedure.hpp): a good file loads
// into the expected structure with its content hash; each broken variant of
// it gives exactly one diagnostic, at the offending token's line and column,
// naming the problem; hostile files (aliases, nesting, garbage) give
// diagnostics, never a crash.
#include "bench/procedure/expression.hpp"
#include "bench/procedure/procedure.hpp"
#include "firmware/core/sha256.hpp"
#include "procedure_fakes.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

using namespace bwc::bench;
using bwc::test::position_of;

namespace {

const std::string kGood = R"(procedure: demo
version: 1.0.0
products: [camera]
models: [W100, W120]
parameters:
  tolerance_ms: {value: 150, unit: C26}
  low_ms: {value: 2850, unit: C26}
  label: Scan it
setup:
  - id: scan
    type: t.scan
    args: {text: "${label} in bay ${bay}"}
main:
  - id: identify
    type: t.identify
    measurements:
      - {name: model, equals: "${model}"}
      - {name: serial, equals: "${scan.serial}"}
      - {name: firmware, regex: '^2\.4\.'}
    failure_code: ID-01
  - id: hold-${button}
    name: "${button} hold"
    type: t.hold
    for_each: {button: [record, function, top]}
    args: {button: "${button}", max_ms: 6000}
    measurements:
      - {name: threshold_ms, unit: C26, low: "${low_ms}", high: 3150, marginal: {low: 2900, high: 3100}}
    repeat_on_fail: 1
    run_if: model == "W120" and bay != 3
    timeout_ms: 20000
    failure_code: BTN-${button}
    variants:
      W100: {args: {max_ms: 7000}, measurements: [{name: threshold_ms, unit: C26, low: 3850, high: 4150}]}
teardown:
  - {id: ship, type: t.noop, run_if: 'hold-record.threshold_ms > 0'}
)";

struct Fixture {
    Fixture() { bwc::test::register_fake_steps(); }
};

// kGood with each (from, to) replaced once; `from` must be there.
std::string mutated(std::vector<std::pair<std::string, std::string>> edits,
                    std::string text = kGood) {
    for (const auto& [from, to] : edits) {
        const auto at = text.find(from);
        BOOST_TEST_REQUIRE(at != std::string::npos, "test bug: '" << from << "' not in the text");
        text.replace(at, from.size(), to);
    }
    return text;
}

Diagnostics diagnostics_of(const std::string& text) {
    auto r = parse_procedure(text, "t.yaml");
    BOOST_TEST_REQUIRE(!r.ok(), "the file loaded but should not:\n" << text);
    return r.error();
}

std::string all(const Diagnostics& ds) {
    std::string s;
    for (const Diagnostic& d : ds)
        s += d.text() + "\n";
    return s;
}

// Exactly one diagnostic, at `needle` (its nth occurrence) in `text`, whose
// message contains `fragment`. YAML syntax errors carry yaml-cpp's mark,
// whose column is yaml-cpp's own: for them only the line is checked.
void expect_one(const std::string& text, const std::string& needle, const std::string& fragment,
                int nth = 0, bool check_column = true) {
    const Diagnostics ds = diagnostics_of(text);
    BOOST_TEST_REQUIRE(ds.size() == 1u, "expected one diagnostic, got:\n" << all(ds));
    const SourcePos want = position_of(text, needle, nth);
    BOOST_TEST_REQUIRE(want.line > 0, "test bug: '" << needle << "' not in the text");
    BOOST_TEST(ds[0].pos.file == "t.yaml");
    BOOST_TEST(ds[0].pos.line == want.line, ds[0].text());
    if (check_column)
        BOOST_TEST(ds[0].pos.column == want.column, ds[0].text());
    BOOST_TEST(ds[0].message.find(fragment) != std::string::npos,
               "'" << ds[0].message << "' lacks '" << fragment << "'");
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(procedure_loader, Fixture)

BOOST_AUTO_TEST_CASE(good_file_loads_into_its_structure) {
    auto r = parse_procedure(kGood, "t.yaml");
    BOOST_TEST_REQUIRE(r.ok(), all(r.error()));
    const Procedure& p = *r;
    BOOST_TEST(p.name == "demo");
    BOOST_TEST(p.version == "1.0.0");
    BOOST_TEST(p.path == "t.yaml");
    BOOST_TEST((p.products == std::vector<std::string>{"camera"}));
    BOOST_TEST((p.models == std::vector<std::string>{"W100", "W120"}));
    BOOST_TEST(p.applies_to("W120"));
    BOOST_TEST(p.applies_to("w100"));
    BOOST_TEST(!p.applies_to("W700"));

    BOOST_TEST_REQUIRE(p.parameters.size() == 3u);
    BOOST_TEST(p.parameters[0].name == "tolerance_ms");
    BOOST_TEST(std::get<double>(p.parameters[0].value) == 150.0);
    BOOST_TEST(p.parameters[0].unit == "C26");
    BOOST_TEST(std::get<std::string>(p.parameters[2].value) == "Scan it");
    BOOST_TEST(p.parameters[2].unit.empty());

    BOOST_TEST(p.setup.size() == 1u);
    BOOST_TEST(p.main.size() == 2u);
    BOOST_TEST(p.teardown.size() == 1u);
    BOOST_TEST(&p.group(Group::Teardown) == &p.teardown);

    const StepSpec& id = p.main[0];
    BOOST_TEST(id.id == "identify");
    BOOST_TEST(id.name == "identify"); // defaults to the id
    BOOST_TEST(id.failure_code == "ID-01");
    BOOST_TEST_REQUIRE(id.measurements.size() == 3u);
    BOOST_TEST(id.measurements[2].limit["regex"] == "^2\\.4\\.");
    BOOST_TEST(id.measurements[0].pos.line == position_of(kGood, "{name: model").line);

    const StepSpec& hold = p.main[1];
    BOOST_TEST(hold.id == "hold-${button}");
    BOOST_TEST(hold.type == "t.hold");
    BOOST_TEST(hold.args["max_ms"] == 6000);
    BOOST_TEST(hold.repeat_on_fail == 1);
    BOOST_TEST(hold.timeout_ms.value_or(0) == 20000);
    BOOST_TEST(hold.run_if.value_or("") == "model == \"W120\" and bay != 3");
    BOOST_TEST_REQUIRE(hold.condition != nullptr);
    BOOST_TEST_REQUIRE(hold.for_each.size() == 1u);
    BOOST_TEST(hold.for_each[0].name == "button");
    BOOST_TEST(hold.for_each[0].values.size() == 3u);
    BOOST_TEST(std::get<std::string>(hold.for_each[0].values[2]) == "top");
    const MeasurementSpec& t = hold.measurements.at(0);
    BOOST_TEST(t.unit == "C26");
    BOOST_TEST(t.limit["low"] == "${low_ms}");
    BOOST_TEST(t.limit["high"] == 3150);
    BOOST_TEST(t.limit["marginal"]["low"] == 2900);
    BOOST_TEST_REQUIRE(hold.variants.count("W100") == 1u);
    const StepVariant& v = hold.variants.at("W100");
    BOOST_TEST_REQUIRE(v.args.has_value());
    BOOST_TEST((*v.args)["max_ms"] == 7000);
    BOOST_TEST_REQUIRE(v.measurements.has_value());
    BOOST_TEST(v.measurements->at(0).limit["low"] == 3850);
    BOOST_TEST(hold.pos.line == position_of(kGood, "id: hold-").line);
}

BOOST_AUTO_TEST_CASE(content_hash_is_the_sha256_of_the_bytes) {
    auto r = parse_procedure(kGood, "t.yaml");
    BOOST_TEST_REQUIRE(r.ok(), all(r.error()));
    bwc::fw::Sha256 h;
    h.update(kGood);
    BOOST_TEST(r->sha256 == h.hex_digest());
    // A comment changes the bytes, so the hash: a record names the exact file.
    auto other = parse_procedure(kGood + "# reviewed\n", "t.yaml");
    BOOST_TEST_REQUIRE(other.ok());
    BOOST_TEST(other->sha256 != r->sha256);
}

BOOST_AUTO_TEST_CASE(unit_of_a_measurement_without_limits_comes_from_the_step_type) {
    auto r = parse_procedure(
        mutated({{"{name: firmware, regex: '^2\\.4\\.'}", "{name: firmware}"},
                 {"marginal: {low: 2900, high: 3100}}", "marginal: {low: 2900, high: 3100}}\n"
                                                        "      - {name: gesture}"}}),
        "t.yaml");
    BOOST_TEST_REQUIRE(r.ok(), all(r.error()));
    BOOST_TEST(r->main[0].measurements[2].limit.empty());
    BOOST_TEST(r->main[1].measurements[1].unit.empty()); // text
}

BOOST_AUTO_TEST_CASE(load_procedure_reads_the_file) {
    const auto dir = std::filesystem::temp_directory_path() / "bwc_procedure_loader_test";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "demo.yaml").string();
    std::ofstream(path) << kGood;
    auto r = load_procedure(path);
    BOOST_TEST_REQUIRE(r.ok(), all(r.error()));
    BOOST_TEST(r->path == path);
    auto missing = load_procedure((dir / "absent.yaml").string());
    BOOST_TEST_REQUIRE(!missing.ok());
    BOOST_TEST_REQUIRE(missing.error().size() == 1u);
    BOOST_TEST(missing.error()[0].text() ==
               (dir / "absent.yaml").string() + ": cannot read: No such file or directory");
    std::filesystem::remove_all(dir);
}

// --- one mistake, one diagnostic, at the right place -------------------------

BOOST_AUTO_TEST_CASE(yaml_syntax_error) {
    const std::string text = mutated({{"models: [W100, W120]", "models: [W100, W120"}});
    expect_one(text, "[W100", "YAML syntax error", 0, false);
}

BOOST_AUTO_TEST_CASE(tab_in_indentation) {
    const std::string text = mutated({{"    repeat_on_fail: 1", "\trepeat_on_fail: 1"}});
    expect_one(text, "\trepeat", "tab");
}

BOOST_AUTO_TEST_CASE(unknown_step_type_suggests_close_names) {
    const std::string text = mutated({{"type: t.identify", "type: t.identfy"}});
    expect_one(text, "t.identfy", "unknown step type 't.identfy' (did you mean 't.identify'");
}

BOOST_AUTO_TEST_CASE(missing_top_level_key) {
    const std::string text = mutated({{"version: 1.0.0\n", ""}});
    expect_one(text, "procedure:", "missing 'version'");
}

BOOST_AUTO_TEST_CASE(duplicate_key) {
    const std::string text = mutated({{"version: 1.0.0\n", "version: 1.0.0\nversion: 2\n"}});
    expect_one(text, "version: 2", "duplicate key 'version'");
}

BOOST_AUTO_TEST_CASE(unknown_key_suggests_the_right_one) {
    const std::string text = mutated({{"repeat_on_fail: 1", "repeat_on_fial: 1"}});
    expect_one(text, "repeat_on_fial",
               "unknown key 'repeat_on_fial' in step (did you mean "
               "'repeat_on_fail'?)");
}

BOOST_AUTO_TEST_CASE(repeat_on_fail_and_timeout_ranges) {
    expect_one(mutated({{"repeat_on_fail: 1", "repeat_on_fail: 11"}}), "11",
               "'repeat_on_fail' must be an integer from 0 to 10");
    expect_one(mutated({{"timeout_ms: 20000", "timeout_ms: 0"}}), "0\n    failure_code: BTN",
               "'timeout_ms' must be an integer from 1 to 86400000");
}

BOOST_AUTO_TEST_CASE(limit_without_units) {
    const std::string text = mutated({{"unit: C26, low: \"${low_ms}\"", "low: \"${low_ms}\""}});
    expect_one(text, "low: \"${low_ms}\"", "limit without units");
}

BOOST_AUTO_TEST_CASE(low_above_high) {
    const std::string text = mutated({{"low: \"${low_ms}\", high: 3150", "low: 3150, high: 2850"}});
    expect_one(text, "3150, high", "low 3150 is above high 2850");
}

BOOST_AUTO_TEST_CASE(low_above_high_through_a_parameter) {
    const std::string text = mutated({{"high: 3150,", "high: 2000,"}});
    expect_one(text, "\"${low_ms}\"", "low 2850 is above high 2000");
}

BOOST_AUTO_TEST_CASE(marginal_band_outside_the_limits) {
    const std::string text = mutated({{"marginal: {low: 2900", "marginal: {low: 2800"}});
    expect_one(text, "2800", "marginal low 2800 is below low 2850");
}

BOOST_AUTO_TEST_CASE(unknown_unit_suggests_the_code) {
    const std::string text =
        mutated({{"unit: C26, low: \"${low_ms}\"", "unit: ms, low: \"${low_ms}\""}});
    expect_one(text, "ms, low",
               "unknown unit 'ms': expected a UNECE Rec. 20 code (C26 = millisecond?)");
}

BOOST_AUTO_TEST_CASE(unit_differs_from_the_step_types) {
    const std::string text =
        mutated({{"unit: C26, low: \"${low_ms}\"", "unit: SEC, low: \"${low_ms}\""}});
    expect_one(text, "SEC", "unit SEC differs from C26");
}

BOOST_AUTO_TEST_CASE(parameter_unit_differs_from_the_measurements) {
    const std::string text =
        mutated({{"low_ms: {value: 2850, unit: C26}", "low_ms: {value: 2.85, unit: SEC}"}});
    expect_one(text, "\"${low_ms}\"",
               "refers to parameter 'low_ms' in SEC, but 'threshold_ms' is in C26");
}

BOOST_AUTO_TEST_CASE(two_kinds_of_limit) {
    const std::string text = mutated({{"{name: model, equals: \"${model}\"}",
                                       "{name: model, equals: \"${model}\", regex: 'W.*'}"}});
    expect_one(text, "regex: 'W.*'", "'regex' cannot be combined with 'equals'");
}

BOOST_AUTO_TEST_CASE(regex_that_does_not_compile) {
    const std::string text = mutated({{"'^2\\.4\\.'", "'^2\\.4\\.('"}});
    expect_one(text, "'^2\\.4\\.('", "regex does not compile");
}

BOOST_AUTO_TEST_CASE(empty_one_of) {
    const std::string text =
        mutated({{"{name: firmware, regex: '^2\\.4\\.'}", "{name: firmware, one_of: []}"}});
    expect_one(text, "[]}", "one_of must be a non-empty list");
}

BOOST_AUTO_TEST_CASE(measurement_the_step_type_does_not_record) {
    const std::string text = mutated({{"{name: firmware,", "{name: firmwre,"}});
    expect_one(text, "firmwre",
               "step type 't.identify' has no measurement 'firmwre' (did you mean "
               "'firmware'?)");
}

BOOST_AUTO_TEST_CASE(unknown_argument) {
    const std::string text = mutated({{"max_ms: 6000", "max_mss: 6000"}});
    expect_one(text, "max_mss",
               "unknown argument 'max_mss' for step type 't.hold' (did you mean "
               "'max_ms'?)");
}

BOOST_AUTO_TEST_CASE(missing_required_argument) {
    const std::string text =
        mutated({{"args: {button: \"${button}\", max_ms: 6000}", "args: {max_ms: 6000}"},
                 {"    for_each: {button: [record, function, top]}\n", ""},
                 {"id: hold-${button}", "id: hold-record"},
                 {"\"${button} hold\"", "record hold"},
                 {"BTN-${button}", "BTN-record"}});
    expect_one(text, "{max_ms: 6000}", "missing argument 'button' for step type 't.hold'");
}

BOOST_AUTO_TEST_CASE(argument_of_the_wrong_kind) {
    expect_one(mutated({{"max_ms: 6000", "max_ms: fast"}}), "fast",
               "argument 'max_ms' of step type 't.hold' must be an integer, found 'fast'");
    expect_one(mutated({{"max_ms: 6000", "max_ms: 60.5"}}), "60.5", "must be an integer");
    expect_one(mutated({{"args: {text: \"${label} in bay ${bay}\"}", "args: {text: 42}"}}), "42}",
               "must be text, found '42' (quote it: \"42\")");
}

BOOST_AUTO_TEST_CASE(argument_not_one_of_the_choices) {
    expect_one(mutated({{"[record, function, top]", "[record, function, tap]"}}), "tap",
               "is 'tap', not one of 'record', 'function' and 'top' (did you mean 'top'?)");
}

BOOST_AUTO_TEST_CASE(step_type_check_message) {
    expect_one(mutated({{"max_ms: 6000", "max_ms: 70000"}}), "{button: \"${button}\"",
               "step type 't.hold': max_ms must be at most 60000");
}

BOOST_AUTO_TEST_CASE(unknown_reference_suggests_the_name) {
    expect_one(mutated({{"bay ${bay}", "bay ${bays}"}}), "${bays}",
               "unknown name 'bays' (did you mean 'bay'?)");
}

BOOST_AUTO_TEST_CASE(reference_to_a_measurement_the_step_does_not_record) {
    expect_one(mutated({{"${scan.serial}", "${scan.serail}"}}), "${scan.serail}",
               "step 'scan' has no measurement 'serail' (did you mean 'serial'?)");
}

BOOST_AUTO_TEST_CASE(reference_to_a_step_that_runs_later) {
    expect_one(mutated({{"\"${label} in bay", "\"${identify.model} in bay"}}), "${identify.model}",
               "step 'identify' runs after this one");
}

BOOST_AUTO_TEST_CASE(loop_values_of_other_steps_are_not_in_scope) {
    expect_one(mutated({{"failure_code: ID-01", "failure_code: ID-${button}"}}), "${button}",
               "unknown name 'button'");
}

BOOST_AUTO_TEST_CASE(duplicate_step_id) {
    expect_one(mutated({{"id: ship", "id: identify"}}), "identify, type",
               "duplicate step id 'identify'");
}

BOOST_AUTO_TEST_CASE(duplicate_step_id_after_loop_expansion) {
    const std::string text = kGood + "  - {id: hold-top, type: t.noop}\n";
    expect_one(text, "hold-top, type", "duplicate step id 'hold-top'");
}

BOOST_AUTO_TEST_CASE(loop_variable_missing_from_the_id) {
    expect_one(mutated({{"id: hold-${button}", "id: hold"},
                        {"'hold-record.threshold_ms > 0'", "'bay > 0'"}}),
               "hold\n", "must contain ${button}");
}

BOOST_AUTO_TEST_CASE(run_if_syntax_error_points_into_the_expression) {
    expect_one(mutated({{"bay != 3", "bay !! 3"}}), "!! 3", "run_if: '!' is not an operator");
    // The plain scalar ends at "!=": the error points just after it.
    expect_one(mutated({{"bay != 3", "bay !="}}), "\n    timeout_ms", "expression ends");
}

BOOST_AUTO_TEST_CASE(run_if_unknown_name) {
    expect_one(mutated({{"model == \"W120\"", "modle == \"W120\""}}), "modle",
               "run_if: unknown name 'modle' (did you mean 'model'?)");
}

BOOST_AUTO_TEST_CASE(unknown_model) {
    expect_one(mutated({{"models: [W100, W120]", "models: [W100, W12]"}}), "W12]",
               "unknown model 'W12' (did you mean 'W120'?)");
}

BOOST_AUTO_TEST_CASE(variant_for_a_model_the_procedure_does_not_list) {
    expect_one(mutated({{"models: [W100, W120]", "models: [W120]"}}),
               "W100:", "variant for W100, but 'models' lists only 'W120'");
}

BOOST_AUTO_TEST_CASE(model_of_another_product) {
    expect_one(mutated({{"models: [W100, W120]", "models: [W100, W120, W701]"}}), "W701",
               "model W701 is a dock, but 'products' does not list dock");
}

BOOST_AUTO_TEST_CASE(parameter_hiding_a_builtin) {
    expect_one(mutated({{"  label: Scan it\n", "  label: Scan it\n  bay: 3\n"}}), "bay: 3",
               "parameter 'bay' would hide the built-in name 'bay'");
}

BOOST_AUTO_TEST_CASE(range_loop_checks) {
    const std::string step = "  - {id: \"n-${i}\", type: t.noop, for_each: {i: {range: [5, 1]}}}\n";
    expect_one(kGood + step, "[5, 1]", "is empty: first > last");
    const std::string huge =
        "  - {id: \"n-${i}\", type: t.noop, for_each: {i: {range: [1, 1000000]}}}\n";
    expect_one(kGood + huge, "[1, 1000000]", "at most 100000");
}

BOOST_AUTO_TEST_CASE(every_problem_of_a_file_is_reported) {
    const std::string text = mutated({{"type: t.identify", "type: t.identfy"},
                                      {"repeat_on_fail: 1", "repeat_on_fail: -1"},
                                      {"unit: C26, low", "unit: ms, low"}});
    const Diagnostics ds = diagnostics_of(text);
    BOOST_TEST(ds.size() == 3u, all(ds));
    // In file order.
    for (std::size_t i = 1; i < ds.size(); ++i)
        BOOST_TEST(ds[i - 1].pos.line <= ds[i].pos.line);
}

// --- hostile files ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(self_referring_aliases_do_not_recurse_forever) {
    const std::string text = mutated({{"args: {button: \"${button}\", max_ms: 6000}",
                                       "args: &a {button: \"${button}\", pins: [*a]}"}});
    const Diagnostics ds = diagnostics_of(text);
    BOOST_TEST(all(ds).find("nested too deeply") != std::string::npos, all(ds));
}

BOOST_AUTO_TEST_CASE(alias_bombs_stop_at_the_budget) {
    std::string bomb = "      pins:\n        - &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 9; ++i) {
        bomb += "        - &a" + std::to_string(i) + " [";
        for (int k = 0; k < 10; ++k)
            bomb += (k ? ", *a" : "*a") + std::to_string(i - 1);
        bomb += "]\n";
    }
    const std::string text = mutated({{"args: {button: \"${button}\", max_ms: 6000}\n",
                                       "args:\n      button: \"${button}\"\n" + bomb}});
    const Diagnostics ds = diagnostics_of(text);
    BOOST_TEST(all(ds).find("expands to more than") != std::string::npos, all(ds));
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused) {
    const std::string text =
        "procedure: x\nmain: " + std::string(3000, '[') + std::string(3000, ']') + "\n";
    const Diagnostics ds = diagnostics_of(text);
    BOOST_TEST(ds.size() == 1u, all(ds));
}

BOOST_AUTO_TEST_CASE(wrong_types_everywhere) {
    const std::string text = "procedure: [1]\nversion: {a: 1}\nproducts: camera\nmodels: 7\n"
                             "parameters: [x]\nmain: {id: a}\nteardown: 5\n";
    const Diagnostics ds = diagnostics_of(text);
    BOOST_TEST(ds.size() == 7u, all(ds));
    for (const Diagnostic& d : ds)
        BOOST_TEST(d.pos.line > 0);
}

BOOST_AUTO_TEST_CASE(binary_garbage_and_empty_files) {
    std::string garbage;
    for (int i = 0; i < 512; ++i)
        garbage += static_cast<char>((i * 37) & 0xFF);
    const Diagnostics bin = diagnostics_of(garbage);
    BOOST_TEST_REQUIRE(bin.size() == 1u, all(bin));
    BOOST_TEST(bin[0].message.find("not a text file") == 0u);
    const Diagnostics empty = diagnostics_of("");
    BOOST_TEST_REQUIRE(empty.size() == 1u);
    BOOST_TEST(empty[0].message.find("empty") != std::string::npos);
    const Diagnostics scalar = diagnostics_of("hello\n");
    BOOST_TEST_REQUIRE(scalar.size() == 1u);
    BOOST_TEST(scalar[0].message.find("must be a mapping") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(text_after_the_document_is_an_error_not_a_hang) {
    // yaml-cpp's LoadAll never returns on these (a stray ',' after a
    // top-level node); the loader must stop and report.
    for (const char* text : {"\"\",", "{procedure: x}, y", "- a\n\"b\",", "---\n\"\","}) {
        const Diagnostics ds = diagnostics_of(text);
        BOOST_TEST_REQUIRE(ds.size() == 1u, text);
        BOOST_TEST(ds[0].message ==
                   "YAML syntax error: unexpected text after the end of the document");
    }
    const Diagnostics two = diagnostics_of(kGood + "---\nprocedure: second\n");
    BOOST_TEST_REQUIRE(two.size() == 1u);
    BOOST_TEST(two[0].message.find("a second one starts here") != std::string::npos);
    BOOST_TEST(two[0].pos.line == position_of(kGood + "---\n", "---").line);
}

BOOST_AUTO_TEST_CASE(numbers_out_of_range) {
    expect_one(mutated({{"timeout_ms: 20000", "timeout_ms: 1e999"}}), "1e999", "out of range");
    expect_one(mutated({{"timeout_ms: 20000", "timeout_ms: 99999999999999999999999"}}),
               "99999999999999999999999", "must be an integer from 1 to 86400000");
}

BOOST_AUTO_TEST_SUITE_END()
