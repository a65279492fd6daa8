// The TCP services of one emulated camera (firmware/PROTOCOL.md): the diag
// port (what a real camera's factory USB serial port answers), the physical
// port (what fixtures do to the device) and the raw NMEA port. Each handles
// the handshake, PING and TIME the same way (PortHandler) and adds its own
// commands.
#pragma once

#include "firmware/emu/command_line.hpp"
#include "firmware/emu/emu_camera.hpp"
#include "firmware/emu/line_server.hpp"

#include <map>
#include <set>
#include <string>

namespace bwc::emu {

inline constexpr int kProtocolVersion = 1;

class PortHandler : public LineHandler {
public:
    PortHandler(LineServer& server, PortDevice& device, std::string protocol);
    void on_connect(ClientId client) override;
    void on_line(ClientId client, std::string_view line, LineProblem problem) override;
    void on_disconnect(ClientId client) override;

protected:
    /// The port's own commands: an OK payload ("" for a bare OK) or an error.
    virtual Parsed<std::string> command(ClientId client, const CommandLine& cmd) = 0;
    virtual void forget(ClientId) {}
    /// A port may take some lines verbatim (the diag port's AT passthrough,
    /// where quotes belong to the modem); nullopt means "parse it".
    virtual std::optional<Parsed<std::string>> raw_line(ClientId, std::string_view) {
        return std::nullopt;
    }

    LineServer& server_;
    PortDevice& device_;

private:
    Parsed<std::string> time_command(const CommandLine& cmd);
    std::string protocol_;
    std::set<ClientId> greeted_;
};

class DiagPort final : public PortHandler {
public:
    DiagPort(LineServer& server, EmuCamera& camera);
    /// Send the camera's new events to subscribed clients.
    void publish(const std::vector<fw::Event>& events);

private:
    Parsed<std::string> command(ClientId client, const CommandLine& cmd) override;
    Parsed<std::string> wifi_command(const CommandLine& cmd);
    std::optional<Parsed<std::string>> raw_line(ClientId client, std::string_view line) override;
    std::string_view spec_name() const;
    void forget(ClientId client) override { subscribers_.erase(client); }
    EmuCamera& camera_;
    std::set<ClientId> subscribers_;
};

class PhysicalPort final : public PortHandler {
public:
    PhysicalPort(LineServer& server, EmuCamera& camera);

private:
    Parsed<std::string> command(ClientId client, const CommandLine& cmd) override;
    Parsed<std::string> gnss_command(const CommandLine& cmd);
    Parsed<std::string> rf_command(const CommandLine& cmd);
    Parsed<std::string> sim_command(const CommandLine& cmd);
    Parsed<std::string> face_command(const CommandLine& cmd);
    Parsed<std::string> supply_command(const CommandLine& cmd);
    EmuCamera& camera_;
};

/// Read-only: broadcasts the GNSS receiver's NMEA bytes to every client.
class NmeaPort final : public LineHandler {
public:
    explicit NmeaPort(LineServer& server) : server_(server) {}
    void on_connect(ClientId client) override { clients_.insert(client); }
    void on_line(ClientId, std::string_view, LineProblem) override {}
    void on_disconnect(ClientId client) override { clients_.erase(client); }
    void broadcast(std::string_view bytes);

private:
    LineServer& server_;
    std::set<ClientId> clients_;
};

} // namespace bwc::emu
