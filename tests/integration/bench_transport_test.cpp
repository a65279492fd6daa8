// Bench transports against real things: the TCP transport talks to a bwc-emu
// process's diag port (banner, HELLO, IDENTIFY, timeout, peer gone), probe_tcp
// tells an open port from a closed one, the serial transport's error paths
// name the problem (libserialport cannot open ptys, so no happy path here),
// and the device listings return without crashing on any machine.
#include "bench/transport/serial_transport.hpp"
#include "bench/transport/tcp_transport.hpp"
#include "bench/transport/transport.hpp"
#include "bench/transport/usb_transport.hpp"
#include "emu_process.hpp"

#include <boost/test/unit_test.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace bwc::bench;
using bwc::test::EmuProcess;
using K = TransportError::Kind;

namespace {

std::unique_ptr<Transport> open_diag(int port) {
    auto uri = parse_uri("tcp://127.0.0.1:" + std::to_string(port));
    BOOST_TEST_REQUIRE(uri.ok(), uri.error());
    auto t = open_transport(*uri);
    BOOST_TEST_REQUIRE(t.ok(), t.error().message);
    return std::move(t).value();
}

} // namespace

BOOST_AUTO_TEST_SUITE(bench_transport)

BOOST_AUTO_TEST_CASE(tcp_talks_to_the_emulator_diag_port) {
    EmuProcess emu({"--camera", "model=w120,serial=T1"});
    auto diag = open_diag(emu.cameras()[0].diag);
    BOOST_TEST(diag->describe() == "tcp://127.0.0.1:" + std::to_string(emu.cameras()[0].diag));

    const auto banner = diag->read_line(Millis(5000));
    BOOST_TEST_REQUIRE(banner.ok(), banner.error().message);
    BOOST_TEST(*banner == "BWC-DIAG 1 model=W120 serial=T1");

    BOOST_TEST_REQUIRE(diag->write_line("HELLO BWC-DIAG 1").ok());
    const auto hello = diag->read_line(Millis(5000));
    BOOST_TEST_REQUIRE(hello.ok(), hello.error().message);
    BOOST_TEST(*hello == "OK BWC-DIAG 1");

    BOOST_TEST_REQUIRE(diag->write_line("IDENTIFY").ok());
    const auto id = diag->read_line(Millis(5000));
    BOOST_TEST_REQUIRE(id.ok(), id.error().message);
    BOOST_TEST(id->rfind("OK model=W120 serial=T1 ", 0) == 0, *id);

    // A newline inside a line would split one command into two.
    const auto bad = diag->write_line("PING\nPING");
    BOOST_TEST_REQUIRE(!bad.ok());
    BOOST_TEST((bad.error().kind == K::InvalidArgument));
}

BOOST_AUTO_TEST_CASE(read_line_times_out_when_nothing_comes) {
    EmuProcess emu({"--camera", "model=w120,serial=T1"});
    auto diag = open_diag(emu.cameras()[0].diag);
    BOOST_TEST_REQUIRE(diag->read_line(Millis(5000)).ok()); // banner
    const auto start = std::chrono::steady_clock::now();
    const auto r = diag->read_line(Millis(200));
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST((r.error().kind == K::Timeout));
    BOOST_TEST(r.error().message == diag->describe() + ": no line within 200 ms");
    BOOST_TEST((took >= Millis(190) && took < Millis(2000)));
    // Still usable after a timeout.
    BOOST_TEST_REQUIRE(diag->write_line("PING").ok());
    const auto pong = diag->read_line(Millis(5000));
    BOOST_TEST_REQUIRE(pong.ok(), pong.error().message);
    BOOST_TEST(*pong == "OK PONG");
}

BOOST_AUTO_TEST_CASE(closed_after_the_emulator_stops) {
    EmuProcess emu({"--camera", "model=w120,serial=T1"});
    auto diag = open_diag(emu.cameras()[0].diag);
    BOOST_TEST_REQUIRE(diag->read_line(Millis(5000)).ok()); // banner
    emu.stop();
    const auto r = diag->read_line(Millis(5000));
    BOOST_TEST_REQUIRE(!r.ok());
    BOOST_TEST((r.error().kind == K::Closed), r.error().message);

    diag->close();
    const auto after = diag->read_line(Millis(10));
    BOOST_TEST_REQUIRE(!after.ok());
    BOOST_TEST((after.error().kind == K::Closed));
    BOOST_TEST(after.error().message == diag->describe() + ": not open");
}

