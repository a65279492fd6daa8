// bwc-demo: a camera's scripted day on a virtual clock — power on, record,
// hold to stop, dock, charge — printed as a timeline. It is the main job
// until the bench exists: it exercises the firmware core end to end and
// shows what an operator would see at each step.
#include "firmware/host/sim_camera.hpp"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

using namespace bwc;
using fw::Millis;
using namespace std::chrono_literals;

namespace {

void usage(FILE* out) {
    std::fputs("usage: bwc-demo [--model w100|w120] [--temperature C] [--json] [--help]\n"
               "\n"
               "Runs one reference camera through a scripted day on a virtual clock:\n"
               "power on, record for 8 hours, hold the record button to stop, dock,\n"
               "charge until full, and prints what the camera shows at each step.\n"
               "\n"
               "  --model M         camera model (default w120)\n"
               "  --temperature C   ambient temperature while docked, in degrees C\n"
               "                    (default 25; charging happens between 0 and 40)\n"
               "  --json            print the final factory snapshot as JSON\n"
               "  --help            this text\n"
               "\n"
               "Exit status: 0 when the day ends with a fully charged, ready camera\n"
               "(or, outside the charging window, a camera that correctly refuses to\n"
               "charge), 1 when a step did not behave as the specification says,\n"
               "2 on bad arguments.\n",
               out);
}

std::string clock_text(Millis t) {
    const long long s = t.count() / 1000;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%3lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

std::string lights_text(const fw::Snapshot& s) {
    std::string out;
    for (const auto& r : s.lights) {
        if (!r.light.lit() || r.indicator == fw::Indicator::Display)
            continue;
        if (!out.empty())
            out += ", ";
        out += std::string(fw::to_string(r.indicator)) + "=" +
               std::string(fw::to_string(r.light.colour));
        if (r.light.pattern != fw::Pattern::Steady)
            out += "/" + std::string(fw::to_string(r.light.pattern));
    }
    if (s.display.on) {
        out += out.empty() ? "display:" : "; display:";
        for (const auto& i : s.display.icons)
            out += " " + std::string(fw::to_string(i.icon)) + "(" +
                   std::string(fw::to_string(i.colour)) + ")";
        for (const auto& t : s.display.text)
            out += " \"" + t + "\"";
    }
    return out.empty() ? "(dark)" : out;
}

struct Day {
    host::SimCamera& sim;
    bool ok = true;

    void show(std::string_view step) {
        const fw::Snapshot s = sim.snapshot();
        std::printf(
            "%s  %-28s power=%-10s battery=%3d%% %-6s charge=%-22s %s\n", clock_text(s.at).c_str(),
            std::string(step).c_str(), std::string(fw::to_string(s.power)).c_str(),
            s.battery.gauge.state_of_charge_percent,
            std::string(fw::to_string(s.battery.level)).c_str(),
            std::string(fw::to_string(s.battery.charge.reason)).c_str(), lights_text(s).c_str());
    }
    void expect(bool condition, std::string_view what) {
        if (!condition) {
            std::printf("          FAILED: %s\n", std::string(what).c_str());
            ok = false;
        }
    }
};

} // namespace

int main(int argc, char** argv) {
    host::SimCameraOptions options;
    options.identity.serial = "DEMO0001";
    double temperature = 25.0;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            usage(stdout);
            return 0;
        } else if (arg == "--json") {
            json = true;
        } else if (arg == "--model" && i + 1 < argc) {
            auto m = fw::parse_model(argv[++i]);
            if (!m) {
                std::fprintf(stderr, "bwc-demo: unknown model '%s' (expected w100 or w120)\n",
                             argv[i]);
                return 2;
            }
            options.model = *m;
        } else if (arg == "--temperature" && i + 1 < argc) {
            char* end = nullptr;
            temperature = std::strtod(argv[++i], &end);
            if (end == argv[i] || *end != '\0' || temperature < -40 || temperature > 85) {
                std::fprintf(stderr,
                             "bwc-demo: --temperature wants degrees C between -40 and 85, got "
                             "'%s'\n",
                             argv[i]);
                return 2;
            }
        } else {
            std::fprintf(stderr, "bwc-demo: unknown or incomplete argument '%s'\n\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }

    const auto wall_start = std::chrono::steady_clock::now();
    host::SimCamera sim(options);
    const fw::ModelSpec& spec = sim.camera().spec();
    const bool w120 = spec.caps.display;
    Day day{sim};
    std::printf("%s %s, firmware %s, serial %s — a day on a virtual clock\n\n",
                std::string(spec.name).c_str(), w120 ? "(display)" : "(LEDs)",
                std::string(spec.firmware_version).c_str(), options.identity.serial.c_str());

    day.show("in the drawer");
    sim.press(fw::Button::Power, 300ms);
    day.show("power pressed");
    sim.run_for(spec.timing.boot_to_ready);
    day.show("booted");
    day.expect(sim.camera().power() == fw::PowerState::On, "camera ready after its boot time");

    sim.press(fw::Button::Record, 300ms);
    day.show("record pressed");
    day.expect(sim.snapshot().recording, "recording after one press");
    sim.run_for(fw::hours(8));
    day.show("8 hours of recording");

    const fw::GestureBinding* stop = nullptr;
    for (const auto& b : spec.gestures)
        if (b.action == fw::Action::StopRecording)
            stop = &b;
    sim.press(fw::Button::Record, stop->hold_threshold + 150ms);
    day.show("record held to stop");
    day.expect(!sim.snapshot().recording, "recording stopped by the hold");

    sim.cell().set_temperature(static_cast<fw::DeciCelsius>(temperature * 10.0));
    sim.dock();
    day.show("docked");
    sim.link_controller(options.user);
    sim.run_for(spec.timing.dock_restart + spec.timing.dock_upload_delay);
    day.show("dock restart done");
    const bool in_window = temperature >= 0.0 && temperature <= 40.0;
    const bool charged = sim.run_until_state(
        [](const fw::Snapshot& s) { return s.ready_to_undock; }, fw::hours(8), 60s);
    if (in_window) {
        day.show("charged, files offloaded");
        day.expect(charged, "ready to undock within 8 hours");
    } else {
        day.show("outside the charging window");
        day.expect(sim.snapshot().has(fw::Condition::BatteryNotCharging),
                   "battery-not-charging shown outside 0-40 C");
    }

    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    const fw::Snapshot final = sim.snapshot();
    std::printf("\n%s of camera time in %.3f s of wall time; %llu bytes offloaded; %s\n",
                clock_text(final.at).c_str(), wall_s,
                static_cast<unsigned long long>(sim.storage().offloaded_bytes()),
                day.ok ? "every step behaved as specified" : "SOME STEPS FAILED");
    if (json)
        std::printf("%s\n", fw::to_json(final).c_str());
    return day.ok ? 0 : 1;
}
