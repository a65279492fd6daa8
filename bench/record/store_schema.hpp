// The results database's schema (SCHEMA.md, "SQLite"): its version, and the
// one function that brings a connection to it — WAL journal mode, foreign
// keys on, the tables created in a new file, an older file migrated and a
// newer one refused with a message saying so.
#pragma once

#include "bench/record/sqlite_db.hpp"

#include <optional>
#include <string>

namespace bwc::bench {

/// Bump it with every change to the tables, and add the migration from the
/// previous version in store_schema.cpp.
inline constexpr int kStoreSchemaVersion = 1;

std::optional<std::string> prepare_store_schema(SqliteDb& db);

} // namespace bwc::bench
