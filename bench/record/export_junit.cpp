// JUnit XML export (see export_junit.hpp). Text is escaped for XML 1.0:
// markup characters as entities, characters XML cannot hold at all (most
// control characters, invalid UTF-8) as U+FFFD.
#include "bench/record/export_junit.hpp"

#include "bench/record/record_text.hpp"

#include <algorithm>

namespace bwc::bench {
namespace {

bool allowed_in_xml(char32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp != 0xFFFE && cp != 0xFFFF);
}

void append_escaped(std::string& out, std::string_view text, bool in_attribute) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t cp = next_code_point(text, pos);
        switch (cp) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += in_attribute ? "&quot;" : "\"";
            break;
        case '\'':
            out += in_attribute ? "&apos;" : "'";
            break;
        case '\n': // attribute values would have these normalised to spaces
            out += in_attribute ? "&#10;" : "\n";
            break;
        case '\r':
            out += "&#13;";
            break;
        case '\t':
            out += in_attribute ? "&#9;" : "\t";
            break;
        default:
            append_utf8(out, allowed_in_xml(cp) ? cp : kReplacementCharacter);
        }
    }
}

std::string escaped(std::string_view text, bool in_attribute = true) {
    std::string out;
    append_escaped(out, text, in_attribute);
    return out;
}

struct Counts {
    int tests = 0, failures = 0, errors = 0, skipped = 0;
    std::int64_t micros = 0;
    void add(const Counts& o) {
        tests += o.tests, failures += o.failures, errors += o.errors, skipped += o.skipped;
        micros += o.micros;
    }
};

std::string counts_attributes(const Counts& c) {
    return " tests=\"" + std::to_string(c.tests) + "\" failures=\"" + std::to_string(c.failures) +
           "\" errors=\"" + std::to_string(c.errors) + "\" skipped=\"" + std::to_string(c.skipped) +
           "\" time=\"" + format_seconds(c.micros) + "\"";
}

std::string with_unit(const std::string& text, const std::string& unit) {
    return unit.empty() ? text : text + " " + unit;
}

/// "vbat = 2.7 V, limit 2.85 <= x <= 3.15 V" for each failing measurement.
std::string failure_message(const StepRecord& step) {
    std::string message;
    for (const MeasurementRecord& m : step.measurements) {
        if (m.outcome != Outcome::Fail)
            continue;
        if (!message.empty())
            message += "; ";
        message += m.name + " = " + with_unit(to_text(m.value), m.unit);
        if (m.limit.kind != Limit::Kind::None)
            message += ", limit " + with_unit(m.limit.describe(), m.unit);
    }
    if (message.empty())
        message = step.error.empty() ? "step failed" : step.error;
    return message;
}

/// One line per measurement, for <system-out>.
std::string measurement_lines(const StepRecord& step) {
    std::string lines;
    for (const MeasurementRecord& m : step.measurements) {
        lines += m.name + " = " + with_unit(to_text(m.value), m.unit);
        if (m.limit.kind != Limit::Kind::None)
            lines += "  [" + m.limit.describe() + "]";
        lines += "  " + std::string(to_string(m.outcome)) + "\n";
    }
    return lines;
}

void append_testcase(std::string& out, const std::string& classname, const StepRecord& step,
                     Counts& counts) {
    ++counts.tests;
    counts.micros += step.wall_duration_us;
    out += "    <testcase classname=\"" + escaped(classname) + "\" name=\"" + escaped(step.id) +
           "\" time=\"" + format_seconds(step.wall_duration_us) + "\">\n";
    const std::string type =
        step.failure_code.empty() ? std::string(to_string(step.outcome)) : step.failure_code;
    switch (step.outcome) {
    case Outcome::Fail:
        ++counts.failures;
        out += "      <failure message=\"" + escaped(failure_message(step)) + "\" type=\"" +
               escaped(type) + "\">" + escaped(measurement_lines(step), false) + "</failure>\n";
        break;
    case Outcome::Error:
    case Outcome::Aborted:
        ++counts.errors;
        out += "      <error message=\"" +
               escaped(step.error.empty() ? std::string(to_string(step.outcome)) : step.error) +
               "\" type=\"" + escaped(type) + "\"/>\n";
        break;
    case Outcome::Skipped:
        ++counts.skipped;
        out += "      <skipped/>\n";
        break;
    case Outcome::Pass:
    case Outcome::Marginal:
        break;
    }
    if (!step.measurements.empty())
        out += "      <system-out>" + escaped(measurement_lines(step), false) + "</system-out>\n";
    out += "    </testcase>\n";
}

