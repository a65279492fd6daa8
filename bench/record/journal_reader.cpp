// The journal reader (see journal_reader.hpp). Each line type has one parse
// function; field access goes through LineFields, which keeps the first
// problem so the caller can name the file, the line and the field.
#include "bench/record/journal_reader.hpp"

#include "bench/record/journal.hpp"
#include "bench/record/record_json.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace bwc::bench {
namespace {

using nlohmann::json;

/// Typed access to the fields of one journal line; the first problem wins.
class LineFields {
public:
    explicit LineFields(const json& object) : object_(object) {}

    std::string text(const char* name) {
        const json* field = find(name, "text");
        if (field && !field->is_string())
            fail(name, "expected text");
        return field && field->is_string() ? field->get<std::string>() : std::string();
    }
    std::int64_t integer(const char* name) {
        const json* field = find(name, "an integer");
        if (field && !field->is_number_integer())
            fail(name, "expected an integer");
        return field && field->is_number_integer() ? field->get<std::int64_t>() : 0;
    }
    int small_integer(const char* name) {
        const std::int64_t n = integer(name);
        if (n < INT32_MIN || n > INT32_MAX)
            fail(name, "out of range");
        return static_cast<int>(n);
    }
    std::optional<std::int64_t> optional_integer(const char* name) {
        const auto it = object_.find(name);
        if (it == object_.end() || it->is_null())
            return std::nullopt;
        if (!it->is_number_integer()) {
            fail(name, "expected an integer");
            return std::nullopt;
        }
        return it->get<std::int64_t>();
    }
    bool flag(const char* name) {
        const json* field = find(name, "true or false");
        if (field && !field->is_boolean())
            fail(name, "expected true or false");
        return field && field->is_boolean() && field->get<bool>();
    }
    Outcome outcome(const char* name) {
        const std::string word = text(name);
        if (const auto o = parse_outcome(word))
            return *o;
        if (!error_)
            fail(name, "unknown outcome '" + word + "'");
        return Outcome::Error;
    }
    /// The array field `name` (an empty array when it is missing or wrong).
    const json& array(const char* name) {
        static const json empty = json::array();
        const json* field = find(name, "a list");
        if (field && !field->is_array())
            fail(name, "expected a list");
        return field && field->is_array() ? *field : empty;
    }
    const json& object() const { return object_; }

    void fail(std::string_view name, const std::string& why) {
        if (!error_)
            error_ = "field '" + std::string(name) + "': " + why;
    }
    const std::optional<std::string>& error() const { return error_; }

private:
    const json* find(const char* name, const char* expected) {
        const auto it = object_.find(name);
        if (it == object_.end()) {
            fail(name, std::string("missing (expected ") + expected + ")");
            return nullptr;
        }
        return &*it;
    }

