// Device URIs (bench/transport/uri.hpp): every valid form parses into the
// right typed value and round-trips; every invalid form gives its exact
// message naming the URI and the problem.
#include "bench/transport/uri.hpp"

#include <boost/test/unit_test.hpp>

using namespace bwc::bench;

namespace {

std::string error_of(const std::string& text) {
    const auto r = parse_uri(text);
    BOOST_TEST_REQUIRE(!r.ok(), text << " parsed but should not");
    return r.error();
}

void round_trips(const std::string& text) {
    const auto r = parse_uri(text);
    BOOST_TEST_REQUIRE(r.ok(), text << ": " << r.error());
    BOOST_TEST(r->to_string() == text);
    const auto again = parse_uri(r->to_string());
    BOOST_TEST_REQUIRE(again.ok());
    BOOST_TEST((*again == *r));
}

} // namespace

BOOST_AUTO_TEST_SUITE(bench_uri)

BOOST_AUTO_TEST_CASE(serial_with_baud) {
    const auto r = parse_uri("serial:///dev/ttyACM0?baud=115200");
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST((r->scheme == Scheme::Serial));
    BOOST_TEST(r->path == "/dev/ttyACM0");
    BOOST_TEST(r->baud.value_or(0) == 115200);
    BOOST_TEST(r->effective_baud() == 115200);
}

BOOST_AUTO_TEST_CASE(serial_without_baud_uses_default) {
    const auto r = parse_uri("serial:///dev/ttyUSB1");
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST(!r->baud.has_value());
    BOOST_TEST(r->effective_baud() == Uri::kDefaultBaud);
}

BOOST_AUTO_TEST_CASE(tcp_host_port) {
    const auto r = parse_uri("tcp://127.0.0.1:7101");
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST((r->scheme == Scheme::Tcp));
    BOOST_TEST(r->host == "127.0.0.1");
    BOOST_TEST(r->port == 7101);
    const auto named = parse_uri("tcp://station-3.local:65535");
    BOOST_TEST_REQUIRE(named.ok(), named.error());
    BOOST_TEST(named->host == "station-3.local");
    BOOST_TEST(named->port == 65535);
    const auto v6 = parse_uri("tcp://[::1]:7100");
    BOOST_TEST_REQUIRE(v6.ok(), v6.error());
    BOOST_TEST(v6->host == "::1");
}

BOOST_AUTO_TEST_CASE(usb_vid_pid_serial) {
    const auto r = parse_uri("usb://1a2b:3C4D?serial=ACCC8E01");
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST((r->scheme == Scheme::Usb));
    BOOST_TEST(r->vid == 0x1a2b);
    BOOST_TEST(r->pid == 0x3c4d);
    BOOST_TEST(r->usb_serial.value_or("") == "ACCC8E01");
    const auto bare = parse_uri("usb://0483:5740");
    BOOST_TEST_REQUIRE(bare.ok(), bare.error());
    BOOST_TEST(!bare->usb_serial.has_value());
}

BOOST_AUTO_TEST_CASE(round_trip) {
    round_trips("serial:///dev/ttyACM0?baud=115200");
    round_trips("serial:///dev/serial/by-id/usb-BWC_W120-if00");
    round_trips("tcp://127.0.0.1:7101");
    round_trips("tcp://[::1]:7100");
    round_trips("usb://1a2b:3c4d?serial=ACCC8E01");
    round_trips("usb://0483:5740");
    // Hex is printed in lower case, the way lsusb does.
    BOOST_TEST(parse_uri("usb://1A2B:3C4D")->to_string() == "usb://1a2b:3c4d");
}

BOOST_AUTO_TEST_CASE(scheme_errors) {
    BOOST_TEST(error_of("") == "bad URI \"\": empty");
    BOOST_TEST(error_of("/dev/ttyACM0") ==
               "bad URI \"/dev/ttyACM0\": no scheme (expected serial://, tcp:// or usb://)");
    BOOST_TEST(error_of("udp://host:1") ==
               "bad URI \"udp://host:1\": unknown scheme \"udp\" (expected serial, tcp or usb)");
}

