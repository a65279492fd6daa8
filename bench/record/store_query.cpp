// Getting records out of the database: ids, the list with its filters, and
// a whole record rebuilt field by field. Texts the schema constrains (verdict,
// outcome, value type) are checked on the way out, so a database edited by
// hand gives a message naming the record, never a silent default.
#include "bench/record/record_json.hpp"
#include "bench/record/store_database.hpp"

#include <limits>
#include <map>

namespace bwc::bench {
namespace {

template <class T>
Result<T> fail(const std::string& message) {
    return Result<T>::failure(message);
}

/// Runs a one-column text query with `bind` applied, collecting the rows.
template <class Bind>
Result<std::vector<std::string>> text_column(SqliteDb& db, const std::string& sql, Bind bind) {
    auto query = db.prepare(sql);
    if (!query)
        return fail<std::vector<std::string>>(query.error());
    bind(*query);
    std::vector<std::string> rows;
    for (;;) {
        auto row = query->next_row();
        if (!row)
            return fail<std::vector<std::string>>(row.error());
        if (!*row)
            return rows;
        rows.push_back(query->text(0));
    }
}

/// Iterates the rows of `query`, calling `each` (which may return an error).
template <class Each>
std::optional<std::string> for_each_row(SqliteStatement& query, Each each) {
    for (;;) {
        auto row = query.next_row();
        if (!row)
            return row.error();
        if (!*row)
            return std::nullopt;
        if (auto error = each())
            return error;
    }
}

Result<Verdict> verdict_column(const SqliteStatement& q, int column, const std::string& where) {
    const std::string text = q.text(column);
    if (const auto v = parse_verdict(text))
        return *v;
    return fail<Verdict>(where + ": unknown verdict '" + text + "'");
}

Result<Outcome> outcome_column(const SqliteStatement& q, int column, const std::string& where) {
    const std::string text = q.text(column);
    if (const auto o = parse_outcome(text))
        return *o;
    return fail<Outcome>(where + ": unknown outcome '" + text + "'");
}

constexpr const char* kRecordColumns = R"sql(
    SELECT run_id, station, bay, operator, procedure_name, procedure_version, procedure_hash,
      procedure_path, mode, bench_version, serial, model, firmware, hardware, imei, mac,
      battery_id, verdict, status, failure_code, first_failing_step, cause, interrupted_step,
      wall_start_ms, wall_end_ms, device_start_ms, device_end_ms
    FROM records WHERE record_id = ?1)sql";

std::optional<std::string> load_record_row(SqliteDb& db, const std::string& id, RecordData& r) {
    auto q = db.prepare(kRecordColumns);
    if (!q)
        return q.error();
    q->bind_text(1, id);
    auto row = q->next_row();
    if (!row)
        return row.error();
    if (!*row)
        return db.path() + ": no record '" + id + "'";
    RecordHeader& h = r.header;
    h.record_id = id;
    h.run_id = q->text(0);
    h.station = q->text(1);
    h.bay = static_cast<int>(q->integer(2));
    h.operator_name = q->text(3);
    h.procedure_name = q->text(4);
    h.procedure_version = q->text(5);
    h.procedure_hash = q->text(6);
    h.procedure_path = q->text(7);
    h.mode = q->text(8);
    h.bench_version = q->text(9);
    if (!q->is_null(10)) {
        UnitIdentity u;
        int column = 10;
        for (std::string* field :
             {&u.serial, &u.model, &u.firmware, &u.hardware, &u.imei, &u.mac, &u.battery_id})
            *field = q->text(column++);
        r.identity = std::move(u);
    }
    const std::string where = db.path() + ": record '" + id + "'";
    auto verdict = verdict_column(*q, 17, where);
    if (!verdict)
        return verdict.error();
    const std::string status = q->text(18);
    if (status == "complete") {
        RecordEnd e;
        e.verdict = *verdict;
        e.failure_code = q->text(19);
        e.first_failing_step = q->text(20);
        e.cause = q->text(21);
        e.wall_end_ms = q->optional_integer(24).value_or(0);
        e.device_end_ms = q->optional_integer(26);
        r.end = std::move(e);
    } else if (status != "incomplete") {
        return where + ": unknown status '" + status + "'";
    }
    r.interrupted_step = q->text(22);
    h.wall_start_ms = q->integer(23);
    h.device_start_ms = q->optional_integer(25);
    return std::nullopt;
}

std::optional<std::string> load_header_lists(SqliteDb& db, RecordData& r) {
    auto fixtures =
        db.prepare("SELECT name, uri FROM fixtures WHERE record_id = ?1 ORDER BY position");
    if (!fixtures)
        return fixtures.error();
    fixtures->bind_text(1, r.header.record_id);
    if (auto error = for_each_row(*fixtures, [&]() -> std::optional<std::string> {
            r.header.fixtures.emplace_back(fixtures->text(0), fixtures->text(1));
            return std::nullopt;
        }))
        return error;
    auto calibrations = text_column(
        db, "SELECT calibration_id FROM calibrations WHERE record_id = ?1 ORDER BY position",
        [&](SqliteStatement& q) { q.bind_text(1, r.header.record_id); });
    if (!calibrations)
        return calibrations.error();
    r.header.calibration_ids = std::move(*calibrations);
    return std::nullopt;
}

std::optional<std::string> load_steps(SqliteDb& db, RecordData& r,
                                      std::map<std::int64_t, std::size_t>& step_of_row) {
    auto q = db.prepare(R"sql(
        SELECT step_row, step_index, step_id, name, type, step_group, attempt, final_attempt,
          outcome, wall_start_us, wall_duration_us, device_start_ms, device_end_ms, error,
          failure_code
        FROM steps WHERE record_id = ?1 ORDER BY position)sql");
    if (!q)
        return q.error();
    q->bind_text(1, r.header.record_id);
    return for_each_row(*q, [&]() -> std::optional<std::string> {
        StepRecord s;
        s.index = static_cast<int>(q->integer(1));
        s.id = q->text(2);
        s.name = q->text(3);
        s.type = q->text(4);
        s.group = q->text(5);
        s.attempt = static_cast<int>(q->integer(6));
        s.final_attempt = q->integer(7) != 0;
        auto outcome = outcome_column(
            *q, 8, db.path() + ": record '" + r.header.record_id + "' step '" + s.id + "'");
        if (!outcome)
            return outcome.error();
        s.outcome = *outcome;
        s.wall_start_us = q->integer(9);
        s.wall_duration_us = q->integer(10);
        s.device_start_ms = q->optional_integer(11);
        s.device_end_ms = q->optional_integer(12);
        s.error = q->text(13);
        s.failure_code = q->text(14);
        step_of_row[q->integer(0)] = r.steps.size();
        r.steps.push_back(std::move(s));
        return std::nullopt;
    });
}

Result<Value> value_columns(const SqliteStatement& q, const std::string& where) {
    const std::string type = q.text(2);
    if (type == "none")
        return Value{};
    if (type == "bool")
        return Value{q.integer(5) != 0};
    if (type == "number") // NULL: a NaN, which SQLite cannot hold
        return Value{q.optional_real(3).value_or(std::numeric_limits<double>::quiet_NaN())};
    if (type == "text")
        return Value{q.text(4)};
    return fail<Value>(where + ": unknown value type '" + type + "'");
}

Result<Limit> limit_columns(const SqliteStatement& q, const std::string& where) {
    const std::string kind_name = q.text(7);
    const auto kind = parse_limit_kind(kind_name);
    if (!kind)
        return fail<Limit>(where + ": unknown limit kind '" + kind_name + "'");
    Limit l;
    l.kind = *kind;
    l.low = q.optional_real(8);
    l.high = q.optional_real(9);
    l.marginal_low = q.optional_real(10);
    l.marginal_high = q.optional_real(11);
    if (l.kind == Limit::Kind::Equals) {
        auto equals = value_from_json_text(q.text(12));
        if (!equals)
            return fail<Limit>(where + ": limit_equals: " + equals.error());
        l.equals = std::move(*equals);
    }
    l.pattern = q.text(13);
    if (l.kind == Limit::Kind::OneOf) {
        auto one_of = values_from_json_text(q.text(14));
        if (!one_of)
            return fail<Limit>(where + ": limit_one_of: " + one_of.error());
        l.one_of = std::move(*one_of);
    }
    (void)l.compile(); // as the journal reader does: a bad stored regex fails evaluate()
    return l;
}

std::optional<std::string>
load_measurements(SqliteDb& db, RecordData& r,
                  const std::map<std::int64_t, std::size_t>& step_of_row) {
    auto q = db.prepare(R"sql(
        SELECT m.step_row, m.name, m.value_type, m.value_num, m.value_text, m.value_bool, m.unit,
          m.limit_kind, m.limit_low, m.limit_high, m.limit_marginal_low, m.limit_marginal_high,
          m.limit_equals, m.limit_pattern, m.limit_one_of, m.outcome
        FROM measurements m JOIN steps s ON s.step_row = m.step_row
        WHERE s.record_id = ?1 ORDER BY s.position, m.position)sql");
    if (!q)
        return q.error();
    q->bind_text(1, r.header.record_id);
    return for_each_row(*q, [&]() -> std::optional<std::string> {
        StepRecord& step = r.steps[step_of_row.at(q->integer(0))];
        MeasurementRecord m;
        m.name = q->text(1);
        const std::string where = db.path() + ": record '" + r.header.record_id + "' step '" +
                                  step.id + "' measurement '" + m.name + "'";
        auto value = value_columns(*q, where);
        if (!value)
            return value.error();
        m.value = std::move(*value);
        m.unit = q->text(6);
        auto limit = limit_columns(*q, where);
        if (!limit)
            return limit.error();
        m.limit = std::move(*limit);
        auto outcome = outcome_column(*q, 15, where);
        if (!outcome)
            return outcome.error();
        m.outcome = *outcome;
        step.measurements.push_back(std::move(m));
        return std::nullopt;
    });
}

std::optional<std::string> load_evidence_and_logs(SqliteDb& db, RecordData& r) {
    auto evidence =
        db.prepare("SELECT step_id, path, sha256, description FROM evidence WHERE record_id = ?1 "
                   "ORDER BY position");
    if (!evidence)
        return evidence.error();
    evidence->bind_text(1, r.header.record_id);
    if (auto error = for_each_row(*evidence, [&]() -> std::optional<std::string> {
            r.evidence.push_back(Evidence{evidence->text(0), evidence->text(1), evidence->text(2),
                                          evidence->text(3)});
            return std::nullopt;
        }))
        return error;
    auto logs =
        db.prepare("SELECT wall_us, level, text FROM logs WHERE record_id = ?1 ORDER BY position");
    if (!logs)
        return logs.error();
    logs->bind_text(1, r.header.record_id);
    return for_each_row(*logs, [&]() -> std::optional<std::string> {
        r.logs.push_back(LogEntry{logs->integer(0), logs->text(1), logs->text(2)});
        return std::nullopt;
    });
}

} // namespace

