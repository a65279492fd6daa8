// Text reports of records (see record_report.hpp).
#include "bench/record/record_report.hpp"

#include "bench/record/record_text.hpp"

#include <algorithm>
#include <cctype>

namespace bwc::bench {
namespace {

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

/// Control characters shown as escapes, so device text cannot break the layout.
std::string printable(std::string_view text) {
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\r')
            out += "\\r";
        else if (byte < 0x20 || byte == 0x7F) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        } else {
            out += c;
        }
    }
    return out;
}

std::string value_text(const Value& v) {
    return std::holds_alternative<std::monostate>(v) ? "(none)" : printable(to_text(v));
}

void line(std::string& out, std::string_view label, const std::string& value) {
    out += std::string(label);
    out.append(label.size() < 12 ? 12 - label.size() : 1, ' ');
    out += value + "\n";
}

std::string device_time(const std::optional<std::int64_t>& ms) {
    return ms ? "  (device " + std::to_string(*ms) + " ms)" : std::string();
}

std::string verdict_line(const RecordData& r) {
    std::string text = upper(to_string(r.verdict()));
    if (r.end) {
        if (!r.end->failure_code.empty())
            text += "  failure code " + r.end->failure_code;
        if (!r.end->first_failing_step.empty())
            text += "  first failing step " + r.end->first_failing_step;
        if (!r.end->cause.empty())
            text += "  cause: " + printable(r.end->cause);
    } else {
        text += "  the run was interrupted";
        if (!r.interrupted_step.empty())
            text += " during step " + r.interrupted_step;
        text += "; steps that finished before are kept";
    }
    return text;
}

void header_lines(std::string& out, const RecordData& r) {
    const RecordHeader& h = r.header;
    line(out, "Record", h.record_id);
    line(out, "Verdict", verdict_line(r));
    line(out, "Run", h.run_id + (h.mode.empty() ? "" : "  (" + h.mode + ")"));
    line(out, "Station", h.station + "  bay " + std::to_string(h.bay));
    line(out, "Operator", h.operator_name);
    line(out, "Procedure",
         h.procedure_name + " " + h.procedure_version + "  hash " + h.procedure_hash +
             (h.procedure_path.empty() ? "" : "  " + h.procedure_path));
    line(out, "Bench", h.bench_version);
    if (r.identity) {
        const UnitIdentity& u = *r.identity;
        line(out, "Unit",
             "serial " + u.serial + "  model " + u.model + "  firmware " + u.firmware +
                 "  hardware " + u.hardware);
        line(out, "", "imei " + u.imei + "  mac " + u.mac + "  battery " + u.battery_id);
    } else {
        line(out, "Unit", "(never identified)");
    }
    for (const auto& [name, uri] : h.fixtures)
        line(out, "Fixture", name + " = " + uri);
    if (!h.calibration_ids.empty()) {
        std::string ids;
        for (const std::string& id : h.calibration_ids)
            ids += (ids.empty() ? "" : ", ") + id;
        line(out, "Calibration", ids);
    }
    line(out, "Started", format_utc(h.wall_start_ms, true) + "Z" + device_time(h.device_start_ms));
    if (r.end)
        line(out, "Ended",
             format_utc(r.end->wall_end_ms, true) + "Z" + device_time(r.end->device_end_ms));
}

void step_lines(std::string& out, const StepRecord& s) {
    out += "  #" + std::to_string(s.index) + " " + s.id;
    if (!s.name.empty() && s.name != s.id)
        out += " \"" + s.name + "\"";
    out += "  [" + s.type + (s.group.empty() ? "" : ", " + s.group) + "]";
    if (s.attempt > 1 || !s.final_attempt)
        out += "  attempt " + std::to_string(s.attempt) + (s.final_attempt ? "" : " (retried)");
    out += "  " + upper(to_string(s.outcome)) + "  " + format_seconds(s.wall_duration_us) + " s\n";
    if (!s.error.empty())
        out += "      cause: " + printable(s.error) + "\n";
    if (!s.failure_code.empty() && s.outcome == Outcome::Fail)
        out += "      failure code: " + s.failure_code + "\n";
    for (const MeasurementRecord& m : s.measurements) {
        out += "      " + printable(m.name) + " = " + value_text(m.value) +
               (m.unit.empty() ? "" : " " + m.unit);
        if (m.limit.kind != Limit::Kind::None)
            out += "   limit " + m.limit.describe();
        out += "   " + std::string(to_string(m.outcome)) + "\n";
    }
}

} // namespace

std::string format_record_report(const RecordData& r) {
    std::string out;
    header_lines(out, r);
    out += "Steps (" + std::to_string(r.steps.size()) + ")\n";
    for (const StepRecord& s : r.steps)
        step_lines(out, s);
    if (!r.interrupted_step.empty())
        out += "  " + r.interrupted_step + "  started, never finished\n";
    if (!r.evidence.empty()) {
        out += "Evidence\n";
        for (const Evidence& e : r.evidence)
            out += "  " + e.step_id + "  " + e.path + "  sha256 " + e.sha256 +
                   (e.description.empty() ? "" : "  " + printable(e.description)) + "\n";
    }
    if (!r.logs.empty()) {
        out += "Log\n";
        for (const LogEntry& l : r.logs)
            out += "  " + format_utc(l.wall_us / 1000, true) + "Z " + l.level + "  " +
                   printable(l.text) + "\n";
    }
    return out;
}

std::string format_record_table(const std::vector<RecordSummary>& rows) {
    if (rows.empty())
        return "no records\n";
    std::vector<std::vector<std::string>> cells{
        {"RECORD", "BAY", "SERIAL", "PROCEDURE", "VERDICT", "STARTED (UTC)", "FAILURE"}};
    for (const RecordSummary& s : rows) {
        std::string failure = s.failure_code;
        if (!s.first_failing_step.empty())
            failure += (failure.empty() ? "" : " ") + ("at " + s.first_failing_step);
        cells.push_back({s.record_id, std::to_string(s.bay), s.serial.empty() ? "-" : s.serial,
                         s.procedure_name + " " + s.procedure_version,
                         std::string(to_string(s.verdict)), format_utc(s.wall_start_ms), failure});
    }
    std::vector<std::size_t> widths(cells.front().size(), 0);
    for (const auto& row : cells)
        for (std::size_t i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    std::string out;
    for (const auto& row : cells) {
        std::string text;
        for (std::size_t i = 0; i < row.size(); ++i)
            text += row[i] +
                    (i + 1 < row.size() ? std::string(widths[i] - row[i].size() + 2, ' ') : "");
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out += text + "\n";
    }
    return out;
}

} // namespace bwc::bench
