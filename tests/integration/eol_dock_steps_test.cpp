// The end-of-line step types that go through the dock — offload.rate,
// storage.health, final.shipping, dock.bay, dock.led — through the real
// `bench run` on emulated stations (bwc-emu, bwc-fixtures as processes):
// good bays pass; each injected fault fails exactly its bay at the step that
// should catch it, with its failure code and the measurement that shows it;
// several faults in one 8-bay run; and the offload's hash check fails when
// the bytes that crossed the dock are not the ones recorded (a proxy in front
// of the real dock changes the SHA-256 it sends), naming the dock and
// quoting what it sent.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kBench = BWC_BINARY_DIR "/bench/bench";
const std::string kOffload = BWC_SOURCE_DIR "/procedures/examples/offload.yaml";
const std::string kDockBays = BWC_SOURCE_DIR "/procedures/examples/dock-bays.yaml";

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
}

/// `bench run <procedure> --emulate <model> --bays N [--fault …]`; the summary.
json run_emulated(const TempDir& dir, const std::string& procedure, const std::string& model,
                  int bays, const std::vector<std::string>& faults, int expected_exit) {
    std::vector<std::string> args{"run",        procedure,
                                  "--emulate",  model,
                                  "--bays",     std::to_string(bays),
                                  "--results",  dir.path() + "/results",
                                  "--json",     dir.path() + "/summary.json",
                                  "--progress", "quiet"};
    for (const std::string& f : faults) {
        args.push_back("--fault");
        args.push_back(f);
    }
    const ProgramResult r = run_program(kBench, args);
    BOOST_TEST_INFO("stdout: " << r.out << "\nstderr: " << r.err);
    BOOST_TEST_REQUIRE(r.exit_code == expected_exit);
    const json s = json::parse(slurp(dir.path() + "/summary.json"));
    BOOST_TEST_REQUIRE(s["bays"].size() == static_cast<std::size_t>(bays));
    return s;
}

const json& bay_of(const json& summary, int bay) {
    for (const json& b : summary["bays"])
        if (b["bay"] == bay)
            return b;
    throw std::runtime_error("no bay " + std::to_string(bay) + " in the summary");
}

/// The final attempt of step `id` in the bay's journal.
json step_of(const std::string& results, const json& bay, const std::string& id) {
    std::istringstream lines(
        slurp(results + "/journal/" + bay["record_id"].get<std::string>() + ".jsonl"));
    json found;
    for (std::string line; std::getline(lines, line);) {
        const json j = json::parse(line);
        if (j["type"] == "step" && j["id"] == id && j["final"] == true)
            found = j;
    }
    BOOST_TEST_REQUIRE(!found.is_null(), "no step " << id << " in " << bay["record_id"]);
    return found;
}

const json& measurement(const json& step, const std::string& name) {
    for (const json& m : step["measurements"])
        if (m["name"] == name)
            return m;
    throw std::runtime_error("step " + step["id"].get<std::string>() + " has no measurement " +
                             name);
}

/// Every bay passes, except those in `failing` (bay → {step, failure code}).
void expect_verdicts(const json& summary,
                     const std::map<int, std::pair<std::string, std::string>>& failing) {
    for (const json& b : summary["bays"]) {
        const int bay = b["bay"];
        auto it = failing.find(bay);
        if (it == failing.end()) {
            BOOST_TEST(b["verdict"] == "pass", "bay " << bay << ": " << b.dump());
            continue;
        }
        BOOST_TEST(b["verdict"] == "fail", "bay " << bay << ": " << b.dump());
        BOOST_TEST(b["first_failing_step"] == it->second.first, "bay " << bay << ": " << b.dump());
        BOOST_TEST(b["failure_code"] == it->second.second, "bay " << bay << ": " << b.dump());
    }
}

