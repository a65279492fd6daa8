// `bench coverage` (see coverage_command.hpp). Faults run in batches, one
// faulty unit per bay of an emulated station, so an 8-bay station proves
// eight faults per run; good units run the same way with fresh seeds and
// render conditions per station.
#include "bench/cli/coverage_command.hpp"

#include "bench/cli/emulated_run.hpp"
#include "bench/cli/helper_programs.hpp"
#include "bench/coverage/coverage_report.hpp"
#include "bench/record/store.hpp"
#include "bench/runner/runner.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>

namespace bwc::bench {
namespace {

const char* kHelp =
    "usage: bench coverage --model MODEL [options]\n"
    "\n"
    "Proves a model's end-of-line procedure against every fault the emulators can\n"
    "inject into that model (bwc-emu --list-faults --model MODEL). The coverage plan\n"
    "gives, per fault, the value that makes it a real defect and the step and\n"
    "failure code that must catch it. Each fault goes into one unit of an emulated\n"
    "station (one faulty unit per bay, so 8 faults per station run); the table says\n"
    "for each: expected step and code, what the run recorded, and caught / caught\n"
    "elsewhere / ESCAPED / error / not planned (listed by the emulator, missing from\n"
    "the plan). Then good units run in fresh stations (new serials, and random\n"
    "render conditions of the vision cameras, calibrated as a shift would) and every\n"
    "one that does not pass is a false fail.\n"
    "\n"
    "Options:\n"
    "  --model MODEL      W100, W120, W700 or W701 (required)\n"
    "  --plan FILE        coverage plan (default procedures/eol/coverage.yaml)\n"
    "  --good-units N     good units to run, 0-10000 (default 16)\n"
    "  --no-faults        only the good units\n"
    "  --fault NAME       only this fault of the plan (repeatable; for a quick look)\n"
    "  --bays N           bays per emulated station, 1-8 (default 8; W700: 1)\n"
    "  --seed N           first seed of serials and render conditions (default 1)\n"
    "  --out FILE         write the table as Markdown\n"
    "  --json FILE        write the table as JSON\n"
    "  --results DIR      records of every unit go here (default coverage-results)\n"
    "  --emulator PATH    the bwc-emu binary (default: found next to bench)\n"
    "\n"
    "Exit status: 0 every fault caught at its expected step and no false fail,\n"
    "1 otherwise, 2 usage or plan error, 3 a station could not be started.\n"
    "\n"
    "Examples:\n"
    "  bench coverage --model w120 --out docs/coverage/w120.md\n"
    "  bench coverage --model w100 --no-faults --good-units 200\n"
    "  bench coverage --model w701 --fault dock.vbus_mv\n";

struct Options {
    std::string model, plan = "procedures/eol/coverage.yaml", out, json,
                       results = "coverage-results", emulator;
    int good_units = 16;
    bool faults = true;
    std::vector<std::string> only;
    int bays = 0; // 0: 8, or 1 for a W700
    std::uint64_t seed = 1;
};

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::optional<std::string> parse(const std::vector<std::string>& args, Options& o) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::optional<std::string> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        auto number = [&](long long low, long long high,
                          long long& out) -> std::optional<std::string> {
            auto v = value();
            if (!v)
                return a + " needs a number";
            try {
                std::size_t used = 0;
                out = std::stoll(*v, &used);
                if (used != v->size() || out < low || out > high)
                    throw std::out_of_range(*v);
            } catch (const std::exception&) {
                return a + " '" + *v + "': expected a whole number " + std::to_string(low) + "-" +
                       std::to_string(high);
            }
            return std::nullopt;
        };
        long long n = 0;
        if (a == "--model" || a == "--plan" || a == "--out" || a == "--json" || a == "--results" ||
            a == "--emulator" || a == "--fault") {
            auto v = value();
            if (!v)
                return a + " needs a value";
            (a == "--model"      ? o.model
             : a == "--plan"     ? o.plan
             : a == "--out"      ? o.out
             : a == "--json"     ? o.json
             : a == "--results"  ? o.results
             : a == "--emulator" ? o.emulator
                                 : o.only.emplace_back()) = *v;
        } else if (a == "--good-units") {
            if (auto e = number(0, 10000, n))
                return e;
            o.good_units = static_cast<int>(n);
        } else if (a == "--bays") {
            if (auto e = number(1, 8, n))
                return e;
            o.bays = static_cast<int>(n);
        } else if (a == "--seed") {
            if (auto e = number(0, 1'000'000'000, n))
                return e;
            o.seed = static_cast<std::uint64_t>(n);
        } else if (a == "--no-faults") {
            o.faults = false;
        } else {
            return "unknown option '" + a + "'";
        }
    }
    if (o.model.empty())
        return "--model is required";
    o.model = upper(o.model);
    if (o.model != "W100" && o.model != "W120" && o.model != "W700" && o.model != "W701")
        return "--model '" + o.model + "': expected W100, W120, W700 or W701";
    if (o.bays == 0)
        o.bays = o.model == "W700" ? 1 : 8;
    if (o.model == "W700" && o.bays != 1)
        return "--bays: a W700 dock has one bay";
    return std::nullopt;
}

struct ListedFault {
    std::string name, placeholder, spec_row;
};

/// `bwc-emu --list-faults --model M`, parsed; errors quote the line.
Result<std::vector<ListedFault>> list_faults(const std::string& emulator,
                                             const std::string& model) {
    using R = Result<std::vector<ListedFault>>;
    const std::string cmd = "'" + emulator + "' --list-faults --model " + model + " 2>&1";
    std::FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe)
        return R::failure("cannot run " + emulator);
    std::string text;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        text.append(buf, n);
    const int status = pclose(pipe);
    if (status != 0)
        return R::failure(emulator + " --list-faults --model " + model + " failed: " + text);
    std::vector<ListedFault> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty())
            continue;
        const std::size_t t1 = line.find('\t');
        const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string::npos)
            return R::failure(emulator + " --list-faults: expected NAME<TAB>VALUE<TAB>SPEC, got '" +
                              line + "'");
        out.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
    }
    if (out.empty())
        return R::failure(emulator + " lists no faults for " + model);
    return out;
}

