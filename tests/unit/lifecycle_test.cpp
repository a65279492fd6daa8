// Unit tests for the camera life cycle, SPEC §4 (and the pre-buffer rules of §6), through a
// SimCamera of each model on a virtual clock:
//  - power on to ready, dock restart into docked mode, undock restart to ready (±150 ms around
//    the model's time, which is itself checked against SPEC §4);
//  - shipping mode: does not start, leaves shipping mode when docked and added by the controller;
//  - the 8-week lock (± 1 min), both for a camera powered on after the deadline and for one that
//    is on when it passes, and unlocking with the master key;
//  - the 6-day live-stream certificate (± 1 min) and its renewal at the dock;
//  - the pre-buffer: shorter right after power-on and after the previous recording, capped by
//    its own space at a high scene bitrate;
//  - a firmware update offered by the controller to a docked camera; content offload to zero.
#include "firmware/core/model.hpp"
#include "firmware/core/snapshot.hpp"
#include "firmware/host/sim_camera.hpp"
#include "sim_fixtures.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace fw = bwc::fw;
using namespace bwc::fixtures;
using bwc::host::SimCamera;
using bwc::host::SimCameraOptions;
using fw::Activity;
using fw::Button;
using fw::Millis;
using fw::Model;
using fw::PowerState;
using namespace std::chrono_literals;

namespace {

/// Press power and run until ready; returns the time the camera became ready.
Millis timed_power_on(SimCamera& sim) {
    (void)sim.camera().drain_events();
    sim.press(Button::Power, kTap);
    sim.run_for(sim.camera().spec().timing.boot_to_ready + 1s);
    const auto events = sim.camera().drain_events();
    BOOST_TEST_REQUIRE(sim.camera().power() == PowerState::On,
                       "camera did not become ready: " << describe(events));
    const fw::Event* ready = find_event(events, fw::EventKind::State, "power", "booting->on");
    BOOST_TEST_REQUIRE(ready != nullptr, describe(events));
    return ready->at;
}

/// Press record; returns the time of the start_recording action.
Millis press_record(SimCamera& sim) {
    (void)sim.camera().drain_events();
    sim.press(Button::Record, kTap);
    sim.run_for(1s);
    const auto events = sim.camera().drain_events();
    const fw::Event* a = find_event(events, fw::EventKind::Action, "start_recording");
    BOOST_TEST_REQUIRE(a != nullptr, describe(events));
    return a->at;
}

Millis stop_hold(Model m) {
    for (const fw::GestureBinding& b : fw::model_spec(m).gestures)
        if (b.action == fw::Action::StopRecording)
            return b.hold_threshold;
    return 0ms;
}

/// Stop a recording with the stop hold; returns when it stopped.
Millis stop_recording(SimCamera& sim) {
    (void)sim.camera().drain_events();
    sim.press(Button::Record, stop_hold(sim.camera().spec().model) + kMargin);
    sim.run_for(1s);
    const auto events = sim.camera().drain_events();
    const fw::Event* e = find_event(events, fw::EventKind::State, "recording_stopped");
    BOOST_TEST_REQUIRE(e != nullptr, describe(events));
    return e->at;
}

void undock_and_settle(SimCamera& sim) {
    sim.undock();
    sim.run_for(sim.camera().spec().timing.undock_restart + 1s);
}

bool starts_with(const std::string& s, std::string_view prefix) {
    return s.starts_with(prefix);
}

} // namespace

BOOST_AUTO_TEST_SUITE(lifecycle)

