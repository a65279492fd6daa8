// Unit tests for what the cameras show (SPEC §3), suite "indicators": for the W120 the recording
// LED, status LED, front recording indicator and the display (logo at start, docked screen with
// charging / firmware / transfer bars and the user name, operating screen icons); for the W100
// each of its seven LEDs in each listed state, the start-up pulse, "docked but not added" (all
// flash amber) and "no user, undocked" (all flash red). Battery and storage colours are driven
// through the SimCell's charge and the SimStorage's used bytes to land just above, on and just
// below the 1 h and 0.5 h boundaries; the mAh and bytes needed are computed here from the model
// table's current draw and bitrate, and the expected colours come from SPEC §3, not from the
// firmware's level function. Blink periods come from ModelSpec::indicator_timing.
#include "firmware/core/snapshot.hpp"
#include "firmware/host/sim_camera.hpp"
#include "sim_fixtures.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

using namespace bwc::fw;
using namespace bwc::fixtures;
using bwc::host::CellParams;
using bwc::host::SimCamera;
using bwc::host::SimCameraOptions;

namespace {

// SPEC §3 "Levels shared by both models", written down here rather than taken from the firmware.
constexpr Millis kGreenAbove = hours(1);
constexpr Millis kRedBelow = 30min;

bool shows_text(const Snapshot& s, const std::string& text) {
    return std::find(s.display.text.begin(), s.display.text.end(), text) != s.display.text.end();
}

std::optional<ProgressBar> bar(const Snapshot& s, Icon i) {
    for (const ProgressBar& b : s.display.bars)
        if (b.icon == i)
            return b;
    return std::nullopt;
}

void start_recording(SimCamera& sim) {
    tap(sim, Button::Record);
    BOOST_REQUIRE(sim.snapshot().recording);
}

/// Hold past a threshold by 150 ms (SPEC §2: threshold + 150 ms must fire).
void hold(SimCamera& sim, Button b, Millis threshold) {
    sim.press(b, threshold + 150ms);
}

/// A camera whose controller took its user away, then undocked: on, no user.
void make_userless_and_undocked(SimCamera& sim) {
    dock_and_settle(sim);
    sim.link_controller(std::nullopt);
    sim.undock();
    sim.run_for(spec_of(sim).timing.undock_restart + 1s);
    BOOST_REQUIRE_EQUAL(sim.camera().power(), PowerState::On);
    BOOST_REQUIRE(!sim.snapshot().user.has_value());
}

/// Whole mAh that give exactly `t` of operation at `draw_ma` (required to divide evenly).
std::int64_t mah_for(Millis t, std::int32_t draw_ma) {
    const std::int64_t product = t.count() * draw_ma;
    BOOST_REQUIRE_EQUAL(product % 3'600'000, 0);
    return product / 3'600'000;
}

/// Free bytes that give exactly `t` of recording at `bitrate_bps`.
std::int64_t bytes_for(Millis t, std::int64_t bitrate_bps) {
    const std::int64_t product = t.count() * bitrate_bps;
    BOOST_REQUIRE_EQUAL(product % 8'000, 0);
    return product / 8'000;
}

void set_free_bytes(SimCamera& sim, std::int64_t free_bytes) {
    const std::int64_t capacity = sim.storage().status().capacity_bytes;
    sim.storage().set_used(capacity - free_bytes, 0);
    let_camera_sample(sim);
    const StorageStatus st = sim.snapshot().storage.status;
    BOOST_REQUIRE_EQUAL(st.capacity_bytes - st.used_bytes, free_bytes);
}

struct LevelCase {
    std::string what;
    Millis left;
    Colour expected;
};

struct BatteryCase {
    std::string what;
    std::int64_t mah;
    Colour expected;
};

/// The boundaries of SPEC §3 at the gauge's 1 mAh resolution for this draw.
std::vector<BatteryCase> battery_cases(std::int32_t draw_ma) {
    const std::int64_t at_1h = mah_for(kGreenAbove, draw_ma);
    const std::int64_t at_half = mah_for(kRedBelow, draw_ma);
    return {
        {"1 mAh above 1 h", at_1h + 1, Colour::Green},
        {"exactly 1 h", at_1h, Colour::Amber},
        {"1 mAh below 1 h", at_1h - 1, Colour::Amber},
        {"1 mAh above 0.5 h", at_half + 1, Colour::Amber},
        {"exactly 0.5 h", at_half, Colour::Amber},
        {"1 mAh below 0.5 h", at_half - 1, Colour::Red},
        {"a quarter of an hour", at_half / 2, Colour::Red},
    };
}

/// Storage boundaries at 1 ms of recording resolution.

std::vector<LevelCase> storage_cases() {
    return {
        {"1 ms above 1 h", kGreenAbove + 1ms, Colour::Green},
        {"two hours", hours(2), Colour::Green},
        {"exactly 1 h", kGreenAbove, Colour::Amber},
        {"45 min", 45min, Colour::Amber},
        {"exactly 0.5 h", kRedBelow, Colour::Amber},
        {"1 ms below 0.5 h", kRedBelow - 1ms, Colour::Red},
        {"5 min", 5min, Colour::Red},
    };
}

Level level_of(Colour c) {
    return c == Colour::Green ? Level::Green : c == Colour::Amber ? Level::Amber : Level::Red;
}

} // namespace

BOOST_AUTO_TEST_SUITE(indicators)

// --- W120 --------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(w120_logo_at_start_then_status_led_green) {
    SimCamera sim(options(Model::W120));
    Snapshot off = sim.snapshot();
    BOOST_TEST(!off.display.on);
    BOOST_TEST(light(off, Indicator::StatusLed) == kDark);

