// `bench check` as a library function: validates a procedure or station file
// (told apart by its top-level key) and returns every diagnostic, or a
// one-line summary when the file is good. The CLI (bench/cli/check_command)
// prints these; tests and the console call them directly.
#pragma once

#include "bench/procedure/diagnostic.hpp"

#include <string>
#include <string_view>

namespace bwc::bench {

enum class FileKind { Unknown, Procedure, Station };

struct CheckReport {
    std::string path;
    FileKind kind = FileKind::Unknown;
    Diagnostics diagnostics; // empty when the file is good
    /// When good: "procedure buttons-demo 1.0.0, 5 steps, sha256 …" or
    /// "station bench-3, dock W701, 8 bays, 2 fixtures".
    std::string summary;
    bool ok() const { return diagnostics.empty(); }
};

CheckReport check_text(std::string_view text, const std::string& path);
CheckReport check_file(const std::string& path);

} // namespace bwc::bench
