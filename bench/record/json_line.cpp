// The append-only JSON writer (see json_line.hpp).
#include "bench/record/json_line.hpp"

#include "firmware/core/json_writer.hpp"

#include <charconv>
#include <cmath>

namespace bwc::bench {

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
    fw::append_json_escaped(out_,
                            text); // the firmware's JSON escaping: one rule for every JSON we write
}

} // namespace bwc::bench
