// Inside the results store: the one SQLite connection a store and its
// writers share, behind a mutex, with the SQL that puts a record in
// (store_ingest.cpp) and gets records out (store_query.cpp). Not for use
// outside bench/record; store.hpp is the interface.
#pragma once

#include "bench/record/record_data.hpp"
#include "bench/record/sqlite_db.hpp"
#include "bench/record/store.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace bwc::bench {

class StoreDatabase {
public:
    enum class Source { Writer, Recovery }; // who ingested: records.ingested_by

    explicit StoreDatabase(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

    /// One transaction; false (and no change) when the id is stored already.
    Result<bool> ingest(const RecordData& record, const std::string& journal, Source source);
    Result<bool> has_record(const std::string& record_id);
    Result<std::vector<std::string>> record_ids();
    Result<std::vector<RecordSummary>> list(const RecordFilter& filter);
    /// The full id of `id_or_prefix`: an exact id, or a prefix of exactly one.
    Result<std::string> resolve_id(const std::string& id_or_prefix);
    Result<RecordData> load(const std::string& record_id);
    /// Ids of a run by bay, or of everything oldest first when run_id is empty.
    Result<std::vector<std::string>> ids_in_order(const std::string& run_id);
    const std::string& path() const { return db_->path(); }

private:
    Result<bool> contains(const std::string& record_id); // mutex held

    std::mutex mutex_;
    std::unique_ptr<SqliteDb> db_;
};

} // namespace bwc::bench
