// The transport factory and the shared line framer (see transport.hpp).
#include "bench/transport/transport.hpp"

#include "bench/transport/serial_transport.hpp"
#include "bench/transport/tcp_transport.hpp"
#include "bench/transport/usb_transport.hpp"

namespace bwc::bench {

std::string_view kind_name(TransportError::Kind kind) {
    using K = TransportError::Kind;
    switch (kind) {
    case K::Timeout:
        return "timeout";
    case K::Closed:
        return "closed";
    case K::Io:
        return "io";
    case K::NotFound:
        return "not_found";
    case K::NotSupported:
        return "not_supported";
    case K::LineTooLong:
        return "line_too_long";
    case K::InvalidArgument:
        return "invalid_argument";
    }
    return "?";
}

void LineFramer::feed(std::string_view bytes) {
    buffer_.append(bytes);
}

void LineFramer::clear() {
    buffer_.clear();
    discarding_ = false;
}

std::optional<Result<std::string, TransportError>> LineFramer::next(const std::string& who) {
    const auto too_long = [&] {
        return Result<std::string, TransportError>(TransportError{
            TransportError::Kind::LineTooLong,
            who + ": line longer than " + std::to_string(max_line_) + " bytes discarded"});
    };
    for (;;) {
        const auto nl = buffer_.find('\n');
        if (discarding_) { // the overlong line was reported; drop it up to its "\n"
            if (nl == std::string::npos) {
                buffer_.clear();
                return std::nullopt;
            }
            buffer_.erase(0, nl + 1);
            discarding_ = false;
            continue;
        }
        if (nl == std::string::npos) {
            // One byte of slack: a "\r" may be waiting for its "\n".
            if (buffer_.size() > max_line_ + 1) {
                buffer_.clear();
                discarding_ = true;
                return too_long();
            }
            return std::nullopt;
        }
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.size() > max_line_) {
            return too_long();
        }
        return Result<std::string, TransportError>(std::move(line));
    }
}

std::unique_ptr<Transport> make_transport(const Uri& uri) {
    switch (uri.scheme) {
    case Scheme::Tcp:
        return std::make_unique<TcpTransport>(uri.host, uri.port);
    case Scheme::Serial:
        return std::make_unique<SerialTransport>(uri.path, uri.effective_baud());
    case Scheme::Usb:
        return std::make_unique<UsbTransport>(uri.vid, uri.pid, uri.usb_serial);
    }
    return nullptr;
}

Result<std::unique_ptr<Transport>, TransportError> open_transport(const Uri& uri) {
    auto transport = make_transport(uri);
    if (!transport) {
        return TransportError{TransportError::Kind::InvalidArgument,
                              uri.to_string() + ": no transport for this scheme"};
    }
    if (auto st = transport->open(); !st) {
        return st.error();
    }
    return transport;
}

} // namespace bwc::bench
