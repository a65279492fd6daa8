// Issue 5 end to end, through the real binaries: `bench emulate` brings up an
// 8-bay station with every fixture (bwc-emu and bwc-fixtures as separate
// processes) and writes a station file that `bench check` and `bench
// devices` accept; the station is calibrated as it comes up, and a station
// whose vision calibration has expired refuses to run, naming the record and
// its expiry; a vision procedure reads every LED through the calibration and
// keeps its frames as evidence whose hashes match the files; the golden-unit
// check passes on good units; a vision fixture that sends malformed replies
// ends the step with a clear error, never a crash.
#include "emu_process.hpp"
#include "run_program.hpp"

#include <arpa/inet.h>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "firmware/core/sha256.hpp"

using namespace bwc::test;
using nlohmann::json;

namespace {

const std::string kBench = BWC_BINARY_DIR "/bench/bench";
const std::string kVision = BWC_SOURCE_DIR "/procedures/examples/vision.yaml";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

/// `bench emulate` running in the background until the test ends.
class EmulatedStationProcess {
public:
    EmulatedStationProcess(const std::string& dir, int bays)
        : station_file_(dir + "/station.yaml"),
          bench_(kBench,
                 {"emulate", "--model", "w120", "--bays", std::to_string(bays), "--station-file",
                  station_file_, "--work-dir", dir + "/emulator"},
                 dir) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
        while (!std::filesystem::exists(station_file_)) {
            if (!bench_.running()) {
                const std::string err = bench_.wait().err;
                BOOST_FAIL("bench emulate ended before writing its station file: " << err);
            }
            BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline,
                                  "bench emulate wrote no station file in 90 s");
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    const std::string& station_file() const { return station_file_; }
    ProgramResult stop() {
        bench_.signal(SIGTERM);
        return bench_.wait();
    }

private:
    std::string station_file_;
    BackgroundProgram bench_;
};

std::string calibration_path_of(const std::string& station_yaml) {
    const std::string text = slurp(station_yaml);
    const auto at = text.find("calibration: \"");
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no calibration line in\n" << text);
    const auto start = at + 14;
    return text.substr(start, text.find('"', start) - start);
}

} // namespace

BOOST_AUTO_TEST_SUITE(bench_emulated_station)

BOOST_AUTO_TEST_CASE(one_command_starts_eight_bays_with_every_fixture) {
    TempDir dir("bwc-station");
    EmulatedStationProcess station(dir.path(), 8);

    const ProgramResult check = run_program(kBench, {"check", station.station_file()});
    BOOST_TEST(check.exit_code == 0, check.out << check.err);
    // Per bay an actuator, a PSU and a vision camera; four shared instruments.
    BOOST_TEST(check.out.find("8 bays, 28 fixtures") != std::string::npos, check.out);

    const ProgramResult devices =
        run_program(kBench, {"devices", "--station", station.station_file()});
    BOOST_TEST(devices.exit_code == 0, devices.out << devices.err);
    // 8 × (camera, physical, NMEA, 3 fixtures) + dock + 4 shared fixtures.
    BOOST_TEST(devices.out.find("53 of 53 endpoints reachable") != std::string::npos, devices.out);
    for (const char* kind : {"thermal", "gnss", "rfbox", "bayinst", "bay 8 fixture vision",
                             "bay 8 fixture actuator", "bay 8 fixture psu"})
        BOOST_TEST(devices.out.find(kind) != std::string::npos, kind);

    // Calibrated as it came up: vision (2 records) + actuator + contacts per bay, thermal once.
    const json book = json::parse(slurp(calibration_path_of(station.station_file())));
    BOOST_TEST(book["records"].size() == 8u * 4u + 1u);

    const ProgramResult stopped = station.stop();
    BOOST_TEST(stopped.exit_code == 0, stopped.err);
}

