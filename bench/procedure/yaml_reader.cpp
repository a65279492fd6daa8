// The YAML parse boundary and typed readers (see yaml_reader.hpp).
#include "bench/procedure/yaml_reader.hpp"

#include "bench/procedure/suggest.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

namespace bwc::bench::yaml {
namespace {

constexpr int kMaxDepth = 32;

// The first byte that cannot be in a YAML text file: NUL and other control
// characters, or invalid UTF-8. Its offset, or npos.
std::size_t first_bad_byte(std::string_view text, std::string& why) {
    std::size_t i = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        i = 3; // UTF-8 byte order mark
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "control character 0x%02X", c);
                why = buf;
                return i;
            }
            ++i;
            continue;
        }
        std::size_t len = c >= 0xF0 && c <= 0xF4  ? 4
                          : c >= 0xE0             ? 3
                          : c >= 0xC2 && c < 0xE0 ? 2
                                                  : 0;
        bool ok = len != 0 && i + len <= text.size();
        for (std::size_t k = 1; ok && k < len; ++k)
            ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        if (!ok) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "byte 0x%02X that is not UTF-8", c);
            why = buf;
            return i;
        }
        i += len;
    }
    return std::string_view::npos;
}

SourcePos offset_pos(const std::string& file, std::string_view text, std::size_t offset) {
    SourcePos p{file, 1, 1};
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

// A tab in the indentation of `line` (0-based) or the line before: yaml-cpp's
// own message for it ("illegal map value") does not say what is wrong.
std::optional<SourcePos> indentation_tab(const std::string& file, std::string_view text, int line) {
    std::size_t start = 0;
    for (int l = 0; l <= line && start <= text.size(); ++l) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        if (l >= line - 1) {
            for (std::size_t i = start; i < end && (text[i] == ' ' || text[i] == '\t'); ++i)
                if (text[i] == '\t')
                    return SourcePos{file, l + 1, static_cast<int>(i - start) + 1};
        }
        start = end + 1;
    }
    return std::nullopt;
}

// The offset of the '[' or '{' still open at `upto` (npos: none): yaml-cpp reports an unclosed flow
// collection where it gave up (often the next line), not where it opened.
// A light scan: quotes and comments are skipped; outside a flow collection a
// bracket opens one only where a value starts (after ':', '-' or indentation).
std::size_t unclosed_flow(std::string_view text, std::size_t upto) {
    std::vector<std::size_t> open;
    char last = '\n'; // the previous character that is not a blank
    for (std::size_t i = 0; i < upto && i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t')
            continue;
        const bool value_start = last == '\n' || last == ':' || last == '-' || last == '[' ||
                                 last == '{' || last == ',' || last == '?';
        if (c == '#' &&
            (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n')) {
            while (i < text.size() && text[i] != '\n')
                ++i;
            last = '\n';
            continue;
        }
        if ((c == '"' || c == '\'') && value_start) {
            for (++i; i < text.size() && text[i] != c; ++i)
                if (c == '"' && text[i] == '\\')
                    ++i;
            last = c;
            continue;
        }
        if ((c == '[' || c == '{') && (value_start || !open.empty()))
            open.push_back(i);
        else if ((c == ']' || c == '}') && !open.empty())
            open.pop_back();
        last = c;
    }
    return open.empty() ? std::string_view::npos : open.back();
}

// Where each document starts; nothing else of the event stream is kept.
class DocumentStarts final : public YAML::EventHandler {
public:
    std::vector<YAML::Mark> marks;
    void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

bool is_digits(std::string_view s, bool hex = false) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [hex](char c) {
        return hex ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                   : std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

// YAML 1.2 core-schema number forms. nullopt: not a number; a null json with
// `out_of_range` set: a number that does not fit.
std::optional<nlohmann::json> parse_number(std::string_view s, bool& out_of_range) {
    out_of_range = false;
    std::string_view body = s;
    bool negative = false;
    if (!body.empty() && (body.front() == '-' || body.front() == '+')) {
        negative = body.front() == '-';
        body.remove_prefix(1);
    }
    if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
        if (!is_digits(body.substr(2), true))
            return std::nullopt;
        std::uint64_t v = 0;
        const auto [p, ec] = std::from_chars(body.data() + 2, body.data() + body.size(), v, 16);
        if (ec != std::errc() || v > static_cast<std::uint64_t>(INT64_MAX)) {
            out_of_range = true;
            return nlohmann::json();
        }
        const auto i = static_cast<std::int64_t>(v);
        return negative ? -i : i;
    }
    if (is_digits(body)) {
        std::int64_t v = 0;
        const auto [p, ec] =
            std::from_chars(s.data() + (s.front() == '+' ? 1 : 0), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size())
            return v;
        // Too big for an integer: fall through to a double.
    }
    // [digits][.digits][e[+-]digits] with at least one mantissa digit.
    std::size_t i = 0;
    std::size_t mantissa_digits = 0;
    while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) {
        ++i;
        ++mantissa_digits;
    }
    if (i < body.size() && body[i] == '.') {
        ++i;
        while (i < body.size() && std::isdigit(static_cast<unsigned char>(body[i]))) {
            ++i;
            ++mantissa_digits;
        }
    }
    if (mantissa_digits == 0)
        return std::nullopt;
    if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
        ++i;
        if (i < body.size() && (body[i] == '+' || body[i] == '-'))
            ++i;
        if (!is_digits(body.substr(i)))
            return std::nullopt;
        i = body.size();
    }
    if (i != body.size())
        return std::nullopt;
    double d = 0;
    const char* first = s.data() + (s.front() == '+' ? 1 : 0);
    const auto [p, ec] = std::from_chars(first, s.data() + s.size(), d);
    if (ec == std::errc::result_out_of_range || !std::isfinite(d)) {
        out_of_range = true;
        return nlohmann::json();
    }
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return d;
}

