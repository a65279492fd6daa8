// Device URI parsing and printing (see uri.hpp). Each check names the part of
// the URI it rejects, so a station file error points at the exact mistake.
#include "bench/transport/uri.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace bwc::bench {

namespace {

// The termios rates Linux supports that serial adapters actually use.
constexpr std::array<long, 17> kStandardBauds{1200,   2400,    4800,    9600,    19200,  38400,
                                              57600,  115200,  230400,  460800,  500000, 576000,
                                              921600, 1000000, 2000000, 3000000, 4000000};

std::string quoted(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

std::string fail(std::string_view uri, const std::string& problem) {
    return "bad URI " + quoted(uri) + ": " + problem;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

// Exactly four hex digits, as lsusb prints them.
std::optional<std::uint16_t> parse_hex4(std::string_view s) {
    if (s.size() != 4 || !std::all_of(s.begin(), s.end(), [](char c) {
            return std::isxdigit(static_cast<unsigned char>(c)) != 0;
        })) {
        return std::nullopt;
    }
    std::uint16_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v, 16);
    return v;
}

// Which query keys each scheme understands; anything else is a typo to report.
std::vector<std::string_view> known_keys(Scheme scheme) {
    switch (scheme) {
    case Scheme::Serial:
        return {"baud"};
    case Scheme::Usb:
        return {"serial"};
    case Scheme::Tcp:
        break;
    }
    return {};
}

std::string key_list(const std::vector<std::string_view>& keys) {
    if (keys.empty()) {
        return "takes no query parameters";
    }
    std::string out = "known:";
    for (auto k : keys) {
        out += " " + std::string(k);
    }
    return out;
}

std::optional<std::string> parse_query(std::string_view uri, Scheme scheme, std::string_view text,
                                       Uri& out) {
    const auto keys = known_keys(scheme);
    while (!text.empty()) {
        const auto amp = text.find('&');
        const std::string_view item = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            return fail(uri, "query item " + quoted(item) + " is not key=value");
        }
        const std::string key(item.substr(0, eq));
        const std::string value(item.substr(eq + 1));
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            return fail(uri, "unknown query key " + quoted(key) + " for " +
                                 std::string(scheme_name(scheme)) + ":// (" + key_list(keys) + ")");
        }
        for (const auto& [k, v] : out.query) {
            if (k == key) {
                return fail(uri, "query key " + quoted(key) + " given twice");
            }
        }
        if (value.empty()) {
            return fail(uri, "query key " + quoted(key) + " has an empty value");
        }
        if (key == "baud") {
            if (!all_digits(value) || value.size() > 9) {
                return fail(uri, "baud " + quoted(value) + " is not a number");
            }
            const long baud = std::stol(value);
            if (!is_standard_baud(baud)) {
                return fail(uri, "baud " + value +
                                     " is not a standard rate (e.g. 9600, 115200, 921600)");
            }
            out.baud = static_cast<int>(baud);
        } else if (key == "serial") {
            out.usb_serial = value;
        }
        out.query.emplace_back(key, value);
    }
    return std::nullopt;
}

std::optional<std::string> parse_tcp(std::string_view uri, std::string_view rest, Uri& out) {
    if (rest.empty()) {
        return fail(uri, "missing host (expected tcp://host:port)");
    }
    std::string_view host;
    std::string_view after;
    if (rest.front() == '[') { // [IPv6]:port
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return fail(uri, "unterminated [ in IPv6 host");
        }
        host = rest.substr(1, close - 1);
        after = rest.substr(close + 1);
    } else {
        const auto colon = rest.find(':');
        host = rest.substr(0, colon);
        after = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon);
    }
    if (host.empty()) {
        return fail(uri, "missing host (expected tcp://host:port)");
    }
    if (after.empty()) {
        return fail(uri, "missing port (expected tcp://host:port)");
    }
    if (after.front() != ':') {
        return fail(uri, "unexpected " + quoted(after) + " after host");
    }
    std::string_view port = after.substr(1);
    if (const auto slash = port.find('/'); slash != std::string_view::npos) {
        return fail(uri, "unexpected path " + quoted(port.substr(slash)) + " after port");
    }
    if (port.empty()) {
        return fail(uri, "missing port (expected tcp://host:port)");
    }
    if (!all_digits(port)) {
        return fail(uri, "port " + quoted(port) + " is not a number");
    }
    if (port.size() > 5 || std::stol(std::string(port)) < 1 ||
        std::stol(std::string(port)) > 65535) {
        return fail(uri, "port " + std::string(port) + " is out of range 1-65535");
    }
    out.host = std::string(host);
    out.port = static_cast<std::uint16_t>(std::stol(std::string(port)));
    return std::nullopt;
}

