// serial:///dev/ttyACM0?baud=115200 — a camera's USB serial diag port through
// libserialport (8N1, no flow control), and list_serial_ports() for
// `bench devices`. Errors carry libserialport's own message (the OS error
// text). Debian's libserialport 0.1.1 cannot open pseudo-terminals, so this
// transport is tested on its error paths; emulators are reached over tcp://.
#pragma once

#include "bench/transport/transport.hpp"

#include <optional>
#include <string>
#include <vector>

struct sp_port;

namespace bwc::bench {

class SerialTransport final : public Transport {
public:
    SerialTransport(std::string path, int baud);
    ~SerialTransport() override;

    Status open() override;
    Status write_line(std::string_view line) override;
    Result<std::string, TransportError> read_line(Millis timeout) override;
    void close() override;
    std::string describe() const override;

private:
    std::string path_;
    int baud_;
    sp_port* port_ = nullptr;
    LineFramer framer_;
};

struct SerialPortInfo {
    std::string name;        // /dev/ttyACM0
    std::string description; // libserialport's description (product string)
    std::string transport;   // "native", "usb", "bluetooth"
    std::optional<int> usb_vid;
    std::optional<int> usb_pid;
    std::string usb_serial; // empty when not USB or unreadable
};

/// Serial ports libserialport sees, or its error message.
Result<std::vector<SerialPortInfo>> list_serial_ports();

} // namespace bwc::bench