UnitOutcome outcome_of(const BaySummary& b) {
    return {std::string(to_string(b.verdict)),
            b.first_failing_step,
            b.failure_code,
            b.cause,
            b.serial,
            b.wall_s,
            static_cast<double>(b.device_ms) / 1000.0};
}

/// What one emulated station run gives: per bay, or why it could not run.
struct Batch {
    std::vector<UnitOutcome> units;
    std::string error;
    bool usage_error = false;
};

Batch run_station(const Procedure& procedure, const Options& o, const std::string& self,
                  const std::vector<std::string>& faults, int bays, std::uint64_t seed,
                  const std::optional<VisionConditions>& conditions, ResultsStore& store,
                  const std::string& work_dir) {
    Batch out;
    EmulationOptions eo;
    eo.model = o.model;
    eo.bays = bays;
    eo.seed = seed;
    eo.emulator = find_emulator_program(o.emulator, self);
    eo.work_dir = work_dir;
    for (std::size_t i = 0; i < faults.size(); ++i)
        if (!faults[i].empty())
            eo.faults.emplace_back(static_cast<int>(i) + 1, faults[i]);
    StartedStation started = start_emulated_station(procedure, eo, self, conditions);
    if (!started.station) {
        out.error = started.error;
        out.usage_error = started.usage_error;
        return out;
    }
    RunOptions ro;
    ro.operator_name = "bench coverage";
    ro.bench_version = BWC_VERSION;
    ro.evidence_dir = std::filesystem::absolute(o.results + "/evidence").string();
    Runner runner(
        procedure, started.station->station(),
        [&store](const RecordHeader& h) { return store.start_record(h); }, ro);
    answer_as_operator(runner.monitor(), *started.station);
    if (auto problems = runner.preflight(); !problems.empty()) {
        out.error = "the station refuses the run: " + problems.front();
        return out;
    }
    const RunSummary summary = runner.run();
    for (const BaySummary& b : summary.bays)
        out.units.push_back(outcome_of(b));
    started.station->stop();
    return out;
}

