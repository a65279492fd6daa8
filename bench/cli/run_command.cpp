// `bench run` (see run_command.hpp).
#include "bench/cli/run_command.hpp"

#include "bench/cli/emulated_run.hpp"
#include "bench/cli/helper_programs.hpp"
#include "bench/cli/progress.hpp"
#include "bench/emulation/emulated_station.hpp"
#include "bench/record/store.hpp"
#include "bench/runner/runner.hpp"
#include "bench/steps/step_type.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <thread>
#include <unistd.h>

namespace bwc::bench {
namespace {

const char* kHelp =
    "usage: bench run PROCEDURE (--station FILE | --emulate MODEL [emulation options]) [options]\n"
    "\n"
    "Runs a procedure on every bay of a station, each bay on its own (parallel\n"
    "model), and records each unit as it goes: a journal line per step, then\n"
    "the record in SQLite (RESULTS/results.sqlite). Ctrl-C stops every bay's main\n"
    "steps and runs their teardown (a second Ctrl-C stops teardown too).\n"
    "\n"
    "Station:\n"
    "  --station FILE        a station file (see stations/README.md)\n"
    "  --emulate MODEL       start an emulated station of W100 or W120 cameras in a\n"
    "                        W701 dock (bwc-emu, virtual time) and stop it afterwards;\n"
    "                        W700 or W701: that dock under test, reference W120 units\n"
    "                        seated in its bays (for procedures with products: [dock])\n"
    "  --bays N              emulated bays, 1-8 (default 8)\n"
    "  --fault BAY:FAULT     inject a fault into the unit of BAY (repeatable), e.g.\n"
    "                        --fault 3:button.record.threshold_ms=3300\n"
    "                        (bwc-emu --list-faults lists them)\n"
    "  --seed N              chooses the emulated units' serial numbers (default 1)\n"
    "  --emulator PATH       the bwc-emu binary (default: found next to bench)\n"
    "  --print-station       print the emulated station's file before running\n"
    "\n"
    "Options:\n"
    "  --bay N               run only bay N (repeatable; default every bay)\n"
    "  --operator NAME       who runs the station (recorded; default $USER)\n"
    "  --results DIR         results directory (default: the station's, else\n"
    "                        ./bench-results)\n"
    "  --json FILE           write a summary per bay: serial, model, verdict,\n"
    "                        first failing step, failure code, duration\n"
    "  --batch               bays finish each step together before the next\n"
    "  --continue-on-fail    run the remaining main steps after a failing one\n"
    "  --reply-timeout MS    how long a device may take to answer (default 5000)\n"
    "  --progress MODE       live (terminal default), plain (default otherwise) or quiet\n"
    "\n"
    "Operator prompts are answered on the terminal (type the answer and Enter);\n"
    "on an emulated station an automatic operator scans the right label and\n"
    "confirms.\n"
    "\n"
    "Exit status: 0 every unit passed, 1 at least one unit failed, 2 usage or\n"
    "file error, 3 station or infrastructure error (a device lost, a bay that\n"
    "could not start, a run stopped by Ctrl-C, a calibration the procedure\n"
    "needs that is missing or expired).\n"
    "\n"
    "Examples:\n"
    "  bench run procedures/examples/buttons.yaml --emulate w120 --bays 8\n"
    "  bench run procedures/examples/buttons.yaml --emulate w120 --fault "
    "3:button.record.threshold_ms=3300 --json summary.json\n"
    "  bench run procedures/eol/w120.yaml --station stations/eol-01.yaml --operator alice\n"
    "  bench run procedures/eol/dock.yaml --emulate w701 --fault 2:dock.vbus_mv=4500\n";

std::atomic<int> g_interrupts{0};
void on_interrupt(int) {
    g_interrupts.fetch_add(1);
}

struct Options {
    std::string procedure;
    std::string station;
    std::string emulate;
    int bays = 8;
    std::vector<std::string> faults;
    std::uint64_t seed = 1;
    std::string emulator;
    bool print_station = false;
    std::vector<int> only_bays;
    std::string operator_name;
    std::string results;
    std::string json;
    bool batch = false;
    bool continue_on_fail = false;
    int reply_timeout_ms = 5000;
    std::string progress;
};

bool parse_number(const std::string& text, long long low, long long high, long long& out) {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    out = std::stoll(text);
    return out >= low && out <= high;
}

/// Parses the arguments; an error message for a usage error.
std::optional<std::string> parse(const std::vector<std::string>& args, Options& o) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* what) -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return std::nullopt;
            (void)what;
            return args[++i];
        };
        auto number = [&](long long low, long long high,
                          long long& out) -> std::optional<std::string> {
            auto v = value(a.c_str());
            if (!v)
                return a + " needs a value";
            if (!parse_number(*v, low, high, out))
                return a + " '" + *v + "': expected a whole number " + std::to_string(low) + "-" +
                       std::to_string(high);
            return std::nullopt;
        };
        long long n = 0;
        std::optional<std::string> problem;
        if (a == "--station" || a == "--emulate" || a == "--fault" || a == "--emulator" ||
            a == "--operator" || a == "--results" || a == "--json" || a == "--progress") {
            auto v = value(a.c_str());
            if (!v)
                return a + " needs a value";
            if (a == "--station")
                o.station = *v;
            else if (a == "--emulate")
                o.emulate = *v;
            else if (a == "--fault")
                o.faults.push_back(*v);
            else if (a == "--emulator")
                o.emulator = *v;
            else if (a == "--operator")
                o.operator_name = *v;
            else if (a == "--results")
                o.results = *v;
            else if (a == "--json")
                o.json = *v;
            else
                o.progress = *v;
        } else if (a == "--bays") {
            if ((problem = number(1, 8, n)))
                return problem;
            o.bays = static_cast<int>(n);
        } else if (a == "--bay") {
            if ((problem = number(1, 8, n)))
                return problem;
            o.only_bays.push_back(static_cast<int>(n));
        } else if (a == "--seed") {
            if ((problem = number(0, 999999999, n)))
                return problem;
            o.seed = static_cast<std::uint64_t>(n);
        } else if (a == "--reply-timeout") {
            if ((problem = number(10, 600000, n)))
                return problem;
            o.reply_timeout_ms = static_cast<int>(n);
        } else if (a == "--batch") {
            o.batch = true;
        } else if (a == "--continue-on-fail") {
            o.continue_on_fail = true;
        } else if (a == "--print-station") {
            o.print_station = true;
        } else if (!a.empty() && a[0] == '-') {
            return "unknown option '" + a + "'";
        } else if (o.procedure.empty()) {
            o.procedure = a;
        } else {
            return "unexpected argument '" + a + "' (one procedure per run)";
        }
    }
    if (o.procedure.empty())
        return "which procedure? (bench run PROCEDURE …)";
    if (o.station.empty() == o.emulate.empty())
        return "give either --station FILE or --emulate MODEL";
    if (!o.progress.empty() && o.progress != "live" && o.progress != "plain" &&
        o.progress != "quiet")
        return "--progress '" + o.progress + "': expected live, plain or quiet";
    if (o.emulate.empty() && (!o.faults.empty()))
        return "--fault needs --emulate (faults are injected into emulated units)";
    return std::nullopt;
}