    sim.press(Button::Power, 100ms);
    sim.run_for(5s);
    Snapshot booting = sim.snapshot();
    BOOST_REQUIRE_EQUAL(booting.power, PowerState::Booting);
    BOOST_TEST(booting.display.on);
    BOOST_TEST(icon(booting, Icon::Logo).has_value());
    BOOST_TEST(light(booting, Indicator::StatusLed) == kDark); // green only "when ready"

    sim.run_for(spec_of(sim).timing.boot_to_ready);
    Snapshot ready = sim.snapshot();
    BOOST_REQUIRE_EQUAL(ready.power, PowerState::On);
    BOOST_TEST(light(ready, Indicator::StatusLed) == steady(Colour::Green));
    BOOST_TEST(!icon(ready, Icon::Logo).has_value());
    BOOST_TEST(ready.display.on);
}

BOOST_AUTO_TEST_CASE(w120_recording_led_red_only_while_recording) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::RecordingLed) == kDark);
    start_recording(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::RecordingLed) == steady(Colour::Red));
    sim.run_for(1min);
    BOOST_TEST(light(sim.snapshot(), Indicator::RecordingLed) == steady(Colour::Red));
    hold(sim, Button::Record, 3s); // stop: hold the recording button >= 3 s
    BOOST_REQUIRE(!sim.snapshot().recording);
    BOOST_TEST(light(sim.snapshot(), Indicator::RecordingLed) == kDark);
}

BOOST_AUTO_TEST_CASE(w120_status_led_green_when_ready_and_while_recording) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::StatusLed) == steady(Colour::Green));
    start_recording(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::StatusLed) == steady(Colour::Green));
}

BOOST_AUTO_TEST_CASE(w120_status_led_amber_when_storage_full) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    const std::int64_t bitrate = spec_of(sim).media.bitrate_1080p_bps;
    set_free_bytes(sim, bytes_for(5s, bitrate)); // less than any useful recording
    BOOST_TEST(light(sim.snapshot(), Indicator::StatusLed) == steady(Colour::Amber));
    set_free_bytes(sim, bytes_for(hours(2), bitrate));
    BOOST_TEST(light(sim.snapshot(), Indicator::StatusLed) == steady(Colour::Green));
}

BOOST_AUTO_TEST_CASE(w120_status_led_amber_when_storage_error) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    sim.storage().set_error(true);
    let_camera_sample(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::StatusLed) == steady(Colour::Amber));
}

BOOST_AUTO_TEST_CASE(w120_status_led_amber_without_user) {
    SimCamera sim(options(Model::W120));
    make_userless_and_undocked(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::StatusLed) == steady(Colour::Amber));
}

BOOST_AUTO_TEST_CASE(w120_front_indicator_on_while_recording_off_in_silent_mode) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::FrontIndicator) == kDark);
    start_recording(sim);
    Snapshot rec = sim.snapshot();
    BOOST_TEST(light(rec, Indicator::FrontIndicator).lit());
    BOOST_TEST(light(rec, Indicator::FrontIndicator).pattern == Pattern::Steady);

    hold(sim, Button::Top, 3s); // silent mode on, still recording
    Snapshot silent = sim.snapshot();
    BOOST_REQUIRE(silent.silent);
    BOOST_REQUIRE(silent.recording);
    BOOST_TEST(light(silent, Indicator::FrontIndicator) == kDark);
    // Silent mode names display, front indicator, beeps and vibration, not the recording LED.
    BOOST_TEST(light(silent, Indicator::RecordingLed) == steady(Colour::Red));

    hold(sim, Button::Top, 3s); // silent mode off
    BOOST_REQUIRE(!sim.snapshot().silent);
    BOOST_TEST(light(sim.snapshot(), Indicator::FrontIndicator).lit());
}