/// Random render conditions of the emulated vision cameras, within the
/// renderer's documented limits (fixtures/vision/PROTOCOL.md, CONDITIONS).
VisionConditions random_conditions(std::mt19937_64& rng) {
    auto uniform = [&](double lo, double hi) {
        return std::uniform_real_distribution<double>(lo, hi)(rng);
    };
    VisionConditions c;
    c.exposure_ev = uniform(-1.0, 1.0);
    c.wb_k = uniform(3000, 7500);
    c.noise = uniform(0, 8);
    c.blur_px = uniform(0, 2);
    c.tilt_deg = uniform(0, 5);
    c.tilt_axis_deg = uniform(-180, 180);
    c.seed = rng() % 1'000'000;
    return c;
}

std::string elapsed(std::chrono::steady_clock::time_point since) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count());
    return buf;
}

} // namespace

int coverage_command(const std::vector<std::string>& args, const std::string& self) {
    for (const std::string& a : args)
        if (a == "--help" || a == "-h") {
            std::fputs(kHelp, stdout);
            return 0;
        }
    Options o;
    if (auto problem = parse(args, o)) {
        std::fprintf(stderr, "bench coverage: %s\n(bench coverage --help explains)\n",
                     problem->c_str());
        return 2;
    }
    auto plan = load_coverage_plan(o.plan);
    if (!plan) {
        for (const Diagnostic& d : plan.error())
            std::fprintf(stderr, "%s\n", d.text().c_str());
        return 2;
    }
    const ModelCoverage* mc = plan->find(o.model);
    if (!mc) {
        std::fprintf(stderr, "bench coverage: %s has no entry for model %s\n", o.plan.c_str(),
                     o.model.c_str());
        return 2;
    }
    auto procedure = load_procedure(mc->procedure);
    if (!procedure) {
        for (const Diagnostic& d : procedure.error())
            std::fprintf(stderr, "%s\n", d.text().c_str());
        return 2;
    }
    const std::string emulator = find_emulator_program(o.emulator, self);
    auto listed = list_faults(emulator, o.model);
    if (!listed) {
        std::fprintf(stderr, "bench coverage: %s\n", listed.error().c_str());
        return 3;
    }

    // The plan against the emulator's list: every listed fault planned, every
    // planned fault listed, a value where the fault takes one.
    CoverageReport report;
    report.model = o.model;
    report.procedure = procedure->name + " " + procedure->version;
    report.procedure_sha256 = procedure->sha256;
    bool plan_ok = true;
    std::map<std::string, const ListedFault*> by_name;
    for (const ListedFault& f : *listed)
        by_name[f.name] = &f;
    for (const PlannedFault& p : mc->faults) {
        auto it = by_name.find(p.name);
        if (it == by_name.end()) {
            std::fprintf(stderr, "%s: fault '%s' is not one bwc-emu can inject into a %s\n",
                         to_string(p.pos).c_str(), p.name.c_str(), o.model.c_str());
            plan_ok = false;
        } else if (it->second->placeholder.empty() != p.value.empty()) {
            std::fprintf(stderr, "%s: fault '%s' %s\n", to_string(p.pos).c_str(), p.name.c_str(),
                         p.value.empty() ? ("needs a value " + it->second->placeholder).c_str()
                                         : "takes no value");
            plan_ok = false;
        }
    }
    if (!plan_ok)
        return 2;
    for (const ListedFault& f : *listed) {
        if (!o.faults)
            break; // only good units: no fault rows
        const auto planned = std::find_if(mc->faults.begin(), mc->faults.end(),
                                          [&](const PlannedFault& p) { return p.name == f.name; });
        if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), f.name) == o.only.end())
            continue;
        FaultRow row;
        row.spec_row = f.spec_row;
        if (planned == mc->faults.end()) {
            row.fault = f.name;
            row.planned = false;
        } else {
            row.fault = planned->injected();
            row.expected_step = planned->step;
            row.expected_code = planned->code;
        }
        report.faults.push_back(std::move(row));
    }
    for (const std::string& name : o.only)
        if (!by_name.count(name)) {
            std::fprintf(stderr, "bench coverage: --fault %s: bwc-emu lists no such %s fault\n",
                         name.c_str(), o.model.c_str());
            return 2;
        }

    auto store = ResultsStore::open(o.results);
    if (!store) {
        std::fprintf(stderr, "bench coverage: results store: %s\n", store.error().c_str());
        return 3;
    }
    const auto started = std::chrono::steady_clock::now();
    std::printf("bench coverage: %s on emulated %s stations of %d bay(s); %zu fault(s), %d good "
                "unit(s); records in %s\n",
                report.procedure.c_str(), o.model.c_str(), o.bays,
                o.faults ? report.faults.size() : std::size_t{0}, o.good_units, o.results.c_str());
    std::fflush(stdout);
    std::uint64_t seed = o.seed;
    int station_runs = 0;
    const auto work_dir = [&] {
        return o.results + "/emulator/station-" + std::to_string(++station_runs);
    };

    // Faults: one faulty unit per bay; unplanned ones are reported, not run.
    std::vector<FaultRow*> to_run;
    if (o.faults)
        for (FaultRow& r : report.faults)
            if (r.planned)
                to_run.push_back(&r);
    for (std::size_t first = 0; first < to_run.size(); first += static_cast<std::size_t>(o.bays)) {
        const std::size_t n =
            std::min<std::size_t>(static_cast<std::size_t>(o.bays), to_run.size() - first);
        std::vector<std::string> faults;
        for (std::size_t i = 0; i < n; ++i)
            faults.push_back(to_run[first + i]->fault);
        const Batch batch = run_station(*procedure, o, self, faults, static_cast<int>(n), seed++,
                                        std::nullopt, **store, work_dir());
        if (batch.usage_error) {
            std::fprintf(stderr, "bench coverage: %s\n", batch.error.c_str());
            return 2;
        }
        for (std::size_t i = 0; i < n; ++i) {
            FaultRow& row = *to_run[first + i];
            if (!batch.error.empty())
                row.actual = {"error", "", "", batch.error, "", 0, 0};
            else if (i < batch.units.size())
                row.actual = batch.units[i];
            std::printf("  %-44s %-10s %-24s %-14s %s\n", row.fault.c_str(),
                        row.actual.verdict.c_str(), row.actual.first_failing_step.c_str(),
                        row.actual.failure_code.c_str(),
                        std::string(to_string(row.judge())).c_str());
        }
        std::printf("  faults %zu-%zu of %zu done (%s)\n", first + 1, first + n, to_run.size(),
                    elapsed(started).c_str());
        std::fflush(stdout);
    }

    // Good units: fresh stations, new serials, random render conditions.
    std::mt19937_64 rng(o.seed * 7919 + 17);
    for (int done = 0; done < o.good_units;) {
        const int n = std::min(o.bays, o.good_units - done);
        const Batch batch = run_station(*procedure, o, self, {}, n, 1000 + seed++,
                                        random_conditions(rng), **store, work_dir());
        if (!batch.error.empty()) {
            for (int i = 0; i < n; ++i)
                report.false_fails.push_back({"error", "", "", batch.error, "", 0, 0});
        } else {
            for (const UnitOutcome& u : batch.units)
                if (u.verdict != "pass")
                    report.false_fails.push_back(u);
        }
        report.good_units += n;
        done += n;
        std::printf("  good units %d of %d done, %zu false fail(s) (%s)\n", done, o.good_units,
                    report.false_fails.size(), elapsed(started).c_str());
        std::fflush(stdout);
    }
    report.wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    const std::string md = report.markdown();
    std::printf("\n%s", md.c_str());
    const auto write = [](const std::string& path, const std::string& text) {
        if (path.empty())
            return true;
        std::error_code ec;
        const auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty())
            std::filesystem::create_directories(parent, ec);
        const std::string tmp = path + ".tmp";
        {
            std::ofstream f(tmp);
            f << text;
            if (!f)
                return false;
        }
        return std::rename(tmp.c_str(), path.c_str()) == 0;
    };
    if (!write(o.out, md)) {
        std::fprintf(stderr, "bench coverage: cannot write %s\n", o.out.c_str());
        return 3;
    }
    if (!write(o.json, report.json().dump(2) + "\n")) {
        std::fprintf(stderr, "bench coverage: cannot write %s\n", o.json.c_str());
        return 3;
    }
    const bool faults_clean = !o.faults || report.count(FaultRow::Result::Caught) ==
                                               static_cast<int>(report.faults.size());
    return faults_clean && report.false_fails.empty() ? 0 : 1;
}

} // namespace bwc::bench
