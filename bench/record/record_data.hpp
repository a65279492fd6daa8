// A whole test record as read back from a journal or from the store: the
// pieces RecordWriter received, in order. Exports and `bench results show`
// work from this.
#pragma once

#include "bench/record/record.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

struct LogEntry {
    std::int64_t wall_us = 0; // Unix epoch µs
    std::string level;
    std::string text;
};

struct RecordData {
    RecordHeader header;
    std::optional<UnitIdentity> identity; // absent until the unit answered
    std::vector<StepRecord> steps;        // every attempt, in the order they ended
    std::vector<Evidence> evidence;
    std::vector<LogEntry> logs;
    std::optional<RecordEnd> end; // absent: the run was interrupted
    /// The id of a step that started and never ended (the run died in it).
    std::string interrupted_step;

    Verdict verdict() const { return end ? end->verdict : Verdict::Incomplete; }
};

} // namespace bwc::bench