BOOST_AUTO_TEST_CASE(w120_display_off_in_silent_mode) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    BOOST_TEST(sim.snapshot().display.on);
    BOOST_TEST(light(sim.snapshot(), Indicator::Display).lit());
    hold(sim, Button::Top, 3s);
    Snapshot silent = sim.snapshot();
    BOOST_REQUIRE(silent.silent);
    BOOST_TEST(!silent.display.on);
    BOOST_TEST(silent.display.icons.empty());
    BOOST_TEST(light(silent, Indicator::Display) == kDark);
    hold(sim, Button::Top, 3s);
    BOOST_TEST(sim.snapshot().display.on);
}

BOOST_AUTO_TEST_CASE(w120_docked_display_charging_icon_bar_and_percent) {
    SimCameraOptions o = options(Model::W120);
    o.battery_soc_percent = 50.0;
    SimCamera sim(o);
    dock_and_settle(sim);
    sim.link_controller(o.user);
    let_camera_sample(sim);
    Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.docked);
    BOOST_TEST(s.display.on);
    BOOST_TEST(icon(s, Icon::Docked).has_value());
    auto charging = icon(s, Icon::Charging);
    BOOST_REQUIRE(charging.has_value());
    BOOST_TEST(charging->pattern == Pattern::Steady); // charging normally: not flashing
    // Colour follows the charge level: half a 3,000 mAh cell is many hours at standby.
    BOOST_TEST(charging->colour == Colour::Green);

    const int soc = s.battery.gauge.state_of_charge_percent;
    BOOST_TEST(std::abs(soc - static_cast<int>(sim.cell().soc_percent() + 0.5)) <= 1);
    auto b = bar(s, Icon::Charging);
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(b->percent == soc);
    BOOST_TEST(shows_text(s, std::to_string(soc) + "%"));

    // The bar follows the charge as it rises.
    sim.run_for(30min);
    Snapshot later = sim.snapshot();
    auto b2 = bar(later, Icon::Charging);
    BOOST_REQUIRE(b2.has_value());
    BOOST_TEST(b2->percent > b->percent);
    BOOST_TEST(b2->percent == later.battery.gauge.state_of_charge_percent);
    BOOST_TEST(shows_text(later, std::to_string(b2->percent) + "%"));
}

BOOST_AUTO_TEST_CASE(w120_docked_charging_icon_colour_follows_level) {
    // Nearly empty: 20 min of standby left -> red (SPEC §3: colour by level).
    SimCameraOptions o = options(Model::W120);
    const std::int32_t standby = model_spec(Model::W120).draw.standby_ma;
    const double mah = static_cast<double>(mah_for(20min, standby));
    o.battery_soc_percent = mah * 100.0 / CellParams{}.capacity_mah;
    SimCamera sim(o);
    sim.cell().set_temperature(deci_c(-5)); // too cold to charge: the level stays put
    dock_and_settle(sim);
    Snapshot s = sim.snapshot();
    const Millis left{std::int64_t{s.battery.gauge.remaining_mah} * 3'600'000 / standby};
    BOOST_REQUIRE(left < kRedBelow);
    auto charging = icon(s, Icon::Charging);
    BOOST_REQUIRE(charging.has_value());
    BOOST_TEST(charging->colour == Colour::Red);
}

BOOST_AUTO_TEST_CASE(w120_docked_user_assigned_icon) {
    SimCamera sim(options(Model::W120));
    dock_and_settle(sim);
    sim.link_controller(std::string("Officer Demo"));
    BOOST_TEST(icon(sim.snapshot(), Icon::UserAssigned).has_value());
    sim.link_controller(std::nullopt);
    BOOST_TEST(!icon(sim.snapshot(), Icon::UserAssigned).has_value());
}

BOOST_AUTO_TEST_CASE(w120_docked_firmware_upgrade_icon_and_bar) {
    SimCamera sim(options(Model::W120));
    dock_and_settle(sim);
    ControllerState c;
    c.link_up = true;
    c.camera_added = true;
    c.user = "Officer Demo";
    c.firmware_offer = "9.9.9-test";
    sim.camera().set_controller(c);
    const Millis started = sim.now();
    const Millis install = spec_of(sim).timing.firmware_update;
    BOOST_TEST(icon(sim.snapshot(), Icon::FirmwareUpgrade).has_value());

    sim.run_for(install / 4);
    Snapshot s = sim.snapshot();
    BOOST_TEST(icon(s, Icon::FirmwareUpgrade).has_value());
    auto b = bar(s, Icon::FirmwareUpgrade);
    BOOST_REQUIRE(b.has_value());
    const auto expected = (sim.now() - started).count() * 100 / install.count();
    BOOST_TEST(b->percent == expected);
    BOOST_TEST(b->percent == 25);

    sim.run_for(install / 2);
    auto b2 = bar(sim.snapshot(), Icon::FirmwareUpgrade);
    BOOST_REQUIRE(b2.has_value());
    BOOST_TEST(b2->percent == 75);

    // Installed, restarted: no more upgrade icon, new version.
    sim.run_for(install / 4 + spec_of(sim).timing.dock_restart + 1s);
    Snapshot done = sim.snapshot();
    BOOST_TEST(done.firmware_version == "9.9.9-test");
    BOOST_TEST(!icon(done, Icon::FirmwareUpgrade).has_value());
    BOOST_TEST(!bar(done, Icon::FirmwareUpgrade).has_value());
}

