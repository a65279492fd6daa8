// How values and limits are spelled in JSON, in journal lines and in the
// store's JSON columns (SCHEMA.md): a value keeps its type (null, true/false,
// a number, a string; {"number":"nan"|"inf"|"-inf"} for the numbers JSON
// lacks) and a limit is an object with its kind and only the fields it uses.
#pragma once

#include "bench/core/limit.hpp"
#include "bench/core/value.hpp"
#include "bench/record/json_line.hpp"
#include "bench/transport/uri.hpp" // the project's Result

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

/// "none", "range", "equals", "regex", "one_of".
std::string_view limit_kind_name(Limit::Kind kind);
std::optional<Limit::Kind> parse_limit_kind(std::string_view name);

void write_value(JsonLine& out, const Value& value);
/// Writes the limit as an object: {"kind":"range","low":2850,"high":3150}.
void write_limit(JsonLine& out, const Limit& limit);
/// A value list as a JSON array text, e.g. for the store's one_of column.
std::string values_to_json(const std::vector<Value>& values);
std::string value_to_json(const Value& value);

/// The errors name what was expected, not where: callers add the place.
Result<double> number_from_json(const nlohmann::json& json);
Result<Value> value_from_json(const nlohmann::json& json);
Result<Limit> limit_from_json(const nlohmann::json& json);
/// Parses the JSON text of value_to_json / values_to_json.
Result<Value> value_from_json_text(std::string_view text);
Result<std::vector<Value>> values_from_json_text(std::string_view text);

} // namespace bwc::bench
