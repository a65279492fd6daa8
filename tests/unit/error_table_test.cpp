// Unit tests for the RMA diagnosis table (SPEC §8), suite "error_table": one test case per row,
// named after the row, producing the condition on a simulated camera and asserting exactly the
// behaviour the row lists on the model(s) it applies to; plus the manuals' discrepancy on
// leaving silent mode (3 s, not the troubleshooting tables' 2 s).
//
// Every row runs on a host::SimCamera; the Wi-Fi and mobile-network rows fit it with a fake
// WifiRadio and a scripted ModemPort (SimCameraOptions::radios): the whole camera, not just the
// managers, is under test there.
#include "firmware/core/snapshot.hpp"
#include "firmware/host/sim_camera.hpp"
#include "sim_fixtures.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using namespace bwc::fw;
using namespace bwc::fixtures;
using bwc::host::SimCamera;
using bwc::host::SimCameraOptions;

namespace {

bool is_sound(const std::optional<Sound>& s, Sound expected) {
    return s && *s == expected;
}

std::size_t count_kind(const std::vector<Event>& events, EventKind kind) {
    return static_cast<std::size_t>(std::count_if(
        events.begin(), events.end(), [kind](const Event& e) { return e.kind == kind; }));
}

/// Whole mAh of charge that last `t` at `draw_ma` (rounded down).
std::int64_t mah_for(Millis t, std::int32_t draw_ma) {
    return t.count() * draw_ma / 3'600'000;
}

void set_free_recording(SimCamera& sim, Millis left) {
    const std::int64_t free = left.count() * spec_of(sim).media.bitrate_1080p_bps / 8'000;
    sim.storage().set_used(sim.storage().status().capacity_bytes - free, 0);
    let_camera_sample(sim);
}

void check_recording_not_possible_tones() {
    const auto t = tones(Sound::RecordingNotPossible);
    BOOST_REQUIRE_EQUAL(t.size(), std::size_t{3}); // 2 short + 1 long
    for (const Tone& tone : t) {
        BOOST_TEST(tone.beep);
        BOOST_TEST(tone.buzz);
    }
    BOOST_TEST(t[0].on.count() == t[1].on.count());
    BOOST_TEST(t[2].on.count() > t[0].on.count());
    BOOST_TEST(t[0].off.count() > 0); // the shorts are separate tones
    BOOST_TEST(t[1].off.count() > 0);
}

// --- radios for the Wi-Fi and mobile rows ------------------------------------------------------

/// A modem that answers each command line from a script; unknown commands go unanswered. The
/// answers are queued and handed to the camera by SimCamera (ModemPort::send must not call back).
struct ScriptedModem final : radio::ModemPort {
    std::map<std::string, std::string> script;
    std::deque<std::string> outbox;
    std::vector<std::string> sent;
    void send(std::string_view line) override {
        sent.emplace_back(line);
        if (auto it = script.find(std::string(line)); it != script.end())
            outbox.push_back(it->second);
    }
    std::optional<std::string> next_reply() {
        if (outbox.empty())
            return std::nullopt;
        std::string reply = outbox.front();
        outbox.pop_front();
        return reply;
    }
};

/// `o` with `modem` fitted and its answers delivered (it must outlive the SimCamera).
SimCameraOptions with_modem(SimCameraOptions o, ScriptedModem& modem) {
    o.radios.modem = &modem;
    o.modem_replies = [&modem] { return modem.next_reply(); };
    return o;
}

Profile wifi_profile() {
    Profile p;
    p.wifi_networks.push_back({.ssid = "depot", .psk = "correct horse", .source = {}});
    return p;
}

radio::AccessPoint depot_ap(radio::WifiBand band, int channel) {
    return wpa2_ap("depot", band, channel, -60);
}

/// 27.007 answers up to the SIM query: a valid IMEI (Luhn), then `cpin_reply`.
std::map<std::string, std::string> modem_script(const std::string& cpin_reply) {
    return {
        {"AT\r", "\r\nOK\r\n"},
        {"ATE0\r", "\r\nOK\r\n"},
        {"AT+CGSN\r", "\r\n490154203237518\r\n\r\nOK\r\n"},
        {"AT+CPIN?\r", cpin_reply},
    };
}

} // namespace

