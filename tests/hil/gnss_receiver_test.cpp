// Hardware in the loop: a real GNSS receiver's serial port, read for a few
// seconds and fed to the firmware core's GNSS manager. Configure with
//   BWC_HIL_GNSS_PORT=/dev/ttyACM0   (and optionally BWC_HIL_GNSS_BAUD=9600)
// Without it CTest reports the test as skipped (tests/CMakeLists.txt).
#include "firmware/core/gnss/gnss_manager.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace {

speed_t baud_constant(int baud) {
    switch (baud) {
    case 4800: return B4800;
    case 9600: return B9600;
    case 38400: return B38400;
    case 115200: return B115200;
    default: return B9600;
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(hil_gnss_receiver)

BOOST_AUTO_TEST_CASE(real_receiver_sends_valid_nmea) {
    const char* port = std::getenv("BWC_HIL_GNSS_PORT");
    BOOST_REQUIRE_MESSAGE(port, "BWC_HIL_GNSS_PORT is not set");
    const char* baud_text = std::getenv("BWC_HIL_GNSS_BAUD");
    const int baud = baud_text ? std::atoi(baud_text) : 9600;

    const int fd = ::open(port, O_RDONLY | O_NOCTTY | O_NONBLOCK);
    BOOST_REQUIRE_MESSAGE(fd >= 0, "cannot open " << port);
    termios tio{};
    BOOST_REQUIRE(tcgetattr(fd, &tio) == 0);
    cfmakeraw(&tio);
    cfsetispeed(&tio, baud_constant(baud));
    BOOST_REQUIRE(tcsetattr(fd, TCSANOW, &tio) == 0);

    bwc::fw::gnss::GnssManager gnss;
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] {
        return std::chrono::duration_cast<bwc::fw::Millis>(std::chrono::steady_clock::now() -
                                                           start);
    };
    char buf[512];
    while (elapsed() < std::chrono::seconds(5)) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 200) > 0) {
            const ssize_t n = ::read(fd, buf, sizeof buf);
            if (n > 0)
                gnss.feed(std::string_view(buf, static_cast<std::size_t>(n)), elapsed());
        }
    }
    ::close(fd);
    const auto& c = gnss.status().counters;
    BOOST_TEST_MESSAGE("sentences ok " << c.sentences_ok << ", checksum errors "
                                       << c.checksum_errors << ", malformed " << c.malformed);
    BOOST_TEST(c.sentences_ok >= 5u, "a receiver sends at least one sentence a second");
    BOOST_TEST(c.checksum_errors * 20 <= c.sentences_ok, "at most 5 % checksum errors");
}

BOOST_AUTO_TEST_SUITE_END()
