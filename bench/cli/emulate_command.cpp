// `bench emulate` (see emulate_command.hpp).
#include "bench/cli/emulate_command.hpp"

#include "bench/cli/calibrate_command.hpp"
#include "bench/cli/helper_programs.hpp"
#include "bench/emulation/emulated_station.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace bwc::bench {
namespace {

const char* kHelp =
    "usage: bench emulate --model w100|w120 [--bays N] [options]\n"
    "\n"
    "Starts an emulated test station and keeps it running until Ctrl-C:\n"
    "bwc-emu with N cameras of the model seated in a W701 dock (a W700 for one\n"
    "bay), in virtual time, and bwc-fixtures with every fixture instrument acting\n"
    "on them through their physical and dock ports: per bay a button actuator, a\n"
    "power supply and a vision camera (frames over a GStreamer pipeline); for the\n"
    "station a thermal chamber, a GNSS simulator, an RF shield box and the dock\n"
    "bay instrumentation. It writes the station file describing all of it, which\n"
    "bench check, bench devices, bench calibrate and bench run --station accept.\n"
    "\n"
    "Options:\n"
    "  --model MODEL         w100 or w120 (required)\n"
    "  --bays N              1..8 (default 8)\n"
    "  --station-file FILE   where to write the station file (default: print it)\n"
    "  --work-dir DIR        ports files and logs (default bench-emulate)\n"
    "  --fault BAY:FAULT     inject a fault into a bay's camera (bwc-emu --list-faults);\n"
    "                        repeatable\n"
    "  --seed N              chooses the units' serial numbers (default 1)\n"
    "  --vision-size WxH     emulated vision frames (default: bwc-fixtures' own)\n"
    "  --no-fixtures         cameras and dock only\n"
    "  --no-calibrate        do not calibrate the station (by default every routine\n"
    "                        runs once it is up; its records go to WORK-DIR/\n"
    "                        calibration.json, which the station file names)\n"
    "  --emulator PATH       bwc-emu to use (default: found beside bench, or $BWC_EMU)\n"
    "  --fixtures PATH       bwc-fixtures to use (default: beside bench, or $BWC_FIXTURES)\n"
    "\n"
    "Exit status: 0 stopped by Ctrl-C or SIGTERM, 2 usage error, 3 the station\n"
    "could not start or one of its programs died.\n"
    "\n"
    "Example:\n"
    "  bench emulate --model w120 --bays 8 --station-file /tmp/station.yaml &\n"
    "  bench check /tmp/station.yaml && bench devices --station /tmp/station.yaml\n";

std::atomic<int> g_stop{0};
void on_signal(int) { g_stop.fetch_add(1); }

bool parse_int(const std::string& text, int& out) {
    try {
        std::size_t used = 0;
        const long v = std::stol(text, &used);
        if (used != text.size())
            return false;
        out = static_cast<int>(v);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

} // namespace

int emulate_command(const std::vector<std::string>& args, const std::string& self) {
    EmulationOptions eo;
    eo.model.clear();
    std::string station_file, work_dir = "bench-emulate", emulator, fixtures;
    std::vector<std::string> fault_texts;
    bool with_fixtures = true, calibrate = true;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&](std::string& out) {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "bench emulate: %s needs a value\n", a.c_str());
                return false;
            }
            out = args[++i];
            return true;
        };
        std::string v;
        if (a == "--help" || a == "-h") {
            std::fputs(kHelp, stdout);
            return 0;
        } else if (a == "--model") {
            if (!value(eo.model))
                return 2;
        } else if (a == "--bays" || a == "--seed") {
            int n = 0;
            if (!value(v) || !parse_int(v, n) || n < (a == "--bays" ? 1 : 0)) {
                std::fprintf(stderr, "bench emulate: %s wants a number, got '%s'\n", a.c_str(),
                             v.c_str());
                return 2;
            }
            if (a == "--bays")
                eo.bays = n;
            else
                eo.seed = static_cast<std::uint64_t>(n);
        } else if (a == "--station-file") {
            if (!value(station_file))
                return 2;
        } else if (a == "--work-dir") {
            if (!value(work_dir))
                return 2;
        } else if (a == "--fault") {
            if (!value(v))
                return 2;
            fault_texts.push_back(v);
        } else if (a == "--vision-size") {
            if (!value(eo.vision_size))
                return 2;
        } else if (a == "--no-fixtures") {
            with_fixtures = false;
        } else if (a == "--no-calibrate") {
            calibrate = false;
        } else if (a == "--emulator") {
            if (!value(emulator))
                return 2;
        } else if (a == "--fixtures") {
            if (!value(fixtures))
                return 2;
        } else {
            std::fprintf(stderr, "bench emulate: unknown option '%s' (see bench emulate --help)\n",
                         a.c_str());
            return 2;
        }
    }
    if (eo.model.empty()) {
        std::fprintf(stderr, "bench emulate: --model w100|w120 is required (see --help)\n");
        return 2;
    }
    for (const std::string& f : fault_texts) {
        auto parsed = parse_bay_fault(f, eo.bays);
        if (!parsed) {
            std::fprintf(stderr, "bench emulate: %s\n", parsed.error().c_str());
            return 2;
        }
        eo.faults.push_back(*parsed);
    }
    eo.emulator = find_emulator_program(emulator, self);
    if (with_fixtures)
        eo.fixtures = find_fixtures_program(fixtures, self);
    eo.work_dir = work_dir;
    std::fprintf(stderr, "bench emulate: starting %d %s camera(s)%s ...\n", eo.bays,
                 eo.model.c_str(), with_fixtures ? " with every fixture" : "");
    auto started = EmulatedStation::start(eo);
    if (!started) {
        std::fprintf(stderr, "bench emulate: %s\n", started.error().c_str());
        return started.error().find("--") == 0 ? 2 : 3;
    }
    EmulatedStation& station = **started;
    if (calibrate && with_fixtures) {
        std::fprintf(stderr, "bench emulate: calibrating (vision, actuators, chamber, contacts) ...\n");
        const std::string book = std::filesystem::absolute(work_dir + "/calibration.json").string();
        if (auto problems = calibrate_emulated_station(station.station(), book); !problems.empty()) {
            for (const std::string& p : problems)
                std::fprintf(stderr, "bench emulate: calibration: %s\n", p.c_str());
            return 3;
        }
    }
    const std::string yaml = station.station_yaml();
    if (station_file.empty()) {
        std::fputs(yaml.c_str(), stdout);
        std::fflush(stdout);
    } else {
        const std::string tmp = station_file + ".tmp";
        {
            std::ofstream out(tmp);
            out << yaml;
            if (!out) {
                std::fprintf(stderr, "bench emulate: cannot write %s\n", tmp.c_str());
                return 3;
            }
        }
        std::error_code ec;
        std::filesystem::rename(tmp, station_file, ec);
        if (ec) {
            std::fprintf(stderr, "bench emulate: cannot write %s: %s\n", station_file.c_str(),
                         ec.message().c_str());
            return 3;
        }
    }
    std::size_t fixture_count = station.station().fixtures.size();
    for (const Bay& b : station.station().bays)
        fixture_count += b.fixtures.size();
    std::fprintf(stderr,
                 "bench emulate: station %s ready: %zu bay(s), %zu fixture(s)%s%s; Ctrl-C stops "
                 "it\n",
                 station.station().id.c_str(), station.station().bays.size(), fixture_count,
                 station_file.empty() ? "" : ", station file ", station_file.c_str());

    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    while (g_stop.load() == 0) {
        if (!station.running()) {
            std::fprintf(stderr, "bench emulate: %s\n", station.why_stopped().c_str());
            return 3;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    station.stop();
    std::fprintf(stderr, "bench emulate: stopped\n");
    return 0;
}

} // namespace bwc::bench