BOOST_AUTO_TEST_CASE(w120_docked_data_transfer_icon_and_bar) {
    SimCamera sim(options(Model::W120));
    const std::int64_t total = 3'000'000'000;
    sim.storage().set_used(total, total);
    dock_and_settle(sim);
    sim.link_controller(std::string("Officer Demo"));
    sim.run_for(spec_of(sim).timing.dock_upload_delay + 3 * spec_of(sim).charge.control_period);

    Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.storage.uploading);
    const std::int64_t pending = sim.storage().status().pending_offload_bytes;
    BOOST_REQUIRE(pending > 0);
    BOOST_REQUIRE(pending < total);
    BOOST_TEST(icon(s, Icon::DataTransfer).has_value());
    auto b = bar(s, Icon::DataTransfer);
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(b->percent == (total - pending) * 100 / total);
    BOOST_TEST(b->percent > 0);
    BOOST_TEST(b->percent < 100);

    // Until everything is across: then the transfer icon and bar go.
    BOOST_REQUIRE(sim.run_until_state(
        [](const Snapshot& x) { return x.storage.status.pending_offload_bytes == 0; }, hours(1)));
    Snapshot done = sim.snapshot();
    BOOST_TEST(!icon(done, Icon::DataTransfer).has_value());
    BOOST_TEST(!bar(done, Icon::DataTransfer).has_value());
}

BOOST_AUTO_TEST_CASE(w120_docked_user_name_only_when_charged_transferred_and_current) {
    const std::string user = "Officer Demo";
    {
        // Charged, nothing to transfer, software current: the name is shown.
        SimCamera sim(options(Model::W120));
        dock_and_settle(sim);
        sim.link_controller(user);
        let_camera_sample(sim);
        BOOST_TEST(shows_text(sim.snapshot(), user));
    }
    {
        // Not charged: no name until full.
        SimCameraOptions o = options(Model::W120);
        o.battery_soc_percent = 60.0;
        SimCamera sim(o);
        dock_and_settle(sim);
        sim.link_controller(user);
        let_camera_sample(sim);
        BOOST_TEST(!shows_text(sim.snapshot(), user));
        sim.cell().set_soc(100.0);
        let_camera_sample(sim);
        BOOST_TEST(shows_text(sim.snapshot(), user));
    }
    {
        // Files not yet transferred: no name until the offload is done.
        SimCamera sim(options(Model::W120));
        sim.storage().set_used(600'000'000, 600'000'000);
        dock_and_settle(sim);
        sim.link_controller(user);
        let_camera_sample(sim);
        BOOST_REQUIRE(sim.snapshot().storage.status.pending_offload_bytes > 0);
        BOOST_TEST(!shows_text(sim.snapshot(), user));
        BOOST_REQUIRE(sim.run_until_state(
            [](const Snapshot& x) { return x.storage.status.pending_offload_bytes == 0; },
            hours(1)));
        let_camera_sample(sim);
        BOOST_TEST(shows_text(sim.snapshot(), user));
    }
    {
        // Software not up to date: no name while the update installs.
        SimCamera sim(options(Model::W120));
        dock_and_settle(sim);
        ControllerState c;
        c.link_up = true;
        c.camera_added = true;
        c.user = user;
        c.firmware_offer = "9.9.9-test";
        sim.camera().set_controller(c);
        let_camera_sample(sim);
        BOOST_TEST(!shows_text(sim.snapshot(), user));
        sim.run_for(spec_of(sim).timing.firmware_update + spec_of(sim).timing.dock_restart +
                    spec_of(sim).charge.control_period + 1s);
        BOOST_REQUIRE_EQUAL(sim.snapshot().firmware_version, "9.9.9-test");
        BOOST_TEST(shows_text(sim.snapshot(), user));
    }
}

