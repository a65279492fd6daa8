// The journal writer: a RecordWriter that appends one JSON object per line to
// <journal_dir>/<record_id>.jsonl as things happen (SCHEMA.md gives the line
// format; the idea follows the OCP Test & Validation output spec v2.0).
//
// Durability, and who waits for what:
// - every line goes to the kernel with write(2) before the call returns, with
//   no user-space buffer, so a SIGKILL or a crash of bench loses nothing;
// - a background thread calls fdatasync(2) whenever lines are pending (group
//   commit: one sync covers every line written meanwhile), so the bay's
//   thread never waits for the disk;
// - end() writes record_end and syncs it before returning.
// While the record is open the file carries an exclusive flock(2): recovery
// (store.hpp) takes a journal it can lock for an orphan whose writer died,
// and leaves a locked one alone.
//
// Errors: the first write, sync or end-hook error is kept and given by
// failure(); after a failed write nothing more is written, so a torn line can
// only ever be the last one.
#pragma once

#include "bench/record/json_line.hpp"
#include "bench/record/record.hpp"
#include "bench/record/record_data.hpp"
#include "bench/transport/uri.hpp" // the project's Result

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace bwc::bench {

/// The version of the journal line format, written in record_start.
inline constexpr int kJournalVersion = 1;

class JournalWriter final : public RecordWriter {
public:
    /// Called by end() once record_end is on disk, before the lock is
    /// released, with the journal's path; returns an error text or nullopt.
    /// The store ingests the record here.
    /// `record` is what was written, kept in memory as it went (so the store
    /// need not parse the journal back; recovery reads journals instead).
    using EndHook = std::function<std::optional<std::string>(const std::string& journal_path,
                                                             const RecordData& record)>;

    /// Nothing is opened until begin(); its errors go to failure().
    explicit JournalWriter(std::string journal_dir, EndHook on_end = {});
    /// Creates the journal and writes record_start: JournalWriter + begin(),
    /// with begin()'s error as the result. begin() on the writer it returns
    /// with the same record id does nothing (the header is written already).
    static Result<std::unique_ptr<JournalWriter>>
    open(std::string journal_dir, const RecordHeader& header, EndHook on_end = {});
    /// Stops the sync thread and closes the file. Without end() the journal
    /// stays without record_end, and recovery will take it as Incomplete.
    ~JournalWriter() override;
    JournalWriter(const JournalWriter&) = delete;
    JournalWriter& operator=(const JournalWriter&) = delete;

    /// <journal_dir>/<record_id>.jsonl
    static std::string journal_path(const std::string& journal_dir, const std::string& record_id);
    /// An error text when `record_id` cannot be a file name.
    static std::optional<std::string> check_record_id(const std::string& record_id);
    /// Empty before begin().
    const std::string& path() const { return path_; }

    void begin(const RecordHeader& header) override;
    void identity(const UnitIdentity& unit) override;
    void step_started(int index, const std::string& id, const std::string& type) override;
    void step(const StepRecord& step) override;
    void evidence(const Evidence& e) override;
    void log(std::string_view level, std::string_view text) override;
    void end(const RecordEnd& end) override;
    std::optional<std::string> failure() const override;

private:
    bool open_journal(const std::string& record_id);
    /// Starts line_ with seq, type and wall time; false when nothing may be written.
    bool start_line(std::string_view type);
    void finish_line();
    void write_header(const RecordHeader& header);
    void record_failure(std::string message);
    void stop_sync_thread();
    void sync_loop();

    std::string journal_dir_;
    EndHook on_end_;
    std::string path_;
    std::string record_id_;
    int fd_ = -1;
    bool began_ = false;
    bool ended_ = false;
    bool write_failed_ = false; // the bay's thread only
    std::uint64_t seq_ = 0;
    JsonLine line_;   // reused for every line
    RecordData data_; // everything written, for the end hook

    // Group commit. written_ is the seq of the last line handed to the kernel.
    std::thread syncer_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<std::uint64_t> written_{0};
    std::atomic<bool> syncer_idle_{false};
    std::uint64_t synced_ = 0;           // guarded by mutex_
    bool stop_ = false;                  // guarded by mutex_
    std::optional<std::string> failure_; // guarded by mutex_
};

} // namespace bwc::bench
