// Fixtures shared by the unit tests that drive a host::SimCamera (charging, error table,
// gestures, indicators, life cycle, snapshot). One copy of each of:
//  - boost_test_print_type for every bwc::fw enumeration with a to_string() (one constrained
//    template, found by ADL) and for LightState / IconState, so failed checks print values;
//  - options builders and the user a provisioned SimCamera starts with (kUser);
//  - drivers: power_on, tap, let_camera_sample, set_remaining_mah and the dock helpers, which
//    differ in how long they wait and what they require (see each one);
//  - accessors: spec_of, light, icon, the steady / flashing / pulsing light makers, kDark;
//  - events: find_event, sound_events, describe;
//  - a controller link (linked) and a fake Wi-Fi chip (FakeWifi, wpa2_ap) to fit with
//    with_wifi (SimCameraOptions::radios).
// Helpers only one test file needs stay in that file.
#pragma once

#include "firmware/core/camera.hpp"
#include "firmware/core/events.hpp"
#include "firmware/core/indicators.hpp"
#include "firmware/core/model.hpp"
#include "firmware/core/radio/wifi_manager.hpp"
#include "firmware/core/snapshot.hpp"
#include "firmware/core/sound.hpp"
#include "firmware/host/sim_camera.hpp"
#include "firmware/host/sim_cell.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

// Boost.Test prints the operands of failed checks; these teach it our types (ADL finds them).
namespace bwc::fw {

template <class E>
requires std::is_enum_v<E> && requires(E e) {
    { to_string(e) } -> std::convertible_to<std::string_view>;
}
std::ostream& boost_test_print_type(std::ostream& os, const E& e) {
    return os << to_string(e);
}

inline std::ostream& boost_test_print_type(std::ostream& os, const LightState& l) {
    return os << to_string(l.colour) << "/" << to_string(l.pattern) << "/" << l.period.count()
              << "ms";
}

inline std::ostream& boost_test_print_type(std::ostream& os, const IconState& i) {
    return os << to_string(i.icon) << "(" << to_string(i.colour) << "/" << to_string(i.pattern)
              << "/" << i.period.count() << "ms, level " << i.level << ")";
}

} // namespace bwc::fw