BOOST_AUTO_TEST_CASE(w120_operating_display_icons) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    Snapshot s = sim.snapshot();
    BOOST_TEST(icon(s, Icon::Battery).has_value());
    BOOST_TEST(icon(s, Icon::Storage).has_value());
    BOOST_TEST(!icon(s, Icon::NoUser).has_value()); // a user is assigned
    BOOST_TEST(!icon(s, Icon::MicrophoneOff).has_value());
    BOOST_TEST(!icon(s, Icon::UsbCharging).has_value());

    // Holster sensor: white pairing, green connected, red failed; same colours for the app link
    // and the mini sensor.
    struct Case {
        AccessoryLink link;
        Colour colour;
    };
    for (Case c : {Case{AccessoryLink::Pairing, Colour::White},
                   Case{AccessoryLink::Connected, Colour::Green},
                   Case{AccessoryLink::Failed, Colour::Red}}) {
        Accessories a;
        a.holster = c.link;
        a.app = c.link;
        a.mini_sensor = c.link;
        sim.camera().set_accessories(a);
        Snapshot x = sim.snapshot();
        for (Icon i : {Icon::HolsterSensor, Icon::AppLink, Icon::MiniSensor}) {
            auto found = icon(x, i);
            BOOST_REQUIRE_MESSAGE(found.has_value(), to_string(i) << " missing");
            BOOST_TEST(found->colour == c.colour, to_string(i));
        }
    }
    sim.camera().set_accessories({});
    BOOST_TEST(!icon(sim.snapshot(), Icon::HolsterSensor).has_value());

    // Microphone off (function held 3 s) shows its icon; on again hides it.
    hold(sim, Button::Function, 3s);
    BOOST_REQUIRE(sim.snapshot().microphone_off);
    BOOST_TEST(icon(sim.snapshot(), Icon::MicrophoneOff).has_value());
    hold(sim, Button::Function, 3s);
    BOOST_TEST(!icon(sim.snapshot(), Icon::MicrophoneOff).has_value());

    // USB charging.
    sim.cell().set_external_power(true);
    sim.camera().set_usb_power(true);
    BOOST_TEST(icon(sim.snapshot(), Icon::UsbCharging).has_value());
}

BOOST_AUTO_TEST_CASE(w120_top_press_shows_battery_storage_and_user) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    sim.storage().set_used(16'000'000'000, 0); // a quarter of 64 GB used
    let_camera_sample(sim);
    const std::string user = sim.snapshot().user.value_or("");
    BOOST_REQUIRE(!user.empty());
    BOOST_TEST(!shows_text(sim.snapshot(), user));
    sim.press(Button::Top, 100ms);
    sim.run_for(spec_of(sim).gesture_timing.double_press_window + 100ms);
    Snapshot s = sim.snapshot();
    BOOST_TEST(shows_text(s, user));
    const int soc = static_cast<int>(sim.cell().soc_percent() + 0.5);
    BOOST_TEST(shows_text(s, "Battery " + std::to_string(soc) + "%"));
    BOOST_TEST(shows_text(s, "Storage 75% free"));
    sim.run_for(spec_of(sim).timing.status_shown_for);
    BOOST_TEST(!shows_text(sim.snapshot(), user));
}

BOOST_AUTO_TEST_CASE(w120_gps_icon_no_position_then_position) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    auto none = icon(sim.snapshot(), Icon::Gps);
    BOOST_REQUIRE(none.has_value()); // location on in the default profile
    BOOST_TEST(none->level == 0);
    sim.camera().gnss_bytes(
        "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n");
    Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.radios.gnss_position);
    auto fix = icon(s, Icon::Gps);
    BOOST_REQUIRE(fix.has_value());
    BOOST_TEST(fix->level == 1);
    BOOST_TEST(!(*fix == *none));
}