BOOST_AUTO_TEST_CASE(model_timing_matches_spec_section_4) {
    const fw::LifecycleTiming& w120 = fw::model_spec(Model::W120).timing;
    const fw::LifecycleTiming& w100 = fw::model_spec(Model::W100).timing;
    // W120: "up to 30 s", "up to 40 s", display back after another 10 s.
    BOOST_TEST(w120.boot_to_ready.count() > 0);
    BOOST_TEST(w120.boot_to_ready.count() <= Millis{30s}.count());
    BOOST_TEST(w120.undock_restart.count() <= Millis{40s}.count());
    BOOST_TEST(w120.dock_restart.count() == Millis{10s}.count());
    // W100: "about 15 s", "about 20 s", LEDs after ~10 s, upload ~10 s later (± 2 s).
    BOOST_TEST(std::abs(w100.boot_to_ready.count() - 15'000) <= 2'000);
    BOOST_TEST(std::abs(w100.undock_restart.count() - 20'000) <= 2'000);
    BOOST_TEST(std::abs(w100.dock_restart.count() - 10'000) <= 2'000);
    BOOST_TEST(std::abs(w100.dock_upload_delay.count() - 10'000) <= 2'000);
    for (Model m : fw::all_models()) {
        const fw::SystemPolicy& p = fw::model_spec(m).policy;
        BOOST_TEST(p.lock_after_undocked.count() == fw::weeks(8).count());
        BOOST_TEST(p.certificate_valid_for.count() == fw::days(6).count());
    }
}

BOOST_AUTO_TEST_CASE(power_on_to_ready_takes_boot_to_ready) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            const Millis boot = sim.camera().spec().timing.boot_to_ready;
            const Millis pressed = sim.now();
            sim.press(Button::Power, kTap);
            const auto events = sim.camera().drain_events();
            const fw::Event* on = find_event(events, fw::EventKind::Action, "power_on");
            BOOST_TEST_REQUIRE(on != nullptr, describe(events));
            BOOST_TEST((on->at - pressed).count() == kTap.count(), "power on at the release");
            const Millis t0 = on->at;

            sim.run_until(t0 + boot - kMargin);
            fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.power == PowerState::Booting, "ready too early");
            if (m == Model::W120) {
                BOOST_TEST(s.display.on, "W120 shows the logo while starting");
                BOOST_TEST(s.display.find(fw::Icon::Logo) != nullptr);
                const fw::LightState* status = s.light(fw::Indicator::StatusLed);
                BOOST_TEST_REQUIRE(status != nullptr);
                BOOST_TEST(!status->lit(), "status LED only when ready");
            } else {
                const fw::LightState* op = s.light(fw::Indicator::OperationLed);
                BOOST_TEST_REQUIRE(op != nullptr);
                BOOST_TEST(op->colour == fw::Colour::Amber, "W100 status LEDs pulse amber");
                BOOST_TEST(op->pattern == fw::Pattern::Pulsing);
            }

            sim.run_until(t0 + boot + kMargin);
            s = sim.snapshot();
            BOOST_TEST(s.power == PowerState::On);
            BOOST_TEST(s.activity == Activity::Idle);
            const auto later = sim.camera().drain_events();
            const fw::Event* ready =
                find_event(later, fw::EventKind::State, "power", "booting->on");
            BOOST_TEST_REQUIRE(ready != nullptr, describe(later));
            BOOST_TEST((ready->at - t0).count() == boot.count());
            const fw::LightState* led =
                s.light(m == Model::W120 ? fw::Indicator::StatusLed : fw::Indicator::OperationLed);
            BOOST_TEST_REQUIRE(led != nullptr);
            BOOST_TEST(led->colour == fw::Colour::Green, "green when ready");
            BOOST_TEST(led->pattern == fw::Pattern::Steady);
        }
    }
}

BOOST_AUTO_TEST_CASE(dock_restarts_then_docked_mode_then_upload) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            const fw::LifecycleTiming& timing = sim.camera().spec().timing;
            timed_power_on(sim);
            sim.storage().set_used(2'000'000'000, 2'000'000'000);
            const Millis docked_at = sim.now();
            sim.dock();
            sim.link_controller("Officer Demo");
            BOOST_TEST(sim.camera().power() == PowerState::Restarting, "docking restarts");

            sim.run_until(docked_at + timing.dock_restart - kMargin);
            fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.power == PowerState::Restarting);
            BOOST_TEST(!s.display.on);
            if (m == Model::W100) {
                const fw::LightState* dock_led = s.light(fw::Indicator::DockingLed);
                BOOST_TEST_REQUIRE(dock_led != nullptr);
                BOOST_TEST(!dock_led->lit());
            }

            sim.run_until(docked_at + timing.dock_restart + kMargin);
            s = sim.snapshot();
            BOOST_TEST(s.power == PowerState::On);
            BOOST_TEST(s.activity == Activity::Docked);
            BOOST_TEST(!s.storage.uploading, "upload starts only later");
            if (m == Model::W120) {
                BOOST_TEST(s.display.on, "W120 display back after the dock restart");
                BOOST_TEST(s.display.find(fw::Icon::Docked) != nullptr);
            } else {
                const fw::LightState* dock_led = s.light(fw::Indicator::DockingLed);
                BOOST_TEST_REQUIRE(dock_led != nullptr);
                BOOST_TEST(dock_led->colour == fw::Colour::Amber, "W100 docking LED amber");
                BOOST_TEST(dock_led->pattern == fw::Pattern::Pulsing, "... pulsing");
            }

            const Millis ready = docked_at + timing.dock_restart;
            sim.run_until(ready + timing.dock_upload_delay - kMargin);
            BOOST_TEST(!sim.snapshot().storage.uploading);
            sim.run_until(ready + timing.dock_upload_delay + kMargin);
            BOOST_TEST(sim.snapshot().storage.uploading, "upload started");
        }
    }
}

