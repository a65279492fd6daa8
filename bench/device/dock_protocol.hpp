// Typed calls of the dock port (firmware/PROTOCOL.md "Dock port"), free
// functions over a connected BWC-DOCK DeviceClient. Replies are validated
// field by field; a missing or mistyped field is a Protocol error naming the
// dock, the bay and the field, quoting what it sent.
#pragma once

#include "bench/device/device_client.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bwc::bench {

/// IDENTIFY: model and serial never empty, at least one bay.
struct DockIdentity {
    std::string model, serial;
    int bays = 0;
};
DeviceResult<DockIdentity> identify_dock(DeviceClient& dock);

/// One element of BAYS.
struct BayStatus {
    int bay = 0;                       // 1-based
    std::optional<std::string> serial; // the seated camera, if any
    bool present = false;
    int vbus_mv = 0;
    int charge_ma = 0;
    bool link = false;
    /// Contact resistance per pogo pin (vbus, gnd, dp, dm, id), in the device's order.
    std::vector<std::pair<std::string, int>> pins_mohm;
};
/// BAYS: every bay, numbers unique and positive.
DeviceResult<std::vector<BayStatus>> read_bays(DeviceClient& dock);

} // namespace bwc::bench