nlohmann::json summary_json(const RunSummary& s, const Procedure& p, const Station& st) {
    nlohmann::json bays = nlohmann::json::array();
    for (const BaySummary& b : s.bays)
        bays.push_back({{"bay", b.bay},
                        {"serial", b.serial},
                        {"model", b.model},
                        {"verdict", std::string(to_string(b.verdict))},
                        {"first_failing_step", b.first_failing_step},
                        {"failure_code", b.failure_code},
                        {"cause", b.cause},
                        {"duration_s", b.wall_s},
                        {"device_time_ms", b.device_ms},
                        {"record_id", b.record_id}});
    return {{"run_id", s.run_id},
            {"station", st.id},
            {"procedure", {{"name", p.name}, {"version", p.version}, {"sha256", p.sha256}}},
            {"bays", bays}};
}

void print_summary(const RunSummary& s, std::FILE* out) {
    std::fprintf(out, "\nRun %s\n", s.run_id.c_str());
    std::fprintf(out, "%-4s %-14s %-6s %-8s %-28s %-14s %8s %10s\n", "bay", "serial", "model",
                 "verdict", "first failing step", "failure code", "wall s", "device s");
    for (const BaySummary& b : s.bays) {
        std::string verdict(to_string(b.verdict));
        for (char& c : verdict)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        std::fprintf(out, "%-4d %-14s %-6s %-8s %-28s %-14s %8.2f %10.1f\n", b.bay,
                     b.serial.c_str(), b.model.c_str(), verdict.c_str(),
                     b.first_failing_step.c_str(), b.failure_code.c_str(), b.wall_s,
                     static_cast<double>(b.device_ms) / 1000.0);
        if (!b.cause.empty())
            std::fprintf(out, "     cause: %s\n", b.cause.c_str());
    }
}

