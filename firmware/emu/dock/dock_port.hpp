// The dock port (`BWC-DOCK 1`) of an emulated docking station, and the glue
// bwc-emu uses to create docks from `--dock` and `--fault` options and list
// them in its ports file. Framing, handshake, PING and TIME mirror the camera
// ports (port_handler.cpp); the dock's commands are in dock_port.cpp.
#pragma once

#include "firmware/core/json_writer.hpp"
#include "firmware/emu/camera_ports.hpp"
#include "firmware/emu/command_line.hpp"
#include "firmware/emu/dock/emu_dock.hpp"
#include "firmware/emu/line_server.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace bwc::emu {

/// The dock's port: handshake, PING and TIME from PortHandler (TIME moves
/// every bay's camera with the dock), the dock's own commands here.
class DockPort final : public PortHandler {
public:
    DockPort(LineServer& server, EmuDock& dock);

private:
    Parsed<std::string> command(ClientId client, const CommandLine& cmd) override;
    Parsed<std::string> bays_json();
    Parsed<int> bay_word(const CommandLine& cmd, std::string_view verb);

    EmuDock& dock_;
};

struct RunningDock {
    std::unique_ptr<EmuDock> dock;
    std::unique_ptr<DockPort> port;
    std::uint16_t port_number = 0;
};

/// A `--fault [TARGET:]NAME` whose NAME is a dock fault (starts "dock.").
inline bool is_dock_fault(std::string_view name) {
    return name.rfind("dock.", 0) == 0;
}

struct DockFaultArg {
    std::string target; // "" every dock, "D1" one dock, "D1/3" one bay, "SN1" the bay holding SN1
    std::string name;   // with value
};

/// Create the docks of `specs` (each "model=…,serial=…,bays=…") with their
/// cameras looked up by serial among `cameras`, apply `faults`, and listen on
/// port_base + 10·(cameras.size() + j) (0: any free port). The error names
/// the offending option.
fw::Result<std::vector<RunningDock>> start_docks(const std::vector<std::string>& specs,
                                                 const std::vector<DockFaultArg>& faults,
                                                 const std::vector<EmuCamera*>& cameras,
                                                 LineServer& server, int port_base,
                                                 const std::string& bind, ClockMode mode);

/// The ports file's "docks" array: [{"serial","model","port","bays":[…]}].
void write_docks_json(fw::JsonWriter& w, const std::vector<RunningDock>& docks);

} // namespace bwc::emu