BOOST_AUTO_TEST_SUITE(error_table)

BOOST_AUTO_TEST_CASE(storage_error_icon_steady_camera_not_operational) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    tap(sim, Button::Record);
    BOOST_REQUIRE(sim.snapshot().recording);
    sim.storage().set_error(true);
    let_camera_sample(sim);
    Snapshot s = sim.snapshot();
    auto err = icon(s, Icon::StorageError);
    BOOST_REQUIRE(err.has_value());
    BOOST_TEST(err->pattern == Pattern::Steady);
    BOOST_TEST(s.has(Condition::StorageError));
    // Not operational: the running recording stopped, a new one is refused.
    BOOST_TEST(!s.recording);
    tap(sim, Button::Record);
    BOOST_TEST(!sim.snapshot().recording);
    BOOST_TEST(light(sim.snapshot(), Indicator::StatusLed) == steady(Colour::Amber));

    // The W100 is not operational either: no recording, operation status amber.
    SimCamera w100(options(Model::W100));
    power_on(w100);
    w100.storage().set_error(true);
    let_camera_sample(w100);
    tap(w100, Button::Record);
    BOOST_TEST(!w100.snapshot().recording);
    BOOST_TEST(w100.snapshot().has(Condition::StorageError));
    BOOST_TEST(light(w100.snapshot(), Indicator::OperationLed) == steady(Colour::Amber));
}

BOOST_AUTO_TEST_CASE(docked_no_user_icon_pulsing) {
    SimCamera sim(options(Model::W120));
    dock_and_settle_docked(sim);
    sim.link_controller(std::nullopt);
    Snapshot s = sim.snapshot();
    auto no_user = icon(s, Icon::NoUser);
    BOOST_REQUIRE(no_user.has_value());
    BOOST_TEST(no_user->pattern == Pattern::Pulsing);
    BOOST_TEST(no_user->period.count() == spec_of(sim).indicator_timing.pulse_period.count());
    BOOST_TEST(s.has(Condition::NoUserDocked));
    BOOST_TEST(!icon(s, Icon::UserAssigned).has_value());
    // Assigning a user clears it.
    sim.link_controller(kUser);
    BOOST_TEST(!icon(sim.snapshot(), Icon::NoUser).has_value());
    BOOST_TEST(!sim.snapshot().has(Condition::NoUserDocked));
}

BOOST_AUTO_TEST_CASE(docked_not_added_icon_steady) {
    {
        SimCamera sim(options(Model::W120));
        dock_and_settle_docked(sim);
        ControllerState c = linked();
        c.camera_added = false;
        sim.camera().set_controller(c);
        Snapshot s = sim.snapshot();
        auto not_added = icon(s, Icon::NotAdded);
        BOOST_REQUIRE(not_added.has_value());
        BOOST_TEST(not_added->pattern == Pattern::Steady);
        BOOST_TEST(s.has(Condition::NotAdded));
        sim.camera().set_controller(linked()); // added
        BOOST_TEST(!icon(sim.snapshot(), Icon::NotAdded).has_value());
    }
    {
        // A new camera (shipping mode) docked: not added either.
        SimCameraOptions o = options(Model::W120);
        o.provisioned = false;
        SimCamera sim(o);
        dock_and_settle_docked(sim);
        auto not_added = icon(sim.snapshot(), Icon::NotAdded);
        BOOST_REQUIRE(not_added.has_value());
        BOOST_TEST(not_added->pattern == Pattern::Steady);
    }
}

BOOST_AUTO_TEST_CASE(docked_general_error_icon) {
    SimCamera sim(options(Model::W120));
    dock_and_settle_docked(sim);
    sim.camera().set_controller(linked());
    BOOST_TEST(!icon(sim.snapshot(), Icon::GeneralError).has_value());
    ControllerState c = linked();
    c.general_error = true;
    sim.camera().set_controller(c);
    BOOST_TEST(icon(sim.snapshot(), Icon::GeneralError).has_value());
    BOOST_TEST(sim.snapshot().has(Condition::GeneralError));
    sim.camera().set_controller(linked());
    BOOST_TEST(!icon(sim.snapshot(), Icon::GeneralError).has_value());
}

