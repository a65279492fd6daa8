// A helper program the bench starts and owns (bwc-emu, bwc-fixtures): spawned
// with its output in a log file, dying with the bench if the bench is killed
// (PR_SET_PDEATHSIG), ready once it has written the JSON file it reports its
// ports in, and stopped with SIGTERM (SIGKILL after 5 s) when this goes.
#pragma once

#include "bench/transport/uri.hpp" // Result

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bwc::bench {

class ChildProcess {
public:
    /// Starts `args` (args[0] the program) and waits up to `patience` for
    /// `ready_file` to hold a complete JSON document, which it returns
    /// through ready(). Errors name the program and quote its log.
    static Result<std::unique_ptr<ChildProcess>> start(std::vector<std::string> args,
                                                       const std::string& log_path,
                                                       const std::string& ready_file,
                                                       std::chrono::seconds patience);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    const nlohmann::json& ready() const { return ready_; }
    pid_t pid() const { return pid_; }
    const std::string& log_path() const { return log_path_; }
    /// False once the program has exited (its status is then in exit_status()).
    bool running();
    int exit_status() const { return exit_status_; }
    /// SIGTERM, then SIGKILL after 5 s; the wait status (0 when already stopped).
    int stop();

private:
    ChildProcess() = default;
    pid_t pid_ = -1;
    std::string program_;
    std::string log_path_;
    nlohmann::json ready_;
    int exit_status_ = 0;
};

/// The whole text of a small file ("" when unreadable).
std::string read_text_file(const std::string& path);

} // namespace bwc::bench
