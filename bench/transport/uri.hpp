// Device URIs of station files (ARCHITECTURE.md principle 1) parsed into a
// typed value: serial:///dev/ttyACM0?baud=115200, tcp://host:port and
// usb://VID:PID?serial=…; plus the small Result type the bench returns errors
// in. Bad URIs are errors naming the URI and the exact problem, never a throw.
#pragma once

#include "firmware/core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace bwc::bench {

/// A value or an error naming what went wrong (the project's one Result).
template <class T, class E = std::string>
using Result = fw::Result<T, E>;

enum class Scheme { Serial, Tcp, Usb };

/// "serial", "tcp" or "usb".
std::string_view scheme_name(Scheme scheme);

/// A parsed device URI. Only the fields of its scheme are meaningful.
struct Uri {
    Scheme scheme = Scheme::Tcp;
    std::string path;                      // serial: absolute device path, e.g. /dev/ttyACM0
    std::string host;                      // tcp: host name or address (IPv6 without brackets)
    std::uint16_t port = 0;                // tcp: 1..65535
    std::uint16_t vid = 0;                 // usb
    std::uint16_t pid = 0;                 // usb
    std::optional<int> baud;               // serial: ?baud=, a standard rate
    std::optional<std::string> usb_serial; // usb: ?serial=, the iSerial string
    /// Query parameters as written, in order (all known and validated).
    std::vector<std::pair<std::string, std::string>> query;

    /// The serial rate to use: ?baud= or 115200, the cameras' diag port rate.
    int effective_baud() const { return baud.value_or(kDefaultBaud); }
    /// Canonical text; parse_uri(to_string()) gives an equal Uri.
    std::string to_string() const;
    bool operator==(const Uri&) const = default;

    static constexpr int kDefaultBaud = 115200;
};

/// Parses a device URI. Errors read `bad URI "<uri>": <problem>`.
Result<Uri> parse_uri(std::string_view text);

/// True for the rates serial:// accepts (1200 … 4000000).
bool is_standard_baud(long baud);

} // namespace bwc::bench