BOOST_AUTO_TEST_CASE(docked_lost_controller_icon) {
    SimCamera sim(options(Model::W120));
    dock_and_settle_docked(sim); // no controller link yet
    BOOST_TEST(icon(sim.snapshot(), Icon::LostController).has_value());
    BOOST_TEST(sim.snapshot().has(Condition::LostController));
    sim.link_controller(kUser);
    BOOST_TEST(!icon(sim.snapshot(), Icon::LostController).has_value());
    sim.camera().set_controller(ControllerState{}); // link down
    BOOST_TEST(icon(sim.snapshot(), Icon::LostController).has_value());
}

BOOST_AUTO_TEST_CASE(docked_icon_flashing_continuous_beep_battery_not_charging) {
    struct Cause {
        std::string what;
        DeciCelsius temperature;
        bool charger_dead;
    };
    const std::vector<Cause> causes = {
        {"above the 40 C window", deci_c(40, 1), false},
        {"hot, 45 C", deci_c(45), false},
        {"below the 0 C window", deci_c(0) - 1, false},
        {"dead charger at 25 C", deci_c(25), true},
    };
    for (const Cause& cause : causes) {
        BOOST_TEST_CONTEXT(cause.what) {
            SimCameraOptions o = options(Model::W120);
            o.battery_soc_percent = 50.0;
            SimCamera sim(o);
            dock_and_settle_docked(sim);
            sim.link_controller(kUser);
            let_camera_sample(sim);
            BOOST_REQUIRE(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
            sim.camera().drain_events();

            sim.cell().set_temperature(cause.temperature);
            sim.cell().set_charger_dead(cause.charger_dead);
            // A dead charger is noticed after a few control periods with no current.
            BOOST_TEST(sim.run_until_state(
                [](const Snapshot& x) { return x.has(Condition::BatteryNotCharging); }, 2min));
            Snapshot s = sim.snapshot();
            auto charging = icon(s, Icon::Charging);
            BOOST_REQUIRE(charging.has_value());
            BOOST_TEST(charging->pattern == Pattern::Flashing);
            BOOST_TEST(charging->period.count() ==
                       spec_of(sim).indicator_timing.flash_period.count());
            BOOST_TEST(is_sound(s.sound.continuous, Sound::ContinuousBeep));
            BOOST_TEST(sound_events(sim.camera().drain_events(), Sound::ContinuousBeep).size() ==
                       1u);

            // Back to normal: charging resumes, the icon is steady, the beep stops.
            sim.cell().set_temperature(deci_c(25));
            sim.cell().set_charger_dead(false);
            BOOST_TEST(sim.run_until_state(
                [](const Snapshot& x) { return !x.has(Condition::BatteryNotCharging); }, 2min));
            Snapshot ok = sim.snapshot();
            BOOST_TEST(!ok.sound.continuous.has_value());
            auto charging_ok = icon(ok, Icon::Charging);
            BOOST_REQUIRE(charging_ok.has_value());
            BOOST_TEST(charging_ok->pattern == Pattern::Steady);
        }
    }
    // Edges of the window: 0.0 C and 40.0 C still charge (SPEC §5).
    for (DeciCelsius t : {deci_c(0), deci_c(40)}) {
        BOOST_TEST_CONTEXT("at " << t << " dC") {
            SimCameraOptions o = options(Model::W120);
            o.battery_soc_percent = 50.0;
            o.temperature_dc = t;
            SimCamera sim(o);
            dock_and_settle_docked(sim);
            let_camera_sample(sim);
            BOOST_TEST(!sim.snapshot().has(Condition::BatteryNotCharging));
            BOOST_TEST(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
        }
    }
    // W100: the docking status LED flashes amber instead [SPEC §5].
    SimCameraOptions o = options(Model::W100);
    o.battery_soc_percent = 50.0;
    o.temperature_dc = deci_c(45);
    SimCamera w100(o);
    dock_and_settle_docked(w100);
    w100.link_controller(kUser);
    let_camera_sample(w100);
    BOOST_REQUIRE(w100.snapshot().has(Condition::BatteryNotCharging));
    BOOST_TEST(light(w100.snapshot(), Indicator::DockingLed) ==
               flashing(spec_of(w100), Colour::Amber));
}

BOOST_AUTO_TEST_CASE(undocked_no_feedback_doesnt_start_shipping_mode_or_battery_empty) {
    auto dark_and_silent = [](SimCamera& sim, std::uint64_t sounds_before) {
        Snapshot s = sim.snapshot();
        for (const IndicatorReading& r : s.lights)
            BOOST_TEST(r.light == kDark, to_string(r.indicator));
        BOOST_TEST(!s.display.on);
        BOOST_TEST(s.sound.played == sounds_before);
        BOOST_TEST(!s.sound.continuous.has_value());
    };
    for (Model model : all_models()) {
        BOOST_TEST_CONTEXT(to_string(model) << " in shipping mode") {
            SimCameraOptions o = options(model);
            o.provisioned = false;
            SimCamera sim(o);
            sim.press(Button::Power, 100ms);
            sim.run_for(spec_of(sim).timing.boot_to_ready + 1s);
            BOOST_TEST(sim.camera().power() == PowerState::Shipping);
            dark_and_silent(sim, 0);
        }
        BOOST_TEST_CONTEXT(to_string(model) << " with an empty battery") {
            SimCameraOptions o = options(model);
            o.battery_soc_percent = 0.0;
            SimCamera sim(o);
            sim.press(Button::Power, 100ms);
            sim.run_for(spec_of(sim).timing.boot_to_ready + 1s);
            BOOST_TEST(sim.camera().power() != PowerState::On);
            BOOST_TEST(sim.camera().power() != PowerState::Booting);
            dark_and_silent(sim, 0);
        }
    }
    // W120 that ran empty while on: dark, does not start, and a dock gives no feedback until
    // power has been held 4 s; then it charges [SPEC §2, §8].
    SimCamera sim(options(Model::W120));
    power_on(sim);
    sim.cell().set_soc(0.0);
    let_camera_sample(sim);
    BOOST_REQUIRE(sim.camera().power() == PowerState::DeepDischarge);
    const std::uint64_t played = sim.snapshot().sound.played;
    tap(sim, Button::Power);
    sim.run_for(spec_of(sim).timing.boot_to_ready);
    BOOST_TEST(sim.camera().power() == PowerState::DeepDischarge);
    dark_and_silent(sim, played);
    sim.dock();
    sim.run_for(spec_of(sim).timing.dock_restart + 2 * spec_of(sim).charge.control_period);
    BOOST_TEST(!sim.snapshot().display.on);
    BOOST_TEST(sim.snapshot().battery.charge.current_ma == 0);
    sim.undock();
    sim.press(Button::Power, 4s + 150ms);
    BOOST_TEST(sim.camera().power() == PowerState::Off);
    sim.dock();
    sim.run_for(spec_of(sim).timing.dock_restart + 2 * spec_of(sim).charge.control_period);
    BOOST_TEST(sim.snapshot().battery.charge.reason == ChargeReason::Charging);
    BOOST_TEST(sim.snapshot().battery.charge.current_ma > 0);
}

BOOST_AUTO_TEST_CASE(display_off_silent_mode) {
    SimCamera sim(options(Model::W120));
    power_on(sim);
    BOOST_REQUIRE(sim.snapshot().display.on);
    sim.press(Button::Top, 3s + 150ms);
    Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.silent);
    BOOST_TEST(!s.display.on);
    BOOST_TEST(light(s, Indicator::Display) == kDark);
    // Beeps are off too: a refused recording makes no sound.
    sim.storage().set_error(true);
    let_camera_sample(sim);
    const std::uint64_t played = sim.snapshot().sound.played;
    tap(sim, Button::Record);
    BOOST_TEST(sim.snapshot().sound.played == played);
    // "Hold top button" turns it back.
    sim.press(Button::Top, 3s + 150ms);
    BOOST_TEST(!sim.snapshot().silent);
    BOOST_TEST(sim.snapshot().display.on);
}

BOOST_AUTO_TEST_CASE(two_short_one_long_beep_and_buzz_recording_not_possible) {
    check_recording_not_possible_tones();
    // An operational error: the camera was not docked for the lock-out period (8 weeks).
    for (Model model : all_models()) {
        BOOST_TEST_CONTEXT(to_string(model)) {
            SimCameraOptions o = options(model);
            o.undocked_for = model_spec(model).policy.lock_after_undocked + hours(1);
            SimCamera sim(o);
            power_on(sim);
            BOOST_REQUIRE(sim.snapshot().locked);
            sim.camera().drain_events();
            const std::uint64_t played = sim.snapshot().sound.played;
            tap(sim, Button::Record);
            Snapshot s = sim.snapshot();
            BOOST_TEST(!s.recording);
            BOOST_TEST(s.has(Condition::RecordingNotPossible));
            BOOST_TEST(is_sound(s.sound.last, Sound::RecordingNotPossible));
            BOOST_TEST(s.sound.played == played + 1);
            const auto events = sim.camera().drain_events();
            BOOST_TEST(sound_events(events, Sound::RecordingNotPossible).size() == 1u);
            BOOST_TEST(count_kind(events, EventKind::Refused) >= 1u);
        }
    }
}

BOOST_AUTO_TEST_CASE(undocked_no_user_icon) {
    SimCamera sim(options(Model::W120));
    dock_and_settle_docked(sim);
    sim.link_controller(std::nullopt);
    sim.undock();
    sim.run_for(spec_of(sim).timing.undock_restart + 1s);
    Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.power == PowerState::On);
    BOOST_REQUIRE(!s.docked);
    BOOST_TEST(icon(s, Icon::NoUser).has_value());
    BOOST_TEST(s.has(Condition::NoUserUndocked));
    BOOST_TEST(!s.has(Condition::NoUserDocked));
    // With a user the icon is not there.
    SimCamera with_user(options(Model::W120));
    power_on(with_user);
    BOOST_TEST(!icon(with_user.snapshot(), Icon::NoUser).has_value());
}

