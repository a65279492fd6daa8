// `bench calibrate` (see calibrate_command.hpp).
#include "bench/cli/calibrate_command.hpp"

#include "bench/station/calibration_book.hpp"
#include "calibration/routines.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace bwc::bench {
namespace {

const char* kHelp =
    "usage: bench calibrate ROUTINE... --station FILE [options]\n"
    "       bench calibrate golden --station FILE [--bay N]...\n"
    "\n"
    "Runs station calibration routines and adds their records to the station's\n"
    "calibration file (its 'calibration:' entry, or --calibration FILE). Each\n"
    "record names the operator, the instruments, when it was made and when it\n"
    "expires; bench run refuses to start when a calibration the procedure needs\n"
    "is missing or expired. Earlier records are kept: the newest one counts.\n"
    "\n"
    "Routines:\n"
    "  vision     per bay: nest registration (homography, region map) and colour\n"
    "             reference, from the vision camera (records vision.registration,\n"
    "             vision.colour; valid 7 days)\n"
    "  actuator   per bay: command-to-contact latency (actuator.latency; 30 days)\n"
    "  thermal    chamber readout against the reference thermometer at 25 C\n"
    "             (thermal.offset; 90 days)\n"
    "  contacts   per bay: pogo-pin contact resistance baseline (dock.contacts;\n"
    "             30 days)\n"
    "  all        every routine the station has fixtures for\n"
    "  golden     with a known-good unit in each bay: measure again and compare\n"
    "             with the calibration (LED colours through the calibrated vision,\n"
    "             latency, contacts, chamber offset); writes nothing\n"
    "\n"
    "Options:\n"
    "  --station FILE        the station file (required)\n"
    "  --bay N               only this bay (repeatable; default every bay)\n"
    "  --operator NAME       who performs the calibration (default $USER)\n"
    "  --valid-days N        how long the new records hold (default per kind)\n"
    "  --calibration FILE    the calibration file (default: the station's)\n"
    "\n"
    "Exit status: 0 done (golden: every check passed), 1 a routine or check\n"
    "failed (nothing of a failed routine is written), 2 usage or file error.\n"
    "\n"
    "Example:\n"
    "  bench calibrate all --station stations/line2.yaml --operator j.doe\n"
    "  bench calibrate golden --station stations/line2.yaml\n";

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

std::vector<std::string> calibrate_emulated_station(Station& station,
                                                    const std::string& book_path) {
    CalibrationBook book;
    book.path = book_path;
    book.station = station.id;
    calibration::Session session{station, "bench (emulated station)", 0, now_seconds(), {}};
    std::vector<int> bays;
    for (const Bay& b : station.bays)
        bays.push_back(b.number);
    const std::vector<std::string> all(calibration::kRoutines.begin(),
                                       calibration::kRoutines.end());
    auto problems = calibration::run_routines(session, all, bays, book);
    if (!problems.empty())
        return problems;
    if (std::string why = save_calibration_book(book); !why.empty())
        return {why};
    station.calibration = book_path;
    return {};
}

int calibrate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    std::vector<std::string> routines;
    std::string station_path, operator_name, calibration_path;
    std::vector<int> bays;
    int valid_days = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const auto value = [&]() -> const std::string* {
            if (i + 1 >= args.size()) {
                err << "bench calibrate: " << a << " needs a value\n";
                return nullptr;
            }
            return &args[++i];
        };
        const auto number = [&](int lo, int hi) -> std::optional<int> {
            const std::string* v = value();
            if (!v)
                return std::nullopt;
            char* end = nullptr;
            const long n = std::strtol(v->c_str(), &end, 10);
            if (v->empty() || *end != '\0' || n < lo || n > hi) {
                err << "bench calibrate: " << a << " wants a number from " << lo << " to " << hi
                    << ", got '" << *v << "'\n";
                return std::nullopt;
            }
            return static_cast<int>(n);
        };
        if (a == "--help" || a == "-h") {
            out << kHelp;
            return 0;
        } else if (a == "--station" || a == "--operator" || a == "--calibration") {
            const std::string* v = value();
            if (!v)
                return 2;
            (a == "--station" ? station_path : a == "--operator" ? operator_name : calibration_path) =
                *v;
        } else if (a == "--bay") {
            auto n = number(1, 8);
            if (!n)
                return 2;
            bays.push_back(*n);
        } else if (a == "--valid-days") {
            auto n = number(1, 3650);
            if (!n)
                return 2;
            valid_days = *n;
        } else if (!a.empty() && a[0] == '-') {
            err << "bench calibrate: unknown option '" << a << "' (see bench calibrate --help)\n";
            return 2;
        } else if (a == "all") {
            routines.insert(routines.end(), calibration::kRoutines.begin(),
                            calibration::kRoutines.end());
        } else if (a == "golden" ||
                   std::find(calibration::kRoutines.begin(), calibration::kRoutines.end(), a) !=
                       calibration::kRoutines.end()) {
            routines.push_back(a);
        } else {
            err << "bench calibrate: unknown routine '" << a
                << "' (vision, actuator, thermal, contacts, all, golden)\n";
            return 2;
        }
    }
    if (routines.empty() || station_path.empty()) {
        err << "bench calibrate: name a routine and --station FILE (see bench calibrate --help)\n";
        return 2;
    }
    const bool golden = std::find(routines.begin(), routines.end(), "golden") != routines.end();
    if (golden && routines.size() > 1) {
        err << "bench calibrate: golden checks a calibrated station; run it on its own\n";
        return 2;
    }
    auto station = load_station(station_path);
    if (!station) {
        for (const Diagnostic& d : station.error())
            err << d.text() << "\n";
        return 2;
    }
    if (calibration_path.empty())
        calibration_path = station->calibration;
    if (calibration_path.empty()) {
        err << "bench calibrate: station " << station->id << " (" << station_path
            << ") names no calibration file: add 'calibration: FILE' to it or pass "
               "--calibration FILE\n";
        return 2;
    }
    for (int b : bays)
        if (!station->bay(b)) {
            err << "bench calibrate: --bay " << b << ": station " << station->id << " has no bay "
                << b << "\n";
            return 2;
        }
    if (bays.empty())
        for (const Bay& b : station->bays)
            bays.push_back(b.number);

    CalibrationBook book;
    book.path = calibration_path;
    book.station = station->id;
    if (std::filesystem::exists(calibration_path)) {
        auto loaded = load_calibration_book(calibration_path);
        if (!loaded) {
            for (const Diagnostic& d : loaded.error())
                err << d.text() << "\n";
            return 2;
        }
        book = std::move(*loaded);
    }
    const char* user = std::getenv("USER");
    calibration::Session session{
        *station,
        !operator_name.empty() ? operator_name : user ? user : "unknown",
        valid_days,
        now_seconds(),
        {},
        [&out](const std::string& line) { out << "  " << line << "\n" << std::flush; }};

    if (golden) {
        out << "golden-unit check of station " << station->id << " against " << calibration_path
            << "\n";
        const auto checks = calibration::golden_unit_check(session, book, bays);
        int failed = 0;
        for (const calibration::GoldenCheck& c : checks) {
            out << (c.pass ? "PASS  " : "FAIL  ") << c.what << ": " << c.detail << "\n";
            failed += c.pass ? 0 : 1;
        }
        out << checks.size() - static_cast<std::size_t>(failed) << " of " << checks.size()
            << " checks passed\n";
        return failed == 0 && !checks.empty() ? 0 : 1;
    }

    const std::size_t before = book.records.size();
    out << "calibrating station " << station->id << " (" << bays.size() << " bay(s)) as "
        << session.operator_name << "\n";
    const auto problems = calibration::run_routines(session, routines, bays, book);
    for (std::size_t i = before; i < book.records.size(); ++i) {
        const CalibrationRecord& r = book.records[i];
        out << r.id << "  " << r.kind << (r.bay ? " bay " + std::to_string(*r.bay) : "")
            << "  expires " << r.expires << "\n";
    }
    for (const std::string& p : problems)
        err << "bench calibrate: " << p << "\n";
    if (book.records.size() > before) {
        if (std::string why = save_calibration_book(book); !why.empty()) {
            err << "bench calibrate: " << why << "\n";
            return 2;
        }
        out << book.records.size() - before << " record(s) added to " << calibration_path << "\n";
    } else if (problems.empty()) {
        err << "bench calibrate: the station has no fixture for "
            << (routines.size() == 1 ? "that routine" : "those routines") << "\n";
        return 1;
    }
    return problems.empty() ? 0 : 1;
}

} // namespace bwc::bench
