// The end-of-line radio step types (gnss.fix, lte.check, wifi.join) through
// the real binaries: `bench run procedures/examples/radios.yaml` on emulated
// stations (bwc-emu and bwc-fixtures as separate processes, virtual time).
// Each radio fault bwc-emu models is put into its own bay of an 8-bay run;
// it must fail exactly that bay, at the step and with the failure code the
// procedure gives, and the measurement that failed must be the one the fault
// acts on (read back from the results database). Good bays pass. The W100
// skips GNSS and LTE and must refuse a 5 GHz-only AP. Also: step arguments
// out of range are refused by `bench check`, and an RF shield box that sends
// a malformed status ends the step with an error naming it and quoting it.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kBench = BWC_BINARY_DIR "/bench/bench";
const std::string kRadios = BWC_SOURCE_DIR "/procedures/examples/radios.yaml";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

/// What one fault must do: fail its bay at `step` with `code`, the
/// measurement `measurement` (among others, maybe) failing.
struct Expected {
    std::string fault;
    std::string step;
    std::string code;
    std::string measurement;
};

/// A failing measurement of a run, from the results database.
struct Failed {
    std::string step;
    std::string name;
    json value; // number, text, bool or null
};

/// bay → the failing measurements of its final attempts.
std::map<int, std::vector<Failed>> failed_measurements(const std::string& results,
                                                       const std::string& run_id) {
    const ProgramResult q = run_program(
        "/usr/bin/sqlite3",
        {"-json", results + "/results.sqlite",
         "SELECT r.bay AS bay, s.step_id AS step, m.name AS name, m.value_type AS type, "
         "m.value_num AS num, m.value_text AS text, m.value_bool AS bool "
         "FROM records r JOIN steps s ON s.record_id = r.record_id "
         "JOIN measurements m ON m.step_row = s.step_row "
         "WHERE m.outcome = 'fail' AND s.final_attempt = 1 AND r.run_id = '" +
             run_id + "'"});
    BOOST_REQUIRE_MESSAGE(q.exit_code == 0, q.err);
    std::map<int, std::vector<Failed>> out;
    if (q.out.find('[') == std::string::npos)
        return out; // sqlite3 prints nothing for no rows
    for (const json& row : json::parse(q.out)) {
        const std::string type = row["type"];
        json value = type == "number" ? row["num"]
                     : type == "text" ? row["text"]
                     : type == "bool" ? json(row["bool"].get<int>() != 0)
                                      : json();
        out[row["bay"].get<int>()].push_back({row["step"], row["name"], value});
    }
    return out;
}

const Failed* find_failed(const std::vector<Failed>& list, const std::string& name) {
    for (const Failed& f : list)
        if (f.name == name)
            return &f;
    return nullptr;
}

struct Run {
    ProgramResult program;
    json summary;
    std::string results;
};

/// `bench run radios.yaml --emulate <model> --bays <n>` with bay i + 1 given faults[i] ("" = none).
Run run_radios(const TempDir& dir, const std::string& model, int bays,
               const std::vector<std::string>& faults) {
    Run run;
    run.results = dir.path() + "/results";
    std::vector<std::string> args{"run",        kRadios,
                                  "--emulate",  model,
                                  "--bays",     std::to_string(bays),
                                  "--results",  run.results,
                                  "--json",     dir.path() + "/summary.json",
                                  "--progress", "plain"};
    for (std::size_t i = 0; i < faults.size(); ++i)
        if (!faults[i].empty()) {
            args.push_back("--fault");
            args.push_back(std::to_string(i + 1) + ":" + faults[i]);
        }
    run.program = run_program(kBench, args);
    run.summary = json::parse(slurp(dir.path() + "/summary.json"));
    return run;
}

const json* bay_of(const json& summary, int bay) {
    for (const json& b : summary["bays"])
        if (b["bay"] == bay)
            return &b;
    return nullptr;
}

