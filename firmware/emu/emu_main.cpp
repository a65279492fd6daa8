// bwc-emu: runs one or more emulated cameras (the reference firmware on the
// host, with physical models and injected faults) behind TCP ports that speak
// firmware/PROTOCOL.md, as a real camera's ser2net-exported serial port would.
#include "firmware/core/json_writer.hpp"
#include "firmware/emu/camera_ports.hpp"
#include "firmware/emu/dock/dock_port.hpp"
#include "firmware/emu/emu_camera.hpp"
#include "firmware/emu/line_server.hpp"

#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

using namespace bwc;
using namespace bwc::emu;

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) {
    g_stop = 1;
}

void usage(FILE* out) {
    std::fputs(
        "usage: bwc-emu [options]\n"
        "\n"
        "Runs emulated W100/W120 cameras. Each camera listens on three TCP ports:\n"
        "diag (factory diagnostics), physical (what fixtures do to it) and NMEA\n"
        "(raw GNSS output). The protocols are in firmware/PROTOCOL.md.\n"
        "\n"
        "  --camera SPEC        add a camera: model=w100|w120,serial=SN[,imei=15 digits]\n"
        "                       [,mac=..(default: 02:… from the serial)][,user=..]\n"
        "                       [,soc=0-100][,temperature=C]\n"
        "                       [,provisioned=0|1]   (default: one W120, serial EMU0001)\n"
        "  --cameras-file FILE  one camera SPEC per line ('#' starts a comment)\n"
        "  --fault [SERIAL:]NAME[=VALUE]\n"
        "                       inject a fault into camera SERIAL, or into every camera\n"
        "                       it applies to; repeatable (see --list-faults)\n"
        "  --list-faults        print every fault, its value and the SPEC row it models\n"
        "  --list-faults --model M\n"
        "                       every fault of model M (W100 W120 W700 W701) with its\n"
        "                       placeholders filled in, one per line: NAME TAB VALUE TAB\n"
        "                       SPEC ROW (for programs: bench coverage)\n"
        "  --dock SPEC          add a docking station: model=w700|w701,serial=D1,\n"
        "                       bays=SN1+SN2+.. (cameras by serial, '-' = empty bay); its\n"
        "                       BWC-DOCK port follows the cameras'; dock faults take\n"
        "                       DOCK:, DOCK/BAY: or CAMERA: (the bay holding it)\n"
        "  --port-base N        camera i listens on N+10i (diag), +1 (physical), +2 (NMEA);\n"
        "                       0 lets the system choose (default 7100)\n"
        "  --bind ADDRESS       address to listen on (default 127.0.0.1)\n"
        "  --ports-file FILE    write the port assignment as JSON once listening\n"
        "  --realtime           clocks follow wall time (default: virtual time, driven\n"
        "                       by TIME ADVANCE on either port)\n"
        "  --help               this text\n"
        "\n"
        "Example:\n"
        "  bwc-emu --camera model=w120,serial=SN1 --fault SN1:led.status_led.dead\n"
        "  then: printf 'HELLO BWC-DIAG 1\\nIDENTIFY\\n' | nc 127.0.0.1 7100\n",
        out);
}

[[noreturn]] void die(const std::string& message) {
    std::fprintf(stderr, "bwc-emu: %s\n", message.c_str());
    std::exit(2);
}

struct RunningCamera {
    std::unique_ptr<EmuCamera> camera;
    std::unique_ptr<DiagPort> diag;
    std::unique_ptr<PhysicalPort> physical;
    std::unique_ptr<NmeaPort> nmea;
    std::uint16_t ports[3] = {0, 0, 0};
};