// yaml-cpp's message, at the most useful place: a tab in the indentation,
// or the bracket that was never closed, rather than where yaml-cpp gave up.
void report_syntax_error(const YAML::Exception& e, std::string_view text, Reporter& r) {
    const std::size_t flow = e.msg.find("flow") != std::string::npos && e.mark.pos >= 0
                                 ? unclosed_flow(text, static_cast<std::size_t>(e.mark.pos))
                                 : std::string_view::npos;
    if (auto tab = indentation_tab(r.file(), text, e.mark.line))
        r.error(*tab, "a tab indents this line: YAML indents with spaces only");
    else if (flow != std::string_view::npos)
        r.error(offset_pos(r.file(), text, flow), "YAML syntax error: this '" +
                                                      std::string(1, text[flow]) +
                                                      "' is never closed (" + e.msg + ")");
    else
        r.error(r.pos(e.mark), "YAML syntax error: " + e.msg);
}

std::optional<nlohmann::json> to_json_at(const YAML::Node& node, Reporter& r, int depth) {
    if (!r.spend(node))
        return std::nullopt;
    if (depth > kMaxDepth) {
        r.error(node, "nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
        return std::nullopt;
    }
    if (node.IsSequence()) {
        nlohmann::json out = nlohmann::json::array();
        for (const YAML::Node& item : node) {
            auto j = to_json_at(item, r, depth + 1);
            if (!j)
                return std::nullopt;
            out.push_back(std::move(*j));
        }
        return out;
    }
    if (node.IsMap()) {
        MapReader map(node, r, "mapping");
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, value] : map.entries()) {
            auto j = to_json_at(value, r, depth + 1);
            if (!j)
                return std::nullopt;
            out[key] = std::move(*j);
        }
        return out;
    }
    return scalar_to_json(node, r);
}

} // namespace

Result<std::string> read_file(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return Result<std::string>::failure("cannot read: it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Result<std::string>::failure(std::string("cannot read: ") + std::strerror(errno));
    std::string bytes;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        bytes.append(buf, static_cast<std::size_t>(in.gcount()));
        if (bytes.size() > kMaxFileBytes)
            return Result<std::string>::failure("file is larger than " +
                                                std::to_string(kMaxFileBytes >> 20) +
                                                " MiB: not a procedure or station file");
    }
    if (in.bad())
        return Result<std::string>::failure(std::string("cannot read: ") + std::strerror(errno));
    return bytes;
}

