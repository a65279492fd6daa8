// Runs one of our built programs as a separate process and captures its
// output and exit status, for integration tests of the real binaries.
#pragma once

#include <string>
#include <vector>

namespace bwc::test {

struct ProgramResult {
    int exit_code = -1;
    std::string out; // stdout
    std::string err; // stderr
};

/// `program` is a path; arguments are passed without a shell.
ProgramResult run_program(const std::string& program, const std::vector<std::string>& args);

} // namespace bwc::test
