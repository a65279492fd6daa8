// The emulated docking station's bays, contacts and offload (see emu_dock.hpp).
#include "firmware/emu/dock/emu_dock.hpp"

#include "firmware/core/sha256.hpp"

#include <algorithm>

namespace bwc::emu {

std::string_view to_string(DockModel m) {
    return m == DockModel::W700 ? "W700" : "W701";
}

int bay_count(DockModel m) {
    return m == DockModel::W700 ? 1 : 8;
}

fw::Result<DockFault> parse_dock_fault(std::string_view text) {
    using R = fw::Result<DockFault>;
    const std::size_t eq = text.find('=');
    const std::string name(text.substr(0, eq));
    const std::string accepted =
        " (dock faults: dock.pin.<vbus|gnd|dp|dm|id>.resistance_mohm=<mΩ>, dock.vbus_mv=<mV>)";
    DockFault f;
    f.name = std::string(text);
    std::int64_t max = 0;
    if (name == "dock.vbus_mv") {
        max = 30'000;
    } else if (name.rfind("dock.pin.", 0) == 0 && name.size() > 24 &&
               name.ends_with(".resistance_mohm")) {
        const std::string pin = name.substr(9, name.size() - 9 - 16);
        auto it = std::find(kDockPins.begin(), kDockPins.end(), pin);
        if (it == kDockPins.end())
            return R::failure("fault '" + name + "': no pin '" + pin + "'" + accepted);
        f.pin = static_cast<std::size_t>(it - kDockPins.begin());
        max = 100'000'000;
    } else {
        return R::failure("unknown dock fault '" + name + "'" + accepted);
    }
    if (eq == std::string_view::npos || eq + 1 == text.size())
        return R::failure("fault '" + name + "' needs a value" + accepted);
    auto n = parse_integer(text.substr(eq + 1), name, 0, max);
    if (!n)
        return R::failure(n.error().message);
    f.value = *n;
    return f;
}

fw::Result<DockConfig> parse_dock_config(std::string_view text) {
    using R = fw::Result<DockConfig>;
    DockConfig c;
    bool have_model = false;
    bool have_bays = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string_view item = text.substr(start, comma - start);
        start = comma + 1;
        if (item.empty())
            continue;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            return R::failure("dock spec item '" + std::string(item) + "' is not key=value");
        const std::string key(item.substr(0, eq));
        const std::string value(item.substr(eq + 1));
        if (key == "model") {
            if (value == "w700" || value == "W700")
                c.model = DockModel::W700;
            else if (value == "w701" || value == "W701")
                c.model = DockModel::W701;
            else
                return R::failure("dock model '" + value + "' unknown (w700 or w701)");
            have_model = true;
        } else if (key == "serial") {
            c.serial = value;
        } else if (key == "bays") {
            have_bays = true;
            std::size_t s = 0;
            while (s <= value.size()) {
                const std::size_t plus = std::min(value.find('+', s), value.size());
                std::string serial = value.substr(s, plus - s);
                c.bays.push_back(serial == "-" ? "" : serial);
                s = plus + 1;
            }
        } else {
            return R::failure("dock spec key '" + key + "' unknown (model, serial, bays)");
        }
    }
    if (!have_model)
        return R::failure("dock spec needs model=w700|w701");
    if (c.serial.empty())
        return R::failure("dock spec needs serial=");
    if (!have_bays)
        c.bays.clear();
    const auto n = static_cast<std::size_t>(bay_count(c.model));
    if (c.bays.size() > n)
        return R::failure("a " + std::string(to_string(c.model)) + " has " + std::to_string(n) +
                          " bay(s), got " + std::to_string(c.bays.size()) + " cameras");
    c.bays.resize(n);
    return c;
}

std::uint64_t recording_seed(std::string_view serial) {
    std::uint64_t h = 0xcbf29ce484222325ull; // FNV-1a 64
    for (char ch : serial) {
        h ^= static_cast<std::uint8_t>(ch);
        h *= 0x100000001b3ull;
    }
    return h;
}

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}
} // namespace

std::uint8_t recording_byte(std::uint64_t seed, std::uint64_t offset) {
    return static_cast<std::uint8_t>(splitmix64(seed + offset / 8) >> (8 * (offset % 8)));
}

EmuDock::EmuDock(DockConfig config, std::vector<EmuCamera*> cameras, ClockMode mode)
    : config_(std::move(config)), clock_(mode),
      bays_(static_cast<std::size_t>(bay_count(config_.model))) {
    for (std::size_t i = 0; i < bays_.size(); ++i) {
        Bay& b = bays_[i];
        b.camera = i < cameras.size() ? cameras[i] : nullptr;
        b.pins_mohm.fill(kNominalContactMohm);
        // Dock-wide faults first, so a bay's own fault overrides them.
        for (int pass = 0; pass < 2; ++pass) {
            for (const DockFault& f : config_.faults) {
                const bool for_this = pass == 0 ? !f.bay : f.bay == static_cast<int>(i) + 1;
                if (!for_this)
                    continue;
                if (f.pin)
                    b.pins_mohm[*f.pin] = f.value;
                else
                    b.supply_mv = f.value;
            }
        }
    }
}

bool EmuDock::vbus_on(const Bay& b) const {
    // The dock switches VBUS on only for a detected camera; the current needs
    // both the VBUS and the GND contact to flow.
    return powered_ && detected(b) && closed(b, PinVbus) && closed(b, PinGnd);
}

bool EmuDock::link_up(const Bay& b) const {
    return powered_ && detected(b) && closed(b, PinGnd) && closed(b, PinDp) && closed(b, PinDm);
}

