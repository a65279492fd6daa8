// The units a measurement may be recorded in: codes of UN/ECE Recommendation
// 20 ("Codes for Units of Measure Used in International Trade"), the common
// code written in procedure files (`unit: C26`) and stored in every record.
// Only the units a camera and dock test needs are listed; add a row to
// kUnits in units.cpp for another one (procedures/README.md lists them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

struct UnitInfo {
    std::string_view code;   // Rec. 20 common code: "C26"
    std::string_view symbol; // "ms"
    std::string_view name;   // "millisecond"
};

/// The unit with this code (exact, upper case as Rec. 20 writes it), or nullptr.
const UnitInfo* find_unit(std::string_view code);
/// Every known unit, in table order.
const std::vector<UnitInfo>& all_units();
/// "unknown unit 'ms': expected a UNECE Rec. 20 code (C26 = millisecond?)":
/// suggests by symbol, name or a close code.
std::string unknown_unit_message(std::string_view written);
/// "C26 (ms, millisecond)" for help and messages; the code itself when unknown.
std::string describe_unit(std::string_view code);

} // namespace bwc::bench
