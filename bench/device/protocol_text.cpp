// Words, quoting, escapes and key=value payloads of the line protocols (see
// protocol_text.hpp; KeyValues, parse_key_values and c_unescape are declared
// in device_client.hpp).
#include "bench/device/protocol_text.hpp"

#include "bench/device/device_client.hpp"

#include <charconv>

namespace bwc::bench {

namespace {

constexpr char kHex[] = "0123456789abcdef";

bool is_control(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u >= 0x7f;
}

std::string hex_byte(char c) {
    const auto u = static_cast<unsigned char>(c);
    return std::string("0x") + kHex[u >> 4] + kHex[u & 0xf];
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/// Undoes one escape; `i` points just after the backslash and is moved past
/// the escape. The escapes are those the devices write (bwc::emu::c_escape).
std::optional<std::string> take_escape(std::string_view text, std::size_t& i, std::string& out) {
    if (i >= text.size())
        return "a backslash ends the text";
    const char c = text[i++];
    switch (c) {
    case '"':
    case '\\':
        out += c;
        return std::nullopt;
    case 'r':
        out += '\r';
        return std::nullopt;
    case 'n':
        out += '\n';
        return std::nullopt;
    case 't':
        out += '\t';
        return std::nullopt;
    case 'x': {
        const int hi = i < text.size() ? hex_digit(text[i]) : -1;
        const int lo = i + 1 < text.size() ? hex_digit(text[i + 1]) : -1;
        if (hi < 0 || lo < 0)
            return "\\x at column " + std::to_string(i - 1) + " needs two hex digits";
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        return std::nullopt;
    }
    default:
        return "unknown escape '\\" + std::string(1, c) + "' at column " + std::to_string(i - 1);
    }
}

std::string problem_in(const std::string& problem, std::string_view text) {
    return problem + " in " + quote_for_message(text);
}

} // namespace

Result<std::vector<ProtocolWord>> split_words(std::string_view line) {
    using R = Result<std::vector<ProtocolWord>>;
    std::vector<ProtocolWord> words;
    std::size_t i = 0;
    while (i < line.size()) {
        if (line[i] == ' ') {
            ++i;
            continue;
        }
        ProtocolWord word;
        bool quoted_any = false;
        while (i < line.size() && line[i] != ' ') {
            const char c = line[i];
            if (is_control(c))
                return R::failure(problem_in(
                    "control byte " + hex_byte(c) + " at column " + std::to_string(i + 1), line));
            if (c == '"') {
                const std::size_t opened_at = i + 1;
                quoted_any = true;
                ++i;
                bool closed = false;
                while (i < line.size() && !closed) {
                    const char q = line[i++];
                    if (q == '"') {
                        closed = true;
                    } else if (q == '\\') {
                        if (auto bad = take_escape(line, i, word.text))
                            return R::failure(problem_in(*bad, line));
                    } else {
                        word.text += q;
                    }
                }
                if (!closed)
                    return R::failure(problem_in("quote opened at column " +
                                                     std::to_string(opened_at) + " is never closed",
                                                 line));
                continue;
            }
            if (c == '=' && !word.equals_at && !quoted_any && !word.text.empty())
                word.equals_at = word.text.size();
            word.text += c;
            ++i;
        }
        words.push_back(std::move(word));
    }
    return words;
}

std::optional<std::int64_t> parse_whole_number(std::string_view text) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

std::string quote_for_message(std::string_view text, std::size_t max_bytes) {
    const std::size_t shown = text.size() < max_bytes ? text.size() : max_bytes;
    std::string out = "'";
    for (char c : text.substr(0, shown)) {
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (is_control(c))
            out += "\\x" + hex_byte(c).substr(2);
        else
            out += c;
    }
    out += "'";
    if (shown < text.size())
        out += " (and " + std::to_string(text.size() - shown) + " more bytes)";
    return out;
}

std::optional<std::string> unsendable_reason(std::string_view line) {
    if (line.empty())
        return "an empty line gets no reply";
    if (line.size() > kMaxCommandBytes)
        return std::to_string(line.size()) + " bytes, longer than the " +
               std::to_string(kMaxCommandBytes) + " a device accepts";
    for (std::size_t i = 0; i < line.size(); ++i)
        if (is_control(line[i]))
            return "byte " + hex_byte(line[i]) + " at column " + std::to_string(i + 1) +
                   " is not printable ASCII";
    return std::nullopt;
}

const std::string* KeyValues::find(std::string_view key) const {
    for (const auto& [k, v] : items_)
        if (k == key)
            return &v;
    return nullptr;
}

std::string KeyValues::get(std::string_view key) const {
    const std::string* value = find(key);
    return value ? *value : std::string();
}

Result<KeyValues> parse_key_values(std::string_view payload, bool allow_bare) {
    auto words = split_words(payload);
    if (!words)
        return Result<KeyValues>::failure(words.error());
    KeyValues out;
    for (ProtocolWord& word : *words) {
        if (!word.equals_at) {
            if (allow_bare)
                continue;
            return Result<KeyValues>::failure(
                problem_in(quote_for_message(word.text) + " is not key=value", payload));
        }
        std::string key = word.text.substr(0, *word.equals_at);
        if (out.find(key))
            return Result<KeyValues>::failure(
                problem_in("key " + quote_for_message(key) + " appears twice", payload));
        out.add(std::move(key), word.text.substr(*word.equals_at + 1));
    }
    return out;
}

Result<std::string> c_unescape(std::string_view quoted) {
    using R = Result<std::string>;
    if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"')
        return R::failure(problem_in("expected a \"quoted\" string", quoted));
    // Without the closing quote, so columns count from the opening one.
    const std::string_view text = quoted.substr(0, quoted.size() - 1);
    std::string out;
    out.reserve(text.size());
    std::size_t i = 1;
    while (i < text.size()) {
        const char c = text[i++];
        if (c == '\\') {
            if (auto bad = take_escape(text, i, out))
                return R::failure(problem_in(*bad, quoted));
        } else if (c == '"') {
            return R::failure(problem_in("unescaped quote at column " + std::to_string(i), quoted));
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace bwc::bench