bool any_final_step(const RecordData& r, std::initializer_list<Outcome> outcomes) {
    return std::any_of(r.steps.begin(), r.steps.end(), [&](const StepRecord& s) {
        return s.final_attempt &&
               std::find(outcomes.begin(), outcomes.end(), s.outcome) != outcomes.end();
    });
}

/// The "(record)" testcase when the steps do not explain the verdict.
void append_record_testcase(std::string& out, const RecordData& r, Counts& counts) {
    const Verdict verdict = r.verdict();
    std::string element, message;
    if (verdict == Verdict::Incomplete) {
        element = "error";
        message = "the run was interrupted: the record is incomplete";
        if (!r.interrupted_step.empty())
            message += " (during step " + r.interrupted_step + ")";
    } else if ((verdict == Verdict::Error || verdict == Verdict::Aborted) &&
               !any_final_step(r, {Outcome::Error, Outcome::Aborted})) {
        element = "error";
        message = r.end->cause.empty() ? std::string(to_string(verdict)) : r.end->cause;
    } else if (verdict == Verdict::Fail && !any_final_step(r, {Outcome::Fail})) {
        element = "failure";
        message = r.end->cause.empty() ? "the record failed" : r.end->cause;
    } else {
        return;
    }
    ++counts.tests;
    ++(element == "error" ? counts.errors : counts.failures);
    out += "    <testcase classname=\"" + escaped(r.header.procedure_name) +
           "\" name=\"(record)\" time=\"0.000000\">\n      <" + element + " message=\"" +
           escaped(message) + "\" type=\"" + std::string(to_string(verdict)) + "\"/>\n" +
           "    </testcase>\n";
}

void append_property(std::string& out, const std::string& name, const std::string& value) {
    out += "      <property name=\"" + escaped(name) + "\" value=\"" + escaped(value) + "\"/>\n";
}

void append_properties(std::string& out, const RecordData& r) {
    const RecordHeader& h = r.header;
    const UnitIdentity none;
    const UnitIdentity& u = r.identity ? *r.identity : none;
    out += "    <properties>\n";
    for (const auto& [name, value] : std::initializer_list<std::pair<const char*, std::string>>{
             {"record_id", h.record_id},
             {"run_id", h.run_id},
             {"serial", u.serial},
             {"model", u.model},
             {"firmware", u.firmware},
             {"hardware", u.hardware},
             {"imei", u.imei},
             {"mac", u.mac},
             {"battery_id", u.battery_id},
             {"station", h.station},
             {"bay", std::to_string(h.bay)},
             {"operator", h.operator_name},
             {"procedure", h.procedure_name},
             {"procedure_version", h.procedure_version},
             {"procedure_hash", h.procedure_hash},
             {"bench_version", h.bench_version},
             {"verdict", std::string(to_string(r.verdict()))},
             {"failure_code", r.end ? r.end->failure_code : std::string()},
         })
        append_property(out, name, value);
    for (const auto& [name, uri] : h.fixtures)
        append_property(out, "fixture." + name, uri);
    for (const std::string& id : h.calibration_ids)
        append_property(out, "calibration_id", id);
    out += "    </properties>\n";
}

std::string suite_name(const RecordData& r) {
    const std::string serial =
        r.identity && !r.identity->serial.empty() ? r.identity->serial : "(unidentified)";
    return "bay " + std::to_string(r.header.bay) + " " + serial + " " + r.header.procedure_name;
}

} // namespace

std::string export_junit(const std::vector<RecordData>& records) {
    std::string suites;
    Counts total;
    for (const RecordData& r : records) {
        std::string cases;
        Counts counts;
        for (const StepRecord& step : r.steps)
            if (step.final_attempt)
                append_testcase(cases, r.header.procedure_name, step, counts);
        append_record_testcase(cases, r, counts);
        suites += "  <testsuite name=\"" + escaped(suite_name(r)) + "\"" +
                  counts_attributes(counts) + " timestamp=\"" + format_utc(r.header.wall_start_ms) +
                  "\" hostname=\"" + escaped(r.header.station) + "\">\n";
        append_properties(suites, r);
        suites += cases;
        suites += "  </testsuite>\n";
        total.add(counts);
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"bench\"" +
           counts_attributes(total) + ">\n" + suites + "</testsuites>\n";
}

} // namespace bwc::bench
