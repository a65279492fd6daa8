// One camera on a virtual clock with its stand-in hardware (cell, storage,
// and optionally a caller's modem and Wi-Fi chip), driven discrete-event: time
// jumps from one due event to the next, so hours and weeks of camera life run
// in milliseconds and button timing is exact.
// Used by the demo, the benchmarks and the unit tests.
#pragma once

#include "firmware/core/camera.hpp"
#include "firmware/core/snapshot.hpp"
#include "firmware/host/sim_cell.hpp"
#include "firmware/host/sim_storage.hpp"
#include "firmware/host/virtual_clock.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace bwc::host {

struct SimCameraOptions {
    fw::Model model = fw::Model::W120;
    fw::Identity identity{.serial = "SIM0001", .hardware_revision = "A", .imei = "", .mac = ""};
    /// Start as a camera already added to a system with a user assigned
    /// (false: a new camera in shipping mode).
    bool provisioned = true;
    std::string user = "Officer Demo";
    /// The profile in the camera's flash at start, Wi-Fi networks (wifi_networks), APN and SIM
    /// PIN included.
    fw::Profile profile;
    double battery_soc_percent = 100.0;
    fw::DeciCelsius temperature_dc = 250;
    /// Recording storage; unset means the model table's fitted size.
    std::optional<std::int64_t> storage_bytes;
    /// Undocked this long before the run starts (for lock / certificate).
    Millis undocked_for = fw::hours(1);
    /// Radio hardware, owned by the caller and outliving the SimCamera; a null pointer means
    /// "not fitted" (the default: no modem, no Wi-Fi chip).
    fw::RadioPorts radios{};
    /// The modem's answers. ModemPort::send() must not call back into the camera, so a modem
    /// queues what it answers; after every timer run SimCamera calls this until it returns
    /// nothing and hands each answer to Camera::modem_bytes(). Unset: nothing is delivered.
    std::function<std::optional<std::string>()> modem_replies;
};

class SimCamera {
public:
    explicit SimCamera(SimCameraOptions options = {});

    fw::Camera& camera() { return *camera_; }
    SimCell& cell() { return cell_; }
    SimStorage& storage() { return storage_; }
    Millis now() const { return clock_.now(); }

    /// Run every event due up to `t` (inclusive), then stop at `t`.
    void run_until(Millis t);
    void run_for(Millis d) { run_until(clock_.now() + d); }

    /// Press `button` for exactly `held`, then release.
    void press(fw::Button button, Millis held);
    /// Two presses of `held` whose releases are `gap_between_releases` apart.
    void double_press(fw::Button button, Millis held, Millis gap_between_releases);

    void dock(bool vbus = true);
    void undock();
    /// A docked camera's controller: linked, camera added, this user.
    void link_controller(std::optional<std::string> user);

    /// Run until `pred(snapshot)` holds or `limit` passes; true if it held.
    template <class Pred>
    bool run_until_state(Pred pred, Millis limit, Millis step = Millis{1000}) {
        const Millis end = clock_.now() + limit;
        while (clock_.now() < end) {
            if (pred(snapshot()))
                return true;
            run_until(std::min(end, clock_.now() + step));
        }
        return pred(snapshot());
    }

    fw::Snapshot snapshot();

private:
    /// Hand the modem's queued answers to the camera (options_.modem_replies).
    void deliver_modem_replies();

    SimCameraOptions options_;
    VirtualClock clock_;
    SimCell cell_;
    SimStorage storage_;
    std::unique_ptr<fw::Camera> camera_;
};

} // namespace bwc::host