Result<bool> StoreDatabase::contains(const std::string& record_id) {
    auto ids = text_column(*db_, "SELECT record_id FROM records WHERE record_id = ?1",
                           [&](SqliteStatement& q) { q.bind_text(1, record_id); });
    if (!ids)
        return fail<bool>(ids.error());
    return !ids->empty();
}

Result<bool> StoreDatabase::has_record(const std::string& record_id) {
    std::lock_guard lock(mutex_);
    return contains(record_id);
}

Result<std::vector<std::string>> StoreDatabase::record_ids() {
    std::lock_guard lock(mutex_);
    return text_column(*db_, "SELECT record_id FROM records", [](SqliteStatement&) {});
}

Result<std::vector<RecordSummary>> StoreDatabase::list(const RecordFilter& filter) {
    std::string sql = R"sql(
        SELECT record_id, run_id, station, bay, serial, model, firmware, procedure_name,
          procedure_version, verdict, failure_code, first_failing_step, wall_start_ms, wall_end_ms
        FROM records WHERE 1 = 1)sql";
    if (!filter.serial.empty())
        sql += " AND serial = ?1";
    if (!filter.run_id.empty())
        sql += " AND run_id = ?2";
    if (filter.verdict)
        sql += " AND verdict = ?3";
    sql += " ORDER BY wall_start_ms DESC, rowid DESC";
    if (filter.limit > 0)
        sql += " LIMIT ?4";
    std::lock_guard lock(mutex_);
    auto q = db_->prepare(sql);
    if (!q)
        return fail<std::vector<RecordSummary>>(q.error());
    if (!filter.serial.empty())
        q->bind_text(1, filter.serial);
    if (!filter.run_id.empty())
        q->bind_text(2, filter.run_id);
    if (filter.verdict)
        q->bind_text(3, to_string(*filter.verdict));
    if (filter.limit > 0)
        q->bind_int(4, filter.limit);
    std::vector<RecordSummary> rows;
    if (auto error = for_each_row(*q, [&]() -> std::optional<std::string> {
            RecordSummary s;
            s.record_id = q->text(0);
            s.run_id = q->text(1);
            s.station = q->text(2);
            s.bay = static_cast<int>(q->integer(3));
            s.serial = q->text(4);
            s.model = q->text(5);
            s.firmware = q->text(6);
            s.procedure_name = q->text(7);
            s.procedure_version = q->text(8);
            auto verdict = verdict_column(*q, 9, db_->path() + ": record '" + s.record_id + "'");
            if (!verdict)
                return verdict.error();
            s.verdict = *verdict;
            s.failure_code = q->text(10);
            s.first_failing_step = q->text(11);
            s.wall_start_ms = q->integer(12);
            s.wall_end_ms = q->optional_integer(13);
            rows.push_back(std::move(s));
            return std::nullopt;
        }))
        return fail<std::vector<RecordSummary>>(*error);
    return rows;
}