BOOST_AUTO_TEST_CASE(w120_battery_icon_colour_at_level_boundaries) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    const std::int32_t draw = spec_of(sim).draw.standby_ma;
    for (const BatteryCase& c : battery_cases(draw)) {
        BOOST_TEST_CONTEXT(c.what) {
            set_remaining_mah(sim, c.mah);
            Snapshot s = sim.snapshot();
            BOOST_REQUIRE_EQUAL(s.battery.time_left.count(), c.mah * 3'600'000 / draw);
            auto b = icon(s, Icon::Battery);
            BOOST_REQUIRE(b.has_value());
            BOOST_TEST(b->colour == c.expected);
            BOOST_TEST(s.battery.level == level_of(c.expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(w120_storage_icon_colour_at_level_boundaries) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    const std::int64_t bitrate = spec_of(sim).media.bitrate_1080p_bps;
    for (const LevelCase& c : storage_cases()) {
        BOOST_TEST_CONTEXT(c.what) {
            set_free_bytes(sim, bytes_for(c.left, bitrate));
            Snapshot s = sim.snapshot();
            BOOST_REQUIRE_EQUAL(s.storage.recording_left.count(), c.left.count());
            auto st = icon(s, Icon::Storage);
            BOOST_REQUIRE(st.has_value());
            BOOST_TEST(st->colour == c.expected);
            BOOST_TEST(s.storage.level == level_of(c.expected));
        }
    }
}

// --- W100 --------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(w100_start_up_pulsing_amber_then_operation_green) {
    SimCamera sim(options(Model::W100));
    const ModelSpec& m = spec_of(sim);
    for (Indicator i : m.indicators)
        BOOST_TEST(light(sim.snapshot(), i) == kDark, to_string(i));
    sim.press(Button::Power, 100ms);
    sim.run_for(m.timing.boot_to_ready / 2);
    Snapshot booting = sim.snapshot();
    BOOST_REQUIRE_EQUAL(booting.power, PowerState::Booting);
    // "The status LEDs pulse amber until ready": operation, battery and storage status.
    for (Indicator i : {Indicator::OperationLed, Indicator::BatteryLed, Indicator::StorageLed})
        BOOST_TEST(light(booting, i) == pulsing(m, Colour::Amber), to_string(i));
    BOOST_TEST(light(booting, Indicator::RecordingStatusLed) == kDark);

    sim.run_for(m.timing.boot_to_ready / 2 + 1s);
    Snapshot ready = sim.snapshot();
    BOOST_REQUIRE_EQUAL(ready.power, PowerState::On);
    BOOST_TEST(light(ready, Indicator::OperationLed) == steady(Colour::Green));
    BOOST_TEST(light(ready, Indicator::BatteryLed) == kDark);
    BOOST_TEST(light(ready, Indicator::StorageLed) == kDark);
}

BOOST_AUTO_TEST_CASE(w100_docking_led_green_when_ready) {
    SimCamera sim(options(Model::W100));
    dock_and_settle(sim);
    sim.link_controller(std::string("Officer Demo"));
    let_camera_sample(sim);
    BOOST_REQUIRE(sim.snapshot().ready_to_undock);
    BOOST_TEST(light(sim.snapshot(), Indicator::DockingLed) == steady(Colour::Green));
}

BOOST_AUTO_TEST_CASE(w100_docking_led_pulsing_amber_while_charging) {
    SimCameraOptions o = options(Model::W100);
    o.battery_soc_percent = 40.0;
    SimCamera sim(o);
    dock_and_settle(sim);
    sim.link_controller(o.user);
    let_camera_sample(sim);
    const ModelSpec& m = spec_of(sim);
    BOOST_REQUIRE(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
    BOOST_TEST(light(sim.snapshot(), Indicator::DockingLed) == pulsing(m, Colour::Amber));
    sim.cell().set_soc(100.0);
    let_camera_sample(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::DockingLed) == steady(Colour::Green));
}

BOOST_AUTO_TEST_CASE(w100_docking_led_pulsing_amber_while_transferring) {
    SimCamera sim(options(Model::W100));
    sim.storage().set_used(900'000'000, 900'000'000);
    dock_and_settle(sim);
    sim.link_controller(std::string("Officer Demo"));
    let_camera_sample(sim);
    const ModelSpec& m = spec_of(sim);
    BOOST_REQUIRE(sim.snapshot().storage.status.pending_offload_bytes > 0);
    BOOST_TEST(light(sim.snapshot(), Indicator::DockingLed) == pulsing(m, Colour::Amber));
    BOOST_REQUIRE(sim.run_until_state(
        [](const Snapshot& x) { return x.storage.status.pending_offload_bytes == 0; }, hours(1)));
    let_camera_sample(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::DockingLed) == steady(Colour::Green));
}

BOOST_AUTO_TEST_CASE(w100_docking_led_pulsing_amber_while_updating) {
    SimCamera sim(options(Model::W100));
    dock_and_settle(sim);
    ControllerState c;
    c.link_up = true;
    c.camera_added = true;
    c.user = "Officer Demo";
    c.firmware_offer = "9.9.9-test";
    sim.camera().set_controller(c);
    let_camera_sample(sim);
    const ModelSpec& m = spec_of(sim);
    BOOST_REQUIRE(sim.snapshot().firmware_update_percent.has_value());
    BOOST_TEST(light(sim.snapshot(), Indicator::DockingLed) == pulsing(m, Colour::Amber));
    sim.run_for(m.timing.firmware_update + m.timing.dock_restart + m.charge.control_period + 1s);
    BOOST_REQUIRE_EQUAL(sim.snapshot().firmware_version, "9.9.9-test");
    BOOST_TEST(light(sim.snapshot(), Indicator::DockingLed) == steady(Colour::Green));
}

BOOST_AUTO_TEST_CASE(w100_recording_status_led_red_while_recording) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::RecordingStatusLed) == kDark);
    start_recording(sim); // the front button
    BOOST_TEST(light(sim.snapshot(), Indicator::RecordingStatusLed) == steady(Colour::Red));
    hold(sim, Button::Record, 4s); // stop: hold the front button >= 4 s
    BOOST_REQUIRE(!sim.snapshot().recording);
    BOOST_TEST(light(sim.snapshot(), Indicator::RecordingStatusLed) == kDark);
}

BOOST_AUTO_TEST_CASE(w100_operation_led_green_standby_and_recording) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == steady(Colour::Green));
    start_recording(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == steady(Colour::Green));
}

