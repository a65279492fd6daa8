// Edit-distance suggestions (see suggest.hpp).
#include "bench/procedure/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace bwc::bench {
namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Optimal string alignment distance (Levenshtein plus adjacent swaps), case-insensitive.
std::size_t distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j)
        prev[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        prev2 = prev;
        prev = cur;
    }
    return prev[m];
}

} // namespace

std::vector<std::string>
closest_words(std::string_view word, const std::vector<std::string>& candidates, std::size_t max) {
    // Words are short; anything longer is not a typo of a key.
    if (word.size() > 64)
        return {};
    const std::size_t allowed = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const std::string& c : candidates) {
        if (c.size() > 64)
            continue;
        const std::size_t d = distance(word, c);
        // A candidate that contains the word (or the other way round) is close too:
        // "hold" for "button.hold_threshold".
        const bool contains = word.size() >= 3 && (c.find(word) != std::string::npos ||
                                                   word.find(c) != std::string_view::npos);
        if (d <= allowed || contains)
            scored.emplace_back(contains && d > allowed ? allowed + 1 : d, c);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (auto& [d, c] : scored) {
        if (out.size() == max)
            break;
        if (std::find(out.begin(), out.end(), c) == out.end() && c != word)
            out.push_back(std::move(c));
    }
    return out;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const auto close = closest_words(word, candidates);
    if (close.empty())
        return "";
    std::string s = " (did you mean ";
    for (std::size_t i = 0; i < close.size(); ++i) {
        if (i > 0)
            s += i + 1 == close.size() ? " or " : ", ";
        s += "'" + close[i] + "'";
    }
    return s + "?)";
}

std::string quoted_list(const std::vector<std::string>& words) {
    std::string s;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0)
            s += i + 1 == words.size() ? " and " : ", ";
        s += "'" + words[i] + "'";
    }
    return s;
}

} // namespace bwc::bench
