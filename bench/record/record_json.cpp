// Values and limits to and from JSON (see record_json.hpp).
#include "bench/record/record_json.hpp"

#include <array>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <utility>

namespace bwc::bench {
namespace {

constexpr std::array<std::pair<Limit::Kind, std::string_view>, 5> kLimitKindNames{{
    {Limit::Kind::None, "none"},
    {Limit::Kind::Range, "range"},
    {Limit::Kind::Equals, "equals"},
    {Limit::Kind::Regex, "regex"},
    {Limit::Kind::OneOf, "one_of"},
}};

void write_optional_number(JsonLine& out, std::string_view name, const std::optional<double>& n) {
    if (n)
        out.number_field(name, *n);
}

/// Reads an optional number field of a limit object into `into`.
std::optional<std::string> read_optional_number(const nlohmann::json& object, const char* name,
                                                std::optional<double>& into) {
    const auto it = object.find(name);
    if (it == object.end() || it->is_null())
        return std::nullopt;
    auto n = number_from_json(*it);
    if (!n)
        return std::string("limit field '") + name + "': " + n.error();
    into = *n;
    return std::nullopt;
}

Result<Limit> limit_fields_from_json(const nlohmann::json& json, Limit::Kind kind) {
    Limit limit;
    limit.kind = kind;
    for (const auto& [name, field] : {std::pair{"low", &limit.low}, std::pair{"high", &limit.high},
                                      std::pair{"marginal_low", &limit.marginal_low},
                                      std::pair{"marginal_high", &limit.marginal_high}})
        if (auto error = read_optional_number(json, name, *field))
            return Result<Limit>::failure(*error);
    if (const auto it = json.find("equals"); it != json.end()) {
        auto v = value_from_json(*it);
        if (!v)
            return Result<Limit>::failure("limit field 'equals': " + v.error());
        limit.equals = std::move(*v);
    }
    if (const auto it = json.find("pattern"); it != json.end()) {
        if (!it->is_string())
            return Result<Limit>::failure("limit field 'pattern': expected text");
        limit.pattern = it->get<std::string>();
    }
    if (const auto it = json.find("one_of"); it != json.end()) {
        if (!it->is_array())
            return Result<Limit>::failure("limit field 'one_of': expected a list");
        for (const auto& item : *it) {
            auto v = value_from_json(item);
            if (!v)
                return Result<Limit>::failure("limit field 'one_of': " + v.error());
            limit.one_of.push_back(std::move(*v));
        }
    }
    // A stored regex that no longer compiles is still the limit that was
    // applied; evaluate() then fails it, which is the honest answer.
    (void)limit.compile();
    return limit;
}

} // namespace

std::string_view limit_kind_name(Limit::Kind kind) {
    for (const auto& [value, name] : kLimitKindNames)
        if (value == kind)
            return name;
    return "?";
}

std::optional<Limit::Kind> parse_limit_kind(std::string_view name) {
    for (const auto& [value, text] : kLimitKindNames)
        if (text == name)
            return value;
    return std::nullopt;
}

void write_value(JsonLine& out, const Value& value) {
    if (const bool* b = std::get_if<bool>(&value))
        out.bool_value(*b);
    else if (const double* d = std::get_if<double>(&value))
        out.number_value(*d);
    else if (const std::string* s = std::get_if<std::string>(&value))
        out.string_value(*s);
    else
        out.null_value();
}

void write_limit(JsonLine& out, const Limit& limit) {
    out.begin_object();
    out.text_field("kind", limit_kind_name(limit.kind));
    switch (limit.kind) {
    case Limit::Kind::None:
        break;
    case Limit::Kind::Range:
        write_optional_number(out, "low", limit.low);
        write_optional_number(out, "high", limit.high);
        write_optional_number(out, "marginal_low", limit.marginal_low);
        write_optional_number(out, "marginal_high", limit.marginal_high);
        break;
    case Limit::Kind::Equals:
        out.key("equals");
        write_value(out, limit.equals);
        break;
    case Limit::Kind::Regex:
        out.text_field("pattern", limit.pattern);
        break;
    case Limit::Kind::OneOf:
        out.key("one_of");
        out.begin_array();
        for (const Value& v : limit.one_of)
            write_value(out, v);
        out.end_array();
        break;
    }
    out.end_object();
}

std::string value_to_json(const Value& value) {
    JsonLine out;
    write_value(out, value);
    return out.text();
}

std::string values_to_json(const std::vector<Value>& values) {
    JsonLine out;
    out.begin_array();
    for (const Value& v : values)
        write_value(out, v);
    out.end_array();
    return out.text();
}

Result<double> number_from_json(const nlohmann::json& json) {
    if (json.is_number())
        return json.get<double>();
    if (json.is_object() && json.size() == 1 && json.contains("number") &&
        json["number"].is_string()) {
        const auto& name = json["number"].get_ref<const std::string&>();
        if (name == "nan")
            return std::numeric_limits<double>::quiet_NaN();
        if (name == "inf")
            return std::numeric_limits<double>::infinity();
        if (name == "-inf")
            return -std::numeric_limits<double>::infinity();
    }
    return Result<double>::failure("expected a number, got " + json.dump());
}

Result<Value> value_from_json(const nlohmann::json& json) {
    switch (json.type()) {
    case nlohmann::json::value_t::null:
        return Value{};
    case nlohmann::json::value_t::boolean:
        return Value{json.get<bool>()};
    case nlohmann::json::value_t::string:
        return Value{json.get<std::string>()};
    default:
        break;
    }
    auto n = number_from_json(json);
    if (!n)
        return Result<Value>::failure("expected a value (null, true/false, number or text), got " +
                                      json.dump());
    return Value{*n};
}

Result<Limit> limit_from_json(const nlohmann::json& json) {
    if (!json.is_object())
        return Result<Limit>::failure("expected a limit object, got " + json.dump());
    const auto kind_it = json.find("kind");
    if (kind_it == json.end() || !kind_it->is_string())
        return Result<Limit>::failure("limit without a 'kind'");
    const auto kind = parse_limit_kind(kind_it->get_ref<const std::string&>());
    if (!kind)
        return Result<Limit>::failure("unknown limit kind '" + kind_it->get<std::string>() +
                                      "' (none, range, equals, regex, one_of)");
    return limit_fields_from_json(json, *kind);
}

Result<Value> value_from_json_text(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded())
        return Result<Value>::failure("not valid JSON: " + std::string(text));
    return value_from_json(json);
}

Result<std::vector<Value>> values_from_json_text(std::string_view text) {
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_array())
        return Result<std::vector<Value>>::failure("not a JSON list: " + std::string(text));
    std::vector<Value> values;
    for (const auto& item : json) {
        auto v = value_from_json(item);
        if (!v)
            return Result<std::vector<Value>>::failure(v.error());
        values.push_back(std::move(*v));
    }
    return values;
}

} // namespace bwc::bench
