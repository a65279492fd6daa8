// An emulated docking station (SPEC §9): a W700 (1 bay) or W701 (8 bays)
// whose bays hold emulated cameras of the same bwc-emu process. Each bay has
// five pogo contacts (VBUS, GND, D+, D−, ID) with a contact resistance, a
// VBUS supply and a USB link; a camera seated in a bay is docked with or
// without VBUS depending on those contacts. The dock port (dock_port.cpp)
// speaks `BWC-DOCK 1` with the framing and handshake of firmware/PROTOCOL.md.
#pragma once

#include "firmware/emu/command_line.hpp"
#include "firmware/emu/emu_camera.hpp"
#include "firmware/emu/port_device.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::emu {

enum class DockModel { W700, W701 };
std::string_view to_string(DockModel m);
int bay_count(DockModel m);

// The pogo contacts of one bay, in the order BAYS reports them.
inline constexpr std::array<std::string_view, 5> kDockPins{"vbus", "gnd", "dp", "dm", "id"};
enum DockPin : std::size_t { PinVbus, PinGnd, PinDp, PinDm, PinId };

/// A clean, sprung pogo contact (well inside the EOL limit of 100 mΩ).
inline constexpr std::int64_t kNominalContactMohm = 20;
/// Above this a contact no longer conducts usefully: treated as open.
inline constexpr std::int64_t kOpenContactMohm = 10'000;
/// The bay's VBUS supply when no fault says otherwise.
inline constexpr std::int64_t kNominalVbusMv = 5000;
/// Below this the camera's charger input does not accept VBUS (undervoltage
/// lock-out), so a very low supply docks the camera as if without VBUS.
inline constexpr std::int64_t kCameraVbusMinMv = 4000;
/// Each bay's USB 2.0 high-speed link, effective payload rate.
inline constexpr std::int64_t kBayLinkBytesPerS = 35'000'000;
/// The dock's uplink to the system controller (gigabit Ethernet, effective),
/// shared by the bays that have recordings to offload.
inline constexpr std::int64_t kDockUplinkBytesPerS = 110'000'000;

/// A dock fault, for every bay (bay unset) or one bay (1-based).
struct DockFault {
    std::optional<int> bay;
    std::string name;               // with its value, as given
    std::optional<std::size_t> pin; // dock.pin.<pin>.resistance_mohm
    std::int64_t value = 0;         // mΩ or mV
};

/// Parse "dock.pin.<pin>.resistance_mohm=<mΩ>" or "dock.vbus_mv=<mV>"; the
/// error names the fault and what is accepted.
fw::Result<DockFault> parse_dock_fault(std::string_view text);

struct DockConfig {
    DockModel model = DockModel::W701;
    std::string serial;
    std::vector<std::string> bays; // camera serial per bay, "" = empty bay
    std::vector<DockFault> faults;
};

/// Parse "model=w700|w701,serial=D1,bays=SN1+SN2+-+SN4" ("-" or "" = empty bay).
fw::Result<DockConfig> parse_dock_config(std::string_view text);

/// The deterministic content of a camera's recordings: byte `offset` of
/// everything ever offloaded from camera `serial`. A host verifies a
/// transfer by recomputing it: seed = FNV-1a 64 of the serial; byte k is
/// byte (k mod 8) (little-endian) of splitmix64(seed + k / 8).
std::uint8_t recording_byte(std::uint64_t seed, std::uint64_t offset);
std::uint64_t recording_seed(std::string_view serial);

struct BayReading {
    int bay = 0; // 1-based
    std::optional<std::string> serial;
    bool present = false;
    std::int64_t vbus_mv = 0;
    std::int64_t charge_ma = 0;
    bool link = false;
    std::array<std::int64_t, 5> pins_mohm{};
};

struct OffloadResult {
    std::int64_t bytes = 0;
    std::int64_t offset = 0; // where in the camera's offload stream these bytes start
    std::int64_t duration_ms = 0;
    std::int64_t rate_bytes_per_s = 0;
    std::string sha256;
};

class EmuDock final : public PortDevice {
public:
    /// `cameras[i]` is the camera assigned to bay i+1, or null for an empty bay.
    EmuDock(DockConfig config, std::vector<EmuCamera*> cameras, ClockMode mode);

    const DockConfig& config() const { return config_; }
    int bays() const { return bay_count(config_.model); }
    EmuClock& clock() override { return clock_; }
    std::string banner_fields() const override;
    /// Moves the dock and every bay's camera to the dock's time `t`.
    void run_until(Millis t) override { advance(t - clock_.now()); }
    /// The seated cameras' events go to their own diag ports' subscribers.
    void flush_events() override {
        for (Bay& b : bays_)
            if (b.camera)
                b.camera->flush_events();
    }

    bool powered() const { return powered_; }
    void set_power(bool on);
    /// The dock LED: off without power (SPEC §9), green with it.
    std::string_view led() const { return powered_ ? "green" : "off"; }

    // Bays are 1-based. The error is a protocol reply (code + message).
    Parsed<BayReading> read_bay(int bay);
    Parsed<std::string> insert(int bay);
    Parsed<std::string> remove(int bay);
    Parsed<OffloadResult> offload(int bay, std::optional<std::int64_t> max_bytes);
    /// Advance the dock clock and every bay's camera by the same amount.
    void advance(Millis by);

private:
    struct Bay {
        EmuCamera* camera = nullptr;
        bool seated = false;
        std::optional<bool> applied_vbus; // what the camera was last docked with
        std::array<std::int64_t, 5> pins_mohm{};
        std::int64_t supply_mv = kNominalVbusMv;
    };
    Parsed<Bay*> bay_at(int bay);
    bool closed(const Bay& b, std::size_t pin) const {
        return b.pins_mohm[pin] <= kOpenContactMohm;
    }
    bool detected(const Bay& b) const { return b.seated && closed(b, PinId); }
    bool vbus_on(const Bay& b) const;
    bool link_up(const Bay& b) const;
    void apply(Bay& b); // dock the camera with the VBUS the bay now gives it

    DockConfig config_;
    EmuClock clock_;
    std::vector<Bay> bays_;
    bool powered_ = true;
};

} // namespace bwc::emu
