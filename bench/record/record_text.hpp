// Text helpers the record writers share: walking UTF-8 safely (device replies
// and operator input may carry invalid bytes, which JSON and XML both reject)
// and printing wall-clock times and durations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bwc::bench {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

/// The code point starting at `pos`, advancing `pos` past it. An invalid or
/// truncated sequence (overlong form, surrogate, > U+10FFFF) gives U+FFFD and
/// advances by one byte, so every input is walked to its end.
char32_t next_code_point(std::string_view text, std::size_t& pos);
void append_utf8(std::string& out, char32_t code_point);

/// "2024-05-01T12:00:03" (UTC), with ".123" when `with_millis`.
std::string format_utc(std::int64_t epoch_ms, bool with_millis = false);
/// Seconds with microsecond resolution: 1234567 µs → "1.234567".
std::string format_seconds(std::int64_t micros);

} // namespace bwc::bench
