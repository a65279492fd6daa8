// TCP transport and probe (see tcp_transport.hpp). Sockets are non-blocking
// and every wait goes through poll() with a deadline, so no call can hang the
// bench longer than the timeout it was given.
#include "bench/transport/tcp_transport.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace bwc::bench {

namespace {

using Clock = std::chrono::steady_clock;
using K = TransportError::Kind;

int remaining_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
    return left < 0 ? 0 : static_cast<int>(left);
}

struct Connected {
    int fd = -1;
    K kind = K::Io;
    std::string why;
};

// Tries every address of host in turn until one connects within the deadline.
Connected connect_to(const std::string& host, std::uint16_t port, Millis timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
        return {-1, K::NotFound, "cannot resolve host: " + std::string(gai_strerror(rc))};
    }
    const auto deadline = Clock::now() + timeout;
    Connected result{-1, K::Io, "no address"};
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                ai->ai_protocol);
        if (fd < 0) {
            result = {-1, K::Io, std::string("socket: ") + std::strerror(errno)};
            continue;
        }
        int err = 0;
        if (::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            err = errno;
            if (err == EINPROGRESS) {
                pollfd p{fd, POLLOUT, 0};
                const int n = ::poll(&p, 1, remaining_ms(deadline));
                if (n == 0) {
                    err = ETIMEDOUT;
                } else if (n < 0) {
                    err = errno;
                } else {
                    socklen_t len = sizeof err;
                    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
                }
            }
        }
        if (err == 0) {
            result = {fd, K::Io, ""};
            break;
        }
        ::close(fd);
        result = {-1, err == ETIMEDOUT ? K::Timeout : K::Io,
                  err == ETIMEDOUT
                      ? "connect timed out after " + std::to_string(timeout.count()) + " ms"
                      : "connect: " + std::string(std::strerror(err))};
        if (remaining_ms(deadline) == 0) {
            break;
        }
    }
    freeaddrinfo(found);
    return result;
}

} // namespace

TcpTransport::TcpTransport(std::string host, std::uint16_t port, Millis connect_timeout)
    : host_(std::move(host)), port_(port), connect_timeout_(connect_timeout) {}

TcpTransport::~TcpTransport() {
    close();
}

std::string TcpTransport::describe() const {
    Uri uri;
    uri.scheme = Scheme::Tcp;
    uri.host = host_;
    uri.port = port_;
    return uri.to_string();
}

Status TcpTransport::open() {
    close();
    Connected c = connect_to(host_, port_, connect_timeout_);
    if (c.fd < 0) {
        return error(c.kind, c.why);
    }
    fd_ = c.fd;
    // Command/reply traffic of short lines: do not let Nagle delay them.
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return ok_status();
}

void TcpTransport::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    framer_.clear();
}

Status TcpTransport::write_line(std::string_view line) {
    if (fd_ < 0) {
        return error(K::Closed, "not open");
    }
    if (line.find('\n') != std::string_view::npos) {
        return error(K::InvalidArgument, "line to send contains a newline");
    }
    std::string bytes(line);
    bytes += '\n';
    const auto deadline = Clock::now() + kWriteTimeout;
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        // MSG_NOSIGNAL: a peer that went away is an error value, not SIGPIPE.
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n >= 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            pollfd p{fd_, POLLOUT, 0};
            if (::poll(&p, 1, remaining_ms(deadline)) == 0) {
                return error(K::Timeout, "write timed out");
            }
            continue;
        }
        if (errno == EPIPE || errno == ECONNRESET) {
            return error(K::Closed, std::string("peer closed: ") + std::strerror(errno));
        }
        return error(K::Io, std::string("send: ") + std::strerror(errno));
    }
    return ok_status();
}

Result<std::string, TransportError> TcpTransport::read_line(Millis timeout) {
    if (fd_ < 0) {
        return error(K::Closed, "not open");
    }
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto line = framer_.next(describe())) {
            return std::move(*line);
        }
        pollfd p{fd_, POLLIN, 0};
        const int n = ::poll(&p, 1, remaining_ms(deadline));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return error(K::Io, std::string("poll: ") + std::strerror(errno));
        }
        if (n == 0) {
            return error(K::Timeout, "no line within " + std::to_string(timeout.count()) + " ms");
        }
        char buf[4096];
        const ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
        if (got == 0) {
            return error(K::Closed, "peer closed the connection");
        }
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) {
                continue;
            }
            if (errno == ECONNRESET) {
                return error(K::Closed, "connection reset by peer");
            }
            return error(K::Io, std::string("recv: ") + std::strerror(errno));
        }
        framer_.feed(std::string_view(buf, static_cast<std::size_t>(got)));
    }
}

TcpProbe probe_tcp(const std::string& host, std::uint16_t port, Millis timeout) {
    const auto start = Clock::now();
    Connected c = connect_to(host, port, timeout);
    if (c.fd < 0) {
        return {false, c.why};
    }
    ::close(c.fd);
    const auto took = std::chrono::duration_cast<Millis>(Clock::now() - start).count();
    return {true, "connected in " + std::to_string(took) + " ms"};
}

} // namespace bwc::bench
