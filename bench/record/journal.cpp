// The journal writer (see journal.hpp): line building on the bay's thread,
// write(2) per line, fdatasync(2) on a group-commit thread.
#include "bench/record/journal.hpp"

#include "bench/record/record_json.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace bwc::bench {
namespace {

/// The longest a line waits for a sync beyond the sync's own time: the
/// power-cut exposure of a line, traded against the writer's cost.
constexpr std::chrono::milliseconds kGroupCommitWindow{5};

std::int64_t wall_now_us() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

std::string os_error(const std::string& what, int err) {
    return what + ": " + std::strerror(err);
}

/// Writes all of `bytes`; 0 or the errno of the failure.
int write_all(int fd, const char* bytes, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, bytes, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0)
            return EIO;
        bytes += n;
        size -= static_cast<std::size_t>(n);
    }
    return 0;
}

void optional_integer_field(JsonLine& line, std::string_view name,
                            const std::optional<std::int64_t>& value) {
    if (value)
        line.integer_field(name, *value);
}

void write_measurement(JsonLine& line, const MeasurementRecord& m) {
    line.begin_object();
    line.text_field("name", m.name);
    line.key("value");
    write_value(line, m.value);
    line.text_field("unit", m.unit);
    if (m.limit.kind != Limit::Kind::None) {
        line.key("limit");
        write_limit(line, m.limit);
    }
    line.text_field("outcome", to_string(m.outcome));
    line.end_object();
}

} // namespace

JournalWriter::JournalWriter(std::string journal_dir, EndHook on_end)
    : journal_dir_(std::move(journal_dir)), on_end_(std::move(on_end)) {}

Result<std::unique_ptr<JournalWriter>>
JournalWriter::open(std::string journal_dir, const RecordHeader& header, EndHook on_end) {
    auto writer = std::make_unique<JournalWriter>(std::move(journal_dir), std::move(on_end));
    writer->begin(header);
    if (auto error = writer->failure())
        return Result<std::unique_ptr<JournalWriter>>::failure(*error);
    return writer;
}

JournalWriter::~JournalWriter() {
    stop_sync_thread();
    if (fd_ >= 0)
        ::close(fd_); // releases the flock; an unended journal is an orphan now
}

std::string JournalWriter::journal_path(const std::string& journal_dir,
                                        const std::string& record_id) {
    return journal_dir + "/" + record_id + ".jsonl";
}

std::optional<std::string> JournalWriter::check_record_id(const std::string& record_id) {
    if (record_id.empty())
        return "record id is empty";
    if (record_id.size() > 200)
        return "record id '" + record_id + "' is longer than 200 characters";
    if (record_id.front() == '.' || record_id.find_first_of("/\\") != std::string::npos ||
        record_id.find('\0') != std::string::npos)
        return "record id '" + record_id +
               "' cannot be a file name (no '/', '\\', NUL or leading '.')";
    return std::nullopt;
}

bool JournalWriter::open_journal(const std::string& record_id) {
    if (auto error = check_record_id(record_id)) {
        record_failure(*error);
        return false;
    }
    std::error_code ec;
    std::filesystem::create_directories(journal_dir_, ec);
    if (ec) {
        record_failure("cannot create journal directory " + journal_dir_ + ": " + ec.message());
        return false;
    }
    path_ = journal_path(journal_dir_, record_id);
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        record_failure(errno == EEXIST ? "journal " + path_ + " already exists: record id '" +
                                             record_id + "' was used before"
                                       : os_error("cannot create journal " + path_, errno));
        return false;
    }
    // Blocking: only a recovery pass that found this file empty can hold it,
    // and only for a moment.
    while (::flock(fd_, LOCK_EX) != 0) {
        if (errno != EINTR) {
            record_failure(os_error("cannot lock journal " + path_, errno));
            ::close(fd_);
            fd_ = -1;
            return false;
        }
    }
    record_id_ = record_id;
    syncer_ = std::thread([this] { sync_loop(); });
    return true;
}