BOOST_AUTO_TEST_CASE(w100_operation_led_flashing_green_below_half_an_hour_of_battery) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    const ModelSpec& m = spec_of(sim);
    const std::int32_t draw = m.draw.standby_ma;
    set_remaining_mah(sim, mah_for(kRedBelow, draw)); // exactly 0.5 h: not yet "< 0.5 h"
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == steady(Colour::Green));
    set_remaining_mah(sim, mah_for(kRedBelow, draw) - 1);
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == flashing(m, Colour::Green));
}

BOOST_AUTO_TEST_CASE(w100_operation_led_flashing_green_below_half_an_hour_of_storage) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    const ModelSpec& m = spec_of(sim);
    const std::int64_t bitrate = m.media.bitrate_1080p_bps;
    set_free_bytes(sim, bytes_for(kRedBelow, bitrate));
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == steady(Colour::Green));
    set_free_bytes(sim, bytes_for(kRedBelow - 1ms, bitrate));
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == flashing(m, Colour::Green));
}

BOOST_AUTO_TEST_CASE(w100_operation_led_amber_when_recording_not_possible) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    set_free_bytes(sim, bytes_for(5s, spec_of(sim).media.bitrate_1080p_bps)); // storage full
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == steady(Colour::Amber));
    sim.storage().set_used(0, 0);
    sim.storage().set_error(true); // storage failed
    let_camera_sample(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == steady(Colour::Amber));
}

BOOST_AUTO_TEST_CASE(w100_battery_and_storage_leds_after_top_press) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    const ModelSpec& m = spec_of(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::BatteryLed) == kDark);
    BOOST_TEST(light(sim.snapshot(), Indicator::StorageLed) == kDark);
    tap(sim, Button::Top);
    // Full battery and empty 64 GB storage: both well above 1 h.
    BOOST_TEST(light(sim.snapshot(), Indicator::BatteryLed) == steady(Colour::Green));
    BOOST_TEST(light(sim.snapshot(), Indicator::StorageLed) == steady(Colour::Green));
    sim.run_for(m.timing.status_shown_for);
    BOOST_TEST(light(sim.snapshot(), Indicator::BatteryLed) == kDark);
    BOOST_TEST(light(sim.snapshot(), Indicator::StorageLed) == kDark);
}