BOOST_AUTO_TEST_CASE(periodic_beeps_battery_about_to_run_out) {
    struct Case {
        Model model;
        LowBatteryWarning warning;
        Sound sound;
        std::size_t tones_per_warning;
    };
    const std::vector<Case> cases = {
        {Model::W120, LowBatteryWarning::Periodic, Sound::LowBatteryPeriodic, 1},
        {Model::W100, LowBatteryWarning::Periodic, Sound::LowBatteryPeriodic, 1},
        {Model::W120, LowBatteryWarning::PeriodicReinforced, Sound::LowBatteryReinforced, 3},
    };
    for (const Case& c : cases) {
        BOOST_TEST_CONTEXT(to_string(c.model) << " " << to_string(c.sound)) {
            SimCameraOptions o = options(c.model);
            o.profile.low_battery_warning = c.warning;
            SimCamera sim(o);
            power_on(sim);
            const Millis period = c.warning == LowBatteryWarning::Periodic
                                      ? o.profile.low_battery_period
                                      : o.profile.low_battery_reinforced_period;
            const std::int32_t draw = spec_of(sim).draw.standby_ma;
            // Plenty left: no warning.
            sim.camera().drain_events();
            sim.run_for(5min);
            BOOST_TEST(sound_events(sim.camera().drain_events(), c.sound).empty());
            // 25 minutes left (< 0.5 h): warnings every period.
            set_remaining_mah(sim, mah_for(25min, draw));
            sim.run_for(3 * period + period / 2);
            const auto beeps = sound_events(sim.camera().drain_events(), c.sound);
            BOOST_TEST(sim.snapshot().has(Condition::BatteryLow));
            BOOST_REQUIRE(beeps.size() >= 3u);
            for (std::size_t i = 1; i < beeps.size(); ++i)
                BOOST_TEST((beeps[i].at - beeps[i - 1].at).count() == period.count());
            const auto t = tones(c.sound);
            BOOST_TEST(t.size() == c.tones_per_warning);
            for (const Tone& tone : t)
                BOOST_TEST((tone.beep || tone.buzz));
        }
    }
    // Profile "off": no beeps.
    SimCameraOptions o = options(Model::W120);
    o.profile.low_battery_warning = LowBatteryWarning::Off;
    SimCamera sim(o);
    power_on(sim);
    set_remaining_mah(sim, mah_for(20min, spec_of(sim).draw.standby_ma));
    sim.run_for(5min);
    const auto events = sim.camera().drain_events();
    BOOST_TEST(sound_events(events, Sound::LowBatteryPeriodic).empty());
    BOOST_TEST(sound_events(events, Sound::LowBatteryReinforced).empty());
}

