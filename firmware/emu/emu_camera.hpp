// One emulated camera: the reference firmware core on its own bay clock,
// the physical stand-ins around it (battery cell and charger, storage, and
// the radio models), the faults injected into it, and the scheduled physical
// actions (a PRESS releases later). The diag and physical ports
// (diag_port.cpp, physical_port.cpp) drive it; emu_main.cpp owns the loop.
#pragma once

#include "firmware/core/camera.hpp"
#include "firmware/core/snapshot.hpp"
#include "firmware/emu/emu_clock.hpp"
#include "firmware/emu/face/face_renderer.hpp"
#include "firmware/emu/faults.hpp"
#include "firmware/emu/models/gnss_receiver.hpp"
#include "firmware/emu/models/modem.hpp"
#include "firmware/emu/models/wifi_radio.hpp"
#include "firmware/emu/port_device.hpp"
#include "firmware/host/sim_cell.hpp"
#include "firmware/host/sim_storage.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bwc::emu {

struct CameraConfig {
    fw::Model model = fw::Model::W120;
    fw::Identity identity;
    /// Already added to a system with a user (false: new, in shipping mode).
    bool provisioned = true;
    std::string user = "Officer Emu";
    double battery_soc_percent = 80.0;
    double temperature_c = 25.0;
    FaultSet faults;
};

/// Parse "model=w120,serial=SN1,imei=…,mac=…,user=…,soc=…,provisioned=0|1".
fw::Result<CameraConfig> parse_camera_config(std::string_view text);

class EmuCamera final : public PortDevice {
public:
    EmuCamera(CameraConfig config, ClockMode mode);
    ~EmuCamera() override;

    const CameraConfig& config() const { return config_; }
    fw::Camera& firmware() { return *camera_; }
    host::SimCell& cell() { return *cell_; }
    host::SimStorage& storage() { return *storage_; }
    /// Null when the model has no such radio.
    ModemModel* modem() { return modem_.get(); }
    WifiRadioModel* wifi() { return wifi_.get(); }
    GnssReceiverModel* gnss() { return gnss_.get(); }
    /// Where the GNSS receiver's raw NMEA goes besides the firmware (the NMEA port).
    void set_nmea_sink(std::function<void(std::string_view)> sink) { nmea_sink_ = std::move(sink); }
    EmuClock& clock() override { return clock_; }
    std::string banner_fields() const override;
    const FaultSet& faults() const { return config_.faults; }

    // --- time ---------------------------------------------------------------
    Millis now() const { return clock_.now(); }
    std::optional<Millis> next_deadline() const;
    /// Run every due event up to `t`, each at its own time (virtual mode), or
    /// whatever is due by now (real time).
    void run_until(Millis t) override;
    /// Events recorded since the last call (for EVT lines).
    std::vector<fw::Event> take_events();
    /// Where flush_events() delivers them (the diag port's subscribers).
    void set_event_sink(std::function<void(const std::vector<fw::Event>&)> sink) {
        event_sink_ = std::move(sink);
    }
    void flush_events() override {
        if (event_sink_)
            event_sink_(take_events());
    }

    // --- physical actions, with the button faults applied ---------------------
    void button(fw::Button b, bool down);
    void press(fw::Button b, Millis held);
    void dock(bool vbus);
    void undock();
    void usb(bool present);
    void set_temperature(double celsius);
    void swap_battery(host::CellParams params, double soc_percent);
    void schedule(Millis at, std::function<void()> action);
    /// What the camera's electronics draw now (mA), from external power when
    /// it is present, else from the cell: the load the cell model is given.
    std::int32_t system_draw_ma() const;

    /// What a camera above the nest sees at device time `at` (now if unset):
    /// the firmware's lights and display, with the factory LED test and the
    /// face faults (dead or miscoloured LEDs, dead display rows) applied.
    RenderedFace render(std::optional<Millis> at, const RenderConditions& conditions);
    void set_led_test(std::optional<fw::Colour> colour) { led_test_ = colour; }

private:
    void apply_firmware_faults(fw::ModelSpec& spec);
    void fit_radios();
    FaceFaults face_faults() const;
    void settle(); // exchange what the models produced at the current time

    CameraConfig config_;
    EmuClock clock_;
    std::vector<fw::GestureBinding> gestures_; // the spec's bindings, faults applied
    fw::ModelSpec spec_;
    std::unique_ptr<host::SimCell> cell_;
    std::unique_ptr<host::SimStorage> storage_;
    std::unique_ptr<ModemModel> modem_;
    std::unique_ptr<WifiRadioModel> wifi_;
    std::unique_ptr<GnssReceiverModel> gnss_;
    std::function<void(std::string_view)> nmea_sink_;
    std::unique_ptr<fw::Camera> camera_;
    std::multimap<Millis, std::function<void()>> scheduled_;
    std::vector<fw::Event> events_;
    std::optional<fw::Colour> led_test_;
    std::function<void(const std::vector<fw::Event>&)> event_sink_;
};

} // namespace bwc::emu