BOOST_AUTO_TEST_CASE(probe_tcp_reachable_and_refused) {
    EmuProcess emu({"--camera", "model=w120,serial=T1"});
    const auto port = static_cast<std::uint16_t>(emu.cameras()[0].diag);
    const auto up = probe_tcp("127.0.0.1", port, Millis(2000));
    BOOST_TEST(up.reachable, up.detail);
    BOOST_TEST(up.detail.rfind("connected in ", 0) == 0, up.detail);

    const auto down =
        probe_tcp("127.0.0.1", static_cast<std::uint16_t>(bwc::test::unused_port()), Millis(2000));
    BOOST_TEST(!down.reachable);
    BOOST_TEST(down.detail == "connect: Connection refused");

    auto t = open_transport(*parse_uri(
        "tcp://127.0.0.1:" + std::to_string(static_cast<std::uint16_t>(bwc::test::unused_port()))));
    BOOST_TEST_REQUIRE(!t.ok());
    BOOST_TEST((t.error().kind == K::Io));
    BOOST_TEST(t.error().message.find(": connect: Connection refused") != std::string::npos,
               t.error().message);

    const auto unknown = probe_tcp("no-such-host.invalid", 7100, Millis(2000));
    BOOST_TEST(!unknown.reachable);
    BOOST_TEST(unknown.detail.rfind("cannot resolve host: ", 0) == 0, unknown.detail);
}

BOOST_AUTO_TEST_CASE(serial_error_paths_are_clear) {
    auto missing = open_transport(*parse_uri("serial:///dev/ttyDOESNOTEXIST?baud=115200"));
    BOOST_TEST_REQUIRE(!missing.ok());
    BOOST_TEST_MESSAGE(missing.error().message);
    BOOST_TEST(missing.error().message.rfind("serial:///dev/ttyDOESNOTEXIST?baud=115200: ", 0) == 0,
               missing.error().message);
    BOOST_TEST((missing.error().kind == K::NotFound));
    BOOST_TEST(missing.error().message == "serial:///dev/ttyDOESNOTEXIST?baud=115200: no such "
                                          "device: No such file or directory");

    auto null = open_transport(*parse_uri("serial:///dev/null"));
    BOOST_TEST_REQUIRE(!null.ok());
    BOOST_TEST_MESSAGE(null.error().message);
    BOOST_TEST(null.error().message ==
               "serial:///dev/null?baud=115200: exists but is not a serial port");

    SerialTransport bad_baud("/dev/ttyDOESNOTEXIST", 12345);
    const auto st = bad_baud.open();
    BOOST_TEST_REQUIRE(!st.ok());
    BOOST_TEST((st.error().kind == K::InvalidArgument));
    BOOST_TEST(st.error().message == "serial:///dev/ttyDOESNOTEXIST?baud=12345: baud 12345 is "
                                     "not a standard rate (e.g. 9600, 115200)");

    // Never opened: reads and writes say so instead of crashing.
    BOOST_TEST((bad_baud.read_line(Millis(1)).error().kind == K::Closed));
    BOOST_TEST((bad_baud.write_line("PING").error().kind == K::Closed));
}

BOOST_AUTO_TEST_CASE(usb_transport_reports_not_found_or_not_supported) {
    auto t = open_transport(*parse_uri("usb://1a2b:3c4d?serial=NOPE"));
    BOOST_TEST_REQUIRE(!t.ok());
    BOOST_TEST_MESSAGE(t.error().message);
    BOOST_TEST(t.error().message.rfind("usb://1a2b:3c4d?serial=NOPE: ", 0) == 0);
    BOOST_TEST((t.error().kind == K::NotFound || t.error().kind == K::Io));
}

BOOST_AUTO_TEST_CASE(device_listings_return) {
    const auto serial = list_serial_ports();
    if (serial.ok()) {
        for (const auto& p : *serial) {
            BOOST_TEST(!p.name.empty());
            BOOST_TEST(!p.transport.empty());
        }
    } else {
        BOOST_TEST(!serial.error().empty());
    }
    const auto usb = list_usb_devices();
    if (usb.ok()) {
        for (const auto& d : *usb) {
            BOOST_TEST(d.bus >= 0);
            BOOST_TEST(d.address >= 0);
        }
    } else {
        BOOST_TEST_MESSAGE(usb.error());
        BOOST_TEST(!usb.error().empty());
    }
}

BOOST_AUTO_TEST_SUITE_END()