std::vector<CameraConfig> read_cameras_file(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        die("cannot read cameras file '" + path + "'");
    std::vector<CameraConfig> out;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (auto hash = line.find('#'); hash != std::string::npos)
            line.erase(hash);
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        auto c = parse_camera_config(line);
        if (!c)
            die(path + ":" + std::to_string(number) + ": " + c.error());
        out.push_back(std::move(*c));
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<CameraConfig> configs;
    std::vector<std::string> fault_args;
    std::vector<std::string> dock_specs;
    std::vector<DockFaultArg> dock_faults;
    int port_base = 7100;
    std::string bind = "127.0.0.1";
    std::string ports_file;
    ClockMode mode = ClockMode::Virtual;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&](const char* what) -> std::string {
            if (i + 1 >= argc)
                die(arg + " needs " + what);
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            return 0;
        } else if (arg == "--list-faults") {
            if (i + 2 < argc && std::string(argv[i + 1]) == "--model") {
                // One concrete fault per line, for programs (bench coverage):
                // NAME<TAB>VALUE<TAB>SPEC ROW
                const std::string model = argv[i + 2];
                std::string upper_model;
                for (char c : model)
                    upper_model += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                auto faults = concrete_faults(upper_model);
                if (!faults)
                    die("--list-faults --model '" + model + "': expected W100, W120, W700 or W701");
                for (const ConcreteFault& f : *faults)
                    std::printf("%s\t%s\t%s\n", f.name.c_str(),
                                std::string(value_placeholder(f.spec->value)).c_str(),
                                std::string(f.spec->spec_row).c_str());
                return 0;
            }
            std::fputs(describe_fault_catalogue().c_str(), stdout);
            return 0;
        } else if (arg == "--camera") {
            auto c = parse_camera_config(value("a camera spec"));
            if (!c)
                die("--camera: " + c.error());
            configs.push_back(std::move(*c));
        } else if (arg == "--cameras-file") {
            for (auto& c : read_cameras_file(value("a file")))
                configs.push_back(std::move(c));
        } else if (arg == "--fault") {
            fault_args.push_back(value("a fault name"));
        } else if (arg == "--dock") {
            dock_specs.push_back(value("a dock spec"));
        } else if (arg == "--port-base") {
            auto n = parse_integer(value("a port number"), "--port-base", 0, 65'000);
            if (!n)
                die(n.error().message);
            port_base = static_cast<int>(*n);
        } else if (arg == "--bind") {
            bind = value("an address");
        } else if (arg == "--ports-file") {
            ports_file = value("a file");
        } else if (arg == "--realtime") {
            mode = ClockMode::Realtime;
        } else {
            std::fprintf(stderr, "bwc-emu: unknown argument '%s'\n\n", arg.c_str());
            usage(stderr);
            return 2;
        }
    }
    if (configs.empty()) {
        CameraConfig c;
        c.identity.serial = "EMU0001";
        configs.push_back(c);
    }
    for (std::size_t i = 0; i < configs.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (configs[i].identity.serial == configs[j].identity.serial)
                die("two cameras with serial " + configs[i].identity.serial);

    for (const std::string& text : fault_args) {
        std::string serial;
        std::string name = text;
        if (auto colon = text.find(':'); colon != std::string::npos) {
            serial = text.substr(0, colon);
            name = text.substr(colon + 1);
        }
        if (is_dock_fault(name)) { // applied to the docks once they exist
            dock_faults.push_back({serial, name});
            continue;
        }
        int applied = 0;
        std::string last_error;
        for (CameraConfig& c : configs) {
            if (!serial.empty() && c.identity.serial != serial)
                continue;
            auto f = parse_fault(name, c.model);
            if (!f) {
                if (!serial.empty())
                    die("--fault " + text + ": " + f.error());
                last_error = f.error();
                continue;
            }
            c.faults.add(std::move(*f));
            ++applied;
        }
        if (applied == 0)
            die("--fault " + text + ": " +
                (last_error.empty() ? "no camera with serial '" + serial + "'" : last_error));
    }

    LineServer server;
    std::vector<RunningCamera> cameras;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        RunningCamera rc;
        rc.camera = std::make_unique<EmuCamera>(configs[i], mode);
        rc.diag = std::make_unique<DiagPort>(server, *rc.camera);
        rc.camera->set_event_sink([diag = rc.diag.get()](const std::vector<fw::Event>& events) {
            diag->publish(events);
        });
        rc.physical = std::make_unique<PhysicalPort>(server, *rc.camera);
        rc.nmea = std::make_unique<NmeaPort>(server);
        rc.camera->set_nmea_sink(
            [nmea = rc.nmea.get()](std::string_view b) { nmea->broadcast(b); });
        LineHandler* handlers[3] = {rc.diag.get(), rc.physical.get(), rc.nmea.get()};
        for (int p = 0; p < 3; ++p) {
            const int wanted = port_base == 0 ? 0 : port_base + 10 * static_cast<int>(i) + p;
            auto bound = server.listen(static_cast<std::uint16_t>(wanted), *handlers[p], bind);
            if (!bound)
                die(bound.error());
            rc.ports[p] = *bound;
        }
        std::fprintf(
            stderr, "bwc-emu: %s %s  diag %u  physical %u  nmea %u%s%s\n",
            std::string(fw::to_string(configs[i].model)).c_str(),
            configs[i].identity.serial.c_str(), rc.ports[0], rc.ports[1], rc.ports[2],
            configs[i].faults.empty() ? "" : "  faults: ", configs[i].faults.names().c_str());
        cameras.push_back(std::move(rc));
    }

    std::vector<EmuCamera*> camera_list;
    for (RunningCamera& rc : cameras)
        camera_list.push_back(rc.camera.get());
    auto docks = start_docks(dock_specs, dock_faults, camera_list, server, port_base, bind, mode);
    if (!docks)
        die(docks.error());
    for (const RunningDock& d : *docks)
        std::fprintf(stderr, "bwc-emu: %s %s  dock %u\n",
                     std::string(to_string(d.dock->config().model)).c_str(),
                     d.dock->config().serial.c_str(), d.port_number);

    if (!ports_file.empty()) {
        fw::JsonWriter w;
        w.begin_object().key("cameras").begin_array();
        for (const RunningCamera& rc : cameras) {
            w.begin_object();
            w.field("serial", rc.camera->config().identity.serial);
            w.field("model", fw::to_string(rc.camera->config().model));
            w.field("diag", static_cast<int>(rc.ports[0]));
            w.field("physical", static_cast<int>(rc.ports[1]));
            w.field("nmea", static_cast<int>(rc.ports[2]));
            w.end_object();
        }
        w.end_array();
        write_docks_json(w, *docks);
        w.end_object();
        // Written whole then renamed, so a reader never sees half a file.
        const std::string tmp = ports_file + ".tmp";
        {
            std::ofstream out(tmp);
            out << w.str() << "\n";
            if (!out)
                die("cannot write ports file '" + tmp + "'");
        }
        if (std::rename(tmp.c_str(), ports_file.c_str()) != 0)
            die("cannot rename '" + tmp + "' to '" + ports_file + "'");
    }

    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    std::fprintf(stderr, "bwc-emu: %zu camera(s) ready, %s time; Ctrl-C stops\n", cameras.size(),
                 mode == ClockMode::Virtual ? "virtual" : "real");

    while (!g_stop) {
        std::optional<Millis> timeout = Millis{200}; // stay responsive to signals
        if (mode == ClockMode::Realtime) {
            for (const RunningCamera& rc : cameras)
                if (auto due = rc.camera->next_deadline())
                    timeout = std::min(*timeout, std::max(Millis{0}, *due - rc.camera->now()));
        }
        server.poll_once(timeout);
        for (RunningCamera& rc : cameras) {
            if (mode == ClockMode::Realtime)
                rc.camera->run_until(rc.camera->now());
            rc.camera->flush_events();
        }
    }
    std::fprintf(stderr, "bwc-emu: stopped\n");
    return 0;
}