void JournalWriter::begin(const RecordHeader& header) {
    if (began_) {
        if (header.record_id != record_id_)
            record_failure("begin('" + header.record_id + "') on the journal of record '" +
                           record_id_ + "'");
        return; // the same record: its header is written already (see open())
    }
    began_ = true;
    if (open_journal(header.record_id))
        write_header(header);
}

void JournalWriter::write_header(const RecordHeader& h) {
    data_.header = h;
    if (!start_line("record_start"))
        return;
    line_.integer_field("journal_version", kJournalVersion);
    line_.text_field("record_id", h.record_id);
    line_.text_field("run_id", h.run_id);
    line_.text_field("station", h.station);
    line_.integer_field("bay", h.bay);
    line_.text_field("operator", h.operator_name);
    line_.text_field("procedure_name", h.procedure_name);
    line_.text_field("procedure_version", h.procedure_version);
    line_.text_field("procedure_hash", h.procedure_hash);
    line_.text_field("procedure_path", h.procedure_path);
    line_.text_field("mode", h.mode);
    line_.key("fixtures");
    line_.begin_array();
    for (const auto& [name, uri] : h.fixtures) {
        line_.begin_object();
        line_.text_field("name", name);
        line_.text_field("uri", uri);
        line_.end_object();
    }
    line_.end_array();
    line_.key("calibration_ids");
    line_.begin_array();
    for (const auto& id : h.calibration_ids)
        line_.string_value(id);
    line_.end_array();
    line_.text_field("bench_version", h.bench_version);
    line_.integer_field("wall_start_ms", h.wall_start_ms);
    optional_integer_field(line_, "device_start_ms", h.device_start_ms);
    finish_line();
}

void JournalWriter::identity(const UnitIdentity& u) {
    data_.identity = u;
    if (!start_line("identity"))
        return;
    line_.text_field("serial", u.serial);
    line_.text_field("model", u.model);
    line_.text_field("firmware", u.firmware);
    line_.text_field("hardware", u.hardware);
    line_.text_field("imei", u.imei);
    line_.text_field("mac", u.mac);
    line_.text_field("battery_id", u.battery_id);
    finish_line();
}

void JournalWriter::step_started(int index, const std::string& id, const std::string& type) {
    if (!start_line("step_start"))
        return;
    line_.integer_field("index", index);
    line_.text_field("id", id);
    line_.text_field("step_type", type);
    finish_line();
}

void JournalWriter::step(const StepRecord& s) {
    data_.steps.push_back(s);
    if (!start_line("step"))
        return;
    line_.integer_field("index", s.index);
    line_.text_field("id", s.id);
    line_.text_field("name", s.name);
    line_.text_field("step_type", s.type);
    line_.text_field("group", s.group);
    line_.integer_field("attempt", s.attempt);
    line_.bool_field("final", s.final_attempt);
    line_.text_field("outcome", to_string(s.outcome));
    line_.integer_field("wall_start_us", s.wall_start_us);
    line_.integer_field("wall_duration_us", s.wall_duration_us);
    optional_integer_field(line_, "device_start_ms", s.device_start_ms);
    optional_integer_field(line_, "device_end_ms", s.device_end_ms);
    line_.text_field("error", s.error);
    line_.text_field("failure_code", s.failure_code);
    line_.key("measurements");
    line_.begin_array();
    for (const auto& m : s.measurements)
        write_measurement(line_, m);
    line_.end_array();
    finish_line();
}

void JournalWriter::evidence(const Evidence& e) {
    data_.evidence.push_back(e);
    if (!start_line("evidence"))
        return;
    line_.text_field("step_id", e.step_id);
    line_.text_field("path", e.path);
    line_.text_field("sha256", e.sha256);
    line_.text_field("description", e.description);
    finish_line();
}