BOOST_AUTO_TEST_CASE(tcp_errors) {
    BOOST_TEST(error_of("tcp://") == "bad URI \"tcp://\": missing host (expected tcp://host:port)");
    BOOST_TEST(error_of("tcp://:7100") ==
               "bad URI \"tcp://:7100\": missing host (expected tcp://host:port)");
    BOOST_TEST(error_of("tcp://host") ==
               "bad URI \"tcp://host\": missing port (expected tcp://host:port)");
    BOOST_TEST(error_of("tcp://host:") ==
               "bad URI \"tcp://host:\": missing port (expected tcp://host:port)");
    BOOST_TEST(error_of("tcp://host:http") ==
               "bad URI \"tcp://host:http\": port \"http\" is not a number");
    BOOST_TEST(error_of("tcp://host:0") ==
               "bad URI \"tcp://host:0\": port 0 is out of range 1-65535");
    BOOST_TEST(error_of("tcp://host:65536") ==
               "bad URI \"tcp://host:65536\": port 65536 is out of range 1-65535");
    BOOST_TEST(error_of("tcp://host:123456789") ==
               "bad URI \"tcp://host:123456789\": port 123456789 is out of range 1-65535");
    BOOST_TEST(error_of("tcp://host:7100/x") ==
               "bad URI \"tcp://host:7100/x\": unexpected path \"/x\" after port");
    BOOST_TEST(error_of("tcp://[::1") == "bad URI \"tcp://[::1\": unterminated [ in IPv6 host");
    BOOST_TEST(error_of("tcp://host:7100?baud=9600") ==
               "bad URI \"tcp://host:7100?baud=9600\": unknown query key \"baud\" for tcp:// "
               "(takes no query parameters)");
}

BOOST_AUTO_TEST_CASE(serial_errors) {
    BOOST_TEST(error_of("serial://") ==
               "bad URI \"serial://\": missing device path (expected serial:///dev/ttyACM0)");
    BOOST_TEST(error_of("serial://ttyACM0") ==
               "bad URI \"serial://ttyACM0\": device path \"ttyACM0\" is not absolute "
               "(expected serial:///dev/…, three slashes)");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?baud=fast") ==
               "bad URI \"serial:///dev/ttyACM0?baud=fast\": baud \"fast\" is not a number");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?baud=-9600") ==
               "bad URI \"serial:///dev/ttyACM0?baud=-9600\": baud \"-9600\" is not a number");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?baud=115201") ==
               "bad URI \"serial:///dev/ttyACM0?baud=115201\": baud 115201 is not a standard "
               "rate (e.g. 9600, 115200, 921600)");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?baud=") ==
               "bad URI \"serial:///dev/ttyACM0?baud=\": query key \"baud\" has an empty value");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?baud=9600&baud=9600") ==
               "bad URI \"serial:///dev/ttyACM0?baud=9600&baud=9600\": query key \"baud\" given "
               "twice");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?parity=none") ==
               "bad URI \"serial:///dev/ttyACM0?parity=none\": unknown query key \"parity\" for "
               "serial:// (known: baud)");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?baud") ==
               "bad URI \"serial:///dev/ttyACM0?baud\": query item \"baud\" is not key=value");
    BOOST_TEST(error_of("serial:///dev/ttyACM0?") ==
               "bad URI \"serial:///dev/ttyACM0?\": empty query after ?");
}

BOOST_AUTO_TEST_CASE(usb_errors) {
    BOOST_TEST(error_of("usb://") ==
               "bad URI \"usb://\": missing VID:PID (expected usb://1a2b:3c4d)");
    BOOST_TEST(
        error_of("usb://1a2b") ==
        "bad URI \"usb://1a2b\": missing PID in \"1a2b\" (expected VID:PID, e.g. 1a2b:3c4d)");
    BOOST_TEST(error_of("usb://1a2:3c4d") ==
               "bad URI \"usb://1a2:3c4d\": VID \"1a2\" is not 4 hex digits");
    BOOST_TEST(error_of("usb://1a2b:3c4g") ==
               "bad URI \"usb://1a2b:3c4g\": PID \"3c4g\" is not 4 hex digits");
    BOOST_TEST(error_of("usb://1a2b:3c4d5") ==
               "bad URI \"usb://1a2b:3c4d5\": PID \"3c4d5\" is not 4 hex digits");
    BOOST_TEST(error_of("usb://1a2b:3c4d?sn=X") ==
               "bad URI \"usb://1a2b:3c4d?sn=X\": unknown query key \"sn\" for usb:// (known: "
               "serial)");
    BOOST_TEST(error_of("usb://1a2b:3c4d?serial=") ==
               "bad URI \"usb://1a2b:3c4d?serial=\": query key \"serial\" has an empty value");
}

BOOST_AUTO_TEST_SUITE_END()
