// Reference syntax and substitution (see references.hpp).
#include "bench/procedure/references.hpp"

#include <cctype>
#include <cmath>

namespace bwc::bench {
namespace {

bool identifier_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool identifier_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

} // namespace

bool is_identifier(std::string_view s) {
    if (s.empty() || !identifier_start(s.front()))
        return false;
    for (char c : s)
        if (!identifier_char(c))
            return false;
    return true;
}

bool is_reference_name(std::string_view s) {
    while (true) {
        const auto dot = s.find('.');
        if (!is_identifier(s.substr(0, dot)))
            return false;
        if (dot == std::string_view::npos)
            return true;
        s = s.substr(dot + 1);
    }
}

std::string identifier_rule(std::string_view what, std::string_view name) {
    return std::string(what) + " '" + std::string(name) +
           "' must start with a letter and use letters, digits, '_' and '-'";
}

Result<std::vector<TextRef>, RefError> find_references(std::string_view text) {
    std::vector<TextRef> refs;
    std::size_t at = 0;
    while ((at = text.find("${", at)) != std::string_view::npos) {
        const auto close = text.find('}', at + 2);
        if (close == std::string_view::npos)
            return RefError{at, "'${' without a closing '}'"};
        const std::string_view name = text.substr(at + 2, close - at - 2);
        if (name.empty())
            return RefError{at, "empty reference '${}'"};
        if (!is_reference_name(name))
            return RefError{at, "'${" + std::string(name) +
                                    "}' is not a name (letters, digits, _ and -, "
                                    "parts joined by dots)"};
        refs.push_back(TextRef{name, at, close + 1});
        at = close + 1;
    }
    return refs;
}

std::optional<std::string_view> sole_reference(std::string_view text) {
    if (text.size() < 4 || text.substr(0, 2) != "${" || text.back() != '}')
        return std::nullopt;
    const std::string_view name = text.substr(2, text.size() - 3);
    if (!is_reference_name(name))
        return std::nullopt;
    return name;
}

Result<std::string> interpolate(std::string_view text, NameLookup lookup, bool keep_unknown) {
    auto refs = find_references(text);
    if (!refs)
        return Result<std::string>::failure(refs.error().message);
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (const TextRef& r : *refs) {
        out.append(text.substr(copied, r.begin - copied));
        if (const Value* v = lookup(r.name))
            out += to_text(*v);
        else if (keep_unknown)
            out.append(text.substr(r.begin, r.end - r.begin));
        else
            return Result<std::string>::failure("unknown name '" + std::string(r.name) + "' in ${" +
                                                std::string(r.name) + "}");
        copied = r.end;
    }
    out.append(text.substr(copied));
    return out;
}

Result<Value> substitute_value(std::string_view text, NameLookup lookup, bool keep_unknown) {
    if (const auto name = sole_reference(text)) {
        if (const Value* v = lookup(*name))
            return *v;
        if (keep_unknown)
            return Value(std::string(text));
        return Result<Value>::failure("unknown name '" + std::string(*name) + "' in ${" +
                                      std::string(*name) + "}");
    }
    auto s = interpolate(text, lookup, keep_unknown);
    if (!s)
        return Result<Value>::failure(s.error());
    return Value(std::move(s).value());
}

Result<nlohmann::json> substitute_json(const nlohmann::json& j, NameLookup lookup,
                                       bool keep_unknown) {
    using Json = nlohmann::json;
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (!has_references(s))
            return j;
        auto v = substitute_value(s, lookup, keep_unknown);
        if (!v)
            return Result<Json>::failure(v.error());
        return value_as_json(*v);
    }
    if (j.is_array()) {
        Json out = Json::array();
        for (const Json& item : j) {
            auto s = substitute_json(item, lookup, keep_unknown);
            if (!s)
                return s;
            out.push_back(std::move(s).value());
        }
        return out;
    }
    if (j.is_object()) {
        Json out = Json::object();
        for (const auto& [key, item] : j.items()) {
            auto s = substitute_json(item, lookup, keep_unknown);
            if (!s)
                return s;
            out[key] = std::move(s).value();
        }
        return out;
    }
    return j;
}

bool json_has_references(const nlohmann::json& j) {
    if (j.is_string())
        return has_references(j.get_ref<const std::string&>());
    if (j.is_structured()) {
        for (const auto& item : j)
            if (json_has_references(item))
                return true;
    }
    return false;
}

nlohmann::json value_as_json(const Value& v) {
    if (const bool* b = std::get_if<bool>(&v))
        return *b;
    if (const double* d = std::get_if<double>(&v)) {
        // 2^53: every integer below it is exact in a double.
        if (std::isfinite(*d) && std::fabs(*d) < 9007199254740992.0 && *d == std::trunc(*d))
            return static_cast<std::int64_t>(*d);
        return *d;
    }
    if (const std::string* s = std::get_if<std::string>(&v))
        return *s;
    return nullptr;
}

Value json_as_value(const nlohmann::json& j) {
    if (j.is_boolean())
        return j.get<bool>();
    if (j.is_number())
        return j.get<double>();
    if (j.is_string())
        return j.get<std::string>();
    if (j.is_null())
        return std::monostate{};
    return j.dump();
}

} // namespace bwc::bench