SourcePos Reporter::pos(const YAML::Mark& mark) const {
    if (mark.line < 0)
        return SourcePos{file_, 0, 0};
    return SourcePos{file_, mark.line + 1, mark.column + 1};
}

SourcePos Reporter::pos(const YAML::Node& node) const {
    return pos(node.Mark());
}

SourcePos Reporter::pos_in(const YAML::Node& scalar, std::size_t offset) const {
    const YAML::Mark m = scalar.Mark();
    if (!scalar.IsScalar() || m.pos < 0)
        return pos(scalar);
    const std::string& value = scalar.Scalar();
    if (value.find('\n') != std::string::npos || offset > value.size())
        return pos(scalar);
    const auto at = static_cast<std::size_t>(m.pos);
    // Plain scalars start at the mark, quoted ones one character later.
    for (std::size_t quote = 0; quote < 2; ++quote) {
        if (at + quote + value.size() <= text_.size() &&
            text_.substr(at + quote, value.size()) == value)
            return SourcePos{file_, m.line + 1, m.column + 1 + static_cast<int>(quote + offset)};
    }
    return pos(scalar);
}

namespace {

// A diagnostic is one line of reasonable length, whatever text it quotes
// from the file (a key may span lines, a value may be kilobytes).
std::string one_line(const std::string& message) {
    constexpr std::size_t kMaxLength = 400;
    std::string out;
    for (char c : message) {
        const bool continuation = (static_cast<unsigned char>(c) & 0xC0) == 0x80;
        if (out.size() >= kMaxLength && !continuation) {
            out += "…";
            break;
        }
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c == '\t')
            out += "\\t";
        else if (static_cast<unsigned char>(c) < 0x20)
            out += '?';
        else
            out += c;
    }
    return out;
}

} // namespace

void Reporter::error(SourcePos pos, std::string message) {
    if (diagnostics_.size() >= kMaxDiagnostics) {
        if (!truncated_) {
            truncated_ = true;
            diagnostics_.push_back(
                Diagnostic{SourcePos{file_, 0, 0},
                           "too many errors: stopped after " + std::to_string(kMaxDiagnostics)});
        }
        return;
    }
    diagnostics_.push_back(Diagnostic{std::move(pos), one_line(message)});
}

Diagnostics Reporter::take() {
    std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                         // Position-less notes (the truncation note) go last.
                         const int la = a.pos.line > 0 ? a.pos.line : INT32_MAX;
                         const int lb = b.pos.line > 0 ? b.pos.line : INT32_MAX;
                         return la != lb ? la < lb : a.pos.column < b.pos.column;
                     });
    return std::move(diagnostics_);
}

bool Reporter::spend(const YAML::Node& at) {
    if (over_budget_)
        return false;
    if (++nodes_ > kMaxNodes) {
        over_budget_ = true;
        error(at, "the file expands to more than " + std::to_string(kMaxNodes) +
                      " values (aliases referring to aliases?)");
        return false;
    }
    return true;
}

std::optional<YAML::Node> parse_document(std::string_view text, Reporter& r) {
    std::string why;
    if (const std::size_t bad = first_bad_byte(text, why); bad != std::string_view::npos) {
        r.error(offset_pos(r.file(), text, bad), "not a text file: " + why);
        return std::nullopt;
    }
    const std::string source(text);
    DocumentStarts starts;
    YAML::Node doc;
    try {
        // Documents are counted with a bound: YAML::LoadAll never returns on
        // some junk after the first document (a stray ',' after a top-level
        // scalar makes it find empty documents forever, allocating each).
        std::istringstream in(source);
        YAML::Parser parser(in);
        for (int i = 0; i < 2 && parser.HandleNextDocument(starts); ++i) {
        }
        if (starts.marks.size() < 2)
            doc = YAML::Load(source);
    } catch (const YAML::DeepRecursion& e) {
        r.error(r.pos(e.mark), "nested too deeply for a procedure or station file");
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        report_syntax_error(e, text, r);
        return std::nullopt;
    } catch (const std::exception& e) {
        r.error(SourcePos{r.file(), 0, 0}, std::string("YAML could not be read: ") + e.what());
        return std::nullopt;
    }
    if (starts.marks.size() > 1) {
        const YAML::Mark& second = starts.marks[1];
        const std::size_t at = second.pos >= 0 ? static_cast<std::size_t>(second.pos) : text.size();
        if (text.substr(at, 3) == "---")
            r.error(r.pos(second), "a file holds one YAML document; a second one starts here");
        else
            r.error(r.pos(second),
                    "YAML syntax error: unexpected text after the end of the document");
        return std::nullopt;
    }
    if (starts.marks.empty() || doc.IsNull()) {
        r.error(SourcePos{r.file(), starts.marks.empty() ? 0 : 1, starts.marks.empty() ? 0 : 1},
                "the file is empty: expected a procedure or a station");
        return std::nullopt;
    }
    return doc;
}

