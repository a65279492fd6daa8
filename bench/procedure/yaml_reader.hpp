// Reading procedure and station files with yaml-cpp without ever throwing or
// crashing on bad input: the one parse boundary (syntax errors become
// diagnostics at yaml-cpp's mark), a Reporter that turns node marks into
// 1-based file:line:col positions, a MapReader that reports unknown,
// duplicate and missing keys, and typed readers for scalars, lists and JSON.
// Aliases are followed with a node budget and a depth limit, so a file that
// nests or refers to itself cannot blow the stack or the memory.
// Used by the procedure loader and the station loader; not a public API.
#pragma once

#include "bench/procedure/diagnostic.hpp"
#include "bench/transport/uri.hpp" // Result

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace bwc::bench::yaml {

/// Files larger than this are refused before parsing (procedures are a few kB).
constexpr std::size_t kMaxFileBytes = 4u << 20;

/// The bytes of a file, or "cannot read …" naming the reason.
Result<std::string> read_file(const std::string& path);

/// Reads `path` and hands its text to `parse(text, path)`; an unreadable
/// file is one diagnostic naming the file.
template <class T, class Parse>
Result<T, Diagnostics> load_file(const std::string& path, Parse parse) {
    auto text = read_file(path);
    if (!text)
        return Diagnostics{Diagnostic{SourcePos{path, 0, 0}, text.error()}};
    return parse(*text, path);
}

/// Collects the diagnostics of one file.
class Reporter {
public:
    Reporter(std::string file, std::string_view text) : file_(std::move(file)), text_(text) {}

    const std::string& file() const { return file_; }
    SourcePos pos(const YAML::Node& node) const;
    SourcePos pos(const YAML::Mark& mark) const;
    /// The position of `offset` inside a scalar's value when the value is
    /// written on one line (plain or quoted); the node's position otherwise.
    SourcePos pos_in(const YAML::Node& scalar, std::size_t offset) const;

    void error(SourcePos pos, std::string message);
    void error(const YAML::Node& node, std::string message) {
        error(pos(node), std::move(message));
    }
    void error_in(const YAML::Node& scalar, std::size_t offset, std::string message) {
        error(pos_in(scalar, offset), std::move(message));
    }

    std::size_t count() const { return diagnostics_.size(); }
    /// Sorted by position; the Reporter is empty afterwards.
    Diagnostics take();

    /// Counts nodes visited while converting; false (with one diagnostic at
    /// `at`) once the file has used its budget.
    bool spend(const YAML::Node& at);

private:
    static constexpr std::size_t kMaxDiagnostics = 100;
    static constexpr std::size_t kMaxNodes = 200000;

    std::string file_;
    std::string_view text_;
    Diagnostics diagnostics_;
    bool truncated_ = false;
    std::size_t nodes_ = 0;
    bool over_budget_ = false;
};

/// Parses one YAML document. Empty files, binary data, several documents and
/// syntax errors are reported; nullopt then.
std::optional<YAML::Node> parse_document(std::string_view text, Reporter& r);

/// A mapping read key by key. Reports (once, when constructed) a node that is
/// not a mapping, keys that are not plain text, duplicate keys and — unless
/// `known` is empty — keys not in `known`, with a "did you mean".
class MapReader {
public:
    MapReader(const YAML::Node& node, Reporter& r, std::string what,
              std::vector<std::string> known = {});

    bool valid() const { return valid_; }
    const YAML::Node& node() const { return node_; }
    const std::string& what() const { return what_; }
    /// The value of `key`, or nullptr when absent.
    const YAML::Node* find(std::string_view key) const;
    /// The key node itself (for positions of "x is empty" messages).
    const YAML::Node* key_node(std::string_view key) const;
    /// Like find, but reports "missing 'key' in <what>" when absent.
    const YAML::Node* require(std::string_view key);

    /// Entries in file order (duplicates and bad keys left out).
    const std::vector<std::pair<std::string, YAML::Node>>& entries() const { return entries_; }
    const std::vector<YAML::Node>& key_nodes() const { return keys_; }

    /// A scalar as text (any scalar style); reports other kinds.
    std::optional<std::string> text(std::string_view key, bool required);
    /// An integer in [min, max]; reports other values naming the range.
    std::optional<long long> integer(std::string_view key, bool required, long long min,
                                     long long max);
    std::optional<bool> boolean(std::string_view key, bool required);

private:
    /// The value for a typed read: nullptr when absent (reported when
    /// required) or written without a value (reported).
    const YAML::Node* present(std::string_view key, bool required);

    Reporter& r_;
    YAML::Node node_;
    std::string what_;
    bool valid_ = false;
    std::vector<std::pair<std::string, YAML::Node>> entries_;
    std::vector<YAML::Node> keys_;
};

/// A plain scalar typed as YAML 1.2's core schema does (true/false, null,
/// decimal or 0x numbers); quoted scalars stay text. Reports numbers out of
/// range and unsupported tags; null JSON when reported.
nlohmann::json scalar_to_json(const YAML::Node& node, Reporter& r);
/// Any node as JSON (mappings with text keys), within the budget and depth.
std::optional<nlohmann::json> to_json(const YAML::Node& node, Reporter& r);

/// The scalar's text; reports "<what> must be text" for other kinds.
std::optional<std::string> as_text(const YAML::Node& node, Reporter& r, std::string_view what);
/// A number (or reports "<what> must be a number").
std::optional<double> as_number(const YAML::Node& node, Reporter& r, std::string_view what);
/// An integer in [min, max].
std::optional<long long> as_integer(const YAML::Node& node, Reporter& r, std::string_view what,
                                    long long min, long long max);
/// A list of scalars as texts ("<what> must be a list: [a, b]").
std::optional<std::vector<std::string>> as_text_list(const YAML::Node& node, Reporter& r,
                                                     std::string_view what);

/// True for a node written as a quoted or plain scalar holding text (not a
/// number, bool or null).
bool is_text_scalar(const YAML::Node& node);
/// The value of `key` in a mapping (the first, when repeated), without
/// reporting anything; nullopt when absent or not a mapping.
std::optional<YAML::Node> find_key(const YAML::Node& map, std::string_view key);
/// A node for messages: 'text' (cut at 40 characters), "a list", "a mapping", "nothing".
std::string describe(const YAML::Node& node);

} // namespace bwc::bench::yaml
