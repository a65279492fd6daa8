// DeviceClient (see device_client.hpp): the handshake, one reply per command,
// events set aside, waits in short slices so Ctrl-C and a step's deadline end
// them promptly, and reconnecting with backoff.
//
// Replies come strictly in order, one per command (PROTOCOL.md). A command
// given up on (timeout, cancel) still gets its reply later, so the client
// counts replies it is owed and skips that many before reading the next
// command's reply; otherwise every later reply would be off by one.
#include "bench/device/device_client.hpp"

#include "bench/device/protocol_text.hpp"

#include <algorithm>
#include <thread>

namespace bwc::bench {

namespace {

using Kind = DeviceError::Kind;

/// The longest a wait blocks before looking at the cancel flag and deadline.
constexpr Millis kWaitSlice{50};
/// Events kept for take_events(); beyond this the oldest are dropped (and counted).
constexpr std::size_t kMaxQueuedEvents = 100'000;
constexpr std::string_view kVersion = "1";

bool is_event(std::string_view line) {
    return line.starts_with("EVT ");
}

/// A transport message without its leading "<uri>: " (the client names the device itself).
std::string without_prefix(const std::string& message, const std::string& prefix) {
    const std::string lead = prefix + ": ";
    return message.starts_with(lead) ? message.substr(lead.size()) : message;
}

Result<DeviceEvent> parse_event(std::string_view line) {
    using R = Result<DeviceEvent>;
    auto words = split_words(line);
    if (!words)
        return R::failure(words.error());
    const auto& w = *words;
    if (w.size() < 4 || w.size() > 5)
        return R::failure("expected EVT <at_ms> <kind> <what> [detail], got " +
                          quote_for_message(line));
    const auto at_ms = parse_whole_number(w[1].text);
    if (!at_ms || *at_ms < 0)
        return R::failure("event time " + quote_for_message(w[1].text) +
                          " is not a whole number of ms in " + quote_for_message(line));
    DeviceEvent event;
    event.at_ms = *at_ms;
    event.kind = w[2].text;
    event.what = w[3].text;
    if (w.size() == 5)
        event.detail = w[4].text;
    return event;
}

bool is_error_code(std::string_view code) {
    return !code.empty() && std::all_of(code.begin(), code.end(),
                                        [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

} // namespace

std::string_view to_string(DeviceError::Kind k) {
    switch (k) {
    case Kind::Transport:
        return "transport";
    case Kind::Timeout:
        return "timeout";
    case Kind::Protocol:
        return "protocol";
    case Kind::Refused:
        return "refused";
    case Kind::VersionMismatch:
        return "version_mismatch";
    case Kind::Cancelled:
        return "cancelled";
    }
    return "?";
}

DeviceClient::DeviceClient(Uri uri, std::string protocol, ClientOptions options)
    : uri_(std::move(uri)), transport_(make_transport(*uri_)), protocol_(std::move(protocol)),
      options_(options) {}

DeviceClient::DeviceClient(std::unique_ptr<Transport> transport, std::string protocol,
                           ClientOptions options)
    : transport_(std::move(transport)), protocol_(std::move(protocol)), options_(options) {}

DeviceClient::~DeviceClient() {
    close();
}

std::string DeviceClient::describe() const {
    std::string out = protocol_;
    for (const char* key : {"model", "serial"})
        if (const std::string* value = banner_.find(key); value && !value->empty())
            out += " " + *value;
    out += " at ";
    out += transport_ ? transport_->describe() : uri_ ? uri_->to_string() : "(no transport)";
    return out;
}

DeviceError DeviceClient::error(DeviceError::Kind kind, std::string what, std::string code) const {
    return DeviceError{kind, std::move(code), describe() + ": " + what};
}

bool DeviceClient::connected() const {
    return connected_;
}

void DeviceClient::close() {
    if (transport_)
        transport_->close();
    connected_ = false;
    owed_replies_ = 0;
}

DeviceError DeviceClient::lose(const TransportError& why) {
    const std::string cause = without_prefix(why.message, transport_->describe());
    close();
    lost_cause_ = "device lost while waiting for " + awaited() + ": " + cause;
    return error(Kind::Transport, lost_cause_);
}

std::string DeviceClient::awaited() const {
    return in_flight_.empty() ? std::string("the banner")
                              : "the reply to " + quote_for_message(in_flight_);
}

DeviceStatus DeviceClient::connect() {
    close();
    subscribed_ = false;
    found_.reset();
    banner_ = KeyValues{};
    in_flight_ = {};
    if (!transport_)
        return error(Kind::Transport, "no transport for this URI");
    if (auto opened = transport_->open(); !opened)
        return error(Kind::Transport, "cannot open: " + without_prefix(opened.error().message,
                                                                       transport_->describe()));
    auto banner = next_line(options_.reply_timeout, Clock::now() + options_.reply_timeout);
    if (!banner) {
        close();
        return banner.error();
    }
    if (auto bad = accept_banner(*banner)) {
        close();
        return *bad;
    }
    connected_ = true;
    const std::string hello = "HELLO " + protocol_ + " " + std::string(kVersion);
    auto reply = command(hello);
    if (!reply) {
        close();
        DeviceError e = reply.error();
        if (e.kind == Kind::Refused && e.code == "version_mismatch")
            e.kind = Kind::VersionMismatch;
        return e;
    }
    if (*reply != protocol_ + " " + std::string(kVersion)) {
        close();
        return error(Kind::Protocol, "HELLO was answered " + quote_for_message("OK " + *reply) +
                                         ", expected 'OK " + protocol_ + " " +
                                         std::string(kVersion) + "'");
    }
    lost_cause_.clear();
    return std::monostate{};
}

std::optional<DeviceError> DeviceClient::accept_banner(const std::string& line) {
    const std::string expected = "'" + protocol_ + " " + std::string(kVersion) + " …'";
    const auto space = line.find(' ');
    const std::string_view first = std::string_view(line).substr(0, space);
    if (first != protocol_)
        return error(Kind::Protocol, "expected a " + expected + " banner, the device sent " +
                                         quote_for_message(line));
    const std::string_view rest =
        space == std::string::npos ? std::string_view() : std::string_view(line).substr(space + 1);
    const std::string_view version = rest.substr(0, rest.find(' '));
    if (version != kVersion) {
        const auto number = parse_whole_number(version);
        return error(number && *number >= 0 ? Kind::VersionMismatch : Kind::Protocol,
                     "the device speaks " + protocol_ + " " + quote_for_message(version) +
                         ", the bench speaks " + std::string(kVersion) + " (banner " +
                         quote_for_message(line) + ")");
    }
    auto fields = parse_key_values(line, /*allow_bare=*/true);
    if (!fields)
        return error(Kind::Protocol, "bad banner: " + fields.error());
    banner_ = std::move(*fields);
    return std::nullopt;
}

DeviceResult<std::string> DeviceClient::command(std::string_view line) {
    return command(line, options_.reply_timeout);
}

DeviceResult<std::string> DeviceClient::command(std::string_view line, Millis timeout) {
    if (found_) {
        DeviceError earlier = std::move(*found_);
        found_.reset();
        return earlier;
    }
    if (auto bad = unsendable_reason(line))
        return error(Kind::Protocol, "will not send " + quote_for_message(line) + ": " + *bad);
    if (!connected_)
        return error(Kind::Transport,
                     lost_cause_.empty() ? "not connected" : "not connected (" + lost_cause_ + ")");
    in_flight_ = line;
    if (auto sent = transport_->write_line(line); !sent)
        return lose(sent.error());
    auto reply = read_reply(timeout);
    if (!reply)
        return reply.error();
    return interpret_reply(std::move(*reply));
}

DeviceResult<std::string> DeviceClient::read_reply(Millis timeout) {
    const auto until = Clock::now() + timeout;
    std::optional<DeviceError> bad_event; // reported once the reply is read, to stay in step
    for (;;) {
        auto line = next_line(timeout, until);
        if (!line) {
            const Kind kind = line.error().kind;
            if (kind == Kind::Timeout || kind == Kind::Cancelled)
                ++owed_replies_;
            return line.error();
        }
        if (is_event(*line)) {
            if (auto bad = queue_event(*line); bad && !bad_event)
                bad_event = std::move(bad);
            continue;
        }
        if (owed_replies_ > 0) {
            --owed_replies_;
            continue;
        }
        if (bad_event)
            return *bad_event;
        return line;
    }
}

DeviceResult<std::string> DeviceClient::interpret_reply(std::string line) const {
    if (line == "OK")
        return std::string();
    if (line.starts_with("OK ")) {
        line.erase(0, 3);
        return line;
    }
    if (line.starts_with("ERR ")) {
        const std::string_view rest = std::string_view(line).substr(4);
        const auto space = rest.find(' ');
        const std::string_view code = rest.substr(0, space);
        if (is_error_code(code)) {
            const std::string_view message =
                space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
            return error(Kind::Refused,
                         quote_for_message(in_flight_) + " refused: " + std::string(code) + " " +
                             std::string(message),
                         std::string(code));
        }
    }
    return error(Kind::Protocol, "unexpected reply " + quote_for_message(line) + " to " +
                                     quote_for_message(in_flight_));
}

DeviceResult<std::string> DeviceClient::next_line(Millis timeout, Clock::time_point until) {
    for (;;) {
        if (cancel_ && cancel_->load())
            return error(Kind::Cancelled, "cancelled while waiting for " + awaited());
        const auto now = Clock::now();
        const bool deadline_first = deadline_ && *deadline_ < until;
        const auto end = deadline_first ? *deadline_ : until;
        if (now >= end)
            return error(Kind::Timeout, deadline_first
                                            ? "deadline passed while waiting for " + awaited()
                                            : "timed out after " + std::to_string(timeout.count()) +
                                                  " ms waiting for " + awaited());
        const Millis slice = std::min(kWaitSlice, std::chrono::ceil<Millis>(end - now));
        auto line = transport_->read_line(slice);
        if (line)
            return std::move(*line);
        switch (line.error().kind) {
        case TransportError::Kind::Timeout:
            continue;
        case TransportError::Kind::LineTooLong:
            return error(Kind::Protocol,
                         "while waiting for " + awaited() + ": " +
                             without_prefix(line.error().message, transport_->describe()));
        default:
            return lose(line.error());
        }
    }
}

std::optional<DeviceError> DeviceClient::queue_event(std::string_view line) {
    auto event = parse_event(line);
    if (!event)
        return error(Kind::Protocol, "malformed event: " + event.error());
    if (events_.size() >= kMaxQueuedEvents) {
        events_.pop_front();
        ++dropped_events_;
    }
    events_.push_back(std::move(*event));
    return std::nullopt;
}

DeviceStatus DeviceClient::subscribe() {
    auto reply = command("SUBSCRIBE");
    if (!reply)
        return reply.error();
    subscribed_ = true;
    return std::monostate{};
}

std::vector<DeviceEvent> DeviceClient::take_events() {
    // Pick up what has already arrived without waiting: events caused by a
    // command on another port of the same device come in on this one.
    in_flight_ = {};
    while (connected_ && !found_) {
        auto line = transport_->read_line(Millis{0});
        if (!line) {
            if (line.error().kind == TransportError::Kind::Timeout)
                break;
            if (line.error().kind == TransportError::Kind::LineTooLong)
                found_ =
                    error(Kind::Protocol, "unsolicited " + without_prefix(line.error().message,
                                                                          transport_->describe()));
            else
                found_ = lose(line.error());
            break;
        }
        if (is_event(*line)) {
            found_ = queue_event(*line);
        } else if (owed_replies_ > 0) {
            --owed_replies_;
        } else {
            found_ = error(Kind::Protocol,
                           "unsolicited line " + quote_for_message(*line) + " between commands");
        }
    }
    std::vector<DeviceEvent> out(std::make_move_iterator(events_.begin()),
                                 std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
}

std::optional<DeviceError> DeviceClient::pause_for(Millis pause) const {
    const auto until = Clock::now() + pause;
    for (;;) {
        if (cancel_ && cancel_->load())
            return error(Kind::Cancelled, "cancelled while waiting to reconnect");
        const auto now = Clock::now();
        if (deadline_ && now >= *deadline_)
            return error(Kind::Timeout, "deadline passed while waiting to reconnect");
        if (now >= until)
            return std::nullopt;
        std::this_thread::sleep_for(std::min(kWaitSlice, std::chrono::ceil<Millis>(until - now)));
    }
}

DeviceStatus DeviceClient::reconnect() {
    const bool resubscribe = subscribed_;
    const int attempts = std::max(1, options_.reconnect_attempts);
    Millis backoff = options_.reconnect_backoff;
    DeviceError last;
    int tried = 0;
    while (tried < attempts) {
        if (tried > 0) {
            if (auto stop = pause_for(backoff))
                return *stop;
            backoff *= 2;
        }
        ++tried;
        DeviceStatus st = connect();
        if (st && resubscribe)
            st = subscribe();
        if (st)
            return st;
        last = st.error();
        // Retrying cannot change the device's version, nor the operator's mind.
        if (last.kind == Kind::VersionMismatch || last.kind == Kind::Cancelled)
            break;
    }
    subscribed_ = resubscribe; // still wanted by the next reconnect
    last.message += " (reconnect gave up after " + std::to_string(tried) +
                    (tried == 1 ? " attempt)" : " attempts)");
    return last;
}

} // namespace bwc::bench
