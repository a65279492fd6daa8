// `bench run` end to end, through the real binaries only: the bench starts
// (or is pointed at) bwc-emu as a separate process, talks to it over TCP,
// and leaves journals and an SQLite store behind that the tests read back
// with `bench results` and a standard JUnit consumer (python3-junitparser).
// Covers the acceptance: 8 good bays pass; a drifted record-button
// threshold fails exactly its bay at the right step with its failure code;
// SIGKILL mid-run leaves an incomplete record holding every finished step;
// Ctrl-C runs teardown and marks the record aborted; a lost device ends the
// bay with an error naming the cause.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kBench = BWC_BINARY_DIR "/bench/bench";
const std::string kButtons = BWC_SOURCE_DIR "/procedures/smoke/buttons.yaml";

json read_json(const std::string& path) {
    std::ifstream in(path);
    BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
    return json::parse(in);
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

std::string slurp_dir(const std::string& dir) {
    std::string all;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        all += ss.str();
    }
    return all;
}

/// Waits until some journal under `results` contains `text`.
void wait_for_journal(const std::string& results, const std::string& text,
                      BackgroundProgram& bench) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (slurp_dir(results + "/journal").find(text) == std::string::npos) {
        if (!bench.running()) {
            // (Boost evaluates a message's operands eagerly: wait() only here.)
            const std::string err = bench.wait().err;
            BOOST_FAIL("bench ended before its journal showed " << text << ": " << err);
        }
        BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                              "journal never showed " << text);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

const json* bay_of(const json& summary, int bay) {
    for (const json& b : summary["bays"])
        if (b["bay"] == bay)
            return &b;
    return nullptr;
}

/// A station file for one emulated camera started by the test itself.
std::string one_bay_station(const EmuProcess& emu, const std::string& dir) {
    const CameraPorts& c = emu.cameras().at(0);
    const std::string path = dir + "/station.yaml";
    write_file(path, "station: test-station\n"
                     "bays:\n"
                     "  - bay: 1\n"
                     "    camera: tcp://127.0.0.1:" +
                         std::to_string(c.diag) +
                         "\n"
                         "    physical: tcp://127.0.0.1:" +
                         std::to_string(c.physical) + "\n");
    return path;
}

/// identify, a settle step, then an operator confirmation the test answers
/// (or never does), then identify again; teardown leaves a mark.
std::string prompt_procedure(const std::string& dir) {
    const std::string path = dir + "/prompted.yaml";
    write_file(
        path,
        "procedure: prompted\n"
        "version: 1.0.0\n"
        "products: [camera]\n"
        "models: [W120]\n"
        "main:\n"
        "  - {id: identify, type: identify, measurements: [{name: model, equals: W120}]}\n"
        "  - {id: settle, type: wait, args: {ms: 1000}}\n"
        "  - id: ready\n"
        "    type: prompt.confirm\n"
        "    args: {text: \"Is the camera seated?\"}\n"
        "    measurements: [{name: confirmed, equals: true}]\n"
        "  - {id: identify-again, type: identify, measurements: [{name: model, equals: W120}]}\n"
        "teardown:\n"
        "  - {id: release, type: noop}\n");
    return path;
}

