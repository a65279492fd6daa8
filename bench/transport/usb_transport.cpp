// USB discovery over libusb (see usb_transport.hpp for why there is no bulk
// I/O). Each call uses its own libusb context, so nothing global is shared.
#include "bench/transport/usb_transport.hpp"

#include <libusb.h>

namespace bwc::bench {

namespace {

using K = TransportError::Kind;

std::string usb_error(int rc) {
    return libusb_strerror(static_cast<libusb_error>(rc));
}

std::string read_string(libusb_device_handle* handle, std::uint8_t index) {
    if (handle == nullptr || index == 0) {
        return {};
    }
    unsigned char buf[256];
    const int n = libusb_get_string_descriptor_ascii(handle, index, buf, sizeof buf);
    if (n <= 0) {
        return {};
    }
    return std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

} // namespace

Result<std::vector<UsbDeviceInfo>> list_usb_devices() {
    libusb_context* ctx = nullptr;
    if (const int rc = libusb_init(&ctx); rc != 0) {
        return "cannot initialise libusb: " + usb_error(rc);
    }
    libusb_device** devices = nullptr;
    const ssize_t count = libusb_get_device_list(ctx, &devices);
    if (count < 0) {
        libusb_exit(ctx);
        return "cannot list USB devices: " + usb_error(static_cast<int>(count));
    }
    std::vector<UsbDeviceInfo> out;
    for (ssize_t i = 0; i < count; ++i) {
        libusb_device* dev = devices[i];
        libusb_device_descriptor desc{};
        if (libusb_get_device_descriptor(dev, &desc) != 0) {
            continue;
        }
        UsbDeviceInfo info;
        info.bus = libusb_get_bus_number(dev);
        info.address = libusb_get_device_address(dev);
        info.vid = desc.idVendor;
        info.pid = desc.idProduct;
        libusb_device_handle* handle = nullptr;
        // Without permission the strings stay empty; the ids still identify it.
        if (libusb_open(dev, &handle) == 0) {
            info.manufacturer = read_string(handle, desc.iManufacturer);
            info.product = read_string(handle, desc.iProduct);
            info.serial = read_string(handle, desc.iSerialNumber);
            libusb_close(handle);
        }
        out.push_back(std::move(info));
    }
    libusb_free_device_list(devices, 1);
    libusb_exit(ctx);
    return out;
}

UsbTransport::UsbTransport(std::uint16_t vid, std::uint16_t pid, std::optional<std::string> serial)
    : vid_(vid), pid_(pid), serial_(std::move(serial)) {}

std::string UsbTransport::describe() const {
    Uri uri;
    uri.scheme = Scheme::Usb;
    uri.vid = vid_;
    uri.pid = pid_;
    if (serial_) {
        uri.query.emplace_back("serial", *serial_);
    }
    return uri.to_string();
}

Result<UsbDeviceInfo, TransportError> UsbTransport::find() const {
    auto devices = list_usb_devices();
    if (!devices) {
        return error(K::Io, devices.error());
    }
    std::vector<UsbDeviceInfo> matches;
    for (const auto& d : *devices) {
        if (d.vid == vid_ && d.pid == pid_ && (!serial_ || d.serial == *serial_)) {
            matches.push_back(d);
        }
    }
    if (matches.empty()) {
        return error(K::NotFound, serial_ ? "no device with this VID:PID and serial number"
                                          : "no device with this VID:PID");
    }
    if (matches.size() > 1) {
        return error(K::InvalidArgument,
                     std::to_string(matches.size()) + " devices match; add ?serial= to choose one");
    }
    return matches.front();
}

Status UsbTransport::open() {
    auto found = find();
    if (!found) {
        return found.error();
    }
    return error(K::NotSupported, "found at bus " + std::to_string(found->bus) + " address " +
                                      std::to_string(found->address) +
                                      "; line I/O over usb:// is not supported, use serial://");
}

Status UsbTransport::write_line(std::string_view) {
    return error(K::NotSupported, "line I/O over usb:// is not supported, use serial://");
}

Result<std::string, TransportError> UsbTransport::read_line(Millis) {
    return error(K::NotSupported, "line I/O over usb:// is not supported, use serial://");
}

} // namespace bwc::bench