namespace bwc::fixtures {

using namespace std::chrono_literals;
using fw::Millis;
using host::SimCamera;
using host::SimCameraOptions;

/// A closure comfortably counted as a press, and the margin SPEC §2 tests thresholds by.
inline constexpr Millis kTap = 150ms;
inline constexpr Millis kMargin = 150ms;

/// The user a provisioned SimCamera starts with.
inline const std::string kUser = SimCameraOptions{}.user;

// --- options -------------------------------------------------------------------------------------

/// A provisioned camera of `model` with `profile` in its flash; everything else SimCamera's
/// defaults (full battery at 25 °C, no radios).
inline SimCameraOptions options(fw::Model model, fw::Profile profile = {}) {
    SimCameraOptions o;
    o.model = model;
    o.profile = std::move(profile);
    return o;
}

// --- accessors -----------------------------------------------------------------------------------

inline const fw::ModelSpec& spec_of(SimCamera& sim) {
    return sim.camera().spec();
}

inline fw::LightState steady(fw::Colour c) {
    return {c, fw::Pattern::Steady, 0ms};
}
inline fw::LightState flashing(const fw::ModelSpec& m, fw::Colour c) {
    return {c, fw::Pattern::Flashing, m.indicator_timing.flash_period};
}
inline fw::LightState pulsing(const fw::ModelSpec& m, fw::Colour c) {
    return {c, fw::Pattern::Pulsing, m.indicator_timing.pulse_period};
}
inline const fw::LightState kDark{};

/// The indicator's light; requires the model to have it (one assertion).
inline fw::LightState light(const fw::Snapshot& s, fw::Indicator i) {
    const fw::LightState* l = s.light(i);
    BOOST_REQUIRE_MESSAGE(l != nullptr, "snapshot has no " << to_string(i));
    return *l;
}

/// The display icon, if shown.
inline std::optional<fw::IconState> icon(const fw::Snapshot& s, fw::Icon i) {
    if (const fw::IconState* found = s.display.find(i))
        return *found;
    return std::nullopt;
}

// --- events --------------------------------------------------------------------------------------

/// The first event of `kind` named `what` (and with `detail`, unless empty), or null.
inline const fw::Event* find_event(const std::vector<fw::Event>& events, fw::EventKind kind,
                                   std::string_view what, std::string_view detail = {}) {
    for (const fw::Event& e : events)
        if (e.kind == kind && e.what == what && (detail.empty() || e.detail == detail))
            return &e;
    return nullptr;
}

/// The Sound events named `what` (EventKind::Sound carries the sound's wire name).
inline std::vector<fw::Event> sound_events(const std::vector<fw::Event>& events, fw::Sound what) {
    std::vector<fw::Event> out;
    for (const fw::Event& e : events)
        if (e.kind == fw::EventKind::Sound && e.what == to_string(what))
            out.push_back(e);
    return out;
}

/// "at kind what (detail); " per event, for failure messages.
inline std::string describe(const std::vector<fw::Event>& events) {
    std::string s;
    for (const fw::Event& e : events) {
        s += std::to_string(e.at.count()) + " " + std::string(fw::to_string(e.kind)) + " " + e.what;
        if (!e.detail.empty())
            s += " (" + e.detail + ")";
        s += "; ";
    }
    return s;
}

// --- drivers -------------------------------------------------------------------------------------

/// Press power for `held` and run until ready + 1 s; requires the camera on (one assertion).
inline void power_on(SimCamera& sim, Millis held = 100ms) {
    sim.press(fw::Button::Power, held);
    sim.run_for(spec_of(sim).timing.boot_to_ready + 1s);
    BOOST_TEST_REQUIRE(sim.camera().power() == fw::PowerState::On, "camera did not become ready");
}

/// Press a button briefly (100 ms) and let a possible double press window pass.
inline void tap(SimCamera& sim, fw::Button b) {
    sim.press(b, 100ms);
    sim.run_for(spec_of(sim).gesture_timing.double_press_window + 100ms);
}

/// Let at least one control period pass so the camera re-reads gauge and storage.
inline void let_camera_sample(SimCamera& sim) {
    sim.run_for(spec_of(sim).charge.control_period + 1s);
}

/// Set the cell so that the gauge reports exactly `mah` whole mAh at the next control tick: the
/// extra 0.9 mAh covers what any state draws during one 10 s control period (at most 0.72 mAh).
/// One assertion.
inline void set_remaining_mah(SimCamera& sim, std::int64_t mah) {
    const double capacity = host::CellParams{}.capacity_mah;
    sim.cell().set_soc((static_cast<double>(mah) + 0.9) * 100.0 / capacity);
    let_camera_sample(sim);
    BOOST_REQUIRE_EQUAL(sim.snapshot().battery.gauge.remaining_mah, mah);
}

/// Dock and run through the dock restart + 1 s; checks nothing (a camera that is off or in
/// shipping mode may be docked this way too).
inline void dock_through_restart(SimCamera& sim) {
    sim.dock();
    sim.run_for(spec_of(sim).timing.dock_restart + 1s);
}

/// dock_through_restart, then require docked mode (one assertion).
inline void dock_into_docked_mode(SimCamera& sim) {
    dock_through_restart(sim);
    BOOST_TEST_REQUIRE(sim.camera().activity() == fw::Activity::Docked);
}

/// Dock and run through the dock restart and a control period (charge decision made) + 1 s;
/// requires the camera on (one assertion).
inline void dock_and_settle(SimCamera& sim) {
    sim.dock();
    sim.run_for(spec_of(sim).timing.dock_restart + spec_of(sim).charge.control_period + 1s);
    BOOST_TEST_REQUIRE(sim.camera().power() == fw::PowerState::On);
}

/// dock_and_settle, then require the snapshot to say docked (two assertions in all).
inline void dock_and_settle_docked(SimCamera& sim) {
    dock_and_settle(sim);
    BOOST_TEST_REQUIRE(sim.snapshot().docked);
}

/// A controller link with the camera added and `user` assigned.
inline fw::ControllerState linked(std::optional<std::string> user = kUser) {
    fw::ControllerState c;
    c.link_up = true;
    c.camera_added = true;
    c.user = std::move(user);
    return c;
}

// --- radios --------------------------------------------------------------------------------------

/// A Wi-Fi chip that sees `visible` and answers every join with `outcome` (and `ipv4` when
/// joined). Fit it with SimCameraOptions::radios.wifi; it must outlive the SimCamera.
struct FakeWifi final : fw::radio::WifiRadio {
    std::vector<fw::radio::AccessPoint> visible;
    fw::radio::JoinOutcome outcome = fw::radio::JoinOutcome::joined;
    std::string ipv4 = "10.0.0.7";

    std::vector<fw::radio::AccessPoint> scan() override { return visible; }
    fw::radio::JoinResult join(const fw::radio::AccessPoint&, std::string_view) override {
        fw::radio::JoinResult r;
        r.outcome = outcome;
        if (outcome == fw::radio::JoinOutcome::joined)
            r.ipv4 = ipv4;
        return r;
    }
};

/// `o` with `wifi` fitted (it must outlive the SimCamera).
inline SimCameraOptions with_wifi(SimCameraOptions o, fw::radio::WifiRadio& wifi) {
    o.radios.wifi = &wifi;
    return o;
}

/// A WPA2 access point with the BSSID 02:00:00:00:00:01.
inline fw::radio::AccessPoint wpa2_ap(std::string ssid, fw::radio::WifiBand band, int channel,
                                      int rssi_dbm) {
    fw::radio::AccessPoint ap;
    ap.ssid = std::move(ssid);
    ap.bssid = "02:00:00:00:00:01";
    ap.band = band;
    ap.channel = channel;
    ap.security = fw::radio::WifiSecurity::wpa2_psk;
    ap.rssi_dbm = rssi_dbm;
    return ap;
}

} // namespace bwc::fixtures
