// Reads a journal (journal.hpp, format in SCHEMA.md) back into a RecordData.
// A last line without its newline is what a crash or power cut in the middle
// of a write leaves: it is dropped unless it happens to be complete. Any other
// bad line (not JSON, a missing or mistyped field, a seq out of order, an
// unknown type, a line before record_start or after record_end) is an error
// naming file:line.
#pragma once

#include "bench/record/record_data.hpp"
#include "bench/transport/uri.hpp" // the project's Result

#include <string>
#include <string_view>

namespace bwc::bench {

Result<RecordData> read_journal(const std::string& path);
/// The same on text already read; `path` is only used in messages.
Result<RecordData> parse_journal(std::string_view text, const std::string& path);

} // namespace bwc::bench
