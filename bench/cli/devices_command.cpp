// `bench devices` (see devices_command.hpp).
#include "bench/cli/devices_command.hpp"

#include "bench/device/device_client.hpp"
#include "bench/station/station.hpp"
#include "bench/transport/serial_transport.hpp"
#include "bench/transport/tcp_transport.hpp"
#include "bench/transport/usb_transport.hpp"

#include <cstdio>

namespace bwc::bench {
namespace {

const char* kHelp = "usage: bench devices [--station FILE] [--no-identify]\n"
                    "\n"
                    "Lists the serial ports and USB devices of this machine. With --station,\n"
                    "also checks every endpoint the station file names (dock, each bay's camera,\n"
                    "physical and NMEA ports, fixtures): TCP endpoints are connected to, serial\n"
                    "ports looked up, USB devices matched by VID:PID and serial number; devices\n"
                    "speaking a BWC protocol are greeted and their banner shown (--no-identify\n"
                    "only tests reachability).\n"
                    "\n"
                    "Exit status: 0 everything named is reachable, 2 usage or file error,\n"
                    "3 an endpoint is unreachable.\n"
                    "\n"
                    "Examples:\n"
                    "  bench devices\n"
                    "  bench devices --station stations/eol-01.yaml\n";

std::string hex4(int v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", v & 0xffff);
    return buf;
}

struct Endpoint {
    std::string role; // "bay 3 camera"
    Uri uri;
    std::string protocol; // BWC-DIAG…, or "" (NMEA, fixtures)
};

/// Reachability of one endpoint: ("ok"/"UNREACHABLE", detail).
std::pair<bool, std::string> check(const Endpoint& e, bool identify) {
    switch (e.uri.scheme) {
    case Scheme::Tcp: {
        if (identify && !e.protocol.empty()) {
            ClientOptions o;
            o.reply_timeout = Millis(2000);
            DeviceClient client(e.uri, e.protocol, o);
            if (auto s = client.connect(); !s)
                return {false, s.error().message};
            return {true, client.describe()};
        }
        TcpProbe p = probe_tcp(e.uri.host, e.uri.port, Millis(2000));
        return {p.reachable, p.detail};
    }
    case Scheme::Serial: {
        auto ports = list_serial_ports();
        if (!ports)
            return {false, ports.error()};
        for (const SerialPortInfo& p : *ports)
            if (p.name == e.uri.path)
                return {true, p.description.empty() ? "present" : "present: " + p.description};
        return {false, e.uri.path + " is not among this machine's serial ports"};
    }
    case Scheme::Usb: {
        UsbTransport t(e.uri.vid, e.uri.pid, e.uri.usb_serial);
        auto found = t.find();
        if (!found)
            return {false, found.error().message};
        return {true, "bus " + std::to_string(found->bus) + " address " +
                          std::to_string(found->address) + " " + found->manufacturer + " " +
                          found->product};
    }
    }
    return {false, "?"};
}

} // namespace

int devices_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::string station_path;
    bool identify = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            out << kHelp;
            return 0;
        } else if (args[i] == "--station" && i + 1 < args.size()) {
            station_path = args[++i];
        } else if (args[i] == "--no-identify") {
            identify = false;
        } else {
            err << "bench devices: unexpected argument '" << args[i] << "'\n\n" << kHelp;
            return 2;
        }
    }

    out << "Serial ports (libserialport):\n";
    if (auto ports = list_serial_ports(); !ports) {
        out << "  cannot list: " << ports.error() << "\n";
    } else if (ports->empty()) {
        out << "  none\n";
    } else {
        for (const SerialPortInfo& p : *ports) {
            out << "  " << p.name << "  " << p.transport;
            if (p.usb_vid && p.usb_pid)
                out << "  usb " << hex4(*p.usb_vid) << ":" << hex4(*p.usb_pid);
            if (!p.usb_serial.empty())
                out << " serial=" << p.usb_serial;
            if (!p.description.empty())
                out << "  " << p.description;
            out << "\n";
        }
    }
    out << "USB devices (libusb):\n";
    if (auto devs = list_usb_devices(); !devs) {
        out << "  cannot list: " << devs.error() << "\n";
    } else if (devs->empty()) {
        out << "  none\n";
    } else {
        for (const UsbDeviceInfo& d : *devs)
            out << "  bus " << d.bus << " addr " << d.address << "  " << hex4(d.vid) << ":"
                << hex4(d.pid) << "  " << d.manufacturer << (d.manufacturer.empty() ? "" : " ")
                << d.product << (d.serial.empty() ? "" : "  serial=" + d.serial) << "\n";
    }
    if (station_path.empty())
        return 0;

    auto station = load_station(station_path);
    if (!station) {
        for (const Diagnostic& d : station.error())
            err << d.text() << "\n";
        return 2;
    }
    std::vector<Endpoint> endpoints;
    if (station->dock)
        endpoints.push_back({"dock " + station->dock->serial, station->dock->uri, "BWC-DOCK"});
    for (const Bay& b : station->bays) {
        const std::string bay = "bay " + std::to_string(b.number);
        endpoints.push_back({bay + " camera", b.camera, "BWC-DIAG"});
        if (b.physical)
            endpoints.push_back({bay + " physical", *b.physical, "BWC-PHYS"});
        if (b.nmea)
            endpoints.push_back({bay + " nmea", *b.nmea, ""});
        for (const FixtureRef& f : b.fixtures)
            endpoints.push_back({bay + " fixture " + f.name, f.uri, ""});
    }
    for (const FixtureRef& f : station->fixtures)
        endpoints.push_back({"fixture " + f.name, f.uri, ""});

    out << "Station " << station->id << " (" << station_path << "):\n";
    int unreachable = 0;
    for (const Endpoint& e : endpoints) {
        auto [ok, detail] = check(e, identify);
        unreachable += ok ? 0 : 1;
        out << "  " << (ok ? "ok          " : "UNREACHABLE ") << e.role << "  " << e.uri.to_string()
            << "  " << detail << "\n";
    }
    out << endpoints.size() - static_cast<std::size_t>(unreachable) << " of " << endpoints.size()
        << " endpoints reachable\n";
    return unreachable == 0 ? 0 : 3;
}

} // namespace bwc::bench