BOOST_AUTO_TEST_CASE(undock_restarts_then_ready) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            const Millis restart = sim.camera().spec().timing.undock_restart;
            timed_power_on(sim);
            dock_into_docked_mode(sim);
            sim.link_controller("Officer Demo");
            sim.run_for(1min);
            const Millis undocked_at = sim.now();
            sim.undock();
            BOOST_TEST(sim.camera().power() == PowerState::Restarting);
            sim.run_until(undocked_at + restart - kMargin);
            BOOST_TEST(sim.snapshot().power == PowerState::Restarting, "ready too early");
            sim.run_until(undocked_at + restart + kMargin);
            const fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.power == PowerState::On);
            BOOST_TEST(s.activity == Activity::Idle);
            BOOST_TEST(!s.docked);
            press_record(sim);
            BOOST_TEST(sim.snapshot().recording, "ready means it records");
        }
    }
}

BOOST_AUTO_TEST_CASE(shipping_mode_until_docked_and_added) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCameraOptions o = options(m);
            o.provisioned = false;
            SimCamera sim(o);
            BOOST_TEST_REQUIRE(sim.camera().power() == PowerState::Shipping);

            // Does not start, neither on a press nor on a long hold.
            sim.press(Button::Power, kTap);
            sim.run_for(sim.camera().spec().timing.boot_to_ready + 1s);
            auto events = sim.camera().drain_events();
            BOOST_TEST(sim.camera().power() == PowerState::Shipping, describe(events));
            const fw::Event* refused = find_event(events, fw::EventKind::Refused, "power_on");
            BOOST_TEST_REQUIRE(refused != nullptr, describe(events));
            BOOST_TEST(refused->detail.find("shipping") != std::string::npos, refused->detail);
            sim.press(Button::Power, 6s);
            sim.run_for(1min);
            BOOST_TEST(sim.camera().power() == PowerState::Shipping);
            BOOST_TEST(!sim.snapshot().display.on);

            // Docked but not added: wakes to show it is not added, stays in shipping mode.
            dock_into_docked_mode(sim);
            sim.camera().set_controller(fw::ControllerState{.link_up = true});
            sim.run_for(1s);
            fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.shipping_mode);
            BOOST_TEST(!s.added_to_system);
            BOOST_TEST(s.has(fw::Condition::NotAdded));
            sim.undock();
            sim.run_for(sim.camera().spec().timing.undock_restart + 1s);
            BOOST_TEST(sim.camera().power() == PowerState::Shipping,
                       "undocked without being added: shipping mode again");

            // Docked and added: leaves shipping mode and starts after undocking.
            dock_into_docked_mode(sim);
            sim.link_controller("Officer Demo");
            sim.run_for(1s);
            s = sim.snapshot();
            BOOST_TEST(!s.shipping_mode);
            BOOST_TEST(s.added_to_system);
            BOOST_TEST(!s.has(fw::Condition::NotAdded));
            undock_and_settle(sim);
            BOOST_TEST(sim.camera().power() == PowerState::On);
            BOOST_TEST(sim.camera().activity() == Activity::Idle);
        }
    }
}

