// Record exports read back by standard consumers, as a CI server or a
// spreadsheet would: the JUnit XML by Debian's python3-junitparser (through
// /usr/bin/python3, not whatever python3 is first on PATH), the CSV by
// Python's csv module. Counts must match the records in the store.
#include "../unit/record_samples.hpp"
#include "bench/record/export_csv.hpp"
#include "bench/record/export_junit.hpp"
#include "bench/record/store.hpp"
#include "emu_process.hpp"
#include "run_program.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace bwc::bench;
using bwc::test::TempDir;

namespace {

constexpr const char* kSystemPython = "/usr/bin/python3";

// Prints what junitparser and csv make of the files, as JSON.
constexpr const char* kReaderScript = R"py(
import csv, json, sys
from junitparser import JUnitXml, Failure, Error, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = []
    for case in suite:
        results = [type(r).__name__ for r in case.result]
        messages = [r.message or "" for r in case.result]
        cases.append({"name": case.name, "classname": case.classname, "time": case.time,
                      "results": results, "messages": messages})
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                   "errors": suite.errors, "skipped": suite.skipped,
                   "properties": {p.name: p.value for p in suite.properties()},
                   "cases": cases})
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
print(json.dumps({"tests": xml.tests, "failures": xml.failures, "errors": xml.errors,
                  "skipped": xml.skipped, "suites": suites, "csv": rows}))
)py";

struct Expected {
    int tests = 0, failures = 0, errors = 0, skipped = 0;
};

/// Counted from the record the way the export promises (export_junit.hpp):
/// final attempts by outcome, plus the "(record)" case where `record_case`.
Expected expected_counts(const RecordData& r, const char* record_case) {
    Expected e;
    for (const auto& s : r.steps) {
        if (!s.final_attempt)
            continue;
        ++e.tests;
        e.failures += s.outcome == Outcome::Fail;
        e.errors += s.outcome == Outcome::Error || s.outcome == Outcome::Aborted;
        e.skipped += s.outcome == Outcome::Skipped;
    }
    if (std::string(record_case) == "error")
        ++e.tests, ++e.errors;
    return e;
}

std::size_t measurement_count(const std::vector<RecordData>& records) {
    std::size_t n = 0;
    for (const auto& r : records)
        for (const auto& s : r.steps)
            n += s.measurements.size();
    return n;
}

/// Three bays of one run: a failing unit, a killed one, an errored one.
std::vector<RecordData> stored_run(ResultsStore& store) {
    auto failing = bwc::test::sample_record("x-bay1", "SN0001", 1, Verdict::Fail);
    failing.header.station = "line \"A\" <bench & co>";
    failing.steps[5].error = std::string("bad byte \x01 from the device");
    auto killed = bwc::test::sample_record("x-bay2", "SN0002", 2);
    killed.end.reset();
    killed.steps.resize(2);
    killed.interrupted_step = "led_red";
    auto errored = bwc::test::sample_record("x-bay3", "SN0003", 3, Verdict::Error);
    errored.steps.resize(2); // every step passed; the dock died between steps
    for (auto* r : {&failing, &killed, &errored}) {
        r->header.run_id = "run-x";
        auto stored = store.ingest(*r, "journal/" + r->header.record_id + ".jsonl");
        BOOST_TEST_REQUIRE(stored.ok(), stored.error());
    }
    auto run = store.load_run("run-x");
    BOOST_TEST_REQUIRE(run.ok(), run.error());
    return std::move(run).value();
}

nlohmann::json read_back(const TempDir& dir, const std::vector<RecordData>& records) {
    const std::string xml = dir.path() + "/run.xml";
    const std::string csv = dir.path() + "/run.csv";
    const std::string script = dir.path() + "/read_exports.py";
    std::ofstream(xml, std::ios::binary) << export_junit(records);
    std::ofstream(csv, std::ios::binary) << export_csv(records);
    std::ofstream(script) << kReaderScript;
    const auto result = bwc::test::run_program(kSystemPython, {script, xml, csv});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    return nlohmann::json::parse(result.out);
}

} // namespace

BOOST_AUTO_TEST_SUITE(record_export)

BOOST_AUTO_TEST_CASE(junit_read_by_junitparser_matches_the_records) {
    TempDir dir("record-export");
    auto store = ResultsStore::open(dir.path() + "/results");
    BOOST_TEST_REQUIRE(store.ok(), store.error());
    const auto records = stored_run(**store);
    const auto parsed = read_back(dir, records);

    const Expected per_record[] = {expected_counts(records[0], "none"),
                                   expected_counts(records[1], "error"),
                                   expected_counts(records[2], "error")};
    Expected total;
    const auto& suites = parsed.at("suites");
    BOOST_TEST_REQUIRE(suites.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& suite = suites[i];
        const auto& e = per_record[i];
        BOOST_TEST_CONTEXT("suite " << suite.at("name")) {
            BOOST_TEST(suite.at("tests").get<int>() == e.tests);
            BOOST_TEST(suite.at("failures").get<int>() == e.failures);
            BOOST_TEST(suite.at("errors").get<int>() == e.errors);
            BOOST_TEST(suite.at("skipped").get<int>() == e.skipped);
            // The attributes agree with the elements the consumer found.
            int failures = 0, errors = 0, skipped = 0;
            for (const auto& c : suite.at("cases"))
                for (const auto& kind : c.at("results")) {
                    failures += kind == "Failure";
                    errors += kind == "Error";
                    skipped += kind == "Skipped";
                }
            BOOST_TEST(suite.at("cases").size() == static_cast<std::size_t>(e.tests));
            BOOST_TEST(failures == e.failures);
            BOOST_TEST(errors == e.errors);
            BOOST_TEST(skipped == e.skipped);
        }
        total.tests += e.tests, total.failures += e.failures, total.errors += e.errors,
            total.skipped += e.skipped;
    }
    BOOST_TEST(parsed.at("tests").get<int>() == total.tests);
    BOOST_TEST(parsed.at("failures").get<int>() == total.failures);
    BOOST_TEST(parsed.at("errors").get<int>() == total.errors);
    BOOST_TEST(parsed.at("skipped").get<int>() == total.skipped);
}

