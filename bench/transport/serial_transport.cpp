// Serial transport over libserialport (see serial_transport.hpp).
#include "bench/transport/serial_transport.hpp"

#include <cerrno>
#include <cstring>
#include <libserialport.h>
#include <sys/stat.h>

namespace bwc::bench {

namespace {

using K = TransportError::Kind;
using Clock = std::chrono::steady_clock;

// libserialport's message for the last failure: the OS error text for
// SP_ERR_FAIL, a fixed text for the other codes (which set no errno).
std::string sp_message(sp_return rc) {
    switch (rc) {
    case SP_ERR_ARG:
        return "invalid argument";
    case SP_ERR_MEM:
        return "out of memory";
    case SP_ERR_SUPP:
        return "not supported by this port";
    case SP_ERR_FAIL: {
        char* text = sp_last_error_message();
        std::string out = text != nullptr ? text : "unknown error";
        sp_free_error_message(text);
        return out;
    }
    case SP_OK:
        break;
    }
    return "ok";
}

} // namespace

SerialTransport::SerialTransport(std::string path, int baud)
    : path_(std::move(path)), baud_(baud) {}

SerialTransport::~SerialTransport() {
    close();
}

std::string SerialTransport::describe() const {
    return "serial://" + path_ + "?baud=" + std::to_string(baud_);
}

Status SerialTransport::open() {
    close();
    // Checked before touching the device, so a typo never half-opens a port.
    if (!is_standard_baud(baud_)) {
        return error(K::InvalidArgument, "baud " + std::to_string(baud_) +
                                             " is not a standard rate (e.g. 9600, 115200)");
    }
    sp_port* port = nullptr;
    if (const sp_return rc = sp_get_port_by_name(path_.c_str(), &port); rc != SP_OK) {
        // libserialport says only "invalid argument"; stat() tells a missing
        // path from a file that exists but is not a serial port (/dev/null).
        struct stat st {};
        if (rc == SP_ERR_ARG && ::stat(path_.c_str(), &st) != 0) {
            return error(K::NotFound, std::string("no such device: ") + std::strerror(errno));
        }
        if (rc == SP_ERR_ARG) {
            return error(K::InvalidArgument, "exists but is not a serial port");
        }
        return error(K::Io, "cannot look up port: " + sp_message(rc));
    }
    if (const sp_return rc = sp_open(port, SP_MODE_READ_WRITE); rc != SP_OK) {
        const std::string why = sp_message(rc);
        sp_free_port(port);
        return error(K::Io, "cannot open: " + why);
    }
    const auto configure = [&]() -> std::optional<std::string> {
        if (const sp_return rc = sp_set_baudrate(port, baud_); rc != SP_OK) {
            return "cannot set baud: " + sp_message(rc);
        }
        if (const sp_return rc = sp_set_bits(port, 8); rc != SP_OK) {
            return "cannot set 8 data bits: " + sp_message(rc);
        }
        if (const sp_return rc = sp_set_parity(port, SP_PARITY_NONE); rc != SP_OK) {
            return "cannot set parity none: " + sp_message(rc);
        }
        if (const sp_return rc = sp_set_stopbits(port, 1); rc != SP_OK) {
            return "cannot set 1 stop bit: " + sp_message(rc);
        }
        if (const sp_return rc = sp_set_flowcontrol(port, SP_FLOWCONTROL_NONE); rc != SP_OK) {
            return "cannot disable flow control: " + sp_message(rc);
        }
        return std::nullopt;
    };
    if (auto why = configure()) {
        sp_close(port);
        sp_free_port(port);
        return error(K::Io, *why);
    }
    port_ = port;
    return ok_status();
}

void SerialTransport::close() {
    if (port_ != nullptr) {
        sp_close(port_);
        sp_free_port(port_);
        port_ = nullptr;
    }
    framer_.clear();
}

Status SerialTransport::write_line(std::string_view line) {
    if (port_ == nullptr) {
        return error(K::Closed, "not open");
    }
    if (line.find('\n') != std::string_view::npos) {
        return error(K::InvalidArgument, "line to send contains a newline");
    }
    std::string bytes(line);
    bytes += '\n';
    const int n = sp_blocking_write(port_, bytes.data(), bytes.size(), 5000);
    if (n < 0) {
        return error(K::Io, "write: " + sp_message(static_cast<sp_return>(n)));
    }
    if (static_cast<std::size_t>(n) != bytes.size()) {
        return error(K::Timeout, "write timed out after " + std::to_string(n) + " of " +
                                     std::to_string(bytes.size()) + " bytes");
    }
    return ok_status();
}

Result<std::string, TransportError> SerialTransport::read_line(Millis timeout) {
    if (port_ == nullptr) {
        return error(K::Closed, "not open");
    }
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (auto line = framer_.next(describe())) {
            return std::move(*line);
        }
        const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
        if (left <= 0) {
            return error(K::Timeout, "no line within " + std::to_string(timeout.count()) + " ms");
        }
        char buf[1024];
        // Returns as soon as any bytes arrive, 0 on timeout.
        const int n = sp_blocking_read_next(port_, buf, sizeof buf, static_cast<unsigned>(left));
        if (n < 0) {
            return error(K::Io, "read: " + sp_message(static_cast<sp_return>(n)));
        }
        framer_.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    }
}

Result<std::vector<SerialPortInfo>> list_serial_ports() {
    sp_port** ports = nullptr;
    if (const sp_return rc = sp_list_ports(&ports); rc != SP_OK) {
        return "cannot list serial ports: " + sp_message(rc);
    }
    std::vector<SerialPortInfo> out;
    for (sp_port** p = ports; *p != nullptr; ++p) {
        SerialPortInfo info;
        const char* name = sp_get_port_name(*p);
        const char* description = sp_get_port_description(*p);
        info.name = name != nullptr ? name : "";
        info.description = description != nullptr ? description : "";
        switch (sp_get_port_transport(*p)) {
        case SP_TRANSPORT_USB: {
            info.transport = "usb";
            int vid = 0;
            int pid = 0;
            if (sp_get_port_usb_vid_pid(*p, &vid, &pid) == SP_OK) {
                info.usb_vid = vid;
                info.usb_pid = pid;
            }
            const char* serial = sp_get_port_usb_serial(*p);
            info.usb_serial = serial != nullptr ? serial : "";
            break;
        }
        case SP_TRANSPORT_BLUETOOTH:
            info.transport = "bluetooth";
            break;
        case SP_TRANSPORT_NATIVE:
            info.transport = "native";
            break;
        }
        out.push_back(std::move(info));
    }
    sp_free_port_list(ports);
    return out;
}

} // namespace bwc::bench
