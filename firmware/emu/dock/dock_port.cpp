// The dock port's handshake and commands (firmware/PROTOCOL.md framing; the
// dock's own commands: IDENTIFY, BAYS, INSERT, REMOVE, POWER, LED, OFFLOAD,
// TIME) and bwc-emu's dock start-up (see dock_port.hpp).
#include "firmware/emu/dock/dock_port.hpp"

#include "firmware/emu/camera_ports.hpp"

#include <map>

namespace bwc::emu {
namespace {

std::string bay_text(const EmuDock& dock) {
    return "1-" + std::to_string(dock.bays());
}

Parsed<std::string> no_more_words(const CommandLine& cmd, std::size_t allowed,
                                  std::string_view usage) {
    if (cmd.words.size() > allowed)
        return bad_argument("unexpected '" + cmd.words[allowed] + "': usage " + std::string(usage));
    return std::string();
}

} // namespace

DockPort::DockPort(LineServer& server, EmuDock& dock)
    : PortHandler(server, dock, "BWC-DOCK"), dock_(dock) {}

Parsed<int> DockPort::bay_word(const CommandLine& cmd, std::string_view verb) {
    if (cmd.words.size() < 2)
        return missing_argument(std::string(verb) + " needs a bay number (" + bay_text(dock_) +
                                ")");
    auto n = parse_integer(cmd.words[1], "bay", -1'000'000, 1'000'000);
    if (!n)
        return n.error();
    if (*n < 1 || *n > dock_.bays())
        return bad_argument("bay " + cmd.words[1] + " out of range: a " +
                            std::string(to_string(dock_.config().model)) + " has bays " +
                            bay_text(dock_));
    return static_cast<int>(*n);
}

Parsed<std::string> DockPort::bays_json() {
    fw::JsonWriter w;
    w.begin_array();
    for (int bay = 1; bay <= dock_.bays(); ++bay) {
        auto r = dock_.read_bay(bay);
        if (!r)
            return r.error();
        w.begin_object();
        w.field("bay", r->bay);
        w.key("serial");
        if (r->serial)
            w.value(*r->serial);
        else
            w.null();
        w.field("present", r->present);
        w.field("vbus_mv", r->vbus_mv);
        w.field("charge_ma", r->charge_ma);
        w.field("link", r->link);
        w.key("pins").begin_object();
        for (std::size_t p = 0; p < kDockPins.size(); ++p)
            w.field(kDockPins[p], r->pins_mohm[p]);
        w.end_object();
        w.end_object();
    }
    w.end_array();
    return w.str();
}

Parsed<std::string> DockPort::command(ClientId, const CommandLine& cmd) {
    const std::string verb = cmd.word_upper(0);
    const bool takes_named = verb == "OFFLOAD";
    if (!takes_named && !cmd.named_order.empty())
        return bad_argument(verb + " takes no key=value arguments, got '" + cmd.named_order[0] +
                            "='");
    if (verb == "IDENTIFY") {
        if (auto e = no_more_words(cmd, 1, "IDENTIFY"); !e)
            return e;
        return "model=" + std::string(to_string(dock_.config().model)) +
               " serial=" + dock_.config().serial + " bays=" + std::to_string(dock_.bays());
    }
    if (verb == "BAYS") {
        if (auto e = no_more_words(cmd, 1, "BAYS"); !e)
            return e;
        return bays_json();
    }
    if (verb == "INSERT" || verb == "REMOVE") {
        auto bay = bay_word(cmd, verb);
        if (!bay)
            return bay.error();
        if (auto e = no_more_words(cmd, 2, verb + " <bay>"); !e)
            return e;
        return verb == "INSERT" ? dock_.insert(*bay) : dock_.remove(*bay);
    }
    if (verb == "POWER") {
        if (cmd.words.size() >= 2) {
            if (cmd.words[1] != "0" && cmd.words[1] != "1")
                return bad_argument("POWER takes 0 or 1, got '" + cmd.words[1] + "'");
            if (auto e = no_more_words(cmd, 2, "POWER [0|1]"); !e)
                return e;
            dock_.set_power(cmd.words[1] == "1");
        }
        return std::string("power=") + (dock_.powered() ? "1" : "0") +
               " led=" + std::string(dock_.led());
    }
    if (verb == "LED") {
        if (auto e = no_more_words(cmd, 1, "LED"); !e)
            return e;
        return "led=" + std::string(dock_.led());
    }
    if (verb == "OFFLOAD") {
        auto bay = bay_word(cmd, verb);
        if (!bay)
            return bay.error();
        if (auto e = no_more_words(cmd, 2, "OFFLOAD <bay> [bytes=<n>]"); !e)
            return e;
        if (auto unknown = cmd.unknown_keys({"bytes"}))
            return *unknown;
        auto limit = cmd.optional_integer("bytes", 0, std::int64_t{1} << 40);
        if (!limit)
            return limit.error();
        auto r = dock_.offload(*bay, *limit);
        if (!r)
            return r.error();
        return "bay=" + std::to_string(*bay) + " bytes=" + std::to_string(r->bytes) +
               " offset=" + std::to_string(r->offset) +
               " duration_ms=" + std::to_string(r->duration_ms) +
               " rate_bytes_per_s=" + std::to_string(r->rate_bytes_per_s) + " sha256=" + r->sha256;
    }
    return ProtocolError{"unknown_command",
                         "'" + cmd.words[0] +
                             "' is not a dock command (IDENTIFY, BAYS, INSERT, REMOVE, POWER, LED, "
                             "OFFLOAD, TIME, PING)"};
}

fw::Result<std::vector<RunningDock>> start_docks(const std::vector<std::string>& specs,
                                                 const std::vector<DockFaultArg>& faults,
                                                 const std::vector<EmuCamera*>& cameras,
                                                 LineServer& server, int port_base,
                                                 const std::string& bind, ClockMode mode) {
    using R = fw::Result<std::vector<RunningDock>>;
    std::vector<DockConfig> configs;
    std::map<std::string, std::string> holder; // camera serial -> "D1 bay 3"
    for (const std::string& spec : specs) {
        auto c = parse_dock_config(spec);
        if (!c)
            return R::failure("--dock " + spec + ": " + c.error());
        for (const DockConfig& other : configs)
            if (other.serial == c->serial)
                return R::failure("two docks with serial " + c->serial);
        for (std::size_t i = 0; i < c->bays.size(); ++i) {
            const std::string& serial = c->bays[i];
            if (serial.empty())
                continue;
            const std::string where = c->serial + " bay " + std::to_string(i + 1);
            if (!holder.emplace(serial, where).second)
                return R::failure("--dock " + spec + ": camera " + serial + " is already in " +
                                  holder[serial]);
        }
        configs.push_back(std::move(*c));
    }
    for (const DockFaultArg& arg : faults) {
        auto f = parse_dock_fault(arg.name);
        if (!f)
            return R::failure("--fault " + arg.target + (arg.target.empty() ? "" : ":") + arg.name +
                              ": " + f.error());
        std::string dock_serial = arg.target;
        std::optional<int> bay;
        if (auto slash = arg.target.find('/'); slash != std::string::npos) {
            dock_serial = arg.target.substr(0, slash);
            auto n = parse_integer(arg.target.substr(slash + 1), "bay", 1, 8);
            if (!n)
                return R::failure("--fault " + arg.target + ":" + arg.name + ": " +
                                  n.error().message);
            bay = static_cast<int>(*n);
        } else if (auto it = holder.find(arg.target); it != holder.end()) {
            // A camera serial: the bay that holds that camera.
            dock_serial = it->second.substr(0, it->second.find(" bay "));
            bay = std::stoi(it->second.substr(it->second.find(" bay ") + 5));
        }
        int applied = 0;
        for (DockConfig& c : configs) {
            if (!dock_serial.empty() && c.serial != dock_serial)
                continue;
            if (bay && *bay > bay_count(c.model))
                return R::failure("--fault " + arg.target + ":" + arg.name + ": a " +
                                  std::string(to_string(c.model)) + " has no bay " +
                                  std::to_string(*bay));
            DockFault copy = *f;
            copy.bay = bay;
            c.faults.push_back(std::move(copy));
            ++applied;
        }
        if (applied == 0)
            return R::failure(
                "--fault " + arg.target + (arg.target.empty() ? "" : ":") + arg.name + ": " +
                (dock_serial.empty() ? "no --dock given"
                                     : "no dock or docked camera '" + dock_serial + "'"));
    }
    std::vector<RunningDock> out;
    for (std::size_t j = 0; j < configs.size(); ++j) {
        std::vector<EmuCamera*> bay_cameras;
        for (const std::string& serial : configs[j].bays) {
            EmuCamera* found = nullptr;
            for (EmuCamera* cam : cameras)
                if (!serial.empty() && cam->config().identity.serial == serial)
                    found = cam;
            if (!serial.empty() && !found)
                return R::failure("--dock " + configs[j].serial + ": no camera with serial '" +
                                  serial + "' (add it with --camera)");
            bay_cameras.push_back(found);
        }
        RunningDock rd;
        rd.dock = std::make_unique<EmuDock>(configs[j], bay_cameras, mode);
        rd.port = std::make_unique<DockPort>(server, *rd.dock);
        const int wanted =
            port_base == 0 ? 0 : port_base + 10 * static_cast<int>(cameras.size() + j);
        auto bound = server.listen(static_cast<std::uint16_t>(wanted), *rd.port, bind);
        if (!bound)
            return R::failure(bound.error());
        rd.port_number = *bound;
        out.push_back(std::move(rd));
    }
    return out;
}

void write_docks_json(fw::JsonWriter& w, const std::vector<RunningDock>& docks) {
    w.key("docks").begin_array();
    for (const RunningDock& d : docks) {
        w.begin_object();
        w.field("serial", d.dock->config().serial);
        w.field("model", to_string(d.dock->config().model));
        w.field("port", static_cast<int>(d.port_number));
        w.key("bays").begin_array();
        for (const std::string& serial : d.dock->config().bays) {
            if (serial.empty())
                w.null();
            else
                w.value(serial);
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
}

} // namespace bwc::emu
