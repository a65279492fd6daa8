// The `bench` program: dispatches to its subcommands (run, check, devices,
// results), each in its own file under bench/cli/.
#include "bench/cli/calibrate_command.hpp"
#include "bench/cli/check_command.hpp"
#include "bench/cli/devices_command.hpp"
#include "bench/cli/emulate_command.hpp"
#include "bench/cli/results_command.hpp"
#include "bench/cli/coverage_command.hpp"
#include "bench/cli/run_command.hpp"
#include "bench/cli/vision_command.hpp"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

const char* kHelp =
    "usage: bench COMMAND [ARGS]\n"
    "\n"
    "The body worn camera test bench: runs test procedures on cameras in\n"
    "docking-station bays, real or emulated, and keeps every result.\n"
    "\n"
    "Commands:\n"
    "  run PROCEDURE --station FILE      run a procedure on a station\n"
    "  run PROCEDURE --emulate MODEL     ... on an emulated station it starts itself\n"
    "  check FILE... [--station FILE]    validate procedure and station files\n"
    "  coverage --model MODEL            prove an end-of-line procedure against every fault\n"
    "  devices [--station FILE]          list serial/USB devices, check a station's endpoints\n"
    "  emulate --model MODEL             start an emulated station with every fixture\n"
    "  calibrate ROUTINE --station FILE  calibrate a station, or check it with a golden unit\n"
    "  results list|show|export          read the results store\n"
    "  vision inspect IMAGE...           what the fixture camera's vision sees in frames\n"
    "\n"
    "  bench COMMAND --help              explains a command, with examples\n"
    "  bench --version\n"
    "\n"
    "Quick start (an emulated 8-bay W120 station):\n"
    "  bench run procedures/examples/buttons.yaml --emulate w120 --bays 8\n"
    "  bench results list\n";

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(kHelp, stderr);
        return 2;
    }
    const std::string command = argv[1];
    std::vector<std::string> args(argv + 2, argv + argc);
    if (command == "--help" || command == "-h" || command == "help") {
        std::fputs(kHelp, stdout);
        return 0;
    }
    if (command == "--version") {
        std::printf("bench %s\n", BWC_VERSION);
        return 0;
    }
    if (command == "run")
        return bwc::bench::run_command(args, argv[0]);
    if (command == "coverage")
        return bwc::bench::coverage_command(args, argv[0]);
    if (command == "check")
        return bwc::bench::check_command(args, std::cout, std::cerr);
    if (command == "devices")
        return bwc::bench::devices_command(args, std::cout, std::cerr);
    if (command == "calibrate")
        return bwc::bench::calibrate_command(args, std::cout, std::cerr);
    if (command == "emulate")
        return bwc::bench::emulate_command(args, argv[0]);
    if (command == "results")
        return bwc::bench::results_command(args, std::cout, std::cerr);
    if (command == "vision")
        return bwc::bench::vision_command(args, std::cout, std::cerr);
    std::fprintf(stderr, "bench: unknown command '%s'\n\n%s", command.c_str(), kHelp);
    return 2;
}
