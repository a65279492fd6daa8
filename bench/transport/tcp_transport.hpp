// tcp://host:port — raw TCP, as ser2net exports a real camera's serial port
// and as bwc-emu listens: non-blocking connect with a timeout, line framing,
// and probe_tcp() for `bench devices` to say whether an endpoint is reachable.
#pragma once

#include "bench/transport/transport.hpp"

#include <cstdint>
#include <string>

namespace bwc::bench {

class TcpTransport final : public Transport {
public:
    static constexpr Millis kDefaultConnectTimeout{5000};
    static constexpr Millis kWriteTimeout{5000};

    TcpTransport(std::string host, std::uint16_t port,
                 Millis connect_timeout = kDefaultConnectTimeout);
    ~TcpTransport() override;

    Status open() override;
    Status write_line(std::string_view line) override;
    Result<std::string, TransportError> read_line(Millis timeout) override;
    void close() override;
    std::string describe() const override;

private:
    std::string host_;
    std::uint16_t port_;
    Millis connect_timeout_;
    int fd_ = -1;
    LineFramer framer_;
};

struct TcpProbe {
    bool reachable = false;
    /// "connected in N ms", or why not (refused, timed out, unknown host…).
    std::string detail;
};

/// Connects and disconnects at once; never sends anything.
TcpProbe probe_tcp(const std::string& host, std::uint16_t port, Millis timeout);

} // namespace bwc::bench