std::string show(const std::string& results, const std::string& record_id) {
    ProgramResult r = run_program(kBench, {"results", "show", record_id, "--results", results});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return r.out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(bench_run)

BOOST_AUTO_TEST_CASE(eight_good_bays_pass_and_are_stored) {
    TempDir dir("bench-run");
    const std::string results = dir.path() + "/results";
    ProgramResult r = run_program(kBench, {"run", kButtons, "--emulate", "w120", "--bays", "8",
                                           "--results", results, "--json",
                                           dir.path() + "/summary.json", "--progress", "plain"});
    BOOST_TEST_INFO("stdout: " << r.out << "\nstderr: " << r.err);
    BOOST_TEST(r.exit_code == 0);
    const json s = read_json(dir.path() + "/summary.json");
    BOOST_REQUIRE_EQUAL(s["bays"].size(), 8u);
    std::set<std::string> serials;
    for (const json& b : s["bays"]) {
        BOOST_TEST(b["verdict"] == "pass", "bay " << b["bay"] << ": " << b.dump());
        BOOST_TEST(b["model"] == "W120");
        BOOST_TEST(b["device_time_ms"].get<long>() >
                   30000); // a 30 s boot at least, in virtual time
        serials.insert(b["serial"].get<std::string>());
    }
    BOOST_TEST(serials.size() == 8u);

    ProgramResult list =
        run_program(kBench, {"results", "list", "--results", results, "--run", s["run_id"]});
    BOOST_TEST(list.exit_code == 0, list.err);
    for (const std::string& serial : serials)
        BOOST_TEST(list.out.find(serial) != std::string::npos, serial << " missing from\n"
                                                                      << list.out);
}

BOOST_AUTO_TEST_CASE(drifted_record_threshold_fails_only_its_bay) {
    TempDir dir("bench-run");
    const std::string results = dir.path() + "/results";
    ProgramResult r =
        run_program(kBench, {"run", kButtons, "--emulate", "w120", "--bays", "8", "--fault",
                             "3:button.record.threshold_ms=3300", "--results", results, "--json",
                             dir.path() + "/summary.json", "--progress", "plain"});
    BOOST_TEST_INFO("stdout: " << r.out << "\nstderr: " << r.err);
    BOOST_TEST(r.exit_code == 1);
    const json s = read_json(dir.path() + "/summary.json");
    for (int bay = 1; bay <= 8; ++bay) {
        const json* b = bay_of(s, bay);
        BOOST_REQUIRE(b);
        if (bay == 3) {
            BOOST_TEST((*b)["verdict"] == "fail");
            BOOST_TEST((*b)["first_failing_step"] == "hold-record");
            BOOST_TEST((*b)["failure_code"] == "BTN-REC-HOLD");
        } else {
            BOOST_TEST((*b)["verdict"] == "pass", "bay " << bay << ": " << b->dump());
        }
    }
    // The record shows the measured 3300 ms against its limit, twice (repeat_on_fail: 1).
    const std::string record = show(results, (*bay_of(s, 3))["record_id"]);
    BOOST_TEST(record.find("3300") != std::string::npos, record);

    // JUnit export read by a standard consumer: one failure, in bay 3's suite.
    const std::string xml = dir.path() + "/junit.xml";
    ProgramResult ex = run_program(kBench, {"results", "export", "--format", "junit", "--run",
                                            s["run_id"], "--output", xml, "--results", results});
    BOOST_REQUIRE_MESSAGE(ex.exit_code == 0, ex.err);
    const std::string script = dir.path() + "/count.py";
    write_file(script, "import sys, junitparser\n"
                       "x = junitparser.JUnitXml.fromfile(sys.argv[1])\n"
                       "for s in x:\n"
                       "    print(s.name, s.tests, s.failures, s.errors)\n");
    ProgramResult py = run_program("/usr/bin/python3", {script, xml});
    BOOST_REQUIRE_MESSAGE(py.exit_code == 0, py.err);
    int suites = 0;
    int failures = 0;
    std::istringstream lines(py.out);
    for (std::string line; std::getline(lines, line);) {
        ++suites;
        std::istringstream w(line);
        std::vector<std::string> words;
        for (std::string word; w >> word;)
            words.push_back(word);
        BOOST_REQUIRE(words.size() >= 4);
        const int f = std::stoi(words[words.size() - 2]);
        failures += f;
        BOOST_TEST(std::stoi(words.back()) == 0); // no errors
        if (f > 0)
            BOOST_TEST(line.find((*bay_of(s, 3))["serial"].get<std::string>()) != std::string::npos,
                       line);
    }
    BOOST_TEST(suites == 8);
    BOOST_TEST(failures == 1);
}

BOOST_AUTO_TEST_CASE(w100_units_pass_through_their_variants) {
    TempDir dir("bench-run");
    ProgramResult r = run_program(kBench, {"run", kButtons, "--emulate", "w100", "--bays", "2",
                                           "--results", dir.path() + "/results", "--json",
                                           dir.path() + "/s.json", "--progress", "quiet"});
    BOOST_TEST_INFO("stdout: " << r.out << "\nstderr: " << r.err);
    BOOST_TEST(r.exit_code == 0);
    const json s = read_json(dir.path() + "/s.json");
    for (const json& b : s["bays"]) {
        BOOST_TEST(b["model"] == "W100");
        BOOST_TEST(b["verdict"] == "pass");
    }
}

BOOST_AUTO_TEST_CASE(usage_and_file_errors_exit_2) {
    TempDir dir("bench-run");
    BOOST_TEST(run_program(kBench, {"run"}).exit_code == 2);
    BOOST_TEST(
        run_program(kBench, {"run", kButtons, "--emulate", "w120", "--bays", "9"}).exit_code == 2);
    BOOST_TEST(
        run_program(kBench, {"run", kButtons, "--station", dir.path() + "/none.yaml"}).exit_code ==
        2);
    ProgramResult r =
        run_program(kBench, {"run", kButtons, "--emulate", "w120", "--fault", "9:storage.error"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.err.find("bay 9") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(sigkill_mid_run_leaves_an_incomplete_record_with_finished_steps) {
    TempDir dir("bench-kill");
    EmuProcess emu({"--camera", "model=w120,serial=KILL1"});
    const std::string results = dir.path() + "/results";
    const std::string station = one_bay_station(emu, dir.path());
    const std::string procedure = prompt_procedure(dir.path());
    {
        BackgroundProgram bench(
            kBench,
            {"run", procedure, "--station", station, "--results", results, "--progress", "plain"},
            dir.path());
        // The run waits for the operator at 'ready': identify and settle are done.
        wait_for_journal(results, "prompt.confirm", bench);
        bench.signal(SIGKILL);
        BOOST_TEST(bench.wait().exit_code == 128 + SIGKILL);
    }
    // Starting bench again finds the orphaned journal and stores it.
    ProgramResult list = run_program(kBench, {"results", "list", "--results", results});
    BOOST_REQUIRE_MESSAGE(list.exit_code == 0, list.err);
    BOOST_TEST(list.out.find("incomplete") != std::string::npos, list.out);
    BOOST_TEST(list.out.find("KILL1") != std::string::npos, list.out);
    // Its id is the journal's name.
    std::string record_id;
    for (const auto& e : std::filesystem::directory_iterator(results + "/journal"))
        if (e.path().extension() == ".jsonl")
            record_id = e.path().stem().string();
    BOOST_REQUIRE(!record_id.empty());
    const std::string record = show(results, record_id);
    BOOST_TEST(record.find("identify") != std::string::npos, record);
    BOOST_TEST(record.find("settle") != std::string::npos, record);
    BOOST_TEST(record.find("identify-again") == std::string::npos, record); // never ran
    BOOST_TEST(record.find("INCOMPLETE") != std::string::npos, record);
    BOOST_TEST(record.find("Steps (2)") != std::string::npos,
               record); // identify and settle, nothing else
}

BOOST_AUTO_TEST_CASE(ctrl_c_aborts_main_and_runs_teardown) {
    TempDir dir("bench-int");
    EmuProcess emu({"--camera", "model=w120,serial=INT1"});
    const std::string results = dir.path() + "/results";
    BackgroundProgram bench(kBench,
                            {"run", prompt_procedure(dir.path()), "--station",
                             one_bay_station(emu, dir.path()), "--results", results, "--json",
                             dir.path() + "/s.json", "--progress", "plain"},
                            dir.path());
    wait_for_journal(results, "prompt.confirm", bench);
    bench.signal(SIGINT);
    ProgramResult r = bench.wait();
    BOOST_TEST_INFO("stdout: " << r.out << "\nstderr: " << r.err);
    BOOST_TEST(r.exit_code == 3);
    const json s = read_json(dir.path() + "/s.json");
    BOOST_TEST(s["bays"][0]["verdict"] == "aborted");
    const std::string record = show(results, s["bays"][0]["record_id"]);
    BOOST_TEST(record.find("release") != std::string::npos, record); // teardown ran
    BOOST_TEST(record.find("identify-again") == std::string::npos, record);
}

BOOST_AUTO_TEST_CASE(lost_device_ends_the_bay_with_an_error_naming_it) {
    TempDir dir("bench-lost");
    auto emu = std::make_unique<EmuProcess>(
        std::vector<std::string>{"--camera", "model=w120,serial=LOST1"});
    const std::string results = dir.path() + "/results";
    BackgroundProgram bench(kBench,
                            {"run", prompt_procedure(dir.path()), "--station",
                             one_bay_station(*emu, dir.path()), "--results", results, "--json",
                             dir.path() + "/s.json", "--progress", "plain", "--reply-timeout",
                             "2000"},
                            dir.path());
    wait_for_journal(results, "prompt.confirm", bench);
    emu.reset(); // the camera goes away while the operator looks at it
    bench.write_stdin("yes\n");
    ProgramResult r = bench.wait();
    BOOST_TEST_INFO("stdout: " << r.out << "\nstderr: " << r.err);
    BOOST_TEST(r.exit_code == 3);
    const json s = read_json(dir.path() + "/s.json");
    const json& b = s["bays"][0];
    BOOST_TEST(b["verdict"] == "error");
    BOOST_TEST(b["first_failing_step"] == "identify-again");
    BOOST_TEST(b["cause"].get<std::string>().find("device lost") != std::string::npos, b.dump());
    BOOST_TEST(b["cause"].get<std::string>().find("LOST1") != std::string::npos, b.dump());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bench_devices)

BOOST_AUTO_TEST_CASE(lists_ports_and_checks_every_station_endpoint) {
    TempDir dir("bench-devices");
    EmuProcess emu({"--camera", "model=w120,serial=DEV1"});
    const std::string good = one_bay_station(emu, dir.path());
    ProgramResult ok = run_program(kBench, {"devices", "--station", good});
    BOOST_TEST_INFO("stdout: " << ok.out << "\nstderr: " << ok.err);
    BOOST_TEST(ok.exit_code == 0);
    BOOST_TEST(ok.out.find("Serial ports (libserialport)") != std::string::npos);
    BOOST_TEST(ok.out.find("USB devices (libusb)") != std::string::npos);
    BOOST_TEST(ok.out.find("BWC-DIAG W120 DEV1") != std::string::npos); // greeted, banner shown
    BOOST_TEST(ok.out.find("BWC-PHYS W120 DEV1") != std::string::npos);

    // A bay whose camera nobody serves is reported by name, and the exit says so.
    const std::string bad = dir.path() + "/bad.yaml";
    write_file(bad, "station: half-there\n"
                    "bays:\n"
                    "  - {bay: 1, camera: \"tcp://127.0.0.1:" +
                        std::to_string(emu.cameras()[0].diag) +
                        "\"}\n"
                        "  - {bay: 2, camera: \"tcp://127.0.0.1:" +
                        std::to_string(unused_port()) + "\"}\n");
    ProgramResult r = run_program(kBench, {"devices", "--station", bad});
    BOOST_TEST_INFO("stdout: " << r.out);
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.out.find("UNREACHABLE bay 2 camera") != std::string::npos);
    BOOST_TEST(r.out.find("1 of 2 endpoints reachable") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
