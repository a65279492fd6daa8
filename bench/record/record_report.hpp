// Records as people read them, for `bench results show` and `list`: a
// report of one record (header, unit, every step attempt with its
// measurements, limits and outcomes, evidence, log, verdict) and a table of
// record summaries. Times are UTC.
#pragma once

#include "bench/record/record_data.hpp"
#include "bench/record/store.hpp"

#include <string>
#include <vector>

namespace bwc::bench {

std::string format_record_report(const RecordData& record);
/// One row per record under a header row; "no records" when empty.
std::string format_record_table(const std::vector<RecordSummary>& rows);

} // namespace bwc::bench
