// The text level of the BWC line protocols (firmware/PROTOCOL.md), shared by
// the device client and its typed helpers: splitting a line into words with
// the protocol's quoting, strict integers, and quoting what a device sent
// inside an error message without flooding it. (parse_key_values and
// c_unescape, declared in device_client.hpp, are built on these.)
#pragma once

#include "bench/transport/uri.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

/// One space-separated word of a line, quotes removed and escapes undone.
struct ProtocolWord {
    std::string text;
    /// Where the first '=' before any quote sits in `text`: the word is key=value.
    std::optional<std::size_t> equals_at;
};

/// Splits `line` into words as the devices do: a word may contain (or be) a
/// "quoted string"; inside quotes the escapes are those the devices write
/// (\" \\ \r \n \t \xHH). Errors name the column and quote the line.
Result<std::vector<ProtocolWord>> split_words(std::string_view line);

/// A whole decimal number, optionally negative, nothing else (no spaces, no
/// '+', no fraction, no overflow).
std::optional<std::int64_t> parse_whole_number(std::string_view text);

/// `text` in single quotes for a message: control bytes escaped, cut after
/// `max_bytes` with a note of how much was left out.
std::string quote_for_message(std::string_view text, std::size_t max_bytes = 160);

/// The byte (1-based column) that makes `line` unfit to send as one command
/// of a line protocol (empty, not printable ASCII, too long), or nullopt.
std::optional<std::string> unsendable_reason(std::string_view line);

/// Longest command line a device accepts (PROTOCOL.md "Framing").
inline constexpr std::size_t kMaxCommandBytes = 1024;

} // namespace bwc::bench