/// Every bay with an expectation fails exactly as expected; every other bay passes.
void check_bays(const Run& run, int bays, const std::map<int, Expected>& expected) {
    BOOST_TEST_INFO("stdout: " << run.program.out << "\nstderr: " << run.program.err);
    BOOST_TEST(run.program.exit_code == (expected.empty() ? 0 : 1));
    const auto failed = failed_measurements(run.results, run.summary["run_id"]);
    for (int bay = 1; bay <= bays; ++bay) {
        const json* b = bay_of(run.summary, bay);
        BOOST_TEST_REQUIRE(b, "bay " << bay << " missing from the summary");
        const auto it = expected.find(bay);
        if (it == expected.end()) {
            BOOST_TEST((*b)["verdict"] == "pass", "bay " << bay << ": " << b->dump());
            continue;
        }
        const Expected& e = it->second;
        BOOST_TEST_CONTEXT("bay " << bay << " with " << e.fault << ": " << b->dump()) {
            BOOST_TEST((*b)["verdict"] == "fail");
            BOOST_TEST((*b)["first_failing_step"] == e.step);
            BOOST_TEST((*b)["failure_code"] == e.code);
            const auto f = failed.find(bay);
            BOOST_TEST_REQUIRE((f != failed.end()), "no failing measurement recorded");
            const Failed* m = find_failed(f->second, e.measurement);
            BOOST_TEST((m != nullptr), "measurement " << e.measurement << " did not fail");
            if (m)
                BOOST_TEST(m->step == e.step);
        }
    }
}

/// The value a bay's final attempt of `step` recorded for `name`.
json measured(const std::string& results, const std::string& run_id, int bay,
              const std::string& step, const std::string& name) {
    const ProgramResult q = run_program(
        "/usr/bin/sqlite3",
        {"-json", results + "/results.sqlite",
         "SELECT m.value_type AS type, m.value_num AS num, m.value_text AS text, "
         "m.value_bool AS bool FROM records r JOIN steps s ON s.record_id = r.record_id "
         "JOIN measurements m ON m.step_row = s.step_row WHERE r.run_id = '" +
             run_id + "' AND r.bay = " + std::to_string(bay) + " AND s.step_id = '" + step +
             "' AND s.final_attempt = 1 AND m.name = '" + name + "'"});
    BOOST_REQUIRE_MESSAGE(q.exit_code == 0, q.err);
    BOOST_REQUIRE_MESSAGE(q.out.find('[') != std::string::npos,
                          "bay " << bay << " recorded no " << step << "." << name);
    const json row = json::parse(q.out).at(0);
    const std::string type = row["type"];
    return type == "number" ? row["num"]
           : type == "text" ? row["text"]
           : type == "bool" ? json(row["bool"].get<int>() != 0)
                            : json();
}

// A valid IMEI (15 digits, Luhn check digit right) that is not the one the
// emulated units carry on their labels; the test checks both facts.
const std::string kOtherImei = "356938035643809";

} // namespace

BOOST_AUTO_TEST_SUITE(eol_radio_steps)

BOOST_AUTO_TEST_CASE(gnss_and_sim_faults_each_fail_their_own_w120_bay) {
    TempDir dir("eol-radio");
    const std::vector<std::string> faults{"gnss.no_fix",
                                          "gnss.offset_m=50",
                                          "gnss.cn0_drop_db=15",
                                          "modem.absent",
                                          "modem.imei=" + kOtherImei,
                                          "sim.absent",
                                          "sim.locked",
                                          ""};
    const Run run = run_radios(dir, "w120", 8, faults);
    check_bays(run, 8,
               {{1, {faults[0], "gnss-fix", "GNSS-01", "fix"}},
                {2, {faults[1], "gnss-fix", "GNSS-01", "error_m"}},
                {3, {faults[2], "gnss-fix", "GNSS-01", "best_cn0"}},
                {4, {faults[3], "lte", "LTE-01", "modem_answers"}},
                {5, {faults[4], "lte", "LTE-01", "imei"}},
                {6, {faults[5], "lte", "LTE-01", "sim"}},
                {7, {faults[6], "lte", "LTE-01", "sim"}}});
    const std::string run_id = run.summary["run_id"];
    // The measured values are those the faults cause.
    const json offset = measured(run.results, run_id, 2, "gnss-fix", "error_m");
    BOOST_TEST_REQUIRE(offset.is_number());
    BOOST_TEST(std::abs(offset.get<double>() - 50.0) < 1.0, offset);
    const double good_cn0 = measured(run.results, run_id, 8, "gnss-fix", "best_cn0").get<double>();
    const double weak_cn0 = measured(run.results, run_id, 3, "gnss-fix", "best_cn0").get<double>();
    BOOST_TEST(good_cn0 - weak_cn0 == 15.0);
    BOOST_TEST(measured(run.results, run_id, 1, "gnss-fix", "ttff_ms").is_null());
    const json imei = measured(run.results, run_id, 5, "lte", "imei");
    BOOST_TEST(imei == kOtherImei);
    BOOST_TEST(measured(run.results, run_id, 5, "lte", "imei_valid") == true);
    BOOST_TEST(measured(run.results, run_id, 8, "lte", "imei") != kOtherImei);
    BOOST_TEST(measured(run.results, run_id, 6, "lte", "sim") == "absent");
    BOOST_TEST(measured(run.results, run_id, 7, "lte", "sim") == "SIM PUK");
    // The good bay registered on the cell and read the APN back.
    BOOST_TEST(measured(run.results, run_id, 8, "lte", "registration") == "home");
    BOOST_TEST(measured(run.results, run_id, 8, "lte", "apn") == "internet");
}