BOOST_AUTO_TEST_CASE(junit_names_properties_and_failure_messages) {
    TempDir dir("record-export");
    auto store = ResultsStore::open(dir.path() + "/results");
    BOOST_TEST_REQUIRE(store.ok(), store.error());
    const auto records = stored_run(**store);
    const auto suite = read_back(dir, records).at("suites")[0];
    BOOST_TEST(suite.at("name") == "bay 1 SN0001 eol-w120");
    const auto& properties = suite.at("properties");
    BOOST_TEST(properties.at("serial") == "SN0001");
    BOOST_TEST(properties.at("model") == "W120");
    BOOST_TEST(properties.at("firmware") == "2.4.1");
    BOOST_TEST(properties.at("imei") == "356938035643809");
    BOOST_TEST(properties.at("mac") == "AC:CC:8E:01:02:03");
    BOOST_TEST(properties.at("station") == "line \"A\" <bench & co>");
    BOOST_TEST(properties.at("procedure_hash") == "sha256:9f2c0d");

    const auto& cases = suite.at("cases");
    const auto find = [&](const std::string& name) {
        for (const auto& c : cases)
            if (c.at("name") == name)
                return c;
        BOOST_FAIL("no testcase " + name);
        return nlohmann::json();
    };
    const auto charge = find("charge_current");
    BOOST_TEST(charge.at("classname") == "eol-w120");
    BOOST_TEST(charge.at("time").get<double>() ==
               static_cast<double>(records[0].steps[4].wall_duration_us) / 1e6);
    BOOST_TEST_REQUIRE(charge.at("results").size() == 1u);
    BOOST_TEST(charge.at("results")[0] == "Failure");
    const std::string message = charge.at("messages")[0];
    for (const char* part : {"ichg", "1e+300 mA", "400 <= x <= 600", "mode = CC", "== CV"})
        BOOST_TEST(message.find(part) != std::string::npos, message << " lacks " << part);
    const auto gnss = find("gnss_fix");
    BOOST_TEST(gnss.at("results")[0] == "Error");
    BOOST_TEST(gnss.at("messages")[0].get<std::string>().find("bad byte") == 0u);
    BOOST_TEST(find("offload").at("results")[0] == "Error");
    BOOST_TEST(find("lte_attach").at("results")[0] == "Skipped");
    BOOST_TEST(find("battery_voltage").at("results").empty()); // marginal passes
    BOOST_TEST(find("led_red").at("results").empty());         // the retry passed

    const auto killed = read_back(dir, records).at("suites")[1].at("cases");
    const auto& last = killed.back();
    BOOST_TEST(last.at("name") == "(record)");
    BOOST_TEST(last.at("results")[0] == "Error");
    BOOST_TEST(last.at("messages")[0].get<std::string>().find("led_red") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(csv_read_by_python_has_one_row_per_measurement) {
    TempDir dir("record-export");
    auto store = ResultsStore::open(dir.path() + "/results");
    BOOST_TEST_REQUIRE(store.ok(), store.error());
    const auto records = stored_run(**store);
    const auto rows = read_back(dir, records).at("csv");
    BOOST_TEST_REQUIRE(rows.size() == 1 + measurement_count(records));
    const std::vector<std::string> header = rows[0];
    BOOST_TEST((header == std::vector<std::string>{"record_id", "serial", "bay", "step_id",
                                                   "attempt", "measurement", "value", "unit", "low",
                                                   "high", "limit", "outcome"}));
    // Row order follows the records; the third row is the tricky text.
    const std::vector<std::string> note = rows[3];
    const auto& m = records[0].steps[0].measurements[2];
    BOOST_TEST(note[0] == "x-bay1");
    BOOST_TEST(note[1] == "SN0001");
    BOOST_TEST(note[5] == m.name);
    BOOST_TEST(note[6] == std::get<std::string>(m.value));
    const std::vector<std::string> vbat = rows[4];
    BOOST_TEST(vbat[3] == "battery_voltage");
    BOOST_TEST(vbat[6] == "2880");
    BOOST_TEST(vbat[7] == "mV");
    BOOST_TEST(vbat[8] == "2850");
    BOOST_TEST(vbat[9] == "3150");
    BOOST_TEST(vbat[11] == "marginal");
}

BOOST_AUTO_TEST_SUITE_END()
