// A minimal JSON writer for the core's wire forms (snapshot, events). The
// core cannot use iostreams; this appends to a std::string, escapes strings
// per RFC 8259 and writes keys in the order they are given, so output is
// byte-for-byte deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bwc::fw {

/// Appends `s` as the inside of a JSON string: quotes, backslashes and
/// control bytes escaped, bytes that are not UTF-8 replaced by U+FFFD.
void append_json_escaped(std::string& out, std::string_view s);

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view k);
    JsonWriter& value(std::string_view s);
    JsonWriter& value(const char* s) { return value(std::string_view(s)); }
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(int v) { return value(std::int64_t{v}); }
    JsonWriter& value(std::uint64_t v);
    JsonWriter& value(double v); // fixed, 7 decimals: enough for degrees of latitude
    JsonWriter& value(bool b);
    JsonWriter& null();
    template <class T>
    JsonWriter& value(const std::optional<T>& v) {
        return v ? value(*v) : null();
    }
    template <class T>
    JsonWriter& field(std::string_view k, const T& v) {
        key(k);
        return value(v);
    }
    const std::string& str() const { return out_; }

private:
    void separate();
    std::string out_;
    bool need_comma_ = false;
};

} // namespace bwc::fw
