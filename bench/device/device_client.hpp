// A client for one port speaking a BWC line protocol (firmware/PROTOCOL.md):
// banner and version handshake, one reply per command with a timeout, EVT
// lines kept aside for whoever subscribed, cancellation and a deadline that
// end a wait early, and reconnecting (reopen, handshake, resubscribe). The
// same client serves the camera's diag and physical ports and the dock port,
// over any transport (TCP, serial).
#pragma once

#include "bench/transport/transport.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace bwc::bench {

struct DeviceError {
    enum class Kind {
        Transport,       // could not open, or the connection broke (device lost)
        Timeout,         // no reply in time (or the deadline passed)
        Protocol,        // the device sent something the protocol does not allow
        Refused,         // the device answered ERR <code> <message>
        VersionMismatch, // the device speaks another protocol version
        Cancelled,       // the cancel flag was raised while waiting
    };
    Kind kind = Kind::Protocol;
    std::string code;    // Refused: the device's error code (bad_argument, …)
    std::string message; // names the device ("camera SN0001 at tcp://…") and what it sent
};
std::string_view to_string(DeviceError::Kind k);

template <class T>
using DeviceResult = Result<T, DeviceError>;
using DeviceStatus = DeviceResult<std::monostate>;

/// key=value words of a reply payload or banner, values unquoted, in order.
class KeyValues {
public:
    const std::string* find(std::string_view key) const;
    /// The value, or "" when absent.
    std::string get(std::string_view key) const;
    const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
    void add(std::string key, std::string value) {
        items_.emplace_back(std::move(key), std::move(value));
    }

private:
    std::vector<std::pair<std::string, std::string>> items_;
};
/// Parses `a=1 b="x y" c=` (PROTOCOL.md quoting); bare words are an error
/// unless `allow_bare` (a banner's leading "BWC-DIAG 1").
Result<KeyValues> parse_key_values(std::string_view payload, bool allow_bare = false);
/// Undoes the C escapes of a quoted AT reply ("\r\n" → CR LF).
Result<std::string> c_unescape(std::string_view quoted);

/// `EVT <at_ms> <kind> <what> [detail]`, parsed.
struct DeviceEvent {
    std::int64_t at_ms = 0;
    std::string kind;
    std::string what;
    std::string detail;
};

struct ClientOptions {
    Millis reply_timeout{5000};
    int reconnect_attempts = 3; // reconnect(): tries before giving up
    Millis reconnect_backoff{200};
};

class DeviceClient {
public:
    /// `protocol` is the banner's first word: "BWC-DIAG", "BWC-PHYS" or "BWC-DOCK".
    DeviceClient(Uri uri, std::string protocol, ClientOptions options = {});
    /// For tests and fixtures: an already made transport.
    DeviceClient(std::unique_ptr<Transport> transport, std::string protocol,
                 ClientOptions options = {});
    ~DeviceClient();
    DeviceClient(const DeviceClient&) = delete;
    DeviceClient& operator=(const DeviceClient&) = delete;

    /// Opens, reads the banner, sends HELLO <protocol> 1, expects OK.
    DeviceStatus connect();
    bool connected() const;
    /// close + connect, up to reconnect_attempts times; resubscribes if subscribed.
    DeviceStatus reconnect();
    void close();

    /// Sends one command line; the payload after "OK " ("" for a bare OK).
    /// ERR replies are Refused errors carrying the device's code and message.
    DeviceResult<std::string> command(std::string_view line);
    DeviceResult<std::string> command(std::string_view line, Millis timeout);

    /// SUBSCRIBE (diag port); later EVT lines are queued for take_events().
    DeviceStatus subscribe();
    std::vector<DeviceEvent> take_events();
    /// Events dropped because nobody took them (the queue is bounded).
    std::size_t dropped_events() const { return dropped_events_; }

    /// Waits end early: Cancelled when *flag becomes true (nullptr: never).
    void set_cancel_flag(const std::atomic<bool>* flag) { cancel_ = flag; }
    /// Waits end early with Timeout after this instant (nullopt: none).
    void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) {
        deadline_ = deadline;
    }

    /// The banner's key=value fields (model, serial).
    const KeyValues& banner() const { return banner_; }
    /// "BWC-DIAG W120 SN0001 at tcp://127.0.0.1:7100" — for every message.
    std::string describe() const;

private:
    using Clock = std::chrono::steady_clock;
    /// The reply line to in_flight_ (EVT lines queued, owed replies skipped).
    DeviceResult<std::string> read_reply(Millis timeout);
    DeviceError error(DeviceError::Kind kind, std::string what, std::string code = {}) const;
    /// One line by `until`, read in short slices so cancel and deadline act promptly.
    DeviceResult<std::string> next_line(Millis timeout, Clock::time_point until);
    /// Waits `pause` (reconnect backoff); an error if cancelled or past the deadline.
    std::optional<DeviceError> pause_for(Millis pause) const;
    std::optional<DeviceError> accept_banner(const std::string& line);
    DeviceResult<std::string> interpret_reply(std::string line) const;
    /// Queues an EVT line; an error when it is malformed.
    std::optional<DeviceError> queue_event(std::string_view line);
    /// Marks the device lost (closed, disconnected) and says why.
    DeviceError lose(const TransportError& why);
    std::string awaited() const;

    std::optional<Uri> uri_;
    std::unique_ptr<Transport> transport_;
    std::string protocol_;
    ClientOptions options_;
    KeyValues banner_;
    bool connected_ = false;
    bool subscribed_ = false;
    std::deque<DeviceEvent> events_;
    std::size_t dropped_events_ = 0;
    std::string_view in_flight_;       // the command awaiting its reply ("" = the banner)
    int owed_replies_ = 0;             // replies of commands given up on (timeout, cancel)
    std::optional<DeviceError> found_; // a problem take_events() met, for the next command
    std::string lost_cause_;           // why the device was lost, for later commands
    const std::atomic<bool>* cancel_ = nullptr;
    std::optional<std::chrono::steady_clock::time_point> deadline_;
};

} // namespace bwc::bench
