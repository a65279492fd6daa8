// CSV export of test records for spreadsheets and SPC tools: one row per
// measurement (every attempt) with record id, serial, bay, step id, attempt,
// measurement, value, unit, low, high, limit text and outcome. RFC 4180:
// a header row, CRLF line ends, fields quoted when they hold a comma, a
// quote or a line break, quotes doubled.
#pragma once

#include "bench/record/record_data.hpp"

#include <string>
#include <vector>

namespace bwc::bench {

std::string export_csv(const std::vector<RecordData>& records);

} // namespace bwc::bench
