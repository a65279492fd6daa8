// "Did you mean …?": the known words closest to a misspelt one, for the
// messages of the procedure and station loaders and `bench check`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

/// The candidates within a small edit distance of `word` (case-insensitive),
/// closest first, at most `max`.
std::vector<std::string> closest_words(std::string_view word,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max = 3);

/// " (did you mean 'x'?)", " (did you mean 'x' or 'y'?)", or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// "'a', 'b' and 'c'" — for messages that list what is allowed.
std::string quoted_list(const std::vector<std::string>& words);

} // namespace bwc::bench
