// Putting one record into the database: a records row, then its fixtures,
// calibration ids, steps with their measurements, evidence and logs, all in
// one transaction so a record is either fully there or not at all.
#include "bench/record/record_json.hpp"
#include "bench/record/store_database.hpp"

namespace bwc::bench {
namespace {

using MaybeError = std::optional<std::string>;

MaybeError insert_record_row(SqliteDb& db, const RecordData& r, const std::string& journal,
                             StoreDatabase::Source source) {
    auto insert = db.prepare(R"sql(
        INSERT INTO records (record_id, run_id, station, bay, operator, procedure_name,
          procedure_version, procedure_hash, procedure_path, mode, bench_version, serial, model,
          firmware, hardware, imei, mac, battery_id, verdict, status, failure_code,
          first_failing_step, cause, interrupted_step, wall_start_ms, wall_end_ms,
          device_start_ms, device_end_ms, journal, ingested_by)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
          ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30))sql");
    if (!insert)
        return insert.error();
    const RecordHeader& h = r.header;
    auto& s = *insert;
    s.bind_text(1, h.record_id);
    s.bind_text(2, h.run_id);
    s.bind_text(3, h.station);
    s.bind_int(4, h.bay);
    s.bind_text(5, h.operator_name);
    s.bind_text(6, h.procedure_name);
    s.bind_text(7, h.procedure_version);
    s.bind_text(8, h.procedure_hash);
    s.bind_text(9, h.procedure_path);
    s.bind_text(10, h.mode);
    s.bind_text(11, h.bench_version);
    if (r.identity) {
        const UnitIdentity& u = *r.identity;
        int column = 12;
        for (const std::string* field :
             {&u.serial, &u.model, &u.firmware, &u.hardware, &u.imei, &u.mac, &u.battery_id})
            s.bind_text(column++, *field);
    } // else all NULL: the unit never identified itself
    s.bind_text(19, to_string(r.verdict()));
    s.bind_text(20, r.end ? "complete" : "incomplete");
    const RecordEnd none;
    const RecordEnd& e = r.end ? *r.end : none;
    s.bind_text(21, e.failure_code);
    s.bind_text(22, e.first_failing_step);
    s.bind_text(23, e.cause);
    s.bind_text(24, r.interrupted_step);
    s.bind_int(25, h.wall_start_ms);
    s.bind_optional_int(26, r.end ? std::optional(e.wall_end_ms) : std::nullopt);
    s.bind_optional_int(27, h.device_start_ms);
    s.bind_optional_int(28, e.device_end_ms);
    s.bind_text(29, journal);
    s.bind_text(30, source == StoreDatabase::Source::Writer ? "writer" : "recovery");
    return s.run();
}

/// Inserts `count` rows of a per-record list table whose first two
/// parameters are record_id and position; `bind_row(statement, i)` binds the rest.
template <class BindRow>
MaybeError insert_list(SqliteDb& db, std::string_view sql, const std::string& record_id,
                       std::size_t count, BindRow bind_row) {
    auto insert = db.prepare(sql);
    if (!insert)
        return insert.error();
    for (std::size_t i = 0; i < count; ++i) {
        insert->bind_text(1, record_id);
        insert->bind_int(2, static_cast<std::int64_t>(i));
        bind_row(*insert, i);
        if (auto error = insert->run())
            return error;
    }
    return std::nullopt;
}

MaybeError insert_lists(SqliteDb& db, const RecordData& r) {
    const std::string& id = r.header.record_id;
    const auto& fixtures = r.header.fixtures;
    const auto& calibrations = r.header.calibration_ids;
    MaybeError error = insert_list(
        db, "INSERT INTO fixtures (record_id, position, name, uri) VALUES (?1, ?2, ?3, ?4)", id,
        fixtures.size(), [&](SqliteStatement& s, std::size_t i) {
            s.bind_text(3, fixtures[i].first);
            s.bind_text(4, fixtures[i].second);
        });
    if (!error)
        error = insert_list(
            db,
            "INSERT INTO calibrations (record_id, position, calibration_id) VALUES (?1, ?2, ?3)",
            id, calibrations.size(),
            [&](SqliteStatement& s, std::size_t i) { s.bind_text(3, calibrations[i]); });
    if (!error)
        error = insert_list(db,
                            "INSERT INTO evidence (record_id, position, step_id, path, sha256, "
                            "description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                            id, r.evidence.size(), [&](SqliteStatement& s, std::size_t i) {
                                s.bind_text(3, r.evidence[i].step_id);
                                s.bind_text(4, r.evidence[i].path);
                                s.bind_text(5, r.evidence[i].sha256);
                                s.bind_text(6, r.evidence[i].description);
                            });
    if (!error)
        error = insert_list(db,
                            "INSERT INTO logs (record_id, position, wall_us, level, text) VALUES "
                            "(?1, ?2, ?3, ?4, ?5)",
                            id, r.logs.size(), [&](SqliteStatement& s, std::size_t i) {
                                s.bind_int(3, r.logs[i].wall_us);
                                s.bind_text(4, r.logs[i].level);
                                s.bind_text(5, r.logs[i].text);
                            });
    return error;
}