BOOST_AUTO_TEST_CASE(two_short_one_long_storage_icon_storage_full) {
    check_recording_not_possible_tones();
    {
        // Full before the start: the press is refused.
        SimCamera sim(options(Model::W120));
        power_on(sim);
        set_free_recording(sim, 5s);
        sim.camera().drain_events();
        tap(sim, Button::Record);
        Snapshot s = sim.snapshot();
        BOOST_TEST(!s.recording);
        BOOST_TEST(s.has(Condition::StorageFull));
        BOOST_TEST(is_sound(s.sound.last, Sound::RecordingNotPossible));
        BOOST_TEST(sound_events(sim.camera().drain_events(), Sound::RecordingNotPossible).size() ==
                   1u);
        auto storage = icon(s, Icon::Storage);
        BOOST_REQUIRE(storage.has_value());
        BOOST_TEST(storage->colour == Colour::Red);
    }
    {
        // Fills up while recording: the recording stops with the same feedback.
        SimCamera sim(options(Model::W120));
        power_on(sim);
        set_free_recording(sim, 3min);
        tap(sim, Button::Record);
        BOOST_REQUIRE(sim.snapshot().recording);
        sim.camera().drain_events();
        BOOST_TEST(sim.run_until_state([](const Snapshot& x) { return !x.recording; }, 10min));
        Snapshot s = sim.snapshot();
        BOOST_TEST(s.has(Condition::StorageFull));
        BOOST_TEST(sound_events(sim.camera().drain_events(), Sound::RecordingNotPossible).size() ==
                   1u);
        auto storage = icon(s, Icon::Storage);
        BOOST_REQUIRE(storage.has_value());
        BOOST_TEST(storage->colour == Colour::Red);
    }
    {
        // W100: same sound, no display.
        SimCamera sim(options(Model::W100));
        power_on(sim);
        set_free_recording(sim, 5s);
        tap(sim, Button::Record);
        Snapshot s = sim.snapshot();
        BOOST_TEST(!s.recording);
        BOOST_TEST(s.has(Condition::StorageFull));
        BOOST_TEST(is_sound(s.sound.last, Sound::RecordingNotPossible));
    }
}