std::optional<std::string> parse_serial(std::string_view uri, std::string_view rest, Uri& out) {
    if (rest.empty()) {
        return fail(uri, "missing device path (expected serial:///dev/ttyACM0)");
    }
    if (rest.front() != '/') {
        return fail(uri, "device path " + quoted(rest) +
                             " is not absolute (expected serial:///dev/…, three slashes)");
    }
    out.path = std::string(rest);
    return std::nullopt;
}

std::optional<std::string> parse_usb(std::string_view uri, std::string_view rest, Uri& out) {
    if (rest.empty()) {
        return fail(uri, "missing VID:PID (expected usb://1a2b:3c4d)");
    }
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) {
        return fail(uri, "missing PID in " + quoted(rest) + " (expected VID:PID, e.g. 1a2b:3c4d)");
    }
    const auto vid = parse_hex4(rest.substr(0, colon));
    if (!vid) {
        return fail(uri, "VID " + quoted(rest.substr(0, colon)) + " is not 4 hex digits");
    }
    const auto pid = parse_hex4(rest.substr(colon + 1));
    if (!pid) {
        return fail(uri, "PID " + quoted(rest.substr(colon + 1)) + " is not 4 hex digits");
    }
    out.vid = *vid;
    out.pid = *pid;
    return std::nullopt;
}

} // namespace

std::string_view scheme_name(Scheme scheme) {
    switch (scheme) {
    case Scheme::Serial:
        return "serial";
    case Scheme::Tcp:
        return "tcp";
    case Scheme::Usb:
        return "usb";
    }
    return "?";
}

bool is_standard_baud(long baud) {
    return std::find(kStandardBauds.begin(), kStandardBauds.end(), baud) != kStandardBauds.end();
}

Result<Uri> parse_uri(std::string_view text) {
    if (text.empty()) {
        return fail(text, "empty");
    }
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) {
        return fail(text, "no scheme (expected serial://, tcp:// or usb://)");
    }
    const std::string_view scheme = text.substr(0, sep);
    Uri out;
    if (scheme == "serial") {
        out.scheme = Scheme::Serial;
    } else if (scheme == "tcp") {
        out.scheme = Scheme::Tcp;
    } else if (scheme == "usb") {
        out.scheme = Scheme::Usb;
    } else {
        return fail(text, "unknown scheme " + quoted(scheme) + " (expected serial, tcp or usb)");
    }
    std::string_view rest = text.substr(sep + 3);
    std::string_view query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
        if (query.empty()) {
            return fail(text, "empty query after ?");
        }
    }
    std::optional<std::string> error;
    switch (out.scheme) {
    case Scheme::Serial:
        error = parse_serial(text, rest, out);
        break;
    case Scheme::Tcp:
        error = parse_tcp(text, rest, out);
        break;
    case Scheme::Usb:
        error = parse_usb(text, rest, out);
        break;
    }
    if (!error) {
        error = parse_query(text, out.scheme, query, out);
    }
    if (error) {
        return *error;
    }
    return out;
}

std::string Uri::to_string() const {
    std::string out(scheme_name(scheme));
    out += "://";
    switch (scheme) {
    case Scheme::Serial:
        out += path;
        break;
    case Scheme::Tcp:
        out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
        out += ":" + std::to_string(port);
        break;
    case Scheme::Usb: {
        char ids[16];
        std::snprintf(ids, sizeof ids, "%04x:%04x", vid, pid);
        out += ids;
        break;
    }
    }
    char sep = '?';
    for (const auto& [k, v] : query) {
        out += sep + k + "=" + v;
        sep = '&';
    }
    return out;
}

} // namespace bwc::bench
