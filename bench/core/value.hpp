// The value a measurement, a parameter or a loop variable holds: nothing,
// a boolean, a number or a text. Numbers are doubles (a count of 10^15 and a
// voltage fit alike); integers print without a decimal point.
#pragma once

#include <string>
#include <variant>

namespace bwc::bench {

using Value = std::variant<std::monostate, bool, double, std::string>;

/// "bool", "number", "text" or "none".
const char* type_name(const Value& v);
/// As a person would write it: true, 3150, 4.2, SN0001 (text unquoted), "" for none.
std::string to_text(const Value& v);
/// Equal as values: numbers by value, texts exactly, bool to bool.
bool same_value(const Value& a, const Value& b);

} // namespace bwc::bench