BOOST_AUTO_TEST_CASE(not_locked_before_8_weeks_then_locked_while_on) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            // Undocked at 0, switched off; switched on again at 8 weeks − 1 min.
            SimCamera sim({.model = m, .undocked_for = fw::weeks(8) - 1min});
            const Millis ready = timed_power_on(sim);
            BOOST_TEST_REQUIRE(ready.count() < fw::weeks(8).count());
            fw::Snapshot s = sim.snapshot();
            BOOST_TEST(!s.locked);
            BOOST_TEST(!s.has(fw::Condition::Locked));
            press_record(sim);
            BOOST_TEST(sim.snapshot().recording);

            // Still on when 8 weeks pass: locked by its timer, the recording ends.
            sim.run_until(fw::weeks(8) + 1min);
            s = sim.snapshot();
            const auto events = sim.camera().drain_events();
            BOOST_TEST(s.locked, describe(events));
            BOOST_TEST(s.has(fw::Condition::Locked));
            BOOST_TEST(!s.recording, "recording stopped by the lock");
            const fw::Event* locked = find_event(events, fw::EventKind::State, "locked");
            BOOST_TEST_REQUIRE(locked != nullptr, describe(events));
            BOOST_TEST(locked->at.count() >= fw::weeks(8).count());
            BOOST_TEST(locked->at.count() <= Millis{fw::weeks(8) + 1s}.count());
        }
    }
}

BOOST_AUTO_TEST_CASE(powered_on_after_8_weeks_is_locked_and_refuses_recording) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim({.model = m, .undocked_for = fw::weeks(8) + 1min});
            timed_power_on(sim);
            fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.locked);
            BOOST_TEST(s.has(fw::Condition::Locked));

            sim.press(Button::Record, kTap);
            sim.run_for(1s);
            const auto events = sim.camera().drain_events();
            s = sim.snapshot();
            BOOST_TEST(!s.recording);
            const fw::Event* refused =
                find_event(events, fw::EventKind::Refused, "start_recording");
            BOOST_TEST_REQUIRE(refused != nullptr, describe(events));
            BOOST_TEST(refused->detail.find("lock") != std::string::npos, refused->detail);
            BOOST_TEST(s.has(fw::Condition::RecordingNotPossible));
            BOOST_TEST(find_event(events, fw::EventKind::Sound,
                                  fw::to_string(fw::Sound::RecordingNotPossible)) != nullptr,
                       "2 short + 1 long");
            const fw::LightState* led =
                s.light(m == Model::W120 ? fw::Indicator::StatusLed : fw::Indicator::OperationLed);
            BOOST_TEST_REQUIRE(led != nullptr);
            BOOST_TEST(led->colour == fw::Colour::Amber, "amber: can't record");
        }
    }
}

BOOST_AUTO_TEST_CASE(locked_camera_needs_the_master_key_to_unlock) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim({.model = m, .undocked_for = fw::weeks(9)});
            timed_power_on(sim);
            BOOST_TEST_REQUIRE(sim.snapshot().locked);
            dock_into_docked_mode(sim);
            sim.camera().set_controller(linked());
            sim.run_for(1min);
            BOOST_TEST(sim.snapshot().locked, "docking alone does not unlock");
            fw::ControllerState c = linked();
            c.unlock = true;
            sim.camera().set_controller(c);
            sim.run_for(1s);
            BOOST_TEST(!sim.snapshot().locked, "master key passphrase accepted");
            undock_and_settle(sim);
            BOOST_TEST(!sim.snapshot().locked);
            press_record(sim);
            BOOST_TEST(sim.snapshot().recording);
        }
    }
}

