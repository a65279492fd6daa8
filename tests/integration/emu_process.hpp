// Test support: start bwc-emu as a separate process on free ports, read its
// port assignment, and talk to its ports over TCP with a line client that
// does the protocol's handshake. Only the wire is used — no emulator code is
// linked into the tests.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bwc::test {

struct CameraPorts {
    std::string serial;
    std::string model;
    int diag = 0;
    int physical = 0;
    int nmea = 0;
};

/// A fresh directory under /tmp, removed with everything in it at the end.
class TempDir {
public:
    explicit TempDir(const std::string& prefix);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

class EmuProcess {
public:
    /// Starts bwc-emu with `args` plus --port-base 0 --ports-file <tmp>;
    /// throws if it exits or does not report its ports within 10 s.
    explicit EmuProcess(std::vector<std::string> args);
    ~EmuProcess();
    EmuProcess(const EmuProcess&) = delete;
    EmuProcess& operator=(const EmuProcess&) = delete;

    const std::vector<CameraPorts>& cameras() const { return cameras_; }
    /// The ports file bwc-emu wrote (for programs that read it, like bwc-fixtures).
    std::string ports_file() const { return dir_.path() + "/ports.json"; }
    /// The port of dock `serial` (from the ports file's "docks"); throws if none.
    int dock_port(const std::string& serial) const;
    bool running();
    /// SIGTERM and wait; returns the exit status.
    int stop();
    std::string stderr_text();

private:
    pid_t pid_ = -1;
    TempDir dir_{"bwc-emu-test"};
    std::vector<CameraPorts> cameras_;
    std::vector<std::pair<std::string, int>> docks_;
};

class LineClient {
public:
    enum class Banner { Expected, None }; // the NMEA port sends none
    /// Connects to 127.0.0.1:port and reads the banner.
    explicit LineClient(int port, Banner banner = Banner::Expected);
    ~LineClient();
    LineClient(const LineClient&) = delete;
    LineClient& operator=(const LineClient&) = delete;

    const std::string& banner() const { return banner_; }
    /// HELLO with the protocol named in the banner; returns the reply.
    std::string hello();
    void send_raw(const std::string& bytes);
    /// Next line that is not an EVT (events are kept for events()).
    std::string read_reply(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Send a command line, return its reply line.
    std::string command(const std::string& line);
    /// EVT lines received so far (and clears them).
    std::vector<std::string> events();
    /// Raw bytes available within `timeout` (for the NMEA port).
    std::string read_some(std::chrono::milliseconds timeout);

private:
    std::optional<std::string> read_line(std::chrono::milliseconds timeout);
    int fd_ = -1;
    std::string buffer_;
    std::string banner_;
    std::vector<std::string> events_;
};

/// A loopback TCP port nothing listens on now (bound, read, released).
int unused_port();

/// "OK a=1 b=x" → value of key, or "" when absent.
std::string field(const std::string& reply, const std::string& key);

} // namespace bwc::test