    const json& object_;
    std::optional<std::string> error_;
};

void parse_record_start(LineFields& f, RecordData& record) {
    const std::int64_t version = f.integer("journal_version");
    if (!f.error() && (version < 1 || version > kJournalVersion))
        f.fail("journal_version", "version " + std::to_string(version) +
                                      " is not one this bench reads (1.." +
                                      std::to_string(kJournalVersion) + "): upgrade bench");
    RecordHeader& h = record.header;
    h.record_id = f.text("record_id");
    h.run_id = f.text("run_id");
    h.station = f.text("station");
    h.bay = f.small_integer("bay");
    h.operator_name = f.text("operator");
    h.procedure_name = f.text("procedure_name");
    h.procedure_version = f.text("procedure_version");
    h.procedure_hash = f.text("procedure_hash");
    h.procedure_path = f.text("procedure_path");
    h.mode = f.text("mode");
    for (const json& fixture : f.array("fixtures")) {
        LineFields ff(fixture);
        if (!fixture.is_object()) {
            f.fail("fixtures", "expected {name, uri} objects");
            break;
        }
        h.fixtures.emplace_back(ff.text("name"), ff.text("uri"));
        if (ff.error())
            f.fail("fixtures", *ff.error());
    }
    for (const json& id : f.array("calibration_ids")) {
        if (!id.is_string()) {
            f.fail("calibration_ids", "expected texts");
            break;
        }
        h.calibration_ids.push_back(id.get<std::string>());
    }
    h.bench_version = f.text("bench_version");
    h.wall_start_ms = f.integer("wall_start_ms");
    h.device_start_ms = f.optional_integer("device_start_ms");
}

void parse_identity(LineFields& f, RecordData& record) {
    UnitIdentity u;
    u.serial = f.text("serial");
    u.model = f.text("model");
    u.firmware = f.text("firmware");
    u.hardware = f.text("hardware");
    u.imei = f.text("imei");
    u.mac = f.text("mac");
    u.battery_id = f.text("battery_id");
    record.identity = std::move(u);
}

MeasurementRecord parse_measurement(LineFields& f) {
    MeasurementRecord m;
    m.name = f.text("name");
    if (const auto it = f.object().find("value"); it == f.object().end()) {
        f.fail("value", "missing");
    } else if (auto v = value_from_json(*it)) {
        m.value = std::move(*v);
    } else {
        f.fail("value", v.error());
    }
    m.unit = f.text("unit");
    if (const auto it = f.object().find("limit"); it != f.object().end()) {
        if (auto limit = limit_from_json(*it))
            m.limit = std::move(*limit);
        else
            f.fail("limit", limit.error());
    }
    m.outcome = f.outcome("outcome");
    return m;
}

void parse_step(LineFields& f, RecordData& record) {
    StepRecord s;
    s.index = f.small_integer("index");
    s.id = f.text("id");
    s.name = f.text("name");
    s.type = f.text("step_type");
    s.group = f.text("group");
    s.attempt = f.small_integer("attempt");
    s.final_attempt = f.flag("final");
    s.outcome = f.outcome("outcome");
    s.wall_start_us = f.integer("wall_start_us");
    s.wall_duration_us = f.integer("wall_duration_us");
    s.device_start_ms = f.optional_integer("device_start_ms");
    s.device_end_ms = f.optional_integer("device_end_ms");
    s.error = f.text("error");
    s.failure_code = f.text("failure_code");
    const json& measurements = f.array("measurements");
    for (std::size_t i = 0; i < measurements.size() && !f.error(); ++i) {
        if (!measurements[i].is_object()) {
            f.fail("measurements", "expected objects");
            break;
        }
        LineFields mf(measurements[i]);
        s.measurements.push_back(parse_measurement(mf));
        if (mf.error())
            f.fail("measurements[" + std::to_string(i) + "]", *mf.error());
    }
    if (record.interrupted_step == s.id)
        record.interrupted_step.clear();
    record.steps.push_back(std::move(s));
}

void parse_evidence(LineFields& f, RecordData& record) {
    Evidence e;
    e.step_id = f.text("step_id");
    e.path = f.text("path");
    e.sha256 = f.text("sha256");
    e.description = f.text("description");
    record.evidence.push_back(std::move(e));
}

void parse_log(LineFields& f, RecordData& record, std::int64_t wall_us) {
    LogEntry entry;
    entry.wall_us = wall_us;
    entry.level = f.text("level");
    entry.text = f.text("text");
    record.logs.push_back(std::move(entry));
}

void parse_record_end(LineFields& f, RecordData& record) {
    RecordEnd e;
    const std::string verdict = f.text("verdict");
    if (const auto v = parse_verdict(verdict))
        e.verdict = *v;
    else
        f.fail("verdict", "unknown verdict '" + verdict + "'");
    e.failure_code = f.text("failure_code");
    e.first_failing_step = f.text("first_failing_step");
    e.cause = f.text("cause");
    e.wall_end_ms = f.integer("wall_end_ms");
    e.device_end_ms = f.optional_integer("device_end_ms");
    record.end = std::move(e);
    record.interrupted_step.clear(); // the run ended: nothing was cut off
}

/// Applies one parsed line; an error text (without file:line) or nullopt.
std::optional<std::string> apply_line(const json& line, std::int64_t expected_seq,
                                      RecordData& record) {
    if (!line.is_object())
        return "expected a JSON object";
    LineFields f(line);
    const std::int64_t seq = f.integer("seq");
    const std::string type = f.text("type");
    const std::int64_t wall_us = f.integer("wall_us");
    if (f.error())
        return f.error();
    if (seq != expected_seq)
        return "seq " + std::to_string(seq) + " where " + std::to_string(expected_seq) +
               " was expected (a line is missing or repeated)";
    if ((expected_seq == 1) != (type == "record_start"))
        return expected_seq == 1 ? "the first line must be record_start, not " + type
                                 : "a second record_start";
    if (record.end)
        return "a " + type + " line after record_end";
    if (type == "record_start")
        parse_record_start(f, record);
    else if (type == "identity")
        parse_identity(f, record);
    else if (type == "step_start")
        record.interrupted_step = f.text("id");
    else if (type == "step")
        parse_step(f, record);
    else if (type == "evidence")
        parse_evidence(f, record);
    else if (type == "log")
        parse_log(f, record, wall_us);
    else if (type == "record_end")
        parse_record_end(f, record);
    else
        return "unknown line type '" + type + "'";
    return f.error();
}

} // namespace

Result<RecordData> parse_journal(std::string_view text, const std::string& path) {
    RecordData record;
    std::int64_t line_number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        ++line_number;
        const std::size_t newline = text.find('\n', pos);
        const bool complete = newline != std::string_view::npos;
        const std::string_view line =
            text.substr(pos, complete ? newline - pos : std::string_view::npos);
        pos = complete ? newline + 1 : text.size();
        const json parsed = json::parse(line, nullptr, false);
        if (!complete && (parsed.is_discarded() || !parsed.is_object()))
            break; // torn by a crash mid-write: nothing after it was written
        const std::string where = path + ":" + std::to_string(line_number) + ": ";
        if (parsed.is_discarded())
            return Result<RecordData>::failure(where + "not valid JSON");
        if (auto error = apply_line(parsed, line_number, record))
            return Result<RecordData>::failure(where + *error);
    }
    if (line_number == 0 || record.header.record_id.empty())
        return Result<RecordData>::failure(path + ": empty journal (no record_start line)");
    return record;
}

Result<RecordData> read_journal(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Result<RecordData>::failure(path + ": cannot open journal");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        return Result<RecordData>::failure(path + ": cannot read journal");
    return parse_journal(text.str(), path);
}

} // namespace bwc::bench