BOOST_AUTO_TEST_CASE(live_stream_certificate_valid_6_days) {
    const Millis boot = fw::model_spec(Model::W120).timing.boot_to_ready;
    // Undocked (certificate renewed) at 0; switched on shortly before 6 d − 1 min.
    SimCamera sim({.model = Model::W120, .undocked_for = fw::days(6) - 1min - boot - 10s});
    timed_power_on(sim);
    sim.run_until(fw::days(6) - 1min);
    fw::Snapshot s = sim.snapshot();
    BOOST_TEST(s.certificate_valid, "valid at 6 d − 1 min");
    BOOST_TEST_REQUIRE(s.certificate_expires_at.has_value());
    BOOST_TEST(s.certificate_expires_at->count() == fw::days(6).count());
    (void)sim.camera().drain_events();
    sim.double_press(Button::Function, 100ms, 250ms);
    sim.run_for(1s);
    auto events = sim.camera().drain_events();
    const fw::Event* refused = find_event(events, fw::EventKind::Refused, "start_live_stream");
    BOOST_TEST_REQUIRE(refused != nullptr, describe(events));
    BOOST_TEST(refused->detail.find("certificate") == std::string::npos,
               "valid certificate, yet refused for it: " << refused->detail);
    BOOST_TEST(!sim.snapshot().has(fw::Condition::CertificateExpired));

    sim.run_until(fw::days(6) + 1min);
    s = sim.snapshot();
    BOOST_TEST(!s.certificate_valid, "expired at 6 d + 1 min");
    sim.double_press(Button::Function, 100ms, 250ms);
    sim.run_for(1s);
    events = sim.camera().drain_events();
    refused = find_event(events, fw::EventKind::Refused, "start_live_stream");
    BOOST_TEST_REQUIRE(refused != nullptr, describe(events));
    BOOST_TEST(refused->detail.find("certificate") != std::string::npos, refused->detail);
    s = sim.snapshot();
    BOOST_TEST(s.has(fw::Condition::CertificateExpired));
    BOOST_TEST(!s.live_streaming);
    const fw::IconState* live = s.display.find(fw::Icon::LiveLink);
    BOOST_TEST_REQUIRE(live != nullptr, "live link icon shows the failure");
    BOOST_TEST(live->colour == fw::Colour::Red);

    // Docking with the controller renews it; the new 6 days count from the undock.
    dock_into_docked_mode(sim);
    sim.link_controller("Officer Demo");
    sim.run_for(1min);
    BOOST_TEST(sim.snapshot().certificate_valid);
    BOOST_TEST(!sim.snapshot().has(fw::Condition::CertificateExpired));
    const Millis undocked_at = sim.now();
    undock_and_settle(sim);
    s = sim.snapshot();
    BOOST_TEST(s.certificate_valid);
    BOOST_TEST_REQUIRE(s.certificate_expires_at.has_value());
    BOOST_TEST(s.certificate_expires_at->count() == (undocked_at + fw::days(6)).count());
}

BOOST_AUTO_TEST_CASE(prebuffer_shorter_right_after_power_on) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            const Millis configured = sim.camera().nvram().profile.prebuffer_length;
            BOOST_TEST_REQUIRE(configured.count() == Millis{90s}.count());
            const Millis ready = timed_power_on(sim);
            sim.run_until(ready + 20s - kTap);
            const Millis started = press_record(sim);
            const Millis since_ready = started - ready;
            const Millis pre = sim.snapshot().prebuffer;
            BOOST_TEST(pre.count() <= since_ready.count(),
                       "pre-buffer " << pre.count() << " ms, on for " << since_ready.count());
            BOOST_TEST(pre.count() >= since_ready.count() - 1000, "it buffered all along");
            BOOST_TEST(pre.count() < configured.count());
        }
    }
}

BOOST_AUTO_TEST_CASE(prebuffer_full_length_after_a_while_and_off_in_profile) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            timed_power_on(sim);
            sim.run_for(5min);
            press_record(sim);
            BOOST_TEST(sim.snapshot().prebuffer.count() == Millis{90s}.count());

            fw::Profile p;
            p.prebuffer = false;
            SimCamera off(options(m, p));
            timed_power_on(off);
            off.run_for(5min);
            press_record(off);
            BOOST_TEST(off.snapshot().prebuffer.count() == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(prebuffer_shorter_right_after_previous_recording) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            timed_power_on(sim);
            sim.run_for(5min);
            press_record(sim);
            sim.run_for(1min);
            const Millis ended = stop_recording(sim);
            BOOST_TEST_REQUIRE(!sim.snapshot().recording);
            sim.run_until(ended + 30s - kTap);
            const Millis started = press_record(sim);
            const Millis gap = started - ended;
            const Millis pre = sim.snapshot().prebuffer;
            BOOST_TEST(pre.count() <= gap.count(),
                       "pre-buffer " << pre.count() << " ms, " << gap.count() << " ms after");
            BOOST_TEST(pre.count() >= gap.count() - 1000);
        }
    }
}

