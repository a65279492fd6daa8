// Protocol line parsing (see command_line.hpp).
#include "firmware/emu/command_line.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace bwc::emu {

ProtocolError bad_argument(std::string message) {
    return {"bad_argument", std::move(message)};
}
ProtocolError missing_argument(std::string message) {
    return {"missing_argument", std::move(message)};
}

Parsed<CommandLine> parse_command_line(std::string_view line) {
    CommandLine cmd;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size())
            break;
        std::string token;
        std::optional<std::size_t> equals_at;
        bool quoted_any = false;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            const char c = line[i];
            if (c == '"') {
                quoted_any = true;
                ++i;
                bool closed = false;
                while (i < line.size()) {
                    const char q = line[i++];
                    if (q == '"') {
                        closed = true;
                        break;
                    }
                    if (q == '\\') {
                        if (i >= line.size() || (line[i] != '"' && line[i] != '\\'))
                            return bad_argument("bad escape in quoted string at column " +
                                                std::to_string(i));
                        token += line[i++];
                        continue;
                    }
                    token += q;
                }
                if (!closed)
                    return bad_argument("unterminated quoted string");
                continue;
            }
            if (c == '=' && !equals_at && !quoted_any && !token.empty())
                equals_at = token.size();
            token += c;
            ++i;
        }
        if (equals_at) {
            std::string key = token.substr(0, *equals_at);
            std::string value = token.substr(*equals_at + 1);
            if (cmd.named.count(key))
                return bad_argument("argument '" + key + "' given twice");
            cmd.named_order.push_back(key);
            cmd.named[key] = std::move(value);
        } else {
            cmd.words.push_back(std::move(token));
        }
    }
    return cmd;
}

std::string CommandLine::word_upper(std::size_t i) const {
    if (i >= words.size())
        return {};
    std::string w = words[i];
    for (char& c : w)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return w;
}

Parsed<std::int64_t> parse_integer(std::string_view text, std::string_view what, std::int64_t min,
                                   std::int64_t max) {
    std::int64_t v = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size())
        return bad_argument(std::string(what) + " wants a whole number, got '" + std::string(text) +
                            "'");
    if (v < min || v > max)
        return bad_argument(std::string(what) + " must be " + std::to_string(min) + ".." +
                            std::to_string(max) + ", got " + std::string(text));
    return v;
}

Parsed<double> parse_number(std::string_view text, std::string_view what, double min, double max) {
    const std::string s(text);
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v))
        return bad_argument(std::string(what) + " wants a number, got '" + s + "'");
    if (v < min || v > max) {
        auto fmt = [](double x) {
            std::string t = std::to_string(x);
            t.erase(t.find_last_not_of('0') + 1);
            if (!t.empty() && t.back() == '.')
                t.pop_back();
            return t;
        };
        return bad_argument(std::string(what) + " must be " + fmt(min) + ".." + fmt(max) +
                            ", got " + s);
    }
    return v;
}

Parsed<std::int64_t> CommandLine::integer(std::string_view key, std::int64_t min,
                                          std::int64_t max) const {
    auto it = named.find(std::string(key));
    if (it == named.end())
        return missing_argument("missing " + std::string(key) + "=");
    return parse_integer(it->second, key, min, max);
}

Parsed<std::optional<std::int64_t>>
CommandLine::optional_integer(std::string_view key, std::int64_t min, std::int64_t max) const {
    using R = Parsed<std::optional<std::int64_t>>;
    if (!has(key))
        return R::success(std::nullopt);
    auto v = integer(key, min, max);
    if (!v)
        return R::failure(v.error());
    return R::success(*v);
}

Parsed<double> CommandLine::number(std::string_view key, double min, double max) const {
    auto it = named.find(std::string(key));
    if (it == named.end())
        return missing_argument("missing " + std::string(key) + "=");
    return parse_number(it->second, key, min, max);
}

Parsed<std::optional<double>> CommandLine::optional_number(std::string_view key, double min,
                                                           double max) const {
    using R = Parsed<std::optional<double>>;
    if (!has(key))
        return R::success(std::nullopt);
    auto v = number(key, min, max);
    if (!v)
        return R::failure(v.error());
    return R::success(*v);
}

Parsed<bool> CommandLine::flag(std::string_view key, bool fallback) const {
    auto it = named.find(std::string(key));
    if (it == named.end())
        return fallback;
    if (it->second == "1" || it->second == "true" || it->second == "on")
        return true;
    if (it->second == "0" || it->second == "false" || it->second == "off")
        return false;
    return bad_argument(std::string(key) + " wants 0 or 1, got '" + it->second + "'");
}

Parsed<std::string> CommandLine::text(std::string_view key) const {
    auto it = named.find(std::string(key));
    if (it == named.end())
        return missing_argument("missing " + std::string(key) + "=");
    return it->second;
}

std::optional<std::string> CommandLine::optional_text(std::string_view key) const {
    auto it = named.find(std::string(key));
    if (it == named.end())
        return std::nullopt;
    return it->second;
}

std::optional<ProtocolError>
CommandLine::unknown_keys(std::initializer_list<std::string_view> known) const {
    for (const std::string& k : named_order) {
        bool ok = false;
        for (std::string_view n : known)
            ok = ok || k == n;
        if (!ok)
            return bad_argument("unknown argument '" + k + "='");
    }
    return std::nullopt;
}

std::string c_escape(std::string_view bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '\r':
            out += "\\r";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        default:
            if (u < 0x20 || u >= 0x7f) {
                out += "\\x";
                out += hex[u >> 4];
                out += hex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
    return out;
}

std::string quote_if_needed(std::string_view text) {
    if (!text.empty() && text.find_first_of(" \"\\=") == std::string_view::npos)
        return std::string(text);
    return "\"" + c_escape(text) + "\"";
}

} // namespace bwc::emu
