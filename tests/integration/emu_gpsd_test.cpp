// The real gpsd, started against an emulated camera's NMEA port
// (tcp://127.0.0.1:<port>), must report a 3D fix at the simulated position.
// scripts/setup.sh installs gpsd; without it this test fails with a message
// saying so rather than passing silently.
#include "emu_process.hpp"

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace bwc::test;

namespace {

std::string find_gpsd() {
    for (const char* p : {"/usr/sbin/gpsd", "/usr/bin/gpsd", "/usr/local/sbin/gpsd"})
        if (::access(p, X_OK) == 0)
            return p;
    return {};
}

/// gpsd in the foreground on its own port, reading one TCP NMEA source.
class Gpsd {
public:
    Gpsd(const std::string& binary, int port, int nmea_port) {
        const std::string control = control_dir_.path() + "/gpsd.sock";
        pid_ = fork();
        if (pid_ == 0) {
            const std::string p = std::to_string(port);
            const std::string source = "tcp://127.0.0.1:" + std::to_string(nmea_port);
            execl(binary.c_str(), binary.c_str(), "-N", "-n", "-S", p.c_str(), "-F",
                  control.c_str(), source.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
    }
    ~Gpsd() {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }

private:
    TempDir control_dir_{"bwc-gpsd"}; // gpsd's control socket lives and dies here
    pid_t pid_ = -1;
};

} // namespace

BOOST_AUTO_TEST_SUITE(emu_gpsd)

BOOST_AUTO_TEST_CASE(gpsd_reports_a_3d_fix_at_the_simulated_position) {
    const std::string gpsd = find_gpsd();
    BOOST_REQUIRE_MESSAGE(!gpsd.empty(), "gpsd is not installed: run scripts/setup.sh");
    EmuProcess emu({"--camera", "model=w120,serial=GPSD1"});
    const CameraPorts& ports = emu.cameras().at(0);
    LineClient phys(ports.physical);
    BOOST_REQUIRE_EQUAL(phys.hello(), "OK BWC-PHYS 1");
    const double lat = 57.7089;
    const double lon = 11.9746;
    BOOST_REQUIRE_EQUAL(phys.command("GNSS SCENARIO lat=57.7089 lon=11.9746 alt=12 cn0=44 "
                                     "utc=2026-11-23T10:00:00"),
                        "OK");
    const int gpsd_port = unused_port();
    Gpsd daemon(gpsd, gpsd_port, ports.nmea);

    // gpsd needs a moment to start listening.
    std::unique_ptr<LineClient> client;
    for (int i = 0; i < 100 && !client; ++i) {
        try {
            client = std::make_unique<LineClient>(gpsd_port); // its banner is a VERSION object
        } catch (const std::exception&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    BOOST_REQUIRE_MESSAGE(client, "gpsd did not start on port " << gpsd_port);
    BOOST_TEST(client->banner().find("\"class\":\"VERSION\"") != std::string::npos);
    client->send_raw("?WATCH={\"enable\":true,\"json\":true};\n");

    // Feed gpsd one simulated second per 50 ms of wall time until it reports
    // a 3D fix, for at most 30 s of wall time.
    bool fixed = false;
    double got_lat = 0, got_lon = 0, got_alt = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!fixed && std::chrono::steady_clock::now() < deadline) {
        BOOST_REQUIRE(phys.command("TIME ADVANCE 1000").rfind("OK", 0) == 0);
        const std::string text = client->read_some(std::chrono::milliseconds(50));
        std::size_t start = 0;
        while (!fixed) {
            const std::size_t end = text.find('\n', start);
            if (end == std::string::npos)
                break;
            const std::string line = text.substr(start, end - start);
            start = end + 1;
            const auto j = nlohmann::json::parse(line, nullptr, false);
            if (j.is_discarded() || j.value("class", "") != "TPV" || j.value("mode", 0) != 3)
                continue;
            fixed = true;
            got_lat = j["lat"];
            got_lon = j["lon"];
            got_alt = j.value("altMSL", j.value("alt", 0.0));
        }
    }
    BOOST_REQUIRE_MESSAGE(fixed, "gpsd reported no 3D fix within 30 s");
    BOOST_TEST(std::abs(got_lat - lat) < 1e-6);
    BOOST_TEST(std::abs(got_lon - lon) < 1e-6);
    BOOST_TEST(std::abs(got_alt - 12.0) < 0.5);
}

BOOST_AUTO_TEST_SUITE_END()
