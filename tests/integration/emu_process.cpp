// Test support for bwc-emu integration tests (see emu_process.hpp).
#include "emu_process.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace bwc::test {

namespace {
const std::string kEmu = BWC_BINARY_DIR "/firmware/emu/bwc-emu";
}

TempDir::TempDir(const std::string& prefix) {
    std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
    if (!mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed for " + tmpl);
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

EmuProcess::EmuProcess(std::vector<std::string> args) {
    const std::string ports_file = this->ports_file();
    args.insert(args.end(), {"--port-base", "0", "--ports-file", ports_file});
    pid_ = fork();
    if (pid_ == 0) {
        const int err =
            ::open((dir_.path() + "/stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(err, 2);
        std::vector<char*> argv{const_cast<char*>(kEmu.c_str())};
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(kEmu.c_str(), argv.data());
        _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
        std::ifstream in(ports_file);
        if (in) {
            const auto j = nlohmann::json::parse(in);
            for (const auto& c : j["cameras"])
                cameras_.push_back({c["serial"], c["model"], c["diag"], c["physical"], c["nmea"]});
            for (const auto& d : j.value("docks", nlohmann::json::array()))
                docks_.emplace_back(d["serial"], d["port"]);
            return;
        }
        if (!running())
            throw std::runtime_error("bwc-emu exited: " + stderr_text());
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("bwc-emu did not write its ports file: " + stderr_text());
}

EmuProcess::~EmuProcess() {
    if (pid_ > 0)
        stop();
}

int EmuProcess::dock_port(const std::string& serial) const {
    for (const auto& [s, port] : docks_)
        if (s == serial)
            return port;
    throw std::runtime_error("bwc-emu reported no dock " + serial);
}

bool EmuProcess::running() {
    if (pid_ <= 0)
        return false;
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        pid_ = -1;
        return false;
    }
    return true;
}

int EmuProcess::stop() {
    if (pid_ <= 0)
        return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string EmuProcess::stderr_text() {
    std::ifstream in(dir_.path() + "/stderr");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

LineClient::LineClient(int port, Banner banner_mode) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect to port " + std::to_string(port) + ": " +
                                 std::strerror(errno));
    if (banner_mode == Banner::None)
        return;
    auto banner = read_line(std::chrono::seconds(5));
    if (!banner)
        throw std::runtime_error("no banner on port " + std::to_string(port));
    banner_ = *banner;
}

LineClient::~LineClient() {
    if (fd_ >= 0)
        ::close(fd_);
}

std::string LineClient::hello() {
    const std::string protocol = banner_.substr(0, banner_.find(' '));
    return command("HELLO " + protocol + " 1");
}

void LineClient::send_raw(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            throw std::runtime_error("send failed: " + std::string(std::strerror(errno)));
        sent += static_cast<std::size_t>(n);
    }
}

std::optional<std::string> LineClient::read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        if (auto nl = buffer_.find('\n'); nl != std::string::npos) {
            std::string line = buffer_.substr(0, nl);
            buffer_.erase(0, nl + 1);
            return line;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return std::nullopt;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return std::nullopt;
        char buf[65536];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0)
            return std::nullopt;
        buffer_.append(buf, static_cast<std::size_t>(n));
    }
}

std::string LineClient::read_reply(std::chrono::milliseconds timeout) {
    while (true) {
        auto line = read_line(timeout);
        if (!line)
            throw std::runtime_error("no reply within timeout");
        if (line->rfind("EVT ", 0) == 0) {
            events_.push_back(*line);
            continue;
        }
        return *line;
    }
}

std::string LineClient::command(const std::string& line) {
    send_raw(line + "\n");
    return read_reply();
}

std::vector<std::string> LineClient::events() {
    // Pick up whatever has arrived without waiting for more.
    while (auto line = read_line(std::chrono::milliseconds(20))) {
        if (line->rfind("EVT ", 0) == 0)
            events_.push_back(*line);
    }
    std::vector<std::string> out;
    out.swap(events_);
    return out;
}

std::string LineClient::read_some(std::chrono::milliseconds timeout) {
    std::string out;
    out.swap(buffer_);
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, static_cast<int>(timeout.count())) > 0) {
        char buf[4096];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        out.append(buf, static_cast<std::size_t>(n));
        timeout = std::chrono::milliseconds(50);
    }
    return out;
}

int unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::string field(const std::string& reply, const std::string& key) {
    const std::string needle = " " + key + "=";
    const auto at = reply.find(needle);
    if (at == std::string::npos)
        return {};
    const auto start = at + needle.size();
    if (start < reply.size() && reply[start] == '"') {
        const auto end = reply.find('"', start + 1);
        return reply.substr(start + 1, end - start - 1);
    }
    return reply.substr(start, reply.find(' ', start) - start);
}

} // namespace bwc::test
