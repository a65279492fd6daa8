// Starting, watching and stopping helper programs (see child_process.hpp).
#include "bench/emulation/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace bwc::bench {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

Result<std::unique_ptr<ChildProcess>> ChildProcess::start(std::vector<std::string> args,
                                                          const std::string& log_path,
                                                          const std::string& ready_file,
                                                          std::chrono::seconds patience) {
    using R = Result<std::unique_ptr<ChildProcess>>;
    if (args.empty() || access(args[0].c_str(), X_OK) != 0)
        return R::failure("'" + (args.empty() ? std::string() : args[0]) +
                          "' is not an executable file");
    std::unique_ptr<ChildProcess> child(new ChildProcess());
    child->program_ = std::filesystem::path(args[0]).filename().string();
    child->log_path_ = log_path;
    std::error_code ec;
    std::filesystem::remove(ready_file, ec);

    // Everything the child needs is prepared before fork(): after it, only
    // async-signal-safe calls.
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const char* log = log_path.c_str();
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0)
        return R::failure(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // A helper must not outlive a bench that is killed.
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        const int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    child->pid_ = pid;

    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (true) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            child->pid_ = -1;
            return R::failure(child->program_ + " exited while starting (status " +
                              std::to_string(status) + "): " + read_text_file(log_path));
        }
        if (std::filesystem::exists(ready_file)) {
            try {
                child->ready_ = nlohmann::json::parse(read_text_file(ready_file));
                break;
            } catch (const nlohmann::json::exception&) {
                // still being written; look again
            }
        }
        if (std::chrono::steady_clock::now() > deadline)
            return R::failure(child->program_ + " did not report its ports within " +
                              std::to_string(patience.count()) +
                              " s; log: " + read_text_file(log_path));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return R(std::move(child));
}

ChildProcess::~ChildProcess() { stop(); }

bool ChildProcess::running() {
    if (pid_ <= 0)
        return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        exit_status_ = status;
        return false;
    }
    return true;
}

int ChildProcess::stop() {
    if (pid_ <= 0)
        return 0;
    kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
    return status;
}

} // namespace bwc::bench