BOOST_AUTO_TEST_CASE(signal_and_wifi_faults_each_fail_their_own_w120_bay) {
    TempDir dir("eol-radio");
    const std::vector<std::string> faults{"modem.rssi_drop_db=30",
                                          "wifi.dead",
                                          "wifi.band=5",
                                          "wifi.rssi_drop_db=30",
                                          "wifi.wpa2_fail",
                                          "",
                                          "",
                                          ""};
    const Run run = run_radios(dir, "w120", 8, faults);
    check_bays(run, 8,
               {{1, {faults[0], "lte", "LTE-01", "rsrp_dbm"}},
                {2, {faults[1], "wifi-ch1", "WIFI-CH1", "associated"}},
                {3, {faults[2], "wifi-ch1", "WIFI-CH1", "associated"}},
                {4, {faults[3], "wifi-ch1", "WIFI-CH1", "rssi_dbm"}},
                {5, {faults[4], "wifi-ch1", "WIFI-CH1", "associated"}}});
    const std::string run_id = run.summary["run_id"];
    // 30 dB less than a good unit hears, on both scales (CSQ bottoms out at -113).
    const double good_rsrp = measured(run.results, run_id, 6, "lte", "rsrp_dbm").get<double>();
    BOOST_TEST(measured(run.results, run_id, 1, "lte", "rsrp_dbm").get<double>() ==
               good_rsrp - 30.0);
    const double good_wifi = measured(run.results, run_id, 6, "wifi-ch1", "rssi_dbm").get<double>();
    BOOST_TEST(measured(run.results, run_id, 4, "wifi-ch1", "rssi_dbm").get<double>() ==
               good_wifi - 30.0);
    const std::string wpa2 = measured(run.results, run_id, 5, "wifi-ch1", "reason");
    BOOST_TEST(wpa2.find("authentication") != std::string::npos, wpa2);
    // Good units joined every channel, each on its own channel, and 5 GHz.
    for (int ch : {1, 6, 11, 13})
        BOOST_TEST(measured(run.results, run_id, 7, "wifi-ch" + std::to_string(ch), "channel") ==
                   static_cast<double>(ch));
    BOOST_TEST(measured(run.results, run_id, 8, "wifi-5g", "band") == "5");
}

BOOST_AUTO_TEST_CASE(w100_skips_gnss_and_lte_refuses_5ghz_and_fails_a_5ghz_only_radio) {
    TempDir dir("eol-radio");
    const Run run = run_radios(dir, "w100", 2, {"", "wifi.band=5"});
    check_bays(run, 2, {{2, {"wifi.band=5", "wifi-ch1", "WIFI-CH1", "associated"}}});
    const std::string run_id = run.summary["run_id"];
    BOOST_TEST(measured(run.results, run_id, 1, "wifi-5g-refused", "associated") == false);
    // The W100 has no GNSS and no modem: its plan leaves those steps out
    // (variants: skip), and the W120's 5 GHz join is replaced by the refusal.
    const ProgramResult steps = run_program(
        "/usr/bin/sqlite3",
        {run.results + "/results.sqlite",
         "SELECT s.step_id FROM records r JOIN steps s ON s.record_id = r.record_id WHERE r.bay "
         "= 1 ORDER BY s.position"});
    BOOST_TEST(steps.out == "power-on\nundock\nidentify\nwifi-ch1\nwifi-ch6\nwifi-ch11\n"
                            "wifi-ch13\nwifi-5g-refused\nreseat\n",
               steps.out << steps.err);
}

