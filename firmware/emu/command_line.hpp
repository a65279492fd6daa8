// Parsing one protocol line into words and key=value arguments (PROTOCOL.md
// "Framing"), with typed getters whose errors name the argument and value,
// ready to become an `ERR bad_argument …` reply.
#pragma once

#include "firmware/core/result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::emu {

/// A reply error: the protocol's code plus a message for people.
struct ProtocolError {
    std::string code;
    std::string message;
};

template <class T>
using Parsed = fw::Result<T, ProtocolError>;

ProtocolError bad_argument(std::string message);
ProtocolError missing_argument(std::string message);

struct CommandLine {
    std::vector<std::string> words;           // positional, in order
    std::map<std::string, std::string> named; // key=value
    std::vector<std::string> named_order;     // keys as given (to report unknown ones)

    /// Upper-cased word i, or "" when absent.
    std::string word_upper(std::size_t i) const;
    bool has(std::string_view key) const { return named.count(std::string(key)) != 0; }

    Parsed<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
    Parsed<std::optional<std::int64_t>> optional_integer(std::string_view key, std::int64_t min,
                                                         std::int64_t max) const;
    Parsed<double> number(std::string_view key, double min, double max) const;
    Parsed<std::optional<double>> optional_number(std::string_view key, double min,
                                                  double max) const;
    Parsed<bool> flag(std::string_view key, bool fallback) const;
    Parsed<std::string> text(std::string_view key) const;
    std::optional<std::string> optional_text(std::string_view key) const;
    /// An error naming the first key not in `known`, if any.
    std::optional<ProtocolError> unknown_keys(std::initializer_list<std::string_view> known) const;
};

/// Split a line; an unterminated quote or a bad escape is an error.
Parsed<CommandLine> parse_command_line(std::string_view line);

/// Parse a whole decimal number / a decimal number, naming `what` on error.
Parsed<std::int64_t> parse_integer(std::string_view text, std::string_view what, std::int64_t min,
                                   std::int64_t max);
Parsed<double> parse_number(std::string_view text, std::string_view what, double min, double max);

/// C-style escaping for raw bytes in a reply ("\r\n" → "\\r\\n").
std::string c_escape(std::string_view bytes);
/// Quote for a reply if it has spaces or quotes; empty → "".
std::string quote_if_needed(std::string_view text);

} // namespace bwc::emu