Result<std::string> StoreDatabase::resolve_id(const std::string& id_or_prefix) {
    std::lock_guard lock(mutex_);
    auto exact = contains(id_or_prefix);
    if (!exact)
        return fail<std::string>(exact.error());
    if (*exact)
        return id_or_prefix;
    // substr, not LIKE: ids may hold '%' or '_'.
    auto matches = text_column(*db_,
                               "SELECT record_id FROM records WHERE substr(record_id, 1, "
                               "length(?1)) = ?1 ORDER BY record_id LIMIT 6",
                               [&](SqliteStatement& q) { q.bind_text(1, id_or_prefix); });
    if (!matches)
        return fail<std::string>(matches.error());
    if (id_or_prefix.empty() || matches->empty())
        return fail<std::string>("no record '" + id_or_prefix + "' in " + db_->path());
    if (matches->size() > 1) {
        std::string names;
        for (std::size_t i = 0; i < matches->size() && i < 5; ++i)
            names += (i ? ", " : "") + (*matches)[i];
        return fail<std::string>("record id prefix '" + id_or_prefix + "' is ambiguous: " + names +
                                 (matches->size() > 5 ? ", …" : ""));
    }
    return matches->front();
}

Result<RecordData> StoreDatabase::load(const std::string& record_id) {
    std::lock_guard lock(mutex_);
    RecordData r;
    std::map<std::int64_t, std::size_t> step_of_row;
    std::optional<std::string> error = load_record_row(*db_, record_id, r);
    if (!error)
        error = load_header_lists(*db_, r);
    if (!error)
        error = load_steps(*db_, r, step_of_row);
    if (!error)
        error = load_measurements(*db_, r, step_of_row);
    if (!error)
        error = load_evidence_and_logs(*db_, r);
    if (error)
        return fail<RecordData>(*error);
    return r;
}

Result<std::vector<std::string>> StoreDatabase::ids_in_order(const std::string& run_id) {
    std::lock_guard lock(mutex_);
    if (run_id.empty())
        return text_column(*db_, "SELECT record_id FROM records ORDER BY wall_start_ms, rowid",
                           [](SqliteStatement&) {});
    return text_column(*db_,
                       "SELECT record_id FROM records WHERE run_id = ?1 ORDER BY bay, record_id",
                       [&](SqliteStatement& q) { q.bind_text(1, run_id); });
}

} // namespace bwc::bench
