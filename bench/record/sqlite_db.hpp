// A thin RAII layer over the sqlite3 C API for the results store: a
// connection, prepared statements with typed binds and columns, and a
// transaction that rolls back unless committed. Errors are texts naming the
// database file and what was being done, with SQLite's own message.
#pragma once

#include "bench/transport/uri.hpp" // the project's Result

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace bwc::bench {

class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, sqlite3_stmt* statement, std::string database_path);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&&) = delete;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    // Parameters are numbered from 1, as in SQL's ?1.
    void bind_text(int index, std::string_view text);
    void bind_int(int index, std::int64_t number);
    void bind_real(int index, double number);
    void bind_null(int index);
    void bind_optional_int(int index, const std::optional<std::int64_t>& number);
    void bind_optional_real(int index, const std::optional<double>& number);

    /// Runs one step: true when a row is ready, false when done.
    Result<bool> next_row();
    /// Runs a statement that returns no rows, then resets it for reuse.
    std::optional<std::string> run();
    void reset();

    // Columns are numbered from 0.
    bool is_null(int column) const;
    std::string text(int column) const;
    std::int64_t integer(int column) const;
    double real(int column) const;
    std::optional<std::int64_t> optional_integer(int column) const;
    std::optional<double> optional_real(int column) const;

private:
    void note_bind(int rc, int index);

    sqlite3* db_;
    sqlite3_stmt* statement_;
    std::string database_path_;
    std::optional<std::string> bind_error_;
};

class SqliteDb {
public:
    /// Opens (creating) the file with a busy timeout, so concurrent writers
    /// from other processes wait instead of failing at once.
    static Result<std::unique_ptr<SqliteDb>> open(const std::string& path, int busy_timeout_ms);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    /// Runs one or more statements without results.
    std::optional<std::string> exec(std::string_view sql);
    Result<SqliteStatement> prepare(std::string_view sql);
    std::int64_t last_insert_rowid() const;
    const std::string& path() const { return path_; }
    /// "<path>: <what>: <SQLite's last message>"
    std::string error(std::string_view what) const;

private:
    SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
    sqlite3* db_;
    std::string path_;
};

/// BEGIN IMMEDIATE (takes the write lock at once, so two ingests never
/// deadlock on an upgrade); rolls back on destruction unless committed.
class SqliteTransaction {
public:
    static Result<std::unique_ptr<SqliteTransaction>> begin(SqliteDb& db);
    ~SqliteTransaction();
    std::optional<std::string> commit();

private:
    explicit SqliteTransaction(SqliteDb& db) : db_(db) {}
    SqliteDb& db_;
    bool open_ = true;
};

} // namespace bwc::bench
