// Issue 6's acceptance through the real programs: `bench coverage` proves
// each end-of-line procedure against every fault `bwc-emu --list-faults
// --model M` lists (zero escapes, each caught at its planned step with its
// code) and runs good units under random render conditions and seeds (zero
// false fails; 200 camera units across W120 and W100, and 16 docks); the coverage
// command's own failure modes (a wrong expectation, an unplanned fault, a
// bad plan) are visible; and `bench check` refuses a procedure that needs a
// fixture the station lacks or contradicts the model table.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kBench = BWC_BINARY_DIR "/bench/bench";
const std::string kEmu = BWC_BINARY_DIR "/firmware/emu/bwc-emu";
const std::string kPlan = BWC_SOURCE_DIR "/procedures/eol/coverage.yaml";
const std::string kEol = BWC_SOURCE_DIR "/procedures/eol/";

json read_json(const std::string& path) {
    std::ifstream in(path);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
    return json::parse(in);
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

/// The fault names the emulator lists for `model`, asked independently of the bench.
std::set<std::string> listed_faults(const std::string& model) {
    ProgramResult r = run_program(kEmu, {"--list-faults", "--model", model});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::set<std::string> names;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            names.insert(line.substr(0, line.find('\t')));
    BOOST_REQUIRE(!names.empty());
    return names;
}

/// Runs the whole coverage of `model` and checks the acceptance: every listed
/// fault caught at its expected step with its code, and no good unit failing.
void prove(const std::string& model, int good_units) {
    TempDir dir("eol-coverage");
    const std::string json_path = dir.path() + "/coverage.json";
    const std::string md_path = BWC_BINARY_DIR "/coverage/" + model + ".md";
    ProgramResult r =
        run_program(kBench, {"coverage", "--model", model, "--plan", kPlan, "--good-units",
                             std::to_string(good_units), "--results", dir.path() + "/results",
                             "--json", json_path, "--out", md_path});
    BOOST_TEST_MESSAGE(r.out);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0 || r.exit_code == 1, "bench coverage: " << r.err);
    const json report = read_json(json_path);
    const std::set<std::string> listed = listed_faults(model);
    std::set<std::string> seen;
    for (const json& row : report["faults"]) {
        const std::string fault = row["fault"];
        seen.insert(fault.substr(0, fault.find('=')));
        BOOST_TEST(row["result"] == "caught",
                   fault << ": expected " << row["expected_step"] << " " << row["expected_code"]
                         << ", got " << row["verdict"] << " at " << row["first_failing_step"] << " "
                         << row["failure_code"] << " (" << row["cause"] << ")");
        BOOST_TEST(row["verdict"] == "fail");
        BOOST_TEST(row["first_failing_step"] == row["expected_step"]);
        BOOST_TEST(row["failure_code"] == row["expected_code"]);
    }
    BOOST_TEST(seen == listed, "the report's faults are not the emulator's list");
    BOOST_TEST(report["escaped"] == 0);
    BOOST_TEST(report["not_planned"] == 0);
    BOOST_TEST(report["good_units"] == good_units);
    BOOST_TEST(report["false_fails"].size() == 0u, report["false_fails"].dump(1));
    BOOST_TEST(report["clean"] == true);
    BOOST_TEST(r.exit_code == 0, r.err);
    // The table is written for people too.
    std::ifstream md(md_path);
    std::stringstream text;
    text << md.rdbuf();
    BOOST_TEST(text.str().find("faults caught at their expected step") != std::string::npos);
}

} // namespace