BOOST_AUTO_TEST_CASE(storage_full_action_dock_to_offload_clears_it) {
    // The row's action: dock to offload. Afterwards the storage is empty again, so the storage
    // icon must follow what is left (SPEC §3: "storage used (colour by what is left)") and the
    // camera must no longer report itself full.
    SimCamera sim(options(Model::W120));
    power_on(sim);
    const std::int64_t capacity = sim.storage().status().capacity_bytes;
    const std::int64_t five_s = 5 * spec_of(sim).media.bitrate_1080p_bps / 8;
    sim.storage().set_used(capacity - five_s, capacity - five_s); // all of it recorded, pending
    let_camera_sample(sim);
    tap(sim, Button::Record);
    BOOST_REQUIRE(sim.snapshot().has(Condition::StorageFull));

    dock_and_settle_docked(sim);
    sim.link_controller(kUser);
    BOOST_REQUIRE(sim.run_until_state(
        [](const Snapshot& x) { return x.storage.status.pending_offload_bytes == 0; }, hours(2)));
    sim.undock();
    sim.run_for(spec_of(sim).timing.undock_restart + spec_of(sim).charge.control_period + 1s);
    Snapshot s = sim.snapshot();
    BOOST_REQUIRE(s.power == PowerState::On);
    BOOST_REQUIRE(!s.docked);
    BOOST_REQUIRE(s.storage.recording_left > hours(1));
    BOOST_TEST(!s.has(Condition::StorageFull));
    auto storage = icon(s, Icon::Storage);
    BOOST_REQUIRE(storage.has_value());
    BOOST_TEST(storage->colour == Colour::Green);
}

