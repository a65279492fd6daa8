// Single-threaded TCP line server (see line_server.hpp).
#include "firmware/emu/line_server.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace bwc::emu {

namespace {

void set_nonblocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
}

} // namespace

LineServer::~LineServer() {
    for (auto& [fd, l] : listeners_)
        ::close(fd);
    for (auto& [id, c] : clients_)
        ::close(c.fd);
}

fw::Result<std::uint16_t> LineServer::listen(std::uint16_t port, LineHandler& handler,
                                             std::string_view bind_address) {
    using R = fw::Result<std::uint16_t>;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return R::failure(std::string("socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    const std::string address(bind_address);
    if (::inet_pton(AF_INET, address.c_str(), &addr.sin_addr) != 1) {
        ::close(fd);
        return R::failure("bad bind address '" + address + "'");
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        return R::failure("cannot listen on " + address + ":" + std::to_string(port) + ": " + why);
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    set_nonblocking(fd);
    listeners_[fd] = {fd, &handler};
    return R::success(ntohs(addr.sin_port));
}

void LineServer::send_raw(ClientId id, std::string_view bytes) {
    auto it = clients_.find(id);
    if (it == clients_.end() || it->second.closing)
        return;
    Client& c = it->second;
    if (c.out.size() + bytes.size() > kMaxQueuedOutputBytes) {
        // A client that does not read must not make us hold unbounded memory
        // or stall the others: it is cut off, as a full serial buffer would.
        c.closing = true;
        c.out.clear();
        return;
    }
    c.out.append(bytes);
    write_to(id);
}

void LineServer::send_line(ClientId id, std::string_view line) {
    std::string l(line);
    l += '\n';
    send_raw(id, l);
}

void LineServer::close(ClientId id) {
    auto it = clients_.find(id);
    if (it != clients_.end())
        it->second.closing = true;
}

void LineServer::drop(ClientId id) {
    auto it = clients_.find(id);
    if (it == clients_.end())
        return;
    LineHandler* handler = it->second.handler;
    ::close(it->second.fd);
    clients_.erase(it);
    handler->on_disconnect(id);
}

void LineServer::accept_from(const Listener& l) {
    while (true) {
        const int fd = ::accept4(l.fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const ClientId id = next_id_++;
        clients_[id] = Client{fd, l.handler, {}, {}, false, false};
        l.handler->on_connect(id);
    }
}

void LineServer::write_to(ClientId id) {
    auto it = clients_.find(id);
    if (it == clients_.end())
        return;
    Client& c = it->second;
    while (!c.out.empty()) {
        const ssize_t n = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
        if (n > 0) {
            c.out.erase(0, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        c.closing = true; // peer gone
        c.out.clear();
        return;
    }
}

void LineServer::read_from(ClientId id) {
    char buf[4096];
    while (true) {
        auto it = clients_.find(id);
        if (it == clients_.end() || it->second.closing)
            return;
        const ssize_t n = ::recv(it->second.fd, buf, sizeof buf, 0);
        if (n == 0) {
            it->second.closing = true;
            return;
        }
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                it->second.closing = true;
            return;
        }
        for (ssize_t i = 0; i < n; ++i) {
            auto cit = clients_.find(id);
            if (cit == clients_.end() || cit->second.closing)
                return;
            Client& c = cit->second;
            const char ch = buf[i];
            if (ch == '\n') {
                if (c.discarding) {
                    c.discarding = false;
                    c.in.clear();
                    continue;
                }
                std::string line;
                line.swap(c.in);
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                const bool bad =
                    line.find_first_of(std::string_view("\0", 1)) != std::string::npos ||
                    std::any_of(line.begin(), line.end(), [](char x) {
                        const auto u = static_cast<unsigned char>(x);
                        return (u < 0x20 && x != '\t') || u == 0x7f;
                    });
                c.handler->on_line(id, line, bad ? LineProblem::BadByte : LineProblem::None);
                continue;
            }
            if (c.discarding)
                continue;
            c.in += ch;
            if (c.in.size() > kMaxLineBytes) {
                c.discarding = true;
                std::string head = c.in.substr(0, 32);
                c.in.clear();
                c.handler->on_line(id, head, LineProblem::TooLong);
            }
        }
    }
}

void LineServer::poll_once(std::optional<Millis> timeout) {
    std::vector<pollfd> fds;
    std::vector<std::pair<bool, std::uint64_t>> who; // listener?, fd or client id
    for (auto& [fd, l] : listeners_) {
        fds.push_back({fd, POLLIN, 0});
        who.push_back({true, static_cast<std::uint64_t>(fd)});
    }
    for (auto& [id, c] : clients_) {
        short events = POLLIN;
        if (!c.out.empty())
            events |= POLLOUT;
        fds.push_back({c.fd, events, 0});
        who.push_back({false, id});
    }
    int wait_ms = -1;
    if (timeout)
        wait_ms = static_cast<int>(std::clamp<std::int64_t>(timeout->count(), 0, 1'000'000));
    // Clients already marked for closing are handled without waiting.
    for (auto& [id, c] : clients_)
        if (c.closing)
            wait_ms = 0;
    const int ready = ::poll(fds.data(), fds.size(), wait_ms);
    if (ready > 0) {
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].revents == 0)
                continue;
            if (who[i].first) {
                auto it = listeners_.find(static_cast<int>(who[i].second));
                if (it != listeners_.end())
                    accept_from(it->second);
                continue;
            }
            const ClientId id = who[i].second;
            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                read_from(id);
            if (fds[i].revents & POLLOUT)
                write_to(id);
        }
    }
    std::vector<ClientId> gone;
    for (auto& [id, c] : clients_)
        if (c.closing && c.out.empty())
            gone.push_back(id);
    for (ClientId id : gone)
        drop(id);
}

} // namespace bwc::emu
