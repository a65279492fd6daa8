// usb://VID:PID?serial=… — USB discovery through libusb: enumerate, match
// VID:PID and the iSerial string, read descriptors; and list_usb_devices() for
// `bench devices`.
//
// Bulk I/O is NOT supported: open() finds the device (or says why not) and
// then returns TransportError::Kind::NotSupported, and read/write report the
// same. A real camera's diag port is its USB CDC-ACM serial interface, which
// the kernel already exposes as /dev/ttyACM*; reach it through serial://.
#pragma once

#include "bench/transport/transport.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bwc::bench {

struct UsbDeviceInfo {
    int bus = 0;
    int address = 0;
    std::uint16_t vid = 0;
    std::uint16_t pid = 0;
    // Empty when the device has no such string or it cannot be read (the
    // device cannot be opened without permission; not an error for listing).
    std::string manufacturer;
    std::string product;
    std::string serial;
};

/// Every USB device libusb sees, or why libusb could not enumerate (for
/// example no /dev/bus/usb in a container).
Result<std::vector<UsbDeviceInfo>> list_usb_devices();

class UsbTransport final : public Transport {
public:
    UsbTransport(std::uint16_t vid, std::uint16_t pid, std::optional<std::string> serial);

    /// NotFound / Io when no device matches; NotSupported once it is found.
    Status open() override;
    Status write_line(std::string_view line) override;
    Result<std::string, TransportError> read_line(Millis timeout) override;
    void close() override {}
    std::string describe() const override;

    /// The matching device, if exactly one is present (for `bench devices`).
    Result<UsbDeviceInfo, TransportError> find() const;

private:
    std::uint16_t vid_;
    std::uint16_t pid_;
    std::optional<std::string> serial_;
};

} // namespace bwc::bench