BOOST_AUTO_TEST_CASE(prebuffer_capped_by_its_space_at_high_scene_bitrate) {
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            const fw::MediaSpec& media = fw::model_spec(m).media;
            // The nominal 1080p pre-buffer of 90 s fits its space (else the cap would always
            // apply and the test below would prove nothing).
            BOOST_TEST_REQUIRE(media.bitrate_1080p_bps / 8 * 90 <= media.prebuffer_space_bytes);
            constexpr int kPercent = 400; // dark or complex scene
            const std::int64_t bitrate = media.bitrate_1080p_bps * kPercent / 100;
            BOOST_TEST_REQUIRE(bitrate / 8 * 90 > media.prebuffer_space_bytes);

            SimCamera sim(options(m));
            timed_power_on(sim);
            sim.run_for(5min);
            sim.camera().set_scene_bitrate_percent(kPercent);
            press_record(sim);
            const Millis pre = sim.snapshot().prebuffer;
            BOOST_TEST(pre.count() < Millis{90s}.count(), "not shortened: " << pre.count());
            BOOST_TEST(pre.count() > 0);
            BOOST_TEST(bitrate / 8 * pre.count() / 1000 <= media.prebuffer_space_bytes,
                       "pre-buffer of " << pre.count() << " ms overflows its space");
            // Filling most of the space, not just a bit of it.
            BOOST_TEST(bitrate / 8 * (pre.count() + 1000) / 1000 > media.prebuffer_space_bytes);

            // At 720p the scene does not raise the bitrate: the full pre-buffer.
            fw::Profile p;
            p.resolution = fw::Resolution::P720;
            SimCamera low(options(m, p));
            timed_power_on(low);
            low.run_for(5min);
            low.camera().set_scene_bitrate_percent(kPercent);
            press_record(low);
            BOOST_TEST(low.snapshot().prebuffer.count() == Millis{90s}.count());
        }
    }
}

BOOST_AUTO_TEST_CASE(firmware_update_when_docked) {
    const std::string offer = "9.9.9-test";
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            const fw::LifecycleTiming& timing = sim.camera().spec().timing;
            const std::string old_version(sim.camera().spec().firmware_version);
            BOOST_TEST_REQUIRE(sim.snapshot().firmware_version == old_version);
            dock_into_docked_mode(sim);
            sim.link_controller("Officer Demo");
            sim.run_for(timing.dock_upload_delay + 1min);
            BOOST_TEST(!sim.snapshot().firmware_update_percent.has_value());
            BOOST_TEST(sim.snapshot().ready_to_undock, "charged, transferred, up to date");

            fw::ControllerState c = linked();
            c.firmware_offer = offer;
            const Millis offered = sim.now();
            sim.camera().set_controller(c);
            fw::Snapshot s = sim.snapshot();
            BOOST_TEST_REQUIRE(s.firmware_update_percent.has_value());
            BOOST_TEST(*s.firmware_update_percent == 0);
            BOOST_TEST(!s.ready_to_undock, "not up to date while updating");

            sim.run_until(offered + timing.firmware_update / 2);
            s = sim.snapshot();
            BOOST_TEST_REQUIRE(s.firmware_update_percent.has_value());
            BOOST_TEST(*s.firmware_update_percent >= 40);
            BOOST_TEST(*s.firmware_update_percent <= 60);
            if (m == Model::W120) {
                BOOST_TEST(s.display.find(fw::Icon::FirmwareUpgrade) != nullptr);
                const auto bar = std::find_if(
                    s.display.bars.begin(), s.display.bars.end(),
                    [](const fw::ProgressBar& b) { return b.icon == fw::Icon::FirmwareUpgrade; });
                BOOST_TEST_REQUIRE((bar != s.display.bars.end()), "firmware progress bar");
                BOOST_TEST(bar->percent == *s.firmware_update_percent);
            }

            sim.run_until(offered + timing.firmware_update - kMargin);
            s = sim.snapshot();
            BOOST_TEST(s.firmware_version == old_version);
            BOOST_TEST(s.power == PowerState::On);
            (void)sim.camera().drain_events();
            sim.run_until(offered + timing.firmware_update + kMargin);
            const auto events = sim.camera().drain_events();
            BOOST_TEST(find_event(events, fw::EventKind::State, "firmware_updated") != nullptr,
                       describe(events));
            BOOST_TEST(sim.camera().power() == PowerState::Restarting, "restarts after install");
            sim.run_for(timing.dock_restart + 1s);
            s = sim.snapshot();
            BOOST_TEST(s.power == PowerState::On);
            BOOST_TEST(s.activity == Activity::Docked);
            BOOST_TEST(s.firmware_version == offer);
            BOOST_TEST(!s.firmware_update_percent.has_value());

            // The same offer again changes nothing.
            (void)sim.camera().drain_events();
            sim.camera().set_controller(c);
            sim.run_for(timing.firmware_update + 1min);
            const auto again = sim.camera().drain_events();
            BOOST_TEST(find_event(again, fw::EventKind::State, "firmware_update") == nullptr,
                       describe(again));
            BOOST_TEST(sim.snapshot().ready_to_undock);
        }
    }
}

