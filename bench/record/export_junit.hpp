// JUnit XML export of test records, for CI dashboards and MES importers that
// read JUnit: one <testsuite> per unit record ("bay 3 SN0003 eol-w120"), one
// <testcase> per step's final attempt (classname = procedure, name = step id,
// time in seconds). A failed step carries <failure> naming each failing
// measurement with its value, limit and unit; an errored or aborted step
// carries <error> with the cause; a skipped step <skipped/>. A record whose
// verdict its steps do not explain — an interrupted run (Incomplete), an
// Error/Aborted verdict with no errored step, a Fail with no failed step —
// gets one more testcase, "(record)", carrying that verdict, so no bad unit
// reads as green. Unit identity, station and procedure hash are <properties>.
// Counts (tests, failures, errors, skipped) are on every suite and the root.
#pragma once

#include "bench/record/record_data.hpp"

#include <string>
#include <vector>

namespace bwc::bench {

std::string export_junit(const std::vector<RecordData>& records);

} // namespace bwc::bench
