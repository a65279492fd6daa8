// The results store (see store.hpp): opening a results directory, recovery
// of orphaned journals, and journal writers whose end() ingests the record.
#include "bench/record/store.hpp"

#include "bench/record/journal.hpp"
#include "bench/record/journal_reader.hpp"
#include "bench/record/store_database.hpp"
#include "bench/record/store_schema.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <sys/file.h>
#include <unistd.h>

namespace bwc::bench {
namespace {

namespace fs = std::filesystem;

/// Other processes (a second bench, `bench results`) are waited for this long.
constexpr int kBusyTimeoutMs = 10000;

/// The journal's path as kept in the records row: relative to the results dir.
std::string relative_journal(const std::string& record_id) {
    return std::string(ResultsStore::kJournalDirectory) + "/" + record_id + ".jsonl";
}

/// An open file descriptor, closed (and so unlocked) when it goes.
class FileHandle {
public:
    explicit FileHandle(int fd) : fd_(fd) {}
    ~FileHandle() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

std::vector<fs::path> journal_files(const std::string& dir, std::vector<std::string>& problems) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".jsonl" && it->is_regular_file(ec))
            files.push_back(it->path());
    if (ec)
        problems.push_back(dir + ": cannot list journals: " + ec.message());
    std::sort(files.begin(), files.end());
    return files;
}

Result<std::vector<RecordData>> load_each(StoreDatabase& db, const std::vector<std::string>& ids) {
    std::vector<RecordData> records;
    for (const std::string& id : ids) {
        auto record = db.load(id);
        if (!record)
            return Result<std::vector<RecordData>>::failure(record.error());
        records.push_back(std::move(*record));
    }
    return records;
}

} // namespace

ResultsStore::ResultsStore(std::string directory, std::shared_ptr<StoreDatabase> db)
    : directory_(std::move(directory)), db_(std::move(db)) {}

ResultsStore::~ResultsStore() = default;

std::string ResultsStore::database_path() const {
    return directory_ + "/" + kDatabaseFile;
}

std::string ResultsStore::journal_directory() const {
    return directory_ + "/" + kJournalDirectory;
}

Result<std::unique_ptr<ResultsStore>> ResultsStore::open(const std::string& results_dir) {
    using R = Result<std::unique_ptr<ResultsStore>>;
    std::error_code ec;
    fs::create_directories(fs::path(results_dir) / kJournalDirectory, ec);
    if (ec)
        return R::failure("cannot create results directory " + results_dir + ": " + ec.message());
    auto db = SqliteDb::open(results_dir + "/" + kDatabaseFile, kBusyTimeoutMs);
    if (!db)
        return R::failure(db.error());
    if (auto error = prepare_store_schema(**db))
        return R::failure(*error);
    std::unique_ptr<ResultsStore> store(
        new ResultsStore(results_dir, std::make_shared<StoreDatabase>(std::move(*db))));
    store->recover();
    return store;
}

void ResultsStore::recover() {
    auto stored = db_->record_ids();
    if (!stored) {
        recovery_.problems.push_back(stored.error());
        return;
    }
    const std::set<std::string> known(stored->begin(), stored->end());
    for (const fs::path& file : journal_files(journal_directory(), recovery_.problems)) {
        const std::string id = file.stem().string();
        if (known.count(id))
            continue;
        const std::string path = file.string();
        FileHandle handle(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (handle.get() < 0) {
            recovery_.problems.push_back(path + ": cannot open: " + std::strerror(errno));
            continue;
        }
        if (::flock(handle.get(), LOCK_EX | LOCK_NB) != 0) {
            if (errno == EWOULDBLOCK)
                recovery_.live.push_back(id); // its writer is alive: not ours to take
            else
                recovery_.problems.push_back(path + ": cannot lock: " + std::strerror(errno));
            continue;
        }
        // Locked now: no writer can be ending this record while we ingest it.
        auto record = read_journal(path);
        if (!record) {
            recovery_.problems.push_back(record.error());
            continue;
        }
        if (record->header.record_id != id) {
            recovery_.problems.push_back(path + ": holds record '" + record->header.record_id +
                                         "', not the one its name says");
            continue;
        }
        auto ingested = db_->ingest(*record, relative_journal(id), StoreDatabase::Source::Recovery);
        if (!ingested)
            recovery_.problems.push_back(ingested.error());
        else if (*ingested) // false: another process recovered it meanwhile
            recovery_.recovered.push_back(id);
    }
}

Result<std::unique_ptr<RecordWriter>> ResultsStore::start_record(const RecordHeader& header) {
    using R = Result<std::unique_ptr<RecordWriter>>;
    if (auto error = JournalWriter::check_record_id(header.record_id))
        return R::failure(*error);
    auto taken = db_->has_record(header.record_id);
    if (!taken)
        return R::failure(taken.error());
    if (*taken)
        return R::failure("record '" + header.record_id + "' is already stored in " +
                          database_path());
    std::shared_ptr<StoreDatabase> db = db_;
    const std::string journal = relative_journal(header.record_id);
    auto ingest_at_end = [db, journal](const std::string&,
                                       const RecordData& record) -> std::optional<std::string> {
        auto ingested = db->ingest(record, journal, StoreDatabase::Source::Writer);
        if (!ingested)
            return ingested.error();
        if (!*ingested)
            return "record '" + record.header.record_id + "' was stored by someone else";
        return std::nullopt;
    };
    auto writer = JournalWriter::open(journal_directory(), header, std::move(ingest_at_end));
    if (!writer)
        return R::failure(writer.error());
    return std::unique_ptr<RecordWriter>(std::move(*writer));
}

Result<std::vector<RecordSummary>> ResultsStore::list(const RecordFilter& filter) const {
    return db_->list(filter);
}

Result<RecordData> ResultsStore::load(const std::string& id_or_prefix) const {
    auto id = db_->resolve_id(id_or_prefix);
    if (!id)
        return Result<RecordData>::failure(id.error());
    return db_->load(*id);
}

Result<std::vector<RecordData>> ResultsStore::load_run(const std::string& run_id) const {
    using R = Result<std::vector<RecordData>>;
    if (run_id.empty())
        return R::failure("no run id given");
    auto ids = db_->ids_in_order(run_id);
    if (!ids)
        return R::failure(ids.error());
    if (ids->empty())
        return R::failure("no records of run '" + run_id + "' in " + database_path());
    return load_each(*db_, *ids);
}

Result<std::vector<RecordData>> ResultsStore::load_all() const {
    auto ids = db_->ids_in_order("");
    if (!ids)
        return Result<std::vector<RecordData>>::failure(ids.error());
    return load_each(*db_, *ids);
}

Result<bool> ResultsStore::ingest(const RecordData& record, const std::string& journal) {
    return db_->ingest(record, journal, StoreDatabase::Source::Writer);
}

} // namespace bwc::bench