BOOST_AUTO_TEST_CASE(undock_during_firmware_update_keeps_old_version) {
    SimCamera sim(options(Model::W120));
    const std::string old_version(sim.camera().spec().firmware_version);
    dock_into_docked_mode(sim);
    fw::ControllerState c = linked();
    c.firmware_offer = "9.9.9-test";
    sim.camera().set_controller(c);
    sim.run_for(sim.camera().spec().timing.firmware_update / 2);
    undock_and_settle(sim);
    sim.run_for(sim.camera().spec().timing.firmware_update);
    BOOST_TEST(sim.snapshot().firmware_version == old_version);
    BOOST_TEST(!sim.snapshot().firmware_update_percent.has_value());
}

BOOST_AUTO_TEST_CASE(offload_progress_to_zero_pending) {
    // 12 h at 8 Mbit/s (SPEC §6 assumption): 43.2 GB, "up to about 30 min" to upload.
    const std::int64_t twelve_hours = std::int64_t{8'000'000} / 8 * 12 * 3600;
    for (Model m : fw::all_models()) {
        BOOST_TEST_CONTEXT(fw::to_string(m)) {
            SimCamera sim(options(m));
            sim.storage().set_used(twelve_hours, twelve_hours);
            dock_into_docked_mode(sim);
            sim.link_controller("Officer Demo");
            fw::Snapshot s = sim.snapshot();
            BOOST_TEST(s.storage.transfer_percent == 0);
            BOOST_TEST(!s.ready_to_undock, "files still to transfer");

            const bool started = sim.run_until_state(
                [](const fw::Snapshot& x) { return x.storage.uploading; }, 1min, 1s);
            BOOST_TEST_REQUIRE(started);
            const Millis upload_start = sim.now();
            int last_percent = 0;
            bool seen_between = false;
            bool seen_bar = false;
            const bool done = sim.run_until_state(
                [&](const fw::Snapshot& x) {
                    BOOST_TEST(x.storage.transfer_percent >= last_percent, "progress went back");
                    last_percent = x.storage.transfer_percent;
                    if (last_percent > 0 && last_percent < 100)
                        seen_between = true;
                    if (x.display.find(fw::Icon::DataTransfer) != nullptr)
                        seen_bar = true;
                    return x.storage.status.pending_offload_bytes == 0;
                },
                fw::hours(2), 10s);
            BOOST_TEST_REQUIRE(done, "still pending after 2 h");
            const Millis took = sim.now() - upload_start;
            BOOST_TEST(took.count() <= Millis{30min}.count(),
                       "12 h of video took " << took.count() / 1000 << " s to offload");
            BOOST_TEST(seen_between);
            BOOST_TEST(seen_bar == (m == Model::W120), "W120 shows a data-transfer bar");
            s = sim.snapshot();
            BOOST_TEST(s.storage.transfer_percent == 100);
            BOOST_TEST(sim.storage().offloaded_bytes() == twelve_hours);
            BOOST_TEST(s.storage.status.used_bytes == 0, "offloaded recordings are removed");
            BOOST_TEST(s.ready_to_undock);
            if (m == Model::W120) {
                const auto& text = s.display.text;
                BOOST_TEST(std::any_of(
                               text.begin(), text.end(),
                               [](const std::string& t) { return starts_with(t, "Officer Demo"); }),
                           "user name shown when ready to undock");
            } else {
                const fw::LightState* led = s.light(fw::Indicator::DockingLed);
                BOOST_TEST_REQUIRE(led != nullptr);
                BOOST_TEST(led->colour == fw::Colour::Green, "W100 docking LED green: ready");
                BOOST_TEST(led->pattern == fw::Pattern::Steady);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(no_offload_without_controller_link) {
    SimCamera sim(options(Model::W100));
    sim.storage().set_used(1'000'000'000, 1'000'000'000);
    dock_into_docked_mode(sim);
    sim.run_for(10min);
    const fw::Snapshot s = sim.snapshot();
    BOOST_TEST(s.storage.status.pending_offload_bytes == 1'000'000'000);
    BOOST_TEST(sim.storage().offloaded_bytes() == 0);
    BOOST_TEST(s.has(fw::Condition::LostController));
}

BOOST_AUTO_TEST_SUITE_END()