void JournalWriter::log(std::string_view level, std::string_view text) {
    data_.logs.push_back(LogEntry{wall_now_us(), std::string(level), std::string(text)});
    if (!start_line("log"))
        return;
    line_.text_field("level", level);
    line_.text_field("text", text);
    finish_line();
}

void JournalWriter::end(const RecordEnd& e) {
    if (!began_ || ended_) {
        record_failure(ended_ ? "end() called twice on journal " + path_
                              : std::string("end() before begin()"));
        return;
    }
    ended_ = true;
    data_.end = e;
    if (start_line("record_end")) {
        line_.text_field("verdict", to_string(e.verdict));
        line_.text_field("failure_code", e.failure_code);
        line_.text_field("first_failing_step", e.first_failing_step);
        line_.text_field("cause", e.cause);
        line_.integer_field("wall_end_ms", e.wall_end_ms);
        optional_integer_field(line_, "device_end_ms", e.device_end_ms);
        finish_line();
    }
    stop_sync_thread();
    if (fd_ < 0)
        return;
    if (!write_failed_ && ::fdatasync(fd_) != 0)
        record_failure(os_error("cannot sync journal " + path_, errno));
    if (on_end_)
        if (auto error = on_end_(path_, data_))
            record_failure(*error);
    if (::close(fd_) != 0)
        record_failure(os_error("cannot close journal " + path_, errno));
    fd_ = -1;
}

std::optional<std::string> JournalWriter::failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
}

bool JournalWriter::start_line(std::string_view type) {
    if (fd_ < 0 || write_failed_) {
        if (!began_)
            record_failure("journal line '" + std::string(type) + "' before begin()");
        return false;
    }
    line_.clear();
    line_.begin_object();
    line_.integer_field("seq", static_cast<std::int64_t>(seq_ + 1));
    line_.text_field("type", type);
    line_.integer_field("wall_us", wall_now_us());
    return true;
}

void JournalWriter::finish_line() {
    line_.end_object();
    std::string& bytes = line_.buffer();
    bytes += '\n';
    if (const int err = write_all(fd_, bytes.data(), bytes.size())) {
        write_failed_ = true;
        record_failure(os_error("cannot write journal " + path_, err));
        return;
    }
    ++seq_;
    written_.store(seq_);
    // Wake the sync thread only when it sleeps: while it syncs, it will pick
    // this line up in its next round without being told.
    if (syncer_idle_.exchange(false)) {
        std::lock_guard lock(mutex_);
        wake_.notify_one();
    }
}

void JournalWriter::record_failure(std::string message) {
    std::lock_guard lock(mutex_);
    if (!failure_)
        failure_ = std::move(message);
}

void JournalWriter::stop_sync_thread() {
    if (!syncer_.joinable())
        return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    syncer_.join();
}

void JournalWriter::sync_loop() {
    // The new file's directory entry must survive a power cut too.
    const int dir_fd = ::open(journal_dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0 || ::fsync(dir_fd) != 0)
        record_failure(os_error("cannot sync journal directory " + journal_dir_, errno));
    if (dir_fd >= 0)
        ::close(dir_fd);

    std::unique_lock lock(mutex_);
    for (;;) {
        const std::uint64_t target = written_.load();
        if (target > synced_) {
            lock.unlock();
            const bool ok = ::fdatasync(fd_) == 0;
            const int err = errno;
            lock.lock();
            if (!ok) {
                if (!failure_)
                    failure_ = os_error("cannot sync journal " + path_, err);
                return; // end() tries once more and reports
            }
            synced_ = target;
            // Let lines gather before the next sync: fewer, larger syncs
            // cost the writer less (it shares the file with them).
            wake_.wait_for(lock, kGroupCommitWindow, [this] { return stop_; });
            continue;
        }
        if (stop_)
            return;
        syncer_idle_.store(true);
        wake_.wait(lock, [this] { return stop_ || written_.load() > synced_; });
    }
}

} // namespace bwc::bench
