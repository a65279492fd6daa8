// The results schema, version by version (see store_schema.hpp). SCHEMA.md
// shows the same tables with what each column means; keep the two in step.
#include "bench/record/store_schema.hpp"

#include <array>
#include <string_view>
#include <utility>

#ifndef BWC_VERSION
#define BWC_VERSION "unknown"
#endif

namespace bwc::bench {
namespace {

constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE records (
  record_id          TEXT PRIMARY KEY,
  run_id             TEXT NOT NULL,
  station            TEXT NOT NULL,
  bay                INTEGER NOT NULL,
  operator           TEXT NOT NULL,
  procedure_name     TEXT NOT NULL,
  procedure_version  TEXT NOT NULL,
  procedure_hash     TEXT NOT NULL,
  procedure_path     TEXT NOT NULL,
  mode               TEXT NOT NULL,
  bench_version      TEXT NOT NULL,
  serial             TEXT,
  model              TEXT,
  firmware           TEXT,
  hardware           TEXT,
  imei               TEXT,
  mac                TEXT,
  battery_id         TEXT,
  verdict            TEXT NOT NULL
                     CHECK (verdict IN ('pass', 'fail', 'error', 'aborted', 'incomplete')),
  status             TEXT NOT NULL CHECK (status IN ('complete', 'incomplete')),
  failure_code       TEXT NOT NULL,
  first_failing_step TEXT NOT NULL,
  cause              TEXT NOT NULL,
  interrupted_step   TEXT NOT NULL,
  wall_start_ms      INTEGER NOT NULL,
  wall_end_ms        INTEGER,
  device_start_ms    INTEGER,
  device_end_ms      INTEGER,
  journal            TEXT NOT NULL,
  ingested_by        TEXT NOT NULL CHECK (ingested_by IN ('writer', 'recovery'))
);
CREATE INDEX records_by_serial ON records (serial);
CREATE INDEX records_by_run ON records (run_id);
CREATE INDEX records_by_start ON records (wall_start_ms);
CREATE TABLE fixtures (
  record_id TEXT NOT NULL REFERENCES records (record_id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  name      TEXT NOT NULL,
  uri       TEXT NOT NULL,
  PRIMARY KEY (record_id, position)
);
CREATE TABLE calibrations (
  record_id      TEXT NOT NULL REFERENCES records (record_id) ON DELETE CASCADE,
  position       INTEGER NOT NULL,
  calibration_id TEXT NOT NULL,
  PRIMARY KEY (record_id, position)
);
CREATE TABLE steps (
  step_row         INTEGER PRIMARY KEY,
  record_id        TEXT NOT NULL REFERENCES records (record_id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  step_index       INTEGER NOT NULL,
  step_id          TEXT NOT NULL,
  name             TEXT NOT NULL,
  type             TEXT NOT NULL,
  step_group       TEXT NOT NULL,
  attempt          INTEGER NOT NULL,
  final_attempt    INTEGER NOT NULL CHECK (final_attempt IN (0, 1)),
  outcome          TEXT NOT NULL,
  wall_start_us    INTEGER NOT NULL,
  wall_duration_us INTEGER NOT NULL,
  device_start_ms  INTEGER,
  device_end_ms    INTEGER,
  error            TEXT NOT NULL,
  failure_code     TEXT NOT NULL,
  UNIQUE (record_id, position)
);
CREATE INDEX steps_by_step_id ON steps (step_id);
CREATE TABLE measurements (
  step_row            INTEGER NOT NULL REFERENCES steps (step_row) ON DELETE CASCADE,
  position            INTEGER NOT NULL,
  name                TEXT NOT NULL,
  value_type          TEXT NOT NULL CHECK (value_type IN ('none', 'bool', 'number', 'text')),
  value_num           REAL,
  value_text          TEXT,
  value_bool          INTEGER,
  unit                TEXT NOT NULL,
  limit_kind          TEXT NOT NULL
                      CHECK (limit_kind IN ('none', 'range', 'equals', 'regex', 'one_of')),
  limit_low           REAL,
  limit_high          REAL,
  limit_marginal_low  REAL,
  limit_marginal_high REAL,
  limit_equals        TEXT,
  limit_pattern       TEXT,
  limit_one_of        TEXT,
  limit_text          TEXT NOT NULL,
  outcome             TEXT NOT NULL,
  PRIMARY KEY (step_row, position)
);
CREATE INDEX measurements_by_name ON measurements (name);
CREATE TABLE evidence (
  record_id   TEXT NOT NULL REFERENCES records (record_id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  step_id     TEXT NOT NULL,
  path        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (record_id, position)
);
CREATE TABLE logs (
  record_id TEXT NOT NULL REFERENCES records (record_id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  wall_us   INTEGER NOT NULL,
  level     TEXT NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (record_id, position)
);
)sql";

// kMigrations[v - 1] takes a version-v file to version v + 1. None yet.
constexpr std::array<std::string_view, kStoreSchemaVersion - 1> kMigrations{};

Result<bool> has_table(SqliteDb& db, std::string_view name) {
    auto query =
        db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
    if (!query)
        return Result<bool>::failure(query.error());
    query->bind_text(1, name);
    auto row = query->next_row();
    if (!row)
        return Result<bool>::failure(row.error());
    return *row && query->integer(0) > 0;
}

Result<int> stored_version(SqliteDb& db) {
    auto query = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    if (!query)
        return Result<int>::failure(query.error());
    auto row = query->next_row();
    if (!row)
        return Result<int>::failure(row.error());
    if (!*row)
        return Result<int>::failure(db.path() + ": the meta table has no schema_version");
    const std::string text = query->text(0);
    try {
        std::size_t used = 0;
        const int version = std::stoi(text, &used);
        if (used == text.size() && version >= 1)
            return version;
    } catch (const std::exception&) { // std::stoi's invalid_argument / out_of_range
    }
    return Result<int>::failure(db.path() + ": schema_version '" + text + "' is not a version");
}

std::optional<std::string> create_schema(SqliteDb& db) {
    auto transaction = SqliteTransaction::begin(db);
    if (!transaction)
        return transaction.error();
    // Another process may have created it while we waited for the lock.
    auto created_meanwhile = has_table(db, "meta");
    if (!created_meanwhile)
        return created_meanwhile.error();
    if (*created_meanwhile)
        return std::nullopt;
    if (auto error = db.exec(kSchemaV1))
        return error;
    auto insert = db.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)");
    if (!insert)
        return insert.error();
    for (const auto& [key, value] :
         {std::pair<std::string, std::string>{"schema_version",
                                              std::to_string(kStoreSchemaVersion)},
          std::pair<std::string, std::string>{"created_by", "bench " BWC_VERSION}}) {
        insert->bind_text(1, key);
        insert->bind_text(2, value);
        if (auto error = insert->run())
            return error;
    }
    return (*transaction)->commit();
}

std::optional<std::string> migrate(SqliteDb& db, int from) {
    for (int version = from; version < kStoreSchemaVersion; ++version) {
        if (static_cast<std::size_t>(version - 1) >= kMigrations.size())
            return db.path() + ": no migration from schema version " + std::to_string(version);
        auto transaction = SqliteTransaction::begin(db);
        if (!transaction)
            return transaction.error();
        if (auto error = db.exec(kMigrations[version - 1]))
            return error;
        if (auto error = db.exec("UPDATE meta SET value = '" + std::to_string(version + 1) +
                                 "' WHERE key = 'schema_version'"))
            return error;
        if (auto error = (*transaction)->commit())
            return error;
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> prepare_store_schema(SqliteDb& db) {
    // Any SQL on a file that is not a database fails here, naming the file.
    if (auto error = db.exec("PRAGMA foreign_keys = ON"))
        return error;
    auto has_meta = has_table(db, "meta");
    if (!has_meta)
        return has_meta.error();
    std::optional<int> version;
    if (*has_meta) {
        auto stored = stored_version(db);
        if (!stored)
            return stored.error();
        if (*stored > kStoreSchemaVersion)
            return db.path() + ": schema version " + std::to_string(*stored) +
                   " is newer than this bench understands (" + std::to_string(kStoreSchemaVersion) +
                   "): upgrade bench to read it; the file was left untouched";
        version = *stored;
    } else {
        auto has_records = has_table(db, "records");
        if (!has_records)
            return has_records.error();
        if (*has_records)
            return db.path() + ": has a records table but no meta table: not a bench results "
                               "database, or a damaged one";
    }

    // journal_mode answers with the mode in force; anything but "wal" means
    // the file system refused it (WAL needs shared memory).
    auto mode = db.prepare("PRAGMA journal_mode = WAL");
    if (!mode)
        return mode.error();
    auto row = mode->next_row();
    if (!row)
        return row.error();
    const std::string mode_now = *row ? mode->text(0) : std::string();
    mode->reset(); // a statement left mid-result would block the COMMITs below
    if (mode_now != "wal")
        return db.path() + ": cannot switch to WAL journal mode (got '" + mode_now + "')";
    // The journal files are the durable copy, and NORMAL is crash-safe in WAL.
    if (auto error = db.exec("PRAGMA synchronous = NORMAL"))
        return error;
    return version ? migrate(db, *version) : create_schema(db);
}

} // namespace bwc::bench
