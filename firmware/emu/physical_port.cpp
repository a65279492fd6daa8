// The physical port: what fixtures do to an emulated camera — buttons, dock,
// chargers, temperature, battery, controller link, radio environment
// (firmware/PROTOCOL.md, "Physical port").
#include "firmware/emu/camera_ports.hpp"

namespace bwc::emu {

PhysicalPort::PhysicalPort(LineServer& server, EmuCamera& camera)
    : PortHandler(server, camera, "BWC-PHYS") {}

namespace {

Parsed<fw::Button> parse_button(const CommandLine& cmd, std::size_t i, const fw::ModelSpec& spec) {
    if (i >= cmd.words.size())
        return missing_argument("which button? power, record, function or top");
    for (fw::Button b : spec.buttons)
        if (cmd.words[i] == fw::to_string(b))
            return b;
    return bad_argument("the " + std::string(spec.name) + " has no button '" + cmd.words[i] +
                        "' (power, record, function, top)");
}

} // namespace

Parsed<std::string> PhysicalPort::command(ClientId, const CommandLine& cmd) {
    const std::string verb = cmd.word_upper(0);
    const fw::ModelSpec& spec = camera_.firmware().spec();
    if (verb == "BUTTON") {
        auto b = parse_button(cmd, 1, spec);
        if (!b)
            return b.error();
        const std::string edge = cmd.word_upper(2);
        if (edge != "DOWN" && edge != "UP")
            return bad_argument("BUTTON " + cmd.words[1] + " wants DOWN or UP" +
                                (cmd.words.size() > 2 ? ", got '" + cmd.words[2] + "'" : ""));
        camera_.button(*b, edge == "DOWN");
        return std::string();
    }
    if (verb == "PRESS") {
        auto b = parse_button(cmd, 1, spec);
        if (!b)
            return b.error();
        if (cmd.words.size() != 3)
            return missing_argument("PRESS " + cmd.words[1] + " needs a duration in ms");
        auto ms = parse_integer(cmd.words[2], "press duration (ms)", 1, 600'000);
        if (!ms)
            return ms.error();
        camera_.press(*b, Millis{*ms});
        return "release_at_ms=" + std::to_string((camera_.now() + Millis{*ms}).count());
    }
    if (verb == "DOCK") {
        if (auto e = cmd.unknown_keys({"vbus"}))
            return *e;
        auto vbus = cmd.flag("vbus", true);
        if (!vbus)
            return vbus.error();
        camera_.dock(*vbus);
        return std::string();
    }
    if (verb == "UNDOCK") {
        camera_.undock();
        return std::string();
    }
    if (verb == "USB") {
        if (cmd.words.size() != 2 || (cmd.words[1] != "0" && cmd.words[1] != "1"))
            return bad_argument("USB wants 0 or 1");
        camera_.usb(cmd.words[1] == "1");
        return std::string();
    }
    if (verb == "TEMP") {
        if (cmd.words.size() != 2)
            return missing_argument("TEMP needs degrees Celsius");
        auto c = parse_number(cmd.words[1], "temperature (C)", -40.0, 85.0);
        if (!c)
            return c.error();
        camera_.set_temperature(*c);
        return std::string();
    }
    if (verb == "CONTROLLER") {
        if (auto e = cmd.unknown_keys({"link", "added", "user", "general_error", "upload_error",
                                       "firmware", "unlock", "remove"}))
            return *e;
        fw::ControllerState c;
        for (auto [key, field] : {std::pair{"link", &c.link_up},
                                  {"added", &c.camera_added},
                                  {"general_error", &c.general_error},
                                  {"upload_error", &c.upload_error},
                                  {"unlock", &c.unlock},
                                  {"remove", &c.remove_from_system}}) {
            auto v = cmd.flag(key, false);
            if (!v)
                return v.error();
            *field = *v;
        }
        c.user = cmd.optional_text("user");
        c.firmware_offer = cmd.optional_text("firmware");
        camera_.firmware().set_controller(c);
        return std::string();
    }
    if (verb == "BATTERY") {
        if (cmd.word_upper(1) != "SWAP")
            return bad_argument("BATTERY takes SWAP [soc=] [capacity_mah=] [id=]");
        if (auto e = cmd.unknown_keys({"soc", "capacity_mah", "id"}))
            return *e;
        auto soc = cmd.optional_number("soc", 0, 100);
        if (!soc)
            return soc.error();
        auto cap = cmd.optional_integer("capacity_mah", 100, 20'000);
        if (!cap)
            return cap.error();
        host::CellParams p;
        if (*cap)
            p.capacity_mah = static_cast<double>(**cap);
        if (auto id = cmd.optional_text("id"))
            p.battery_id = *id;
        camera_.swap_battery(p, soc->value_or(50.0));
        return std::string();
    }
    if (verb == "GNSS" || verb == "RF" || verb == "SIM" || verb == "FACE")
        return ProtocolError{"not_supported", verb + ": no model for it is fitted to this camera"};
    return ProtocolError{"unknown_command", "'" + cmd.words[0] +
                                                "' (physical port commands: BUTTON PRESS DOCK "
                                                "UNDOCK USB CONTROLLER TEMP BATTERY GNSS RF SIM "
                                                "FACE TIME PING)"};
}

} // namespace bwc::emu