MapReader::MapReader(const YAML::Node& node, Reporter& r, std::string what,
                     std::vector<std::string> known)
    : r_(r), node_(node), what_(std::move(what)) {
    if (!node.IsMap()) {
        r.error(node, what_ + " must be a mapping (key: value), found " + describe(node));
        return;
    }
    valid_ = true;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!r.spend(it->first))
            return;
        const YAML::Node key = it->first; // a copy: it->first lives in a temporary
        if (!key.IsScalar()) {
            r.error(key, "keys in " + what_ + " must be plain text, found " + describe(key));
            continue;
        }
        const std::string name = key.Scalar();
        const auto dup = std::find_if(entries_.begin(), entries_.end(),
                                      [&](const auto& e) { return e.first == name; });
        if (dup != entries_.end()) {
            const auto first = r.pos(keys_[static_cast<std::size_t>(dup - entries_.begin())]);
            r.error(key, "duplicate key '" + name + "' in " + what_ + " (first at line " +
                             std::to_string(first.line) + ")");
            continue;
        }
        if (!known.empty() && std::find(known.begin(), known.end(), name) == known.end()) {
            std::string hint = did_you_mean(name, known);
            if (hint.empty())
                hint = " (expected " + quoted_list(known) + ")";
            r.error(key, "unknown key '" + name + "' in " + what_ + hint);
            continue;
        }
        entries_.emplace_back(name, it->second);
        keys_.push_back(key);
    }
}

const YAML::Node* MapReader::find(std::string_view key) const {
    for (const auto& [name, value] : entries_)
        if (name == key)
            return &value;
    return nullptr;
}

const YAML::Node* MapReader::key_node(std::string_view key) const {
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].first == key)
            return &keys_[i];
    return nullptr;
}

const YAML::Node* MapReader::require(std::string_view key) {
    const YAML::Node* v = find(key);
    if (!v && valid_)
        r_.error(node_, "missing '" + std::string(key) + "' in " + what_);
    return v;
}

const YAML::Node* MapReader::present(std::string_view key, bool required) {
    const YAML::Node* v = required ? require(key) : find(key);
    if (v && v->IsNull()) {
        r_.error(*key_node(key), "'" + std::string(key) + "' has no value");
        return nullptr;
    }
    return v;
}

std::optional<std::string> MapReader::text(std::string_view key, bool required) {
    const YAML::Node* v = present(key, required);
    if (!v)
        return std::nullopt;
    return as_text(*v, r_, "'" + std::string(key) + "'");
}

std::optional<long long> MapReader::integer(std::string_view key, bool required, long long min,
                                            long long max) {
    const YAML::Node* v = present(key, required);
    if (!v)
        return std::nullopt;
    return as_integer(*v, r_, "'" + std::string(key) + "'", min, max);
}

std::optional<bool> MapReader::boolean(std::string_view key, bool required) {
    const YAML::Node* v = present(key, required);
    if (!v)
        return std::nullopt;
    const auto j = v->IsScalar() ? scalar_to_json(*v, r_) : nlohmann::json();
    if (!j.is_boolean()) {
        r_.error(*v, "'" + std::string(key) + "' must be true or false, found " + describe(*v));
        return std::nullopt;
    }
    return j.get<bool>();
}