BOOST_AUTO_TEST_CASE(expired_vision_calibration_refuses_the_run_until_recalibrated) {
    TempDir dir("bwc-station");
    EmulatedStationProcess station(dir.path(), 2);
    const std::string cal = calibration_path_of(station.station_file());

    // Age bay 2's colour reference: performed and expired a year ago.
    json book = json::parse(slurp(cal));
    std::string expired_id;
    for (json& r : book["records"])
        if (r["kind"] == "vision.colour" && r["bay"] == 2) {
            r["performed"] = "2025-10-01T08:00:00Z";
            r["expires"] = "2025-10-08T08:00:00Z";
            expired_id = r["id"];
        }
    BOOST_TEST_REQUIRE(!expired_id.empty());
    write_file(cal, book.dump(2));

    const std::string results = dir.path() + "/results";
    ProgramResult refused =
        run_program(kBench, {"run", kVision, "--station", station.station_file(), "--results",
                             results, "--progress", "plain"});
    BOOST_TEST(refused.exit_code == 3, refused.out << refused.err);
    BOOST_TEST(refused.err.find("calibration 'vision.colour' of bay 2") != std::string::npos,
               refused.err);
    BOOST_TEST(refused.err.find("record '" + expired_id + "'") != std::string::npos, refused.err);
    BOOST_TEST(refused.err.find("expired 2025-10-08T08:00:00Z") != std::string::npos, refused.err);
    BOOST_TEST(refused.err.find("bench calibrate vision") != std::string::npos, refused.err);
    // Nothing ran: no record was opened.
    const ProgramResult none = run_program(
        "/usr/bin/sqlite3", {results + "/results.sqlite", "SELECT count(*) FROM records"});
    BOOST_TEST(none.out == "0\n", none.out << none.err);

    // Recalibrating bay 2's vision adds fresh records; the run then starts and passes.
    const ProgramResult cal2 =
        run_program(kBench, {"calibrate", "vision", "--station", station.station_file(), "--bay",
                             "2", "--operator", "t.tester"});
    BOOST_TEST(cal2.exit_code == 0, cal2.out << cal2.err);
    BOOST_TEST(cal2.out.find("2 record(s) added") != std::string::npos, cal2.out);
    const ProgramResult ran =
        run_program(kBench, {"run", kVision, "--station", station.station_file(), "--results",
                             results, "--progress", "plain"});
    BOOST_TEST(ran.exit_code == 0, ran.out << ran.err);

    // The frames each verdict rests on are kept, and their hashes match the files.
    const ProgramResult rows_json =
        run_program("/usr/bin/sqlite3", {"-json", results + "/results.sqlite",
                                         "SELECT step_id, path, sha256 FROM evidence"});
    BOOST_TEST_REQUIRE(rows_json.exit_code == 0, rows_json.err);
    BOOST_TEST_REQUIRE(!rows_json.out.empty(), "no evidence rows");
    const json evidence = json::parse(rows_json.out);
    const std::size_t rows = evidence.size();
    for (const json& row : evidence) {
        const std::string path = row["path"];
        const std::string bytes = slurp(path);
        BOOST_TEST_REQUIRE(!bytes.empty(), path);
        bwc::fw::Sha256 h;
        h.update(bytes);
        BOOST_TEST(h.hex_digest() == row["sha256"].get<std::string>(), path);
        BOOST_TEST(bytes.substr(1, 3) == "PNG", path);
    }
    // 2 bays × (3 colours + status LED + display + teardown) frames.
    BOOST_TEST(rows == 2u * 6u);

    const ProgramResult golden =
        run_program(kBench, {"calibrate", "golden", "--station", station.station_file()});
    BOOST_TEST(golden.exit_code == 0, golden.out << golden.err);
    BOOST_TEST(golden.out.find("FAIL") == std::string::npos, golden.out);
    station.stop();
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bench_fixture_faults)

