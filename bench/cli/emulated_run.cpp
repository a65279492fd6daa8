// Bringing up an emulated station for a procedure (see emulated_run.hpp).
#include "bench/cli/emulated_run.hpp"

#include "bench/cli/calibrate_command.hpp"
#include "bench/cli/helper_programs.hpp"
#include "bench/device/device_client.hpp"
#include "bench/steps/step_type.hpp"

#include <cstdio>

namespace bwc::bench {
namespace {

std::string fixed(double v, int places) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", places, v);
    return buf;
}

/// Sends CONDITIONS to every bay's emulated vision camera; "" or why not.
std::string apply_conditions(const Station& station, const VisionConditions& c) {
    for (const Bay& bay : station.bays) {
        for (const FixtureRef& f : bay.fixtures) {
            if (f.kind != "vision")
                continue;
            DeviceClient camera(f.uri, "BWC-VISION");
            if (auto s = camera.connect(); !s)
                return "vision camera of bay " + std::to_string(bay.number) + ": " +
                       s.error().message;
            VisionConditions per_bay = c;
            per_bay.seed = c.seed * 16 + static_cast<std::uint64_t>(bay.number);
            if (auto r = camera.command("CONDITIONS " + per_bay.words()); !r)
                return "vision camera of bay " + std::to_string(bay.number) + ": " +
                       r.error().message;
        }
    }
    return "";
}

} // namespace

std::string VisionConditions::words() const {
    return "exposure=" + fixed(exposure_ev, 3) + " wb=" + fixed(wb_k, 0) +
           " noise=" + fixed(noise, 3) + " blur=" + fixed(blur_px, 3) +
           " tilt=" + fixed(tilt_deg, 3) + " tilt_axis=" + fixed(tilt_axis_deg, 3) +
           " seed=" + std::to_string(seed);
}

bool procedure_uses_fixtures(const Procedure& p) {
    for (Group g : {Group::Setup, Group::Main, Group::Teardown})
        for (const StepSpec& spec : p.group(g))
            if (const StepType* t = StepRegistry::instance().find(spec.type);
                t && !t->info().fixtures.empty())
                return true;
    return false;
}

StartedStation start_emulated_station(const Procedure& procedure, EmulationOptions eo,
                                      const std::string& self,
                                      const std::optional<VisionConditions>& conditions) {
    StartedStation out;
    // Fixture instruments are emulated only when a step of the procedure uses one.
    if (procedure_uses_fixtures(procedure))
        eo.fixtures = find_fixtures_program("", self);
    auto started = EmulatedStation::start(eo);
    if (!started) {
        out.error = "cannot start the emulated station: " + started.error();
        out.usage_error =
            started.error().find("--emulate") == 0 || started.error().find("--bays") == 0;
        return out;
    }
    if (!eo.fixtures.empty()) {
        if (conditions) {
            if (auto why = apply_conditions((*started)->station(), *conditions); !why.empty()) {
                out.error = "setting the emulated vision cameras' conditions: " + why;
                return out;
            }
        }
        // An emulated station with fixtures is calibrated as it comes up, as
        // a real one is before its shift.
        auto problems =
            calibrate_emulated_station((*started)->station(), eo.work_dir + "/calibration.json");
        if (!problems.empty()) {
            out.error = "calibrating the emulated station: " + problems.front();
            for (std::size_t i = 1; i < problems.size(); ++i)
                out.error += "; " + problems[i];
            return out;
        }
    }
    out.station = std::move(started).value();
    return out;
}

void answer_as_operator(RunMonitor& monitor, const EmulatedStation& station) {
    monitor.set_auto_answer([&station](const PendingPrompt& p) -> std::optional<std::string> {
        if (p.request.kind == PromptRequest::Kind::ScanSerial)
            return station.label(p.bay);
        return std::string("yes");
    });
}

} // namespace bwc::bench
