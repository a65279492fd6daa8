// CSV export (see export_csv.hpp).
#include "bench/record/export_csv.hpp"

#include <initializer_list>

namespace bwc::bench {
namespace {

void append_field(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void append_row(std::string& out, std::initializer_list<std::string_view> fields) {
    bool first = true;
    for (std::string_view field : fields) {
        if (!first)
            out += ',';
        first = false;
        append_field(out, field);
    }
    out += "\r\n";
}

std::string optional_number(const std::optional<double>& n) {
    return n ? to_text(*n) : std::string();
}

} // namespace

std::string export_csv(const std::vector<RecordData>& records) {
    std::string out;
    append_row(out, {"record_id", "serial", "bay", "step_id", "attempt", "measurement", "value",
                     "unit", "low", "high", "limit", "outcome"});
    for (const RecordData& r : records) {
        const std::string serial = r.identity ? r.identity->serial : std::string();
        const std::string bay = std::to_string(r.header.bay);
        for (const StepRecord& step : r.steps) {
            const std::string attempt = std::to_string(step.attempt);
            for (const MeasurementRecord& m : step.measurements)
                append_row(out, {r.header.record_id, serial, bay, step.id, attempt, m.name,
                                 to_text(m.value), m.unit, optional_number(m.limit.low),
                                 optional_number(m.limit.high), m.limit.describe(),
                                 to_string(m.outcome)});
        }
    }
    return out;
}

} // namespace bwc::bench
