// Telling procedure and station files apart and checking them (see check.hpp).
#include "bench/procedure/check.hpp"

#include "bench/procedure/procedure.hpp"
#include "bench/procedure/station_fit.hpp"
#include "bench/procedure/yaml_reader.hpp"
#include "bench/station/calibration_book.hpp"
#include "bench/station/station.hpp"

#include <filesystem>

namespace bwc::bench {
namespace {

// The kind of file by its top-level key; reports files that are neither.
FileKind detect(std::string_view text, const std::string& path, Diagnostics& out) {
    yaml::Reporter r(path, text);
    auto doc = yaml::parse_document(text, r);
    if (doc && !doc->IsMap()) {
        r.error(*doc, "expected a procedure or station file: a mapping starting with "
                      "'procedure:' or 'station:'");
    } else if (doc) {
        bool procedure = false, station = false;
        for (auto it = doc->begin(); it != doc->end(); ++it) {
            if (!it->first.IsScalar())
                continue;
            procedure = procedure || it->first.Scalar() == "procedure";
            station = station || it->first.Scalar() == "station";
        }
        if (procedure && station)
            r.error(*doc,
                    "the file has both 'procedure' and 'station': a file is one or the other");
        else if (procedure)
            return FileKind::Procedure;
        else if (station)
            return FileKind::Station;
        else
            r.error(*doc, "expected a top-level 'procedure:' (a procedure file) or 'station:' "
                          "(a station file)");
    }
    out = r.take();
    return FileKind::Unknown;
}

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

CheckReport check_text(std::string_view text, const std::string& path) {
    CheckReport report;
    report.path = path;
    report.kind = detect(text, path, report.diagnostics);
    if (report.kind == FileKind::Procedure) {
        auto proc = parse_procedure(text, path);
        if (!proc) {
            report.diagnostics = proc.error();
        } else if (auto contradictions = check_model_facts(*proc); !contradictions.empty()) {
            report.diagnostics = std::move(contradictions);
        } else {
            const std::size_t steps =
                proc->setup.size() + proc->main.size() + proc->teardown.size();
            report.summary = "procedure " + proc->name + " " + proc->version + ", " +
                             plural(steps, "step") + ", sha256 " + proc->sha256;
        }
    } else if (report.kind == FileKind::Station) {
        auto station = parse_station(text, path);
        if (!station) {
            report.diagnostics = station.error();
        } else {
            std::size_t fixtures = station->fixtures.size();
            for (const Bay& b : station->bays)
                fixtures += b.fixtures.size();
            report.summary = "station " + station->id + ", " +
                             (station->dock ? "dock " + station->dock->model : "no dock") + ", " +
                             plural(station->bays.size(), "bay") + ", " +
                             plural(fixtures, "fixture");
            // The calibration file it names is checked with it; one that does
            // not exist yet is not an error (bench calibrate writes it).
            if (!station->calibration.empty() &&
                std::filesystem::exists(station->calibration)) {
                auto book = load_calibration_book(station->calibration);
                if (!book)
                    report.diagnostics = book.error();
                else
                    report.summary += ", " + plural(book->records.size(), "calibration record");
            }
        }
    }
    return report;
}

CheckReport check_file(const std::string& path) {
    auto text = yaml::read_file(path);
    if (!text) {
        CheckReport report;
        report.path = path;
        report.diagnostics.push_back(Diagnostic{SourcePos{path, 0, 0}, text.error()});
        return report;
    }
    return check_text(*text, path);
}

} // namespace bwc::bench
