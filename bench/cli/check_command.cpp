// `bench check` (see check_command.hpp).
#include "bench/cli/check_command.hpp"

#include "bench/procedure/check.hpp"
#include "bench/procedure/station_fit.hpp"
#include "bench/procedure/units.hpp"
#include "bench/station/station.hpp"
#include "bench/steps/step_type.hpp"

#include <cstdio>
#include <optional>

namespace bwc::bench {
namespace {

const char* kCheckHelp =
    "usage: bench check FILE... [--station STATION]\n"
    "       bench check --list-steps | --list-units\n"
    "\n"
    "Validates procedure and station files without running anything: YAML syntax,\n"
    "keys, step types and their arguments, measurements, units (UNECE Rec. 20\n"
    "codes), limits, ${...} references, run_if conditions, device URIs and bays.\n"
    "A file is a procedure when it starts with 'procedure:', a station when it\n"
    "starts with 'station:'. Every problem is printed as\n"
    "\n"
    "  FILE:LINE:COLUMN: message\n"
    "\n"
    "and a good file as \"FILE: ok (...)\" with its name, version, step count and\n"
    "the SHA-256 each test record stores. Exit status: 0 all good, 2 otherwise.\n"
    "\n"
    "A procedure is also held against the model table: a numeric limit that a good\n"
    "unit of a model it names would fail (a hold threshold, a boot time) is an\n"
    "error. With --station, each procedure is held against that station too: a\n"
    "step that needs a fixture, a physical port or a dock the station (or one of\n"
    "its bays) lacks is an error, as `bench run` would refuse it.\n"
    "\n"
    "Options:\n"
    "  --station FILE  also check each procedure against this station file\n"
    "  --list-steps   the step types a procedure can use, with arguments and measurements\n"
    "  --list-units   the unit codes a measurement can name\n"
    "  --help         this text\n"
    "\n"
    "Examples:\n"
    "  bench check procedures/examples/buttons.yaml\n"
    "  bench check procedures/eol/*.yaml stations/bench-3.yaml\n"
    "  bench check procedures/eol/w120.yaml --station stations/bench-3.yaml\n"
    "  bench check --list-steps\n"
    "\n"
    "  $ bench check broken.yaml\n"
    "  broken.yaml:14:22: unknown unit 'ms': expected a UNECE Rec. 20 code (C26 = millisecond?)\n"
    "  broken.yaml:20:11: unknown step type 'button.hold' (did you mean 'button.hold_threshold'?)\n"
    "  broken.yaml:31:9: limit 2850 <= x <= 3150 C26 of hold-record.threshold_ms contradicts the\n"
    "    W100 model table: record button hold is 4000 C26, so a good unit would fail\n"
    "\n"
    "The language is described in procedures/README.md, station files in\n"
    "stations/README.md.\n";

// `s` and spaces up to `width` characters (UTF-8: "µs" is two), then one more.
std::string padded(std::string s, std::size_t width) {
    std::size_t chars = 0;
    for (char c : s)
        chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    if (chars < width)
        s.append(width - chars, ' ');
    return s + " ";
}

void list_steps(std::ostream& out) {
    const auto types = StepRegistry::instance().all();
    if (types.empty()) {
        out << "no step types are registered in this build\n";
        return;
    }
    for (const StepType* t : types) {
        const StepTypeInfo& info = t->info();
        out << info.name << "  (" << info.family << ")\n";
        if (!info.help.empty())
            out << "    " << info.help << "\n";
        if (!info.fixtures.empty() || info.needs_physical || info.needs_dock) {
            out << "    needs:";
            for (const std::string& f : info.fixtures)
                out << " fixture " << f;
            if (info.needs_physical)
                out << " physical port";
            if (info.needs_dock)
                out << " dock";
            out << "\n";
        }
        out << "    args:" << (info.args.empty() ? " none" : "") << "\n";
        for (const ArgSpec& a : info.args) {
            std::string kind(to_string(a.kind));
            if (a.required && a.default_value.is_null())
                kind += ", required";
            else if (!a.default_value.is_null())
                kind += ", default " + a.default_value.dump();
            if (!a.choices.empty()) {
                kind += ", one of ";
                for (std::size_t i = 0; i < a.choices.size(); ++i)
                    kind += (i ? "|" : "") + a.choices[i];
            }
            out << "      " << padded(a.name, 16) << padded(kind, 28) << a.help << "\n";
        }
        out << "    measurements:"
            << (info.any_measurement        ? " named by the arguments"
                : info.measurements.empty() ? " none"
                                            : "")
            << "\n";
        for (const MeasurementInfo& m : info.measurements)
            out << "      " << padded(m.name, 16)
                << padded(m.unit.empty() ? "text/bool" : describe_unit(m.unit), 28) << m.help
                << "\n";
    }
}

void list_units(std::ostream& out) {
    for (const UnitInfo& u : all_units())
        out << padded(std::string(u.code), 5) << padded(std::string(u.symbol), 10) << u.name
            << "\n";
}

} // namespace

int check_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::vector<std::string> files;
    std::string station_file;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--station") {
            if (i + 1 >= args.size()) {
                err << "bench check: --station needs a station file (bench check --help)\n";
                return 2;
            }
            station_file = args[++i];
            continue;
        }
        if (a == "--help" || a == "-h") {
            out << kCheckHelp;
            return 0;
        }
        if (a == "--list-steps") {
            list_steps(out);
            return 0;
        }
        if (a == "--list-units") {
            list_units(out);
            return 0;
        }
        if (a.size() > 1 && a.front() == '-') {
            err << "bench check: unknown option '" << a << "' (bench check --help)\n";
            return 2;
        }
        files.push_back(a);
    }
    if (files.empty()) {
        err << "bench check: no file given\nusage: bench check FILE... (bench check --help)\n";
        return 2;
    }
    std::optional<Station> station;
    if (!station_file.empty()) {
        auto loaded = load_station(station_file);
        if (!loaded) {
            for (const Diagnostic& d : loaded.error())
                err << d.text() << "\n";
            return 2;
        }
        station = std::move(*loaded);
    }
    bool all_ok = true;
    for (const std::string& file : files) {
        CheckReport report = check_file(file);
        if (station && report.ok() && report.kind == FileKind::Procedure) {
            // The file passed on its own, so it loads; then it must fit the station.
            if (auto proc = load_procedure(file)) {
                report.diagnostics = check_station_fit(*proc, *station);
                if (report.ok())
                    report.summary += ", fits station " + station->id;
            }
        }
        for (const Diagnostic& d : report.diagnostics)
            err << d.text() << "\n";
        if (report.ok())
            out << file << ": ok (" << report.summary << ")\n";
        else
            all_ok = false;
    }
    return all_ok ? 0 : 2;
}

} // namespace bwc::bench
