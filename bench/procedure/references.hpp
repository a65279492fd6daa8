// Names and "${name}" references in procedure texts: the syntax (one place
// for the loader, plan() and resolve()), substitution from a name lookup, and
// the conversions between typed Values and the JSON that args are kept in.
//
// A reference is "${" name "}", where a name is identifiers joined by dots
// ("tolerance_ms", "scan.serial"). A text that is exactly one reference takes
// the referenced value with its type; any other text interpolates values as
// text. There is no escape: "${" always starts a reference.
#pragma once

#include "bench/core/value.hpp"
#include "bench/transport/uri.hpp" // Result

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bwc::bench {

/// [A-Za-z_][A-Za-z0-9_-]*: parameter, loop variable, measurement and step id names.
bool is_identifier(std::string_view s);
/// Identifiers joined by single dots: what ${…} and run_if may name.
bool is_reference_name(std::string_view s);
/// "<what> '<name>' must start with a letter and use letters, digits, '_' and '-'".
std::string identifier_rule(std::string_view what, std::string_view name);

struct TextRef {
    std::string_view name; // points into the scanned text
    std::size_t begin = 0; // offset of "${"
    std::size_t end = 0;   // one past "}"
};
struct RefError {
    std::size_t offset = 0; // into the scanned text
    std::string message;
};
/// Every reference in `text`, in order; an error for "${" without "}" or a bad name.
Result<std::vector<TextRef>, RefError> find_references(std::string_view text);
inline bool has_references(std::string_view text) {
    return text.find("${") != std::string_view::npos;
}
/// The name when `text` is exactly one reference ("${x}" gives "x").
std::optional<std::string_view> sole_reference(std::string_view text);

/// A non-owning callable `const Value* (std::string_view name)`: nullptr for an
/// unknown name. Cheap to pass by value; the callable must outlive it.
class NameLookup {
public:
    template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, NameLookup>)
        NameLookup(const F& f) // NOLINT: implicit by design, like std::function_ref
        : object_(&f), call_([](const void* o, std::string_view name) -> const Value* {
              return (*static_cast<const F*>(o))(name);
          }) {}
    const Value* operator()(std::string_view name) const { return call_(object_, name); }

private:
    const void* object_;
    const Value* (*call_)(const void*, std::string_view);
};

/// References replaced by their values as text. An unknown name is an error
/// ("unknown name 'x' in ${x}") unless `keep_unknown`, which leaves it as written.
Result<std::string> interpolate(std::string_view text, NameLookup lookup,
                                bool keep_unknown = false);
/// A text as a value: exactly "${x}" gives x's typed value, otherwise the interpolated text.
Result<Value> substitute_value(std::string_view text, NameLookup lookup, bool keep_unknown = false);
/// Every string inside `j` substituted as by substitute_value (strings that are
/// one reference become typed values).
Result<nlohmann::json> substitute_json(const nlohmann::json& j, NameLookup lookup,
                                       bool keep_unknown = false);
/// True when some string inside `j` holds "${".
bool json_has_references(const nlohmann::json& j);

/// none → null, bool, number (integral values as JSON integers), text.
nlohmann::json value_as_json(const Value& v);
/// The reverse for scalars; arrays and objects become their JSON text.
Value json_as_value(const nlohmann::json& j);

} // namespace bwc::bench
