// The sqlite3 RAII layer (see sqlite_db.hpp).
#include "bench/record/sqlite_db.hpp"

#include <sqlite3.h>

namespace bwc::bench {

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* statement, std::string database_path)
    : db_(db), statement_(statement), database_path_(std::move(database_path)) {}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), statement_(other.statement_), database_path_(std::move(other.database_path_)),
      bind_error_(std::move(other.bind_error_)) {
    other.statement_ = nullptr;
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(statement_); // a no-op on nullptr
}

void SqliteStatement::note_bind(int rc, int index) {
    if (rc != SQLITE_OK && !bind_error_)
        bind_error_ = database_path_ + ": cannot bind parameter " + std::to_string(index) + ": " +
                      sqlite3_errstr(rc);
}

void SqliteStatement::bind_text(int index, std::string_view text) {
    note_bind(sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                  SQLITE_UTF8),
              index);
}

void SqliteStatement::bind_int(int index, std::int64_t number) {
    note_bind(sqlite3_bind_int64(statement_, index, number), index);
}

void SqliteStatement::bind_real(int index, double number) {
    note_bind(sqlite3_bind_double(statement_, index, number), index);
}

void SqliteStatement::bind_null(int index) {
    note_bind(sqlite3_bind_null(statement_, index), index);
}

void SqliteStatement::bind_optional_int(int index, const std::optional<std::int64_t>& number) {
    if (number)
        bind_int(index, *number);
    else
        bind_null(index);
}

void SqliteStatement::bind_optional_real(int index, const std::optional<double>& number) {
    if (number)
        bind_real(index, *number);
    else
        bind_null(index);
}

Result<bool> SqliteStatement::next_row() {
    if (bind_error_)
        return Result<bool>::failure(*bind_error_);
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return Result<bool>::failure(database_path_ + ": " + sqlite3_errmsg(db_) +
                                 " (in: " + sqlite3_sql(statement_) + ")");
}

std::optional<std::string> SqliteStatement::run() {
    auto row = next_row();
    reset();
    if (!row)
        return row.error();
    return std::nullopt;
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

bool SqliteStatement::is_null(int column) const {
    return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::string SqliteStatement::text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_, column);
    const int size = sqlite3_column_bytes(statement_, column);
    return bytes ? std::string(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size))
                 : std::string();
}

std::int64_t SqliteStatement::integer(int column) const {
    return sqlite3_column_int64(statement_, column);
}

double SqliteStatement::real(int column) const {
    return sqlite3_column_double(statement_, column);
}

std::optional<std::int64_t> SqliteStatement::optional_integer(int column) const {
    if (is_null(column))
        return std::nullopt;
    return integer(column);
}

std::optional<double> SqliteStatement::optional_real(int column) const {
    if (is_null(column))
        return std::nullopt;
    return real(column);
}

Result<std::unique_ptr<SqliteDb>> SqliteDb::open(const std::string& path, int busy_timeout_ms) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
        nullptr);
    if (rc != SQLITE_OK) {
        std::string message =
            path + ": cannot open database: " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return Result<std::unique_ptr<SqliteDb>>::failure(message);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return std::unique_ptr<SqliteDb>(new SqliteDb(db, path));
}

SqliteDb::~SqliteDb() {
    sqlite3_close(db_);
}

std::optional<std::string> SqliteDb::exec(std::string_view sql) {
    char* message = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) == SQLITE_OK)
        return std::nullopt;
    std::string error = path_ + ": " + (message ? message : "error");
    sqlite3_free(message);
    return error;
}

Result<SqliteStatement> SqliteDb::prepare(std::string_view sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement, nullptr) !=
        SQLITE_OK)
        // Not ::failure(): that needs a default-constructible T. The implicit
        // constructor from the error type does not.
        return Result<SqliteStatement>(error("cannot prepare '" + std::string(sql) + "'"));
    return SqliteStatement(db_, statement, path_);
}

std::int64_t SqliteDb::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

std::string SqliteDb::error(std::string_view what) const {
    return path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_);
}

Result<std::unique_ptr<SqliteTransaction>> SqliteTransaction::begin(SqliteDb& db) {
    if (auto error = db.exec("BEGIN IMMEDIATE"))
        return Result<std::unique_ptr<SqliteTransaction>>::failure(*error);
    return std::unique_ptr<SqliteTransaction>(new SqliteTransaction(db));
}

SqliteTransaction::~SqliteTransaction() {
    if (open_)
        (void)db_.exec("ROLLBACK");
}

std::optional<std::string> SqliteTransaction::commit() {
    auto error = db_.exec("COMMIT");
    if (!error)
        open_ = false;
    return error;
}

} // namespace bwc::bench
