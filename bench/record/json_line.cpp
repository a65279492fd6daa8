// The append-only JSON writer (see json_line.hpp).
#include "bench/record/json_line.hpp"

#include "bench/record/record_text.hpp"

#include <charconv>
#include <cmath>

namespace bwc::bench {
namespace {

bool needs_escaping(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\';
}

} // namespace

void JsonLine::begin_object() {
    separate();
    out_ += '{';
    need_comma_ = false;
}

void JsonLine::end_object() {
    out_ += '}';
    need_comma_ = true;
}

void JsonLine::begin_array() {
    separate();
    out_ += '[';
    need_comma_ = false;
}

void JsonLine::end_array() {
    out_ += ']';
    need_comma_ = true;
}

void JsonLine::key(std::string_view name) {
    separate();
    out_ += '"';
    append_escaped(name);
    out_ += "\":";
    need_comma_ = false;
}

void JsonLine::string_value(std::string_view text) {
    separate();
    out_ += '"';
    append_escaped(text);
    out_ += '"';
    need_comma_ = true;
}

void JsonLine::number_value(double number) {
    if (!std::isfinite(number)) {
        // JSON has no NaN or infinity; keep the type with a tagged object.
        begin_object();
        text_field("number", std::isnan(number) ? "nan" : (number > 0 ? "inf" : "-inf"));
        end_object();
        return;
    }
    separate();
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, number); // shortest round trip
    out_.append(buf, result.ptr);
    need_comma_ = true;
}

void JsonLine::integer_value(std::int64_t number) {
    separate();
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, number);
    out_.append(buf, result.ptr);
    need_comma_ = true;
}

void JsonLine::bool_value(bool flag) {
    separate();
    out_ += flag ? "true" : "false";
    need_comma_ = true;
}

void JsonLine::null_value() {
    separate();
    out_ += "null";
    need_comma_ = true;
}

void JsonLine::append_escaped(std::string_view text) {
    std::size_t plain = 0;
    while (plain < text.size() && !needs_escaping(text[plain]))
        ++plain;
    out_.append(text.data(), plain); // the common case: all of it
    std::size_t pos = plain;
    while (pos < text.size()) {
        const char32_t cp = next_code_point(text, pos);
        switch (cp) {
        case '"':
            out_ += "\\\"";
            break;
        case '\\':
            out_ += "\\\\";
            break;
        case '\n':
            out_ += "\\n";
            break;
        case '\r':
            out_ += "\\r";
            break;
        case '\t':
            out_ += "\\t";
            break;
        default:
            if (cp < 0x20) {
                static constexpr char kHex[] = "0123456789abcdef";
                out_ += "\\u00";
                out_ += kHex[cp >> 4];
                out_ += kHex[cp & 0xF];
            } else {
                append_utf8(out_, cp);
            }
        }
    }
}

} // namespace bwc::bench