// A vision fixture whose control port greets properly but answers CAPTURE
// with nonsense: the step ends as an error naming the instrument and what it
// sent; the run goes on to its teardown and the bench exits 3, not a crash.
BOOST_AUTO_TEST_CASE(a_malformed_fixture_reply_ends_the_step_with_a_clear_error) {
    TempDir dir("bwc-fixture-fault");
    EmuProcess emu({"--camera", "model=w120,serial=SN-F1"});
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
        // One client at a time: banner, then "OK" to HELLO and garbage to the rest.
        while (!done) {
            const int fd = ::accept(listener, nullptr, nullptr);
            if (fd < 0)
                return;
            const std::string banner = "BWC-VISION 1 model=FAKE serial=VF1\n";
            (void)!::write(fd, banner.data(), banner.size());
            std::string buf;
            char chunk[512];
            ssize_t n;
            while ((n = ::read(fd, chunk, sizeof chunk)) > 0) {
                buf.append(chunk, static_cast<std::size_t>(n));
                for (auto nl = buf.find('\n'); nl != std::string::npos; nl = buf.find('\n')) {
                    const std::string line = buf.substr(0, nl);
                    buf.erase(0, nl + 1);
                    const std::string reply = line.rfind("HELLO", 0) == 0
                                                  ? "OK BWC-VISION 1\n"
                                                  : "OK frames=lots first_ms=\x01 last_ms=\n";
                    (void)!::write(fd, reply.data(), reply.size());
                }
            }
            ::close(fd);
        }
    });

    // Its calibration is real (the emulated nest, registered from a render).
    const std::string station = dir.path() + "/station.yaml";
    const std::string cal = dir.path() + "/cal.json";
    write_file(cal, R"({"schema": 1, "station": "fake", "records": [
      {"id": "R1", "kind": "vision.registration", "bay": 1, "operator": "t", "instruments": ["x"],
       "performed": "2026-01-01T00:00:00Z", "expires": "2099-01-01T00:00:00Z",
       "data": {"model": "W120", "face_to_image": [[7.5,0,37.8],[0,7.5,21.0],[0,0,1]],
                "image_width": 1280, "image_height": 720, "marker_ids": [4,5,6,7],
                "reprojection_error_px": 0.1, "source": "calibration"}},
      {"id": "C1", "kind": "vision.colour", "bay": 1, "operator": "t", "instruments": ["x"],
       "performed": "2026-01-01T00:00:00Z", "expires": "2099-01-01T00:00:00Z",
       "data": {"gain_bgr": [1, 1, 1], "exposure_ev": 0, "noise_sigma": 0,
                "white_bgr": [235, 235, 235], "grey_bgr": [48, 48, 48],
                "gain_from_white": [true, true, true], "source": "calibration"}}]})");
    write_file(station, "station: fake\n"
                        "calibration: cal.json\n"
                        "bays:\n"
                        "  - bay: 1\n"
                        "    camera: tcp://127.0.0.1:" +
                            std::to_string(c.diag) +
                            "\n"
                            "    physical: tcp://127.0.0.1:" +
                            std::to_string(c.physical) +
                            "\n"
                            "    fixtures:\n"
                            "      vision:\n"
                            "        uri: tcp://127.0.0.1:" +
                            std::to_string(port) +
                            "\n"
                            "        pipeline: \"videotestsrc ! video/x-raw,width=320,height=240 "
                            "! videoconvert ! video/x-raw,format=BGR ! appsink name=frames\"\n");
    const std::string proc = dir.path() + "/look.yaml";
    write_file(proc, "procedure: look\nversion: 1.0.0\nproducts: [camera]\nmodels: [W120]\n"
                     "main:\n"
                     "  - id: look\n"
                     "    type: vision.led\n"
                     "    args: {led: status_led}\n");
    const ProgramResult r = run_program(
        kBench, {"run", proc, "--station", station, "--results", dir.path() + "/results",
                 "--progress", "plain", "--json", dir.path() + "/summary.json"});
    done = true;
    ::shutdown(listener, SHUT_RDWR);
    ::close(listener);
    fake.join();
    BOOST_TEST(r.exit_code == 3, r.out << r.err);
    const json summary = json::parse(slurp(dir.path() + "/summary.json"));
    const json& bay = summary["bays"][0];
    BOOST_TEST(bay["verdict"] == "error");
    BOOST_TEST(bay["first_failing_step"] == "look");
    const std::string cause = bay["cause"];
    BOOST_TEST(cause.find("BWC-VISION FAKE VF1") != std::string::npos, cause);
    BOOST_TEST(cause.find("frames") != std::string::npos, cause);
}

BOOST_AUTO_TEST_SUITE_END()
