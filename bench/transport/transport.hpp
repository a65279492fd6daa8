// The one transport interface every device URI is reached through (TCP,
// serial, USB), its typed errors, the line framer the byte-stream transports
// share, and the factory open_transport(uri). Callers use every kind the same
// way, so the bench cannot tell an emulator from a real camera (principle 1).
#pragma once

#include "bench/transport/uri.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace bwc::bench {

using Millis = std::chrono::milliseconds;

struct TransportError {
    enum class Kind {
        Timeout,         // nothing (or no full line) arrived in time
        Closed,          // the peer closed, or the transport is not open
        Io,              // the OS or library failed; message carries its text
        NotFound,        // no such device / host
        NotSupported,    // this transport cannot do that (USB bulk I/O)
        LineTooLong,     // a line exceeded the framer's bound; it was discarded
        InvalidArgument, // the caller asked for something impossible
    };
    Kind kind = Kind::Io;
    /// Names the transport (describe()) and what went wrong.
    std::string message;
    bool operator==(const TransportError&) const = default;
};

std::string_view kind_name(TransportError::Kind kind);

/// Success of an operation that returns nothing.
using Status = Result<std::monostate, TransportError>;
inline Status ok_status() {
    return Status(std::monostate{});
}

class Transport {
public:
    virtual ~Transport() = default;
    Transport() = default;
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    /// Connects / opens the device. Opening an open transport reopens it.
    virtual Status open() = 0;
    /// Sends `line` followed by "\n"; `line` must not contain a newline.
    virtual Status write_line(std::string_view line) = 0;
    /// The next line without its "\n" (a trailing "\r" is dropped too).
    virtual Result<std::string, TransportError> read_line(Millis timeout) = 0;
    /// Idempotent; afterwards read/write report Closed.
    virtual void close() = 0;
    /// The URI it was made from, for messages.
    virtual std::string describe() const = 0;

protected:
    /// An error of `kind` whose message starts with this transport's URI.
    TransportError error(TransportError::Kind kind, const std::string& what) const {
        return TransportError{kind, describe() + ": " + what};
    }
};

/// Splits a byte stream into lines: "\n" ends a line, a "\r" before it is
/// dropped, and a line longer than max_line bytes is reported once and
/// discarded up to its newline, so one runaway device cannot eat memory.
class LineFramer {
public:
    static constexpr std::size_t kDefaultMaxLine = 4096;
    explicit LineFramer(std::size_t max_line = kDefaultMaxLine) : max_line_(max_line) {}

    void feed(std::string_view bytes);
    /// A complete line, a LineTooLong error, or nullopt when more bytes are needed.
    std::optional<Result<std::string, TransportError>> next(const std::string& who);
    void clear();

private:
    std::size_t max_line_;
    std::string buffer_;
    bool discarding_ = false; // inside an overlong line (already reported), awaiting its "\n"
};

/// A transport for `uri`, not yet opened.
std::unique_ptr<Transport> make_transport(const Uri& uri);
/// make_transport + open(): an open transport or why it could not be opened.
Result<std::unique_ptr<Transport>, TransportError> open_transport(const Uri& uri);

} // namespace bwc::bench