/// Answers waiting prompts from the terminal without blocking the run.
void answer_from_stdin(RunMonitor& monitor, std::uint64_t& asked) {
    RunSnapshot s = monitor.snapshot();
    if (s.prompts.empty())
        return;
    const PendingPrompt& p = s.prompts.front();
    if (asked != p.id) {
        std::fprintf(stderr, "\nbay %d: %s > ", p.bay, p.request.text.c_str());
        std::fflush(stderr);
        asked = p.id;
    }
    pollfd pfd{STDIN_FILENO, POLLIN, 0};
    if (poll(&pfd, 1, 0) > 0) {
        std::string line;
        if (std::getline(std::cin, line)) {
            monitor.answer(p.id, line);
        } else {
            // No operator will ever answer (stdin closed): an empty answer
            // lets the step fail on its limit instead of waiting for ever.
            std::fprintf(stderr,
                         "\nbench: stdin is closed; answering bay %d's prompt with nothing\n",
                         p.bay);
            monitor.answer(p.id, "");
        }
    }
}

} // namespace

int run_command(const std::vector<std::string>& args, const std::string& self) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") {
            std::fputs(kHelp, stdout);
            return 0;
        }
    Options o;
    if (auto problem = parse(args, o)) {
        std::fprintf(stderr, "bench run: %s\n(bench run --help explains)\n", problem->c_str());
        return 2;
    }
    auto procedure = load_procedure(o.procedure);
    if (!procedure) {
        for (const Diagnostic& d : procedure.error())
            std::fprintf(stderr, "%s\n", d.text().c_str());
        return 2;
    }
    std::vector<std::pair<int, std::string>> faults;
    for (const std::string& f : o.faults) {
        auto parsed = parse_bay_fault(f, o.bays);
        if (!parsed) {
            std::fprintf(stderr, "bench run: %s\n", parsed.error().c_str());
            return 2;
        }
        faults.push_back(*parsed);
    }
    for (int b : o.only_bays)
        if (!o.emulate.empty() && b > o.bays) {
            std::fprintf(stderr, "bench run: --bay %d: the emulated station has bays 1-%d\n", b,
                         o.bays);
            return 2;
        }

    // The station: from its file, or an emulator started for this run.
    std::unique_ptr<EmulatedStation> emulated;
    Station station;
    if (!o.station.empty()) {
        auto loaded = load_station(o.station);
        if (!loaded) {
            for (const Diagnostic& d : loaded.error())
                std::fprintf(stderr, "%s\n", d.text().c_str());
            return 2;
        }
        station = std::move(loaded).value();
        for (int b : o.only_bays)
            if (!station.bay(b)) {
                std::fprintf(stderr, "bench run: --bay %d: station %s has no bay %d\n", b,
                             station.id.c_str(), b);
                return 2;
            }
    }
    const std::string results_dir = !o.results.empty()             ? o.results
                                    : !station.results_dir.empty() ? station.results_dir
                                                                   : "bench-results";
    if (!o.emulate.empty()) {
        EmulationOptions eo;
        eo.model = o.emulate;
        eo.bays = o.bays;
        eo.faults = faults;
        eo.seed = o.seed;
        eo.emulator = find_emulator_program(o.emulator, self);
        eo.work_dir = results_dir + "/emulator";
        StartedStation started = start_emulated_station(*procedure, eo, self);
        if (!started.station) {
            std::fprintf(stderr, "bench run: %s\n", started.error.c_str());
            return started.usage_error ? 2 : 3;
        }
        emulated = std::move(started.station);
        station = emulated->station();
        if (o.print_station)
            std::fputs(emulated->station_yaml().c_str(), stdout);
    }

    auto store = ResultsStore::open(results_dir);
    if (!store) {
        std::fprintf(stderr, "bench run: results store: %s\n", store.error().c_str());
        return 3;
    }
    const RecoveryReport& recovery = (*store)->recovery();
    if (!recovery.recovered.empty())
        std::fprintf(stderr,
                     "bench run: %zu interrupted record(s) found in %s and stored as incomplete\n",
                     recovery.recovered.size(), results_dir.c_str());
    for (const std::string& problem : recovery.problems)
        std::fprintf(stderr, "bench run: journal not recovered: %s\n", problem.c_str());

    RunOptions ro;
    const char* user = std::getenv("USER");
    ro.operator_name = !o.operator_name.empty() ? o.operator_name : user ? user : "unknown";
    ro.batch = o.batch;
    ro.continue_on_fail = o.continue_on_fail;
    ro.bays = o.only_bays;
    ro.client.reply_timeout = Millis(o.reply_timeout_ms);
    ro.bench_version = BWC_VERSION;
    ro.evidence_dir = std::filesystem::absolute(results_dir + "/evidence").string();
    ResultsStore& results = **store;
    Runner runner(
        *procedure, station, [&results](const RecordHeader& h) { return results.start_record(h); },
        ro);
    if (emulated)
        answer_as_operator(runner.monitor(), *emulated);

    // A station that is not calibrated for what the procedure measures does
    // not start: a result measured through a stale calibration is no result.
    if (auto problems = runner.preflight(); !problems.empty()) {
        std::fprintf(stderr, "bench run: station %s refuses to run %s:\n", station.id.c_str(),
                     procedure->name.c_str());
        for (const std::string& p : problems)
            std::fprintf(stderr, "  %s\n", p.c_str());
        return 3;
    }

    const bool tty = isatty(STDOUT_FILENO) != 0;
    const std::string mode = !o.progress.empty() ? o.progress : tty ? "live" : "plain";
    ProgressDisplay progress(stdout, mode == "live"    ? ProgressDisplay::Style::Live
                                     : mode == "plain" ? ProgressDisplay::Style::Plain
                                                       : ProgressDisplay::Style::Quiet);
    std::fprintf(stdout, "%s %s (sha256 %.12s) on %s, %zu bay(s), results in %s\n",
                 procedure->name.c_str(), procedure->version.c_str(), procedure->sha256.c_str(),
                 station.id.c_str(), ro.bays.empty() ? station.bays.size() : ro.bays.size(),
                 results_dir.c_str());
    std::fflush(stdout);

    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    RunSummary summary;
    std::atomic<bool> done{false};
    std::thread worker([&] {
        summary = runner.run();
        done = true;
    });
    int interrupts_seen = 0;
    std::uint64_t asked = 0;
    // Prompts on a real station are answered from stdin: a person at the
    // terminal, or a script writing lines into a pipe.
    const bool interactive = !emulated;
    while (!done) {
        while (interrupts_seen < g_interrupts.load()) {
            ++interrupts_seen;
            runner.cancel();
            std::fprintf(stderr,
                         interrupts_seen == 1
                             ? "\nbench: stopping: running teardown (Ctrl-C again to skip it)\n"
                             : "\nbench: stopping teardown too\n");
        }
        if (interactive)
            answer_from_stdin(runner.monitor(), asked);
        progress.update(runner.monitor());
        std::this_thread::sleep_for(std::chrono::milliseconds(mode == "live" ? 100 : 50));
    }
    worker.join();
    progress.finish(runner.monitor());
    print_summary(summary, stdout);

    if (!o.json.empty()) {
        std::ofstream js(o.json);
        js << summary_json(summary, *procedure, station).dump(2) << "\n";
        if (!js) {
            std::fprintf(stderr, "bench run: cannot write %s\n", o.json.c_str());
            return 3;
        }
    }
    if (emulated)
        emulated->stop();
    if (summary.any_infrastructure_error())
        return 3;
    return summary.all_passed() ? 0 : 1;
}

} // namespace bwc::bench