void bind_value(SqliteStatement& s, const Value& v) {
    s.bind_text(4, type_name(v));
    if (const double* d = std::get_if<double>(&v))
        s.bind_real(5, *d); // NaN is stored as NULL: value_type says it was a number
    if (const std::string* t = std::get_if<std::string>(&v))
        s.bind_text(6, *t);
    if (const bool* b = std::get_if<bool>(&v))
        s.bind_int(7, *b ? 1 : 0);
}

void bind_limit(SqliteStatement& s, const Limit& l) {
    s.bind_text(9, limit_kind_name(l.kind));
    s.bind_optional_real(10, l.low);
    s.bind_optional_real(11, l.high);
    s.bind_optional_real(12, l.marginal_low);
    s.bind_optional_real(13, l.marginal_high);
    if (l.kind == Limit::Kind::Equals)
        s.bind_text(14, value_to_json(l.equals));
    if (l.kind == Limit::Kind::Regex)
        s.bind_text(15, l.pattern);
    if (l.kind == Limit::Kind::OneOf)
        s.bind_text(16, values_to_json(l.one_of));
    s.bind_text(17, l.describe());
}

MaybeError insert_steps(SqliteDb& db, const RecordData& r) {
    auto step = db.prepare(R"sql(
        INSERT INTO steps (record_id, position, step_index, step_id, name, type, step_group,
          attempt, final_attempt, outcome, wall_start_us, wall_duration_us, device_start_ms,
          device_end_ms, error, failure_code)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16))sql");
    if (!step)
        return step.error();
    auto measurement = db.prepare(R"sql(
        INSERT INTO measurements (step_row, position, name, value_type, value_num, value_text,
          value_bool, unit, limit_kind, limit_low, limit_high, limit_marginal_low,
          limit_marginal_high, limit_equals, limit_pattern, limit_one_of, limit_text, outcome)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
          ?18))sql");
    if (!measurement)
        return measurement.error();
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const StepRecord& st = r.steps[i];
        step->bind_text(1, r.header.record_id);
        step->bind_int(2, static_cast<std::int64_t>(i));
        step->bind_int(3, st.index);
        step->bind_text(4, st.id);
        step->bind_text(5, st.name);
        step->bind_text(6, st.type);
        step->bind_text(7, st.group);
        step->bind_int(8, st.attempt);
        step->bind_int(9, st.final_attempt ? 1 : 0);
        step->bind_text(10, to_string(st.outcome));
        step->bind_int(11, st.wall_start_us);
        step->bind_int(12, st.wall_duration_us);
        step->bind_optional_int(13, st.device_start_ms);
        step->bind_optional_int(14, st.device_end_ms);
        step->bind_text(15, st.error);
        step->bind_text(16, st.failure_code);
        if (auto error = step->run())
            return error;
        const std::int64_t step_row = db.last_insert_rowid();
        for (std::size_t m = 0; m < st.measurements.size(); ++m) {
            const MeasurementRecord& mr = st.measurements[m];
            measurement->bind_int(1, step_row);
            measurement->bind_int(2, static_cast<std::int64_t>(m));
            measurement->bind_text(3, mr.name);
            bind_value(*measurement, mr.value);
            measurement->bind_text(8, mr.unit);
            bind_limit(*measurement, mr.limit);
            measurement->bind_text(18, to_string(mr.outcome));
            if (auto error = measurement->run())
                return error;
        }
    }
    return std::nullopt;
}

} // namespace

Result<bool> StoreDatabase::ingest(const RecordData& record, const std::string& journal,
                                   Source source) {
    const std::string context = "cannot store record '" + record.header.record_id + "': ";
    std::lock_guard lock(mutex_);
    auto transaction = SqliteTransaction::begin(*db_);
    if (!transaction)
        return Result<bool>::failure(context + transaction.error());
    auto stored = contains(record.header.record_id);
    if (!stored)
        return Result<bool>::failure(context + stored.error());
    if (*stored)
        return false; // the transaction rolls back: nothing was written
    MaybeError error = insert_record_row(*db_, record, journal, source);
    if (!error)
        error = insert_steps(*db_, record);
    if (!error)
        error = insert_lists(*db_, record);
    if (!error)
        error = (*transaction)->commit();
    if (error)
        return Result<bool>::failure(context + *error);
    return true;
}

} // namespace bwc::bench