// 200 good camera units in all: 104 W120 and 96 W100.
BOOST_AUTO_TEST_SUITE(eol_coverage_w120)
BOOST_AUTO_TEST_CASE(every_fault_caught_and_no_false_fails) {
    prove("W120", 104);
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(eol_coverage_w100)
BOOST_AUTO_TEST_CASE(every_fault_caught_and_no_false_fails) {
    prove("W100", 96);
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(eol_coverage_dock)
BOOST_AUTO_TEST_CASE(every_fault_caught_and_no_false_fails) {
    prove("W701", 16);
}
BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bench_coverage_cli)

BOOST_AUTO_TEST_CASE(a_wrong_expectation_and_an_unplanned_fault_make_it_fail) {
    TempDir dir("coverage-cli");
    // Copy of the W120 plan entry, with the record threshold expected at the wrong step
    // and the top threshold left out.
    const std::string plan = dir.path() + "/plan.yaml";
    write_file(plan, "coverage: test\n"
                     "models:\n"
                     "  W120:\n"
                     "    procedure: " +
                         kEol +
                         "w120.yaml\n"
                         "    faults:\n"
                         "      button.record.threshold_ms: {value: 3400, step: hold-top, code: "
                         "BTN-TOP-HOLD}\n");
    const std::string js = dir.path() + "/c.json";
    ProgramResult r =
        run_program(kBench, {"coverage", "--model", "w120", "--plan", plan, "--fault",
                             "button.record.threshold_ms", "--fault", "button.top.threshold_ms",
                             "--good-units", "0", "--results", dir.path() + "/r", "--json", js});
    BOOST_TEST(r.exit_code == 1, r.out << r.err);
    const json report = read_json(js);
    BOOST_REQUIRE_EQUAL(report["faults"].size(), 2u);
    for (const json& row : report["faults"]) {
        if (row["fault"] == "button.record.threshold_ms=3400") {
            BOOST_TEST(row["result"] == "caught elsewhere");
            BOOST_TEST(row["first_failing_step"] == "record-above");
        } else {
            BOOST_TEST(row["fault"] == "button.top.threshold_ms");
            BOOST_TEST(row["result"] == "not planned");
        }
    }
    BOOST_TEST(report["clean"] == false);
}

BOOST_AUTO_TEST_CASE(a_plan_error_names_file_and_line) {
    TempDir dir("coverage-cli");
    const std::string plan = dir.path() + "/plan.yaml";
    write_file(plan, "coverage: test\n"
                     "models:\n"
                     "  W120:\n"
                     "    procedure: " +
                         kEol +
                         "w120.yaml\n"
                         "    faults:\n"
                         "      button.elbow.threshold_ms: {value: 3400, step: x, code: Y}\n"
                         "      led.status_led.color: {step: x, code: Y}\n");
    ProgramResult r = run_program(
        kBench, {"coverage", "--model", "w120", "--plan", plan, "--results", dir.path() + "/r"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find(plan + ":6:") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("button.elbow.threshold_ms") != std::string::npos, r.err);
    BOOST_TEST(r.err.find(plan + ":7:") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("needs a value") != std::string::npos, r.err);
    ProgramResult typo = run_program(kBench, {"coverage", "--model", "w121"});
    BOOST_TEST(typo.exit_code == 2);
    BOOST_TEST(typo.err.find("expected W100, W120, W700 or W701") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bench_check_fit)

const char* kStationWithoutVision = "station: no-vision\n"
                                    "bays:\n"
                                    "  - bay: 1\n"
                                    "    camera: tcp://127.0.0.1:7100\n"
                                    "    physical: tcp://127.0.0.1:7101\n"
                                    "    fixtures: {actuator: \"tcp://127.0.0.1:7301\"}\n"
                                    "  - bay: 2\n"
                                    "    camera: tcp://127.0.0.1:7110\n"
                                    "    fixtures:\n"
                                    "      vision: {uri: \"tcp://127.0.0.1:7302\", pipeline: "
                                    "\"videotestsrc ! appsink name=frames\"}\n";

BOOST_AUTO_TEST_CASE(a_fixture_or_port_the_station_lacks_is_refused) {
    TempDir dir("check-fit");
    const std::string station = dir.path() + "/station.yaml";
    write_file(station, kStationWithoutVision);
    ProgramResult r = run_program(kBench, {"check", kEol + "w120.yaml", "--station", station});
    BOOST_TEST(r.exit_code == 2);
    // The vision steps need a vision camera bay 1 lacks; bay 2 has no physical port for the
    // buttons; no dock for bay.seat; and no thermal chamber at all.
    BOOST_TEST(r.err.find("needs fixture 'vision', which station no-vision (" + station +
                          ") lacks in bay 1") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("needs a physical port (button actuators), which bay 2 of station "
                          "no-vision") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("(bay.seat) needs a dock, and station no-vision") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find(kEol + "w120.yaml:") == 0,
               "messages start with file:line:col: " << r.err);
    // Without --station the same procedure is fine.
    ProgramResult alone = run_program(kBench, {"check", kEol + "w120.yaml"});
    BOOST_TEST(alone.exit_code == 0, alone.err);
}

BOOST_AUTO_TEST_CASE(a_limit_the_model_table_contradicts_is_refused) {
    TempDir dir("check-fit");
    const std::string proc = dir.path() + "/w100-3s.yaml";
    // SPEC §2: the W100's front button stops recording after a 4 s hold, not 3 s.
    write_file(proc, "procedure: contradicting\n"
                     "version: 1.0.0\n"
                     "products: [camera]\n"
                     "models: [W100, W120]\n"
                     "main:\n"
                     "  - id: hold-record\n"
                     "    type: button.hold_threshold\n"
                     "    args: {button: record}\n"
                     "    measurements:\n"
                     "      - {name: threshold_ms, unit: C26, low: 2850, high: 3150}\n"
                     "  - id: power-on\n"
                     "    type: power.on\n"
                     "    measurements:\n"
                     "      - {name: boot_ms, unit: C26, low: 0, high: 20000}\n");
    ProgramResult r = run_program(kBench, {"check", proc});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find(proc + ":10:") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("contradicts the W100 model table: the record button's first hold is "
                          "4000 C26") != std::string::npos,
               r.err);
    // The W120's 3 s hold is inside the limit: no complaint about it.
    BOOST_TEST(r.err.find("contradicts the W120 model table: the record") == std::string::npos,
               r.err);
    // A 20 s boot limit fails a W120 that takes its 30 s (SPEC §4), not a W100.
    BOOST_TEST(r.err.find(proc + ":14:") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("contradicts the W120 model table: power on to ready is 30000 C26") !=
                   std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("W100 model table: power on") == std::string::npos, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

// The README's main job: the W120 end of line on 8 emulated bays, bay 3 faulty.
BOOST_AUTO_TEST_SUITE(eol_main_job)
BOOST_AUTO_TEST_CASE(eight_bays_one_faulty_records_in_sqlite) {
    TempDir dir("eol-main");
    const std::string results = dir.path() + "/results";
    const std::string js = dir.path() + "/run.json";
    ProgramResult r =
        run_program(kBench, {"run", kEol + "w120.yaml", "--emulate", "w120", "--bays", "8",
                             "--fault", "3:button.record.threshold_ms=3400", "--results", results,
                             "--json", js, "--progress", "plain"});
    BOOST_TEST(r.exit_code == 1, r.out << r.err); // a unit failed, as injected
    const json summary = read_json(js);
    BOOST_REQUIRE_EQUAL(summary["bays"].size(), 8u);
    for (const json& b : summary["bays"]) {
        if (b["bay"] == 3) {
            BOOST_TEST(b["verdict"] == "fail");
            BOOST_TEST(b["first_failing_step"] == "record-above");
            BOOST_TEST(b["failure_code"] == "BTN-REC-HOLD");
        } else {
            BOOST_TEST(b["verdict"] == "pass", "bay " << b["bay"] << ": " << b["cause"]);
        }
        BOOST_TEST(b["device_time_ms"].get<double>() > 0);
    }
    // The per-bay summary is printed, and every record is in the SQLite store.
    BOOST_TEST(r.out.find("BTN-REC-HOLD") != std::string::npos);
    ProgramResult list = run_program(kBench, {"results", "list", "--results", results});
    BOOST_REQUIRE_MESSAGE(list.exit_code == 0, list.err);
    int records = 0;
    for (std::size_t at = list.out.find("eol-w120"); at != std::string::npos;
         at = list.out.find("eol-w120", at + 1))
        ++records;
    BOOST_TEST(records == 8, list.out);
}
BOOST_AUTO_TEST_SUITE_END()
