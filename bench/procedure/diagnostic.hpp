// Where in a file something is, and a message about it: the currency of
// `bench check` ("file:line:col: message") and of every loader error.
#pragma once

#include <string>
#include <vector>

namespace bwc::bench {

struct SourcePos {
    std::string file;
    int line = 0;   // 1-based; 0 = unknown (then the text is just "file")
    int column = 0; // 1-based
};
/// "file:line:col", or "file" when the position is unknown.
std::string to_string(const SourcePos& pos);

struct Diagnostic {
    SourcePos pos;
    std::string message;
    /// "file:line:col: message".
    std::string text() const { return to_string(pos) + ": " + message; }
};
using Diagnostics = std::vector<Diagnostic>;

} // namespace bwc::bench