/// A TCP relay to a real dock port that changes the sha256 of every OFFLOAD
/// reply that moved bytes (its first hex digit), so the bench is told a hash
/// that the bytes it can recompute do not have. One client at a time.
class TamperingDock {
public:
    explicit TamperingDock(int upstream_port) : upstream_(upstream_port) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
            throw std::runtime_error("tampering dock: bind failed");
        socklen_t len = sizeof addr;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
        ::listen(listener_, 4);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~TamperingDock() {
        done_ = true;
        ::shutdown(listener_, SHUT_RDWR);
        ::close(listener_);
        thread_.join();
    }
    int port() const { return port_; }
    /// The sha256 values it sent in place of the dock's.
    std::vector<std::string> forged() {
        std::lock_guard lock(mutex_);
        return forged_;
    }

private:
    std::string tamper(const std::string& line) {
        const auto at = line.find(" sha256=");
        if (line.rfind("OK bay=", 0) != 0 || at == std::string::npos ||
            line.find(" bytes=0 ") != std::string::npos)
            return line;
        std::string out = line;
        char& first = out[at + 8];
        first = first == '0' ? '1' : '0';
        std::lock_guard lock(mutex_);
        forged_.push_back(out.substr(at + 8, 64));
        return out;
    }
    void serve() {
        while (!done_) {
            const int client = ::accept(listener_, nullptr, nullptr);
            if (client < 0)
                return;
            const int dock = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            addr.sin_port = htons(static_cast<std::uint16_t>(upstream_));
            if (::connect(dock, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
                ::close(client);
                ::close(dock);
                continue;
            }
            relay(client, dock);
            ::close(client);
            ::close(dock);
        }
    }
    void relay(int client, int dock) {
        std::string from_dock;
        char buf[4096];
        while (!done_) {
            pollfd fds[2] = {{client, POLLIN, 0}, {dock, POLLIN, 0}};
            if (::poll(fds, 2, 50) < 0)
                return;
            if (fds[0].revents) {
                const ssize_t n = ::read(client, buf, sizeof buf);
                if (n <= 0 || ::write(dock, buf, static_cast<std::size_t>(n)) != n)
                    return;
            }
            if (fds[1].revents) {
                const ssize_t n = ::read(dock, buf, sizeof buf);
                if (n <= 0)
                    return;
                from_dock.append(buf, static_cast<std::size_t>(n));
                for (auto nl = from_dock.find('\n'); nl != std::string::npos;
                     nl = from_dock.find('\n')) {
                    const std::string line = tamper(from_dock.substr(0, nl)) + "\n";
                    from_dock.erase(0, nl + 1);
                    if (::write(client, line.data(), line.size()) !=
                        static_cast<ssize_t>(line.size()))
                        return;
                }
            }
        }
    }

    int upstream_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> done_{false};
    std::mutex mutex_;
    std::vector<std::string> forged_;
    std::thread thread_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(eol_dock_steps)

BOOST_AUTO_TEST_CASE(eight_good_w120_bays_pass_storage_offload_and_shipping) {
    TempDir dir("eol-offload");
    const json s = run_emulated(dir, kOffload, "w120", 8, {}, 0);
    expect_verdicts(s, {});
    for (const json& b : s["bays"]) {
        const json off = step_of(dir.path() + "/results", b, "offload");
        // The payload was recorded, moved whole and verified; the rate is the
        // bay link's (35 MB/s = 280 Mbit/s), not an eighth of the uplink.
        BOOST_TEST(measurement(off, "bytes")["value"].get<double>() >= 16e6);
        BOOST_TEST(measurement(off, "hash_ok")["value"] == true);
        BOOST_TEST(measurement(off, "rate_mbit_s")["value"].get<double>() > 192.0);
        BOOST_TEST(measurement(off, "recorded_ms")["value"].get<double>() > 0.0);
        const json ship = step_of(dir.path() + "/results", b, "ship");
        BOOST_TEST(measurement(ship, "shipping")["value"] == true);
        const json sto = step_of(dir.path() + "/results", b, "storage");
        BOOST_TEST(measurement(sto, "error")["value"] == false);
    }
}

BOOST_AUTO_TEST_CASE(two_good_w100_bays_pass) {
    TempDir dir("eol-offload-w100");
    const json s = run_emulated(dir, kOffload, "w100", 2, {}, 0);
    expect_verdicts(s, {});
}

// storage.error is caught by storage.health (STO-01); slow storage passes
// storage.health and is caught by the offload rate (OFF-01) at the rate the
// fault gives; the other six bays of the same run pass.
BOOST_AUTO_TEST_CASE(storage_faults_fail_exactly_their_bays_in_one_run) {
    TempDir dir("eol-offload-faults");
    const json s =
        run_emulated(dir, kOffload, "w120", 8, {"2:storage.error", "5:storage.slow_mbps=100"}, 1);
    expect_verdicts(s, {{2, {"storage", "STO-01"}}, {5, {"offload", "OFF-01"}}});
    const std::string results = dir.path() + "/results";
    const json sto = step_of(results, bay_of(s, 2), "storage");
    BOOST_TEST(measurement(sto, "error")["value"] == true);
    BOOST_TEST(measurement(sto, "error")["outcome"] == "fail");
    const json off = step_of(results, bay_of(s, 5), "offload");
    const json& rate = measurement(off, "rate_mbit_s");
    BOOST_TEST(rate["outcome"] == "fail");
    BOOST_TEST(rate["value"].get<double>() == 100.0, boost::test_tools::tolerance(0.02));
    // Slow, but every byte still arrived and was verified.
    BOOST_TEST(measurement(off, "hash_ok")["value"] == true);
    BOOST_TEST(measurement(off, "bytes")["outcome"] == "pass");
    // A bay after the slow one still gets its own link rate: nothing was left pending.
    const json good = step_of(results, bay_of(s, 6), "offload");
    BOOST_TEST(measurement(good, "rate_mbit_s")["value"].get<double>() > 192.0);
}

BOOST_AUTO_TEST_CASE(eight_good_dock_bays_pass) {
    TempDir dir("eol-dock");
    const json s = run_emulated(dir, kDockBays, "w120", 8, {}, 0);
    expect_verdicts(s, {});
    const json c = step_of(dir.path() + "/results", bay_of(s, 4), "contacts");
    BOOST_TEST(measurement(c, "gnd_mohm")["value"].get<double>() <= 100.0);
    BOOST_TEST(measurement(c, "charge_ma")["value"].get<double>() >= 500.0);
    const json led = step_of(dir.path() + "/results", bay_of(s, 4), "led");
    BOOST_TEST(measurement(led, "led")["value"] == "green");
}

// A worn GND contact (250 mΩ > 100 mΩ) and a sagging supply (4.5 V < 4.75 V)
// in two bays of one run; the others pass.
BOOST_AUTO_TEST_CASE(dock_faults_fail_exactly_their_bays_in_one_run) {
    TempDir dir("eol-dock-faults");
    const json s = run_emulated(dir, kDockBays, "w120", 8,
                                {"3:dock.pin.gnd.resistance_mohm=250", "6:dock.vbus_mv=4500"}, 1);
    expect_verdicts(s, {{3, {"contacts", "DOCK-BAY-3"}}, {6, {"contacts", "DOCK-BAY-6"}}});
    const std::string results = dir.path() + "/results";
    const json pin = step_of(results, bay_of(s, 3), "contacts");
    BOOST_TEST(measurement(pin, "gnd_mohm")["value"].get<double>() == 250.0);
    BOOST_TEST(measurement(pin, "gnd_mohm")["outcome"] == "fail");
    BOOST_TEST(measurement(pin, "vbus_mohm")["outcome"] == "pass");
    const json vbus = step_of(results, bay_of(s, 6), "contacts");
    BOOST_TEST(measurement(vbus, "vbus_mv")["outcome"] == "fail");
    BOOST_TEST(measurement(vbus, "vbus_mv")["value"].get<double>() < 4750.0);
    for (const char* p : {"vbus_mohm", "gnd_mohm", "dp_mohm", "dm_mohm", "id_mohm"})
        BOOST_TEST(measurement(vbus, p)["outcome"] == "pass", p);
}

// The supply cut of dock.led: on a one-bay W700 the LED goes off without
// power and the supply comes back; with a camera in another bay it is refused.
BOOST_AUTO_TEST_CASE(dock_led_power_cycle_only_with_the_other_bays_empty) {
    TempDir dir("eol-dock-led");
    const std::string proc = dir.path() + "/led.yaml";
    write_file(proc, "procedure: led-cycle\nversion: 1.0.0\nproducts: [camera]\n"
                     "models: [W120]\nmain:\n"
                     "  - id: led\n    type: dock.led\n    args: {power_cycle: true}\n"
                     "    measurements:\n"
                     "      - {name: led, equals: green}\n"
                     "      - {name: power, equals: true}\n"
                     "      - {name: led_unpowered, equals: \"off\"}\n"
                     "  - id: again\n    type: dock.led\n"
                     "    measurements: [{name: power, equals: true}]\n"
                     "    failure_code: LED-AGAIN\n");
    const json one = run_emulated(dir, proc, "w120", 1, {}, 0);
    expect_verdicts(one, {});

    TempDir dir2("eol-dock-led2");
    const json two = run_emulated(dir2, proc, "w120", 2, {}, 3);
    for (const json& b : two["bays"]) {
        BOOST_TEST(b["verdict"] == "error", b.dump());
        BOOST_TEST(b["first_failing_step"] == "led");
        const std::string cause = b["cause"];
        BOOST_TEST(cause.find("power_cycle would take VBUS") != std::string::npos, cause);
        BOOST_TEST(cause.find("BWC-DOCK W701") != std::string::npos, cause);
    }
}

// The bytes that crossed the dock are not the recorded ones: the step ends
// as an error naming the dock, quoting the hash it sent and the reply.
BOOST_AUTO_TEST_CASE(a_hash_that_does_not_match_the_bytes_fails_the_offload) {
    TempDir dir("eol-offload-hash");
    EmuProcess emu(
        {"--camera", "model=w120,serial=SN-H1", "--dock", "model=w700,serial=DH1,bays=SN-H1"});
    const int dock_port = emu.dock_port("DH1");
    {
        LineClient dock(dock_port);
        dock.hello();
        BOOST_TEST_REQUIRE(dock.command("INSERT 1").rfind("OK", 0) == 0u);
    }
    TamperingDock proxy(dock_port);
    const CameraPorts& c = emu.cameras().at(0);
    const std::string station = dir.path() + "/station.yaml";
    write_file(station, "station: hash-test\n"
                        "dock: {model: W700, serial: DH1, uri: \"tcp://127.0.0.1:" +
                            std::to_string(proxy.port()) +
                            "\"}\n"
                            "bays:\n"
                            "  - bay: 1\n"
                            "    camera: tcp://127.0.0.1:" +
                            std::to_string(c.diag) +
                            "\n"
                            "    physical: tcp://127.0.0.1:" +
                            std::to_string(c.physical) + "\n");
    const std::string proc = dir.path() + "/offload.yaml";
    write_file(proc, "procedure: hash\nversion: 1.0.0\nproducts: [camera]\nmodels: [W120]\n"
                     "main:\n"
                     "  - id: offload\n    type: offload.rate\n    args: {payload_bytes: 2000000}\n"
                     "    measurements: [{name: hash_ok, equals: true}]\n"
                     "    failure_code: OFF-02\n");
    const ProgramResult r = run_program(kBench, {"run", proc, "--station", station, "--results",
                                                 dir.path() + "/results", "--progress", "quiet",
                                                 "--json", dir.path() + "/summary.json"});
    BOOST_TEST_INFO("stdout: " << r.out << "\nstderr: " << r.err);
    BOOST_TEST(r.exit_code == 3);
    const json s = json::parse(slurp(dir.path() + "/summary.json"));
    const json& bay = s["bays"].at(0);
    BOOST_TEST(bay["verdict"] == "error");
    BOOST_TEST(bay["first_failing_step"] == "offload");
    BOOST_TEST(bay["failure_code"] == "OFF-02");
    const std::vector<std::string> forged = proxy.forged();
    BOOST_TEST_REQUIRE(forged.size() == 1u); // the first transfer with bytes is refused
    const std::string cause = bay["cause"];
    BOOST_TEST_MESSAGE("the offload's cause: " << cause);
    BOOST_TEST(cause.find("BWC-DOCK W700 DH1") != std::string::npos, cause);
    BOOST_TEST(cause.find("sha256=" + forged.front()) != std::string::npos, cause);
    BOOST_TEST(cause.find("(reply 'bay=1 bytes=") != std::string::npos, cause);
    BOOST_TEST(cause.find("hash to ") != std::string::npos, cause);
}

BOOST_AUTO_TEST_SUITE_END()
