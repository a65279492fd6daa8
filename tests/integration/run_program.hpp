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

/// A program left running while the test acts on it: stdin is a pipe the
/// test may write to (and keeps open), stdout and stderr go to files in
/// `dir`. The destructor kills it if it still runs.
class BackgroundProgram {
public:
    BackgroundProgram(const std::string& program, const std::vector<std::string>& args,
                      const std::string& dir);
    ~BackgroundProgram();
    BackgroundProgram(const BackgroundProgram&) = delete;
    BackgroundProgram& operator=(const BackgroundProgram&) = delete;

    void write_stdin(const std::string& text);
    void signal(int sig);
    bool running();
    /// Waits for the exit; its status (128 + signal when killed) and output.
    ProgramResult wait();

private:
    int pid_ = -1;
    int stdin_fd_ = -1;
    std::string out_path_, err_path_;
    ProgramResult result_;
};

} // namespace bwc::test
