// What the shared port logic (banner, HELLO, PING, TIME — PortHandler in
// camera_ports.hpp) needs of the device behind a port: who it is, and its
// clock. An emulated camera and an emulated dock both provide it.
#pragma once

#include "firmware/emu/emu_clock.hpp"

#include <string>

namespace bwc::emu {

class PortDevice {
public:
    virtual ~PortDevice() = default;
    /// "model=W120 serial=SN1": the banner's fields after the protocol name.
    virtual std::string banner_fields() const = 0;
    virtual EmuClock& clock() = 0;
    /// Run every due event up to `t` (virtual time), each at its own time.
    virtual void run_until(Millis t) = 0;
    /// Sends the events recorded so far to their subscribers. Called before
    /// every reply, so the events a command caused (a TIME ADVANCE, a button
    /// pressed) reach a client before that command's OK (PROTOCOL.md).
    virtual void flush_events() {}
};

} // namespace bwc::emu
