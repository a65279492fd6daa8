// A test record: one unit in one bay running one procedure. These are the
// pieces the runner hands over as the run goes; journal.hpp writes them as a
// line-delimited JSON journal the moment they happen, store.hpp keeps them in
// SQLite (bench/record/SCHEMA.md documents both).
#pragma once

#include "bench/core/limit.hpp"
#include "bench/core/value.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

/// Who the unit is, as it says on the wire (IDENTIFY) and on its label.
struct UnitIdentity {
    std::string serial, model, firmware, hardware, imei, mac, battery_id;
};

struct RecordHeader {
    std::string record_id; // unique (run id + "-bay" + bay), used as file name too
    std::string run_id;    // shared by the bays of one `bench run`
    std::string station;
    int bay = 0;
    std::string operator_name;
    std::string procedure_name, procedure_version, procedure_hash, procedure_path;
    std::string mode;                                          // "parallel" or "batch"
    std::vector<std::pair<std::string, std::string>> fixtures; // name → URI
    std::vector<std::string> calibration_ids;
    std::string bench_version;
    std::int64_t wall_start_ms = 0; // Unix epoch ms
    std::optional<std::int64_t> device_start_ms;
};

struct MeasurementRecord {
    std::string name;
    Value value;
    std::string unit;
    Limit limit; // kind None when not judged
    Outcome outcome = Outcome::Pass;
};

struct StepRecord {
    int index = 0;  // position in the run, from 0 (attempts share it)
    std::string id; // as resolved
    std::string name;
    std::string type;
    std::string group;         // setup / main / teardown
    int attempt = 1;           // 1-based; repeat-on-fail adds more
    bool final_attempt = true; // the attempt whose outcome counts
    Outcome outcome = Outcome::Pass;
    std::int64_t wall_start_us = 0; // Unix epoch µs
    std::int64_t wall_duration_us = 0;
    std::optional<std::int64_t> device_start_ms, device_end_ms;
    std::string error;        // Error / Aborted: the cause
    std::string failure_code; // as declared by the step
    std::vector<MeasurementRecord> measurements;
};

struct Evidence {
    std::string step_id;
    std::string path; // absolute, or relative to the results directory
    std::string sha256;
    std::string description;
};

enum class Verdict { Pass, Fail, Error, Aborted, Incomplete };
std::string_view to_string(Verdict v);
std::optional<Verdict> parse_verdict(std::string_view text);

struct RecordEnd {
    Verdict verdict = Verdict::Pass; // Incomplete is only given by recovery
    std::string failure_code;        // of the first failing step
    std::string first_failing_step;  // its id
    std::string cause;               // Error / Aborted: why
    std::int64_t wall_end_ms = 0;
    std::optional<std::int64_t> device_end_ms;
};

/// Where the runner sends a record as it happens. Implementations must be
/// safe to use from the bay's thread only (one writer per record).
class RecordWriter {
public:
    virtual ~RecordWriter() = default;
    virtual void begin(const RecordHeader& header) = 0;
    virtual void identity(const UnitIdentity& unit) = 0;
    virtual void step_started(int index, const std::string& id, const std::string& type) = 0;
    virtual void step(const StepRecord& step) = 0;
    virtual void evidence(const Evidence& e) = 0;
    virtual void log(std::string_view level, std::string_view text) = 0;
    virtual void end(const RecordEnd& end) = 0;
    /// The first write or storage error (disk full, database locked…), if
    /// any: the runner ends the bay with an Error naming it, never silently.
    virtual std::optional<std::string> failure() const = 0;
};

} // namespace bwc::bench