BOOST_AUTO_TEST_CASE(w100_battery_led_colour_at_level_boundaries) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    const std::int32_t draw = spec_of(sim).draw.standby_ma;
    for (const BatteryCase& c : battery_cases(draw)) {
        BOOST_TEST_CONTEXT(c.what) {
            set_remaining_mah(sim, c.mah);
            tap(sim, Button::Top);
            Snapshot s = sim.snapshot();
            BOOST_REQUIRE_EQUAL(s.battery.time_left.count(), c.mah * 3'600'000 / draw);
            BOOST_TEST(light(s, Indicator::BatteryLed) == steady(c.expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(w100_storage_led_colour_at_level_boundaries) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    const std::int64_t bitrate = spec_of(sim).media.bitrate_1080p_bps;
    for (const LevelCase& c : storage_cases()) {
        BOOST_TEST_CONTEXT(c.what) {
            set_free_bytes(sim, bytes_for(c.left, bitrate));
            tap(sim, Button::Top);
            Snapshot s = sim.snapshot();
            BOOST_REQUIRE_EQUAL(s.storage.recording_left.count(), c.left.count());
            BOOST_TEST(light(s, Indicator::StorageLed) == steady(c.expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(storage_level_follows_the_profile_bitrate) {
    // The same free space lasts twice as long at 720p: 45 min at 1080p is amber, 90 min green.
    for (Model model : all_models()) {
        SimCameraOptions o = options(model);
        o.profile.resolution = Resolution::P720;
        SimCamera sim(o);
        power_on(sim);
        const MediaSpec& media = spec_of(sim).media;
        BOOST_REQUIRE_EQUAL(media.bitrate_1080p_bps, 2 * media.bitrate_720p_bps);
        set_free_bytes(sim, bytes_for(45min, media.bitrate_1080p_bps));
        Snapshot s = sim.snapshot();
        BOOST_TEST(s.storage.recording_left.count() == Millis{90min}.count());
        BOOST_TEST(s.storage.level == Level::Green, to_string(model));
    }
}

BOOST_AUTO_TEST_CASE(battery_level_uses_the_draw_of_the_present_state) {
    // One more mAh than an hour of standby: green while idle, but recording draws more, so the
    // same charge is under half an hour of recording: red.
    for (Model model : all_models()) {
        BOOST_TEST_CONTEXT(to_string(model)) {
            SimCamera sim(options(model));
            power_on(sim);
            const PowerDraw& draw = spec_of(sim).draw;
            const std::int64_t mah = mah_for(kGreenAbove, draw.standby_ma) + 1;
            BOOST_REQUIRE(Millis{mah * 3'600'000 / draw.recording_ma} < kRedBelow);
            set_remaining_mah(sim, mah);
            BOOST_TEST(sim.snapshot().battery.level == Level::Green);
            start_recording(sim);
            Snapshot rec = sim.snapshot();
            BOOST_TEST(rec.battery.time_left.count() == mah * 3'600'000 / draw.recording_ma);
            BOOST_TEST(rec.battery.level == Level::Red);
            if (model == Model::W120) {
                auto b = icon(rec, Icon::Battery);
                BOOST_REQUIRE(b.has_value());
                BOOST_TEST(b->colour == Colour::Red);
            } else {
                tap(sim, Button::Top);
                BOOST_TEST(light(sim.snapshot(), Indicator::BatteryLed) == steady(Colour::Red));
                BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) ==
                           flashing(spec_of(sim), Colour::Green));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(w100_microphone_led_on_while_microphone_off) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::MicrophoneLed) == kDark);
    hold(sim, Button::Function, 3s);
    BOOST_REQUIRE(sim.snapshot().microphone_off);
    const LightState mic = light(sim.snapshot(), Indicator::MicrophoneLed);
    BOOST_TEST(mic.lit());
    BOOST_TEST(mic.pattern == Pattern::Steady);
    hold(sim, Button::Function, 3s);
    BOOST_REQUIRE(!sim.snapshot().microphone_off);
    BOOST_TEST(light(sim.snapshot(), Indicator::MicrophoneLed) == kDark);
}

BOOST_AUTO_TEST_CASE(w100_extension_led_green_pulsing_amber_red) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    const ModelSpec& m = spec_of(sim);
    BOOST_TEST(light(sim.snapshot(), Indicator::ExtensionLed) == kDark);
    Accessories a;
    a.extension = ExtensionSensor::Connected;
    sim.camera().set_accessories(a);
    BOOST_TEST(light(sim.snapshot(), Indicator::ExtensionLed) == steady(Colour::Green));

    a.extension = ExtensionSensor::Switching;
    sim.camera().set_accessories(a);
    BOOST_TEST(light(sim.snapshot(), Indicator::ExtensionLed) == pulsing(m, Colour::Amber));
    // "switching source (recording disabled)"
    sim.press(Button::Record, 100ms);
    BOOST_TEST(!sim.snapshot().recording);
    BOOST_TEST(light(sim.snapshot(), Indicator::OperationLed) == steady(Colour::Amber));

    a.extension = ExtensionSensor::Error;
    sim.camera().set_accessories(a);
    BOOST_TEST(light(sim.snapshot(), Indicator::ExtensionLed) == steady(Colour::Red));
}

BOOST_AUTO_TEST_CASE(w100_docked_not_added_all_leds_flash_amber) {
    {
        // A new camera (shipping mode) put in a dock.
        SimCameraOptions o = options(Model::W100);
        o.provisioned = false;
        SimCamera sim(o);
        dock_and_settle(sim);
        const ModelSpec& m = spec_of(sim);
        Snapshot s = sim.snapshot();
        BOOST_REQUIRE_EQUAL(s.lights.size(), std::size_t{7});
        for (Indicator i : m.indicators)
            BOOST_TEST(light(s, i) == flashing(m, Colour::Amber), to_string(i));
    }
    {
        // A camera whose controller says it is not (or no longer) added.
        SimCamera sim(options(Model::W100));
        dock_and_settle(sim);
        ControllerState c;
        c.link_up = true;
        c.camera_added = false;
        sim.camera().set_controller(c);
        const ModelSpec& m = spec_of(sim);
        Snapshot s = sim.snapshot();
        for (Indicator i : m.indicators)
            BOOST_TEST(light(s, i) == flashing(m, Colour::Amber), to_string(i));
    }
}

BOOST_AUTO_TEST_CASE(w100_no_user_undocked_all_leds_flash_red) {
    SimCamera sim(options(Model::W100));
    make_userless_and_undocked(sim);
    const ModelSpec& m = spec_of(sim);
    Snapshot s = sim.snapshot();
    BOOST_REQUIRE_EQUAL(s.lights.size(), std::size_t{7});
    for (Indicator i : m.indicators)
        BOOST_TEST(light(s, i) == flashing(m, Colour::Red), to_string(i));
}

BOOST_AUTO_TEST_CASE(w100_has_no_display) {
    SimCamera sim(options(Model::W100));
    power_on(sim);
    Snapshot s = sim.snapshot();
    BOOST_TEST(!s.display.on);
    BOOST_TEST(s.light(Indicator::Display) == nullptr);
    BOOST_TEST(s.light(Indicator::StatusLed) == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
