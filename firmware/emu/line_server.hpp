// A single-threaded TCP line server for the emulator's ports (see
// firmware/PROTOCOL.md, "Framing"): many listening ports, many clients, one
// poll() loop. A slow or silent client never blocks the others: sockets are
// non-blocking, output is queued per client and a client whose queue grows
// past a bound is dropped. Input lines are bounded; an over-long line or a
// control byte is reported to the handler, not buffered.
#pragma once

#include "firmware/core/result.hpp"
#include "firmware/core/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bwc::emu {

using fw::Millis;
using ClientId = std::uint64_t;

inline constexpr std::size_t kMaxLineBytes = 1024;
inline constexpr std::size_t kMaxQueuedOutputBytes = 16u << 20;

/// What happened to a line on its way in.
enum class LineProblem { None, TooLong, BadByte };

/// Contract: the server calls on_connect once per accepted client, then
/// on_line for each complete line (or problem) in arrival order, then
/// on_disconnect once. Handlers may call LineServer::send/close from inside.
class LineHandler {
public:
    virtual ~LineHandler() = default;
    virtual void on_connect(ClientId client) = 0;
    virtual void on_line(ClientId client, std::string_view line, LineProblem problem) = 0;
    virtual void on_disconnect(ClientId client) = 0;
};

class LineServer {
public:
    LineServer() = default;
    ~LineServer();
    LineServer(const LineServer&) = delete;
    LineServer& operator=(const LineServer&) = delete;

    /// Listen on 127.0.0.1:port (0 = any free port). Returns the bound port,
    /// or an error naming the port and the reason.
    fw::Result<std::uint16_t> listen(std::uint16_t port, LineHandler& handler,
                                     std::string_view bind_address = "127.0.0.1");

    /// Queue `line` + "\n" for one client (ignored if the client is gone).
    void send_line(ClientId client, std::string_view line);
    /// Queue raw bytes for one client.
    void send_raw(ClientId client, std::string_view bytes);
    void close(ClientId client);

    /// Wait up to `timeout` (forever if unset) for I/O and handle it.
    void poll_once(std::optional<Millis> timeout);

    std::size_t client_count() const { return clients_.size(); }

private:
    struct Listener {
        int fd;
        LineHandler* handler;
    };
    struct Client {
        int fd;
        LineHandler* handler;
        std::string in;
        std::string out;
        bool discarding = false; // inside an over-long line
        bool closing = false;
    };
    void accept_from(const Listener& l);
    void read_from(ClientId id);
    void write_to(ClientId id);
    void drop(ClientId id);

    std::map<int, Listener> listeners_; // by fd
    std::map<ClientId, Client> clients_;
    ClientId next_id_ = 1;
};

} // namespace bwc::emu