BOOST_AUTO_TEST_CASE(wifi_icon_red_cannot_connect_to_wifi) {
    {
        // The configured network is not visible.
        FakeWifi wifi;
        SimCamera sim(with_wifi(options(Model::W120, wifi_profile()), wifi));
        power_on(sim);
        Snapshot s = sim.snapshot();
        BOOST_TEST(s.radios.wifi_icon == RadioIcon::Error);
        auto wifi_icon = icon(s, Icon::Wifi);
        BOOST_REQUIRE(wifi_icon.has_value());
        BOOST_TEST(wifi_icon->colour == Colour::Red);
        BOOST_TEST(s.has(Condition::WifiError));
        // It comes into range: the next retry joins and the icon shows bars, not red.
        wifi.visible = {depot_ap(radio::WifiBand::ghz_2_4, 6)};
        sim.run_for(radio::wifi_retry_period + 1s);
        Snapshot joined = sim.snapshot();
        auto bars = icon(joined, Icon::Wifi);
        BOOST_REQUIRE(bars.has_value());
        BOOST_TEST(bars->colour != Colour::Red);
        BOOST_TEST(bars->level > 0);
        BOOST_TEST(!joined.has(Condition::WifiError));
    }
    {
        // Visible but the join fails (wrong key).
        FakeWifi wifi;
        wifi.visible = {depot_ap(radio::WifiBand::ghz_2_4, 6)};
        wifi.outcome = radio::JoinOutcome::authentication_failed;
        SimCamera sim(with_wifi(options(Model::W120, wifi_profile()), wifi));
        power_on(sim);
        auto wifi_icon = icon(sim.snapshot(), Icon::Wifi);
        BOOST_REQUIRE(wifi_icon.has_value());
        BOOST_TEST(wifi_icon->colour == Colour::Red);
    }
    {
        // W100: 2.4 GHz only, so a 5 GHz-only network cannot be joined (no display: condition).
        FakeWifi wifi;
        wifi.visible = {depot_ap(radio::WifiBand::ghz_5, 36)};
        SimCamera sim(with_wifi(options(Model::W100, wifi_profile()), wifi));
        power_on(sim);
        BOOST_TEST(sim.snapshot().has(Condition::WifiError));
        BOOST_TEST(sim.snapshot().radios.wifi_icon == RadioIcon::Error);
    }
}

BOOST_AUTO_TEST_CASE(mobile_icon_red_cannot_connect_to_mobile_network) {
    {
        // SIM wants a PIN and the profile has none.
        ScriptedModem modem;
        modem.script = modem_script("\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n");
        SimCamera sim(with_modem(options(Model::W120), modem));
        power_on(sim);
        Snapshot s = sim.snapshot();
        BOOST_TEST(s.radios.mobile_icon == RadioIcon::Error);
        auto mobile = icon(s, Icon::Mobile);
        BOOST_REQUIRE(mobile.has_value());
        BOOST_TEST(mobile->colour == Colour::Red);
        BOOST_TEST(s.has(Condition::MobileError));
    }
    {
        // A modem that never answers: searching until the command times out, then red.
        ScriptedModem modem;
        SimCamera sim(with_modem(options(Model::W120), modem));
        sim.press(Button::Power, 100ms);
        sim.run_for(spec_of(sim).timing.boot_to_ready + 1s);
        BOOST_REQUIRE(!modem.sent.empty());
        BOOST_TEST(sim.snapshot().radios.mobile_icon == RadioIcon::Searching);
        BOOST_TEST(!sim.snapshot().has(Condition::MobileError));
        sim.run_for(radio::default_command_timeout);
        auto mobile = icon(sim.snapshot(), Icon::Mobile);
        BOOST_REQUIRE(mobile.has_value());
        BOOST_TEST(mobile->colour == Colour::Red);
        BOOST_TEST(sim.snapshot().has(Condition::MobileError));
    }
    {
        // No SIM is not an error: the icon is off (the camera uses Wi-Fi), not red.
        ScriptedModem modem;
        modem.script = modem_script("\r\n+CME ERROR: 10\r\n");
        SimCamera sim(with_modem(options(Model::W120), modem));
        power_on(sim);
        Snapshot s = sim.snapshot();
        BOOST_TEST(s.radios.mobile_icon == RadioIcon::Off);
        auto mobile = icon(s, Icon::Mobile);
        BOOST_REQUIRE(mobile.has_value());
        BOOST_TEST(mobile->colour != Colour::Red);
        BOOST_TEST(!s.has(Condition::MobileError));
    }
}