nlohmann::json scalar_to_json(const YAML::Node& node, Reporter& r) {
    if (!node.IsDefined() || node.IsNull())
        return nullptr;
    if (!node.IsScalar()) {
        r.error(node, "expected a single value, found " + describe(node));
        return nullptr;
    }
    const std::string& tag = node.Tag();
    const std::string& s = node.Scalar();
    if (tag == "!" || tag == "tag:yaml.org,2002:str")
        return s;
    if (tag != "?" && !tag.empty()) {
        r.error(node, "YAML tag '" + tag + "' is not supported here: write the value plainly");
        return s;
    }
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    bool out_of_range = false;
    if (auto n = parse_number(s, out_of_range)) {
        if (out_of_range)
            r.error(node, "number " + s + " is out of range");
        return *n;
    }
    return s;
}

std::optional<nlohmann::json> to_json(const YAML::Node& node, Reporter& r) {
    return to_json_at(node, r, 0);
}

bool is_text_scalar(const YAML::Node& node) {
    if (!node.IsScalar())
        return false;
    if (node.Tag() != "?")
        return true;
    bool out_of_range = false;
    const std::string& s = node.Scalar();
    return !(s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" ||
             s == "FALSE" || s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL" ||
             parse_number(s, out_of_range));
}

std::optional<std::string> as_text(const YAML::Node& node, Reporter& r, std::string_view what) {
    if (!node.IsScalar()) {
        r.error(node, std::string(what) + " must be text, found " + describe(node));
        return std::nullopt;
    }
    return node.Scalar();
}

// A scalar as JSON (null for other kinds); nullopt when converting it was
// already reported (a number out of range), so callers do not report twice.
std::optional<nlohmann::json> unreported_scalar(const YAML::Node& node, Reporter& r) {
    const std::size_t before = r.count();
    auto j = node.IsScalar() ? scalar_to_json(node, r) : nlohmann::json();
    if (r.count() != before)
        return std::nullopt;
    return j;
}

std::optional<double> as_number(const YAML::Node& node, Reporter& r, std::string_view what) {
    const auto j = unreported_scalar(node, r);
    if (!j)
        return std::nullopt;
    if (!j->is_number()) {
        r.error(node, std::string(what) + " must be a number, found " + describe(node));
        return std::nullopt;
    }
    return j->get<double>();
}

std::optional<long long> as_integer(const YAML::Node& node, Reporter& r, std::string_view what,
                                    long long min, long long max) {
    const auto j = unreported_scalar(node, r);
    if (!j)
        return std::nullopt;
    const std::string range =
        "an integer from " + std::to_string(min) + " to " + std::to_string(max);
    if (!j->is_number_integer()) {
        r.error(node, std::string(what) + " must be " + range + ", found " + describe(node));
        return std::nullopt;
    }
    const auto v = j->get<long long>();
    if (v < min || v > max) {
        r.error(node, std::string(what) + " must be " + range + ", found " + std::to_string(v));
        return std::nullopt;
    }
    return v;
}

std::optional<std::vector<std::string>> as_text_list(const YAML::Node& node, Reporter& r,
                                                     std::string_view what) {
    if (!node.IsSequence()) {
        r.error(node, std::string(what) + " must be a list like [a, b], found " + describe(node));
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const YAML::Node& item : node) {
        if (!r.spend(item))
            return std::nullopt;
        auto s = as_text(item, r, std::string("each of ") + std::string(what));
        if (!s)
            return std::nullopt;
        out.push_back(std::move(*s));
    }
    return out;
}

std::optional<YAML::Node> find_key(const YAML::Node& map, std::string_view key) {
    if (!map.IsMap())
        return std::nullopt;
    for (auto it = map.begin(); it != map.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == key)
            return it->second;
    return std::nullopt;
}

std::string describe(const YAML::Node& node) {
    if (node.IsScalar()) {
        std::string s = node.Scalar();
        if (s.size() > 40)
            s = s.substr(0, 40) + "…";
        return "'" + s + "'";
    }
    if (node.IsSequence())
        return "a list";
    if (node.IsMap())
        return "a mapping";
    return "nothing";
}

} // namespace bwc::bench::yaml
