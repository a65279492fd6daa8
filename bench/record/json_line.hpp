// A small append-only JSON writer for journal lines. The journal writes one
// line per step on the bay's thread, so it builds text into one reused buffer
// (no DOM, no per-field allocation) and always produces valid JSON: invalid
// UTF-8 becomes U+FFFD and non-finite numbers become {"number":"nan"}.
// Not fw::JsonWriter (firmware/core): that one prints doubles with 7 fixed
// decimals, which loses measurements like 1e-9 F or 1e300, and cannot be
// reused without reallocating its buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bwc::bench {

class JsonLine {
public:
    /// Empties the buffer, keeping its capacity.
    void clear() {
        out_.clear();
        need_comma_ = false;
    }
    const std::string& text() const { return out_; }
    std::string& buffer() { return out_; }

    void begin_object();
    void end_object();
    void begin_array();
    void end_array();
    /// `"key":`; the value follows with one of the value writers.
    void key(std::string_view name);

    void string_value(std::string_view text);
    void number_value(double number);
    void integer_value(std::int64_t number);
    void bool_value(bool flag);
    void null_value();

    // Shorthands for key + value. Distinct names on purpose: an overload set
    // would send a string literal to the bool version.
    void text_field(std::string_view name, std::string_view text) {
        key(name);
        string_value(text);
    }
    void integer_field(std::string_view name, std::int64_t number) {
        key(name);
        integer_value(number);
    }
    void number_field(std::string_view name, double number) {
        key(name);
        number_value(number);
    }
    void bool_field(std::string_view name, bool flag) {
        key(name);
        bool_value(flag);
    }

private:
    void separate() {
        if (need_comma_)
            out_ += ',';
    }
    void append_escaped(std::string_view text);

    std::string out_;
    bool need_comma_ = false;
};

} // namespace bwc::bench