BOOST_AUTO_TEST_CASE(w100_extension_red_operation_green_one_short_beep_sensor_fault) {
    const auto beep = tones(Sound::SensorFault);
    BOOST_REQUIRE_EQUAL(beep.size(), std::size_t{1});
    BOOST_TEST(beep[0].beep);
    const auto rnp = tones(Sound::RecordingNotPossible);
    BOOST_TEST(beep[0].on.count() == rnp[0].on.count()); // short, as the shorts of 2+1
    BOOST_TEST(beep[0].on.count() < rnp[2].on.count());

    SimCamera sim(options(Model::W100));
    power_on(sim);
    Accessories a;
    a.extension = ExtensionSensor::Connected;
    sim.camera().set_accessories(a);
    sim.camera().drain_events();
    a.extension = ExtensionSensor::Error;
    sim.camera().set_accessories(a);
    Snapshot s = sim.snapshot();
    BOOST_TEST(light(s, Indicator::ExtensionLed) == steady(Colour::Red));
    BOOST_TEST(light(s, Indicator::OperationLed) == steady(Colour::Green));
    BOOST_TEST(s.has(Condition::SensorFault));
    BOOST_TEST(is_sound(s.sound.last, Sound::SensorFault));
    // Still faulty a minute later: one beep, not a beep per report.
    sim.run_for(1min);
    sim.camera().set_accessories(a);
    BOOST_TEST(sound_events(sim.camera().drain_events(), Sound::SensorFault).size() == 1u);
    // Disconnecting the sensor isolates it.
    sim.camera().set_accessories({});
    BOOST_TEST(!sim.snapshot().has(Condition::SensorFault));
    BOOST_TEST(light(sim.snapshot(), Indicator::ExtensionLed) == kDark);
}

BOOST_AUTO_TEST_CASE(w100_docking_status_flashes_amber_storage_red_upload_error) {
    SimCamera sim(options(Model::W100));
    const std::int64_t pending = 3'000'000'000;
    sim.storage().set_used(pending, pending);
    dock_and_settle_docked(sim);
    ControllerState c = linked();
    c.upload_error = true;
    sim.camera().set_controller(c);
    sim.run_for(spec_of(sim).timing.dock_upload_delay + 3 * spec_of(sim).charge.control_period);
    Snapshot s = sim.snapshot();
    BOOST_TEST(s.has(Condition::UploadError));
    BOOST_TEST(light(s, Indicator::DockingLed) == flashing(spec_of(sim), Colour::Amber));
    BOOST_TEST(light(s, Indicator::StorageLed) == steady(Colour::Red));
    BOOST_TEST(sim.storage().status().pending_offload_bytes == pending); // nothing moved
    // The error clears: the upload runs and the LEDs go back to normal.
    sim.camera().set_controller(linked());
    sim.run_for(3 * spec_of(sim).charge.control_period);
    Snapshot ok = sim.snapshot();
    BOOST_TEST(!ok.has(Condition::UploadError));
    BOOST_TEST(sim.storage().status().pending_offload_bytes < pending);
    BOOST_TEST(light(ok, Indicator::StorageLed) == kDark);
    BOOST_TEST(light(ok, Indicator::DockingLed).pattern == Pattern::Pulsing);
}

BOOST_AUTO_TEST_CASE(silent_mode_left_with_3_s_not_2_s) {
    // The troubleshooting tables say 2 s; daily use says 3 s. SPEC §2: 3 s, and the 2 s text
    // is a documentation defect. Threshold - 150 ms must not fire, threshold + 150 ms must.
    for (Model model : all_models()) {
        BOOST_TEST_CONTEXT(to_string(model)) {
            SimCamera sim(options(model));
            power_on(sim);
            sim.press(Button::Top, 3s + 150ms);
            sim.run_for(1s);
            BOOST_REQUIRE(sim.snapshot().silent);
            sim.press(Button::Top, 2s);
            sim.run_for(1s);
            BOOST_TEST(sim.snapshot().silent);
            sim.press(Button::Top, 3s - 150ms);
            sim.run_for(1s);
            BOOST_TEST(sim.snapshot().silent);
            sim.press(Button::Top, 3s + 150ms);
            sim.run_for(1s);
            BOOST_TEST(!sim.snapshot().silent);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