BOOST_AUTO_TEST_CASE(bench_check_refuses_radio_arguments_out_of_range) {
    TempDir dir("eol-radio");
    const std::string proc = dir.path() + "/bad.yaml";
    write_file(proc, "procedure: bad-radios\nversion: 1.0.0\nproducts: [camera]\nmodels: [W120]\n"
                     "main:\n"
                     "  - {id: g, type: gnss.fix, args: {lat: 91, sats: 13}}\n"
                     "  - {id: l, type: lte.check, args: {plmn: \"2400\", level_dbm: -10}}\n"
                     "  - {id: w, type: wifi.join, args: {ssid: AP, psk: short, channel: 40}}\n");
    const ProgramResult r = run_program(kBench, {"check", proc});
    BOOST_TEST(r.exit_code == 2, r.out << r.err);
    const std::string all = r.out + r.err;
    for (const char* expected :
         {"argument 'lat' must be -90..90, not 91", "argument 'sats' must be 0..12, not 13",
          "argument 'plmn' must be 5 or 6 digits", "argument 'level_dbm' must be -140..-20",
          "argument 'psk' does not fit security wpa2", "argument 'channel' 40 is not a 2.4 GHz"})
        BOOST_TEST(all.find(expected) != std::string::npos, expected << " not in\n" << all);
    // And the example procedure itself is clean.
    const ProgramResult ok = run_program(kBench, {"check", kRadios});
    BOOST_TEST(ok.exit_code == 0, ok.out << ok.err);
}

// An RF shield box that greets properly but answers every command with a
// status lacking its fields: the Wi-Fi step ends as an error naming the box
// and quoting what it sent; the bench exits 3 (station error), not a crash
// and not a verdict on the unit.
BOOST_AUTO_TEST_CASE(a_malformed_shield_box_reply_ends_the_step_with_a_clear_error) {
    TempDir dir("eol-radio");
    EmuProcess emu({"--camera", "model=w120,serial=SN-R1"});
    const CameraPorts& c = emu.cameras().at(0);

    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_TEST_REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    ::listen(listener, 4);
    const int port = ntohs(addr.sin_port);
    std::atomic<bool> done{false};
    std::thread fake([&] {
        while (!done) {
            const int fd = ::accept(listener, nullptr, nullptr);
            if (fd < 0)
                return;
            const std::string banner = "BWC-RF 1 model=FAKE serial=RF9\n";
            (void)!::write(fd, banner.data(), banner.size());
            std::string buf;
            char chunk[512];
            ssize_t n;
            while ((n = ::read(fd, chunk, sizeof chunk)) > 0) {
                buf.append(chunk, static_cast<std::size_t>(n));
                for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
                    const std::string line = buf.substr(0, nl);
                    buf.erase(0, nl + 1);
                    const std::string reply = line.rfind("HELLO", 0) == 0 ? "OK BWC-RF 1\n"
                                              : line == "PING"            ? "OK PONG\n"
                                                               : "OK aps=many lte=maybe\n";
                    (void)!::write(fd, reply.data(), reply.size());
                }
            }
            ::close(fd);
        }
    });

    const std::string station = dir.path() + "/station.yaml";
    write_file(station, "station: fake-rf\n"
                        "fixtures:\n"
                        "  rfbox: tcp://127.0.0.1:" +
                            std::to_string(port) +
                            "\n"
                            "bays:\n"
                            "  - bay: 1\n"
                            "    camera: tcp://127.0.0.1:" +
                            std::to_string(c.diag) +
                            "\n"
                            "    physical: tcp://127.0.0.1:" +
                            std::to_string(c.physical) + "\n");
    const std::string proc = dir.path() + "/join.yaml";
    write_file(proc, "procedure: join\nversion: 1.0.0\nproducts: [camera]\nmodels: [W120]\n"
                     "main:\n"
                     "  - id: join\n"
                     "    type: wifi.join\n"
                     "    args: {ssid: AP1, psk: \"12345678\"}\n"
                     "    failure_code: WIFI-X\n");
    const ProgramResult r = run_program(kBench, {"run", proc, "--station", station, "--results",
                                                 dir.path() + "/results", "--progress", "plain",
                                                 "--json", dir.path() + "/summary.json"});
    done = true;
    ::shutdown(listener, SHUT_RDWR);
    ::close(listener);
    fake.join();
    BOOST_TEST(r.exit_code == 3, r.out << r.err);
    const json summary = json::parse(slurp(dir.path() + "/summary.json"));
    const json& bay = summary["bays"][0];
    BOOST_TEST(bay["verdict"] == "error");
    BOOST_TEST(bay["first_failing_step"] == "join");
    const std::string cause = bay["cause"];
    BOOST_TEST(cause.find("BWC-RF FAKE RF9") != std::string::npos, cause);
    BOOST_TEST(cause.find("aps=many") != std::string::npos, cause);
}

BOOST_AUTO_TEST_SUITE_END()