void EmuDock::apply(Bay& b) {
    if (!b.seated || !b.camera)
        return;
    const bool vbus = vbus_on(b) && b.supply_mv >= kCameraVbusMinMv;
    if (b.applied_vbus != vbus) {
        b.camera->dock(vbus);
        b.applied_vbus = vbus;
    }
}

void EmuDock::set_power(bool on) {
    powered_ = on;
    for (Bay& b : bays_)
        apply(b);
}

Parsed<EmuDock::Bay*> EmuDock::bay_at(int bay) {
    if (bay < 1 || bay > bays())
        return bad_argument("bay " + std::to_string(bay) + " out of range: a " +
                            std::string(to_string(config_.model)) + " has bays 1-" +
                            std::to_string(bays()));
    return &bays_[static_cast<std::size_t>(bay - 1)];
}

Parsed<BayReading> EmuDock::read_bay(int bay) {
    auto b = bay_at(bay);
    if (!b)
        return b.error();
    Bay& x = **b;
    BayReading r;
    r.bay = bay;
    if (x.seated && x.camera)
        r.serial = x.camera->config().identity.serial;
    r.present = detected(x);
    r.vbus_mv = vbus_on(x) ? x.supply_mv : 0;
    r.link = link_up(x);
    r.pins_mohm = x.pins_mohm;
    if (x.seated && x.camera && vbus_on(x)) {
        // What the dock's current sense sees is what the camera's charger
        // draws into the cell (the camera's own load comes from the battery).
        const fw::GaugeReading g = x.camera->cell().read();
        r.charge_ma = g.present ? std::max<std::int64_t>(g.current_ma, 0) : 0;
    }
    return r;
}

Parsed<std::string> EmuDock::insert(int bay) {
    auto b = bay_at(bay);
    if (!b)
        return b.error();
    Bay& x = **b;
    if (!x.camera)
        return ProtocolError{"wrong_state", "bay " + std::to_string(bay) +
                                                " has no camera assigned (see --dock bays=)"};
    if (x.seated)
        return ProtocolError{"wrong_state", "bay " + std::to_string(bay) + " already holds " +
                                                x.camera->config().identity.serial};
    x.seated = true;
    x.applied_vbus.reset();
    apply(x);
    return "bay=" + std::to_string(bay) + " serial=" + x.camera->config().identity.serial;
}

Parsed<std::string> EmuDock::remove(int bay) {
    auto b = bay_at(bay);
    if (!b)
        return b.error();
    Bay& x = **b;
    if (!x.seated || !x.camera)
        return ProtocolError{"wrong_state", "bay " + std::to_string(bay) + " is empty"};
    x.seated = false;
    x.applied_vbus.reset();
    x.camera->undock();
    return "bay=" + std::to_string(bay) + " serial=" + x.camera->config().identity.serial;
}

Parsed<OffloadResult> EmuDock::offload(int bay, std::optional<std::int64_t> max_bytes) {
    auto b = bay_at(bay);
    if (!b)
        return b.error();
    Bay& x = **b;
    if (!x.seated || !x.camera)
        return ProtocolError{"wrong_state", "bay " + std::to_string(bay) + " is empty"};
    if (!link_up(x))
        return ProtocolError{"device", "bay " + std::to_string(bay) + " has no link (" +
                                           (powered_ ? "check the D+/D-/GND/ID contacts)"
                                                     : "the dock has no power)")};
    // The uplink is shared by every bay whose camera has recordings waiting.
    std::int64_t sharing = 0;
    for (Bay& other : bays_)
        if (other.seated && other.camera && link_up(other) &&
            (&other == &x || other.camera->storage().status().pending_offload_bytes > 0))
            ++sharing;
    OffloadResult r;
    r.rate_bytes_per_s =
        std::min(kBayLinkBytesPerS, kDockUplinkBytesPerS / std::max<std::int64_t>(sharing, 1));
    host::SimStorage& storage = x.camera->storage();
    std::int64_t want = storage.status().pending_offload_bytes;
    if (max_bytes)
        want = std::min(want, *max_bytes);
    // The transfer takes the camera's time, like TIME ADVANCE: it acts on the
    // camera at its current time and returns when the bytes have moved.
    r.duration_ms = (want * 1000 + r.rate_bytes_per_s - 1) / r.rate_bytes_per_s;
    x.camera->run_until(x.camera->now() + Millis{r.duration_ms});
    r.offset = storage.offloaded_bytes();
    r.bytes = storage.offload(want);
    const std::uint64_t seed = recording_seed(x.camera->config().identity.serial);
    fw::Sha256 sha;
    std::array<std::uint8_t, 4096> chunk{};
    for (std::int64_t done = 0; done < r.bytes;) {
        const auto n = static_cast<std::size_t>(
            std::min<std::int64_t>(r.bytes - done, static_cast<std::int64_t>(chunk.size())));
        for (std::size_t i = 0; i < n; ++i)
            chunk[i] = recording_byte(seed, static_cast<std::uint64_t>(r.offset + done) + i);
        sha.update(chunk.data(), n);
        done += static_cast<std::int64_t>(n);
    }
    r.sha256 = sha.hex_digest();
    return r;
}

void EmuDock::advance(Millis by) {
    clock_.set(clock_.now() + by);
    for (Bay& b : bays_)
        if (b.camera)
            b.camera->run_until(b.camera->now() + by);
}

std::string EmuDock::banner_fields() const {
    return "model=" + std::string(to_string(config_.model)) + " serial=" + config_.serial;
}

} // namespace bwc::emu
