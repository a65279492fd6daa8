// The results store: a results directory holding the SQLite database
// (results.sqlite, WAL mode, schema in SCHEMA.md) and the journals
// (journal/<record_id>.jsonl) records are written to as they happen.
//
// Life of a record: start_record() opens its journal; the runner writes it
// step by step; end() syncs record_end, then ingests the whole journal into
// the database in one transaction (a record is never half in the database),
// and only then drops the journal's lock. If bench dies before that, the
// journal stays, unlocked and not in the database: the next open() recovers
// it — with the verdict of its record_end if it has one, else as Incomplete
// with every step it holds. A journal still locked belongs to a live writer
// (another bench on this directory) and is left alone.
//
// Thread safety: one store may be used from any number of threads (the bays
// of a run end concurrently); database access is serialised by a mutex, and
// other processes are waited for (busy timeout). Writers may outlive the
// store object.
#pragma once

#include "bench/record/record.hpp"
#include "bench/record/record_data.hpp"
#include "bench/transport/uri.hpp" // the project's Result

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

/// One line of `bench results list`.
struct RecordSummary {
    std::string record_id, run_id, station;
    int bay = 0;
    std::string serial, model, firmware; // empty when the unit never identified itself
    std::string procedure_name, procedure_version;
    Verdict verdict = Verdict::Incomplete;
    std::string failure_code, first_failing_step;
    std::int64_t wall_start_ms = 0;
    std::optional<std::int64_t> wall_end_ms;
};

/// Empty fields match everything. Results are newest first.
struct RecordFilter {
    std::string serial;
    std::string run_id;
    std::optional<Verdict> verdict;
    int limit = 0; // at most this many; 0: all
};

/// What open() found in journal/.
struct RecoveryReport {
    std::vector<std::string> recovered; // record ids ingested from orphaned journals
    std::vector<std::string> live;      // journals locked by a running writer, left alone
    std::vector<std::string> problems;  // journals that could not be taken (file:line: why)
};

class StoreDatabase; // the shared connection (store.cpp)

class ResultsStore {
public:
    static constexpr const char* kDatabaseFile = "results.sqlite";
    static constexpr const char* kJournalDirectory = "journal";

    /// Creates the directory, journal/ and the database as needed, brings
    /// the schema up to date (refusing a newer one) and recovers orphaned
    /// journals (recovery() tells what it found).
    static Result<std::unique_ptr<ResultsStore>> open(const std::string& results_dir);
    ~ResultsStore();
    ResultsStore(const ResultsStore&) = delete;
    ResultsStore& operator=(const ResultsStore&) = delete;

    const RecoveryReport& recovery() const { return recovery_; }
    const std::string& directory() const { return directory_; }
    std::string database_path() const;
    std::string journal_directory() const;

    /// A journal writer that has begun (record_start is written: calling
    /// begin() again with the same header does nothing) and whose end()
    /// ingests the record. Fails when the record id is taken or unusable.
    Result<std::unique_ptr<RecordWriter>> start_record(const RecordHeader& header);

    Result<std::vector<RecordSummary>> list(const RecordFilter& filter = {}) const;
    /// One record by its id, or by a prefix that only one record id has.
    Result<RecordData> load(const std::string& id_or_prefix) const;
    /// Every record of a run, by bay; an error when the run has none.
    Result<std::vector<RecordData>> load_run(const std::string& run_id) const;
    /// Every record, oldest first.
    Result<std::vector<RecordData>> load_all() const;
    /// Puts a record read from a journal into the database (one transaction).
    /// `journal` is its path, kept in the records row. False when a record
    /// with its id is stored already (nothing is changed then).
    Result<bool> ingest(const RecordData& record, const std::string& journal);

private:
    ResultsStore(std::string directory, std::shared_ptr<StoreDatabase> db);
    void recover();

    std::string directory_;
    std::shared_ptr<StoreDatabase> db_;
    RecoveryReport recovery_;
};

} // namespace bwc::bench
