// One emulated camera (see emu_camera.hpp).
#include "firmware/emu/emu_camera.hpp"

#include "firmware/emu/command_line.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

namespace bwc::emu {

fw::Result<CameraConfig> parse_camera_config(std::string_view text) {
    using R = fw::Result<CameraConfig>;
    // Reuse the protocol's key=value parser: commas become spaces.
    std::string spaced(text);
    for (char& c : spaced)
        if (c == ',')
            c = ' ';
    auto cmd = parse_command_line(spaced);
    if (!cmd)
        return R::failure(cmd.error().message);
    if (!cmd->words.empty())
        return R::failure("expected key=value pairs, got '" + cmd->words.front() + "'");
    if (auto unknown = cmd->unknown_keys({"model", "serial", "imei", "mac", "hardware", "user",
                                          "soc", "provisioned", "temperature"}))
        return R::failure(unknown->message + " (known: model serial imei mac hardware user soc "
                                             "provisioned temperature)");
    CameraConfig c;
    const auto model_text = cmd->optional_text("model").value_or("w120");
    const auto model = fw::parse_model(model_text);
    if (!model)
        return R::failure("unknown model '" + model_text + "' (w100 or w120)");
    c.model = *model;
    auto serial = cmd->text("serial");
    if (!serial)
        return R::failure("every camera needs serial=<serial number>");
    if (serial->empty() || serial->size() > 32 ||
        serial->find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
        return R::failure("serial '" + *serial + "' must be 1-32 letters, digits or '-'");
    c.identity.serial = *serial;
    c.identity.imei = cmd->optional_text("imei").value_or("");
    if (!c.identity.imei.empty() &&
        (c.identity.imei.size() != 15 ||
         c.identity.imei.find_first_not_of("0123456789") != std::string::npos))
        return R::failure("imei '" + c.identity.imei + "' must be 15 digits");
    c.identity.mac = cmd->optional_text("mac").value_or("");
    c.identity.hardware_revision = cmd->optional_text("hardware").value_or("A");
    if (auto user = cmd->optional_text("user"))
        c.user = *user;
    auto soc = cmd->optional_number("soc", 0, 100);
    if (!soc)
        return R::failure(soc.error().message);
    c.battery_soc_percent = soc->value_or(c.battery_soc_percent);
    auto temp = cmd->optional_number("temperature", -40, 85);
    if (!temp)
        return R::failure(temp.error().message);
    c.temperature_c = temp->value_or(c.temperature_c);
    auto provisioned = cmd->flag("provisioned", true);
    if (!provisioned)
        return R::failure(provisioned.error().message);
    c.provisioned = *provisioned;
    return c;
}

namespace {

fw::DeciCelsius to_deci(double celsius) {
    return static_cast<fw::DeciCelsius>(std::lround(celsius * 10.0));
}

/// FNV-1a of the serial: the seed of a unit's default MAC, so every
/// emulated camera has its own, stable across runs.
std::uint64_t serial_hash(const std::string& serial) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : serial)
        h = (h ^ c) * 1099511628211ull;
    return h;
}

/// A locally administered unicast MAC (02:…) derived from the serial, for a
/// camera whose spec gives none; a real camera's label always carries one.
std::string default_mac(const std::string& serial) {
    std::uint64_t h = serial_hash(serial);
    char mac[18];
    std::snprintf(mac, sizeof mac, "02:%02x:%02x:%02x:%02x:%02x",
                  static_cast<unsigned>((h >> 32) & 0xff), static_cast<unsigned>((h >> 24) & 0xff),
                  static_cast<unsigned>((h >> 16) & 0xff), static_cast<unsigned>((h >> 8) & 0xff),
                  static_cast<unsigned>(h & 0xff));
    return mac;
}

} // namespace

EmuCamera::EmuCamera(CameraConfig config, ClockMode mode)
    : config_(std::move(config)), clock_(mode), spec_(fw::model_spec(config_.model)) {
    apply_firmware_faults(spec_);
    if (config_.identity.mac.empty())
        config_.identity.mac = default_mac(config_.identity.serial);

    host::CellParams cell_params;
    if (const Fault* f = config_.faults.find("battery.capacity_pct"))
        cell_params.capacity_mah =
            cell_params.capacity_mah * static_cast<double>(*f->number) / 100.0;
    cell_ = std::make_unique<host::SimCell>(clock_, cell_params, config_.battery_soc_percent);
    cell_->set_temperature(to_deci(config_.temperature_c));
    cell_->set_charger_dead(config_.faults.find("charger.dead") != nullptr);
    cell_->set_present(config_.faults.find("battery.missing") == nullptr);

    storage_ = std::make_unique<host::SimStorage>(clock_, spec_.media.storage_bytes);
    storage_->set_error(config_.faults.find("storage.error") != nullptr);
    if (const Fault* f = config_.faults.find("storage.slow_mbps"))
        storage_->set_read_limit(*f->number * 1'000'000 / 8);

    fw::Nvram nvram;
    if (config_.provisioned) {
        nvram.shipping_mode = false;
        nvram.added_to_system = true;
        nvram.user = config_.user;
        nvram.last_undocked_at = Millis{0};
        nvram.certificate_renewed_at = Millis{0};
    }
    fit_radios();
    fw::CameraPorts ports{clock_, *cell_, *cell_, *storage_, {modem_.get(), wifi_.get()}};
    camera_ = std::make_unique<fw::Camera>(spec_, config_.identity, nvram, ports);
    // A stuck contact is closed from the moment the camera is assembled.
    for (fw::Button b : spec_.buttons)
        if (config_.faults.find("button." + std::string(fw::to_string(b)) + ".stuck"))
            camera_->button(b, true);
    cell_->set_load([this] { return system_draw_ma(); });
}

EmuCamera::~EmuCamera() = default;

std::int32_t EmuCamera::system_draw_ma() const {
    switch (camera_->power()) {
    case fw::PowerState::On:
    case fw::PowerState::Booting:
    case fw::PowerState::Restarting:
        return camera_->activity() == fw::Activity::Recording ? spec_.draw.recording_ma
                                                              : spec_.draw.standby_ma;
    default:
        return spec_.draw.off_ma;
    }
}

std::string EmuCamera::banner_fields() const {
    return "model=" + std::string(fw::to_string(config_.model)) +
           " serial=" + config_.identity.serial;
}

void EmuCamera::fit_radios() {
    const FaultSet& f = config_.faults;
    if (spec_.caps.lte) {
        ModemOptions options;
        if (!config_.identity.imei.empty())
            options.imei = config_.identity.imei;
        else
            config_.identity.imei = options.imei; // the label carries the modem's IMEI
        modem_ = std::make_unique<ModemModel>(clock_, options);
        modem_->insert_sim(Sim{});
        ModemFaults mf;
        mf.absent = f.find("modem.absent") != nullptr;
        if (const Fault* x = f.find("modem.imei"))
            mf.imei = x->text;
        mf.sim_absent = f.find("sim.absent") != nullptr;
        mf.sim_locked = f.find("sim.locked") != nullptr;
        if (const Fault* x = f.find("modem.rssi_drop_db"))
            mf.rssi_drop_db = static_cast<int>(*x->number);
        modem_->set_faults(mf);
    }
    wifi_ =
        std::make_unique<WifiRadioModel>(WifiRadioOptions{.supports_5ghz = spec_.caps.wifi_5ghz});
    WifiFaults wf;
    wf.dead = f.find("wifi.dead") != nullptr;
    if (const Fault* x = f.find("wifi.band"))
        wf.only_band = x->text == "5" ? fw::radio::WifiBand::ghz_5 : fw::radio::WifiBand::ghz_2_4;
    if (const Fault* x = f.find("wifi.rssi_drop_db"))
        wf.rssi_drop_db = static_cast<int>(*x->number);
    wf.wpa2_fail = f.find("wifi.wpa2_fail") != nullptr;
    wifi_->set_faults(wf);
    if (spec_.caps.gnss) {
        gnss_ = std::make_unique<GnssReceiverModel>(clock_);
        GnssFaults gf;
        gf.no_fix = f.find("gnss.no_fix") != nullptr;
        if (const Fault* x = f.find("gnss.offset_m"))
            gf.offset_m = static_cast<double>(*x->number);
        if (const Fault* x = f.find("gnss.cn0_drop_db"))
            gf.cn0_drop_db = static_cast<double>(*x->number);
        gnss_->set_faults(gf);
    }
}

void EmuCamera::apply_firmware_faults(fw::ModelSpec& spec) {
    // Firmware-level defects: the reference firmware built with a wrong
    // table row. The bench must catch them through behaviour alone.
    gestures_.assign(spec.gestures.begin(), spec.gestures.end());
    for (fw::GestureBinding& g : gestures_) {
        const std::string name = "button." + std::string(fw::to_string(g.button)) + ".threshold_ms";
        if (const Fault* f = config_.faults.find(name); f && g.kind == fw::GestureKind::Hold)
            g.hold_threshold = Millis{*f->number};
    }
    spec.gestures = gestures_;
    if (config_.faults.find("boot.hang"))
        spec.timing.boot_to_ready = fw::weeks(52 * 100);
    if (const Fault* f = config_.faults.find("boot.slow_ms"))
        spec.timing.boot_to_ready += Millis{*f->number};
    if (config_.faults.find("charger.ignore_temperature")) {
        spec.charge.window_low_dc = fw::deci_c(-100);
        spec.charge.window_high_dc = fw::deci_c(100);
    }
    if (config_.faults.find("charger.no_cap"))
        spec.charge.reduced_limit_percent = 100;
}

// --- time -------------------------------------------------------------------

std::optional<Millis> EmuCamera::next_deadline() const {
    std::optional<Millis> best = camera_->next_deadline();
    auto consider = [&](std::optional<Millis> t) {
        if (t && (!best || *t < *best))
            best = t;
    };
    if (modem_)
        consider(modem_->next_deadline());
    if (gnss_)
        consider(gnss_->next_deadline());
    if (!scheduled_.empty() && (!best || scheduled_.begin()->first < *best))
        best = scheduled_.begin()->first;
    return best;
}

void EmuCamera::settle() {
    if (gnss_) {
        gnss_->advance();
        const std::string nmea = gnss_->take_output();
        if (!nmea.empty()) {
            camera_->gnss_bytes(nmea);
            if (nmea_sink_)
                nmea_sink_(nmea);
        }
    }
    // The firmware answers what the modem says with new commands, which the
    // modem answers at once, all at this same instant: exchange until both
    // are quiet (bounded, so a chatty defect cannot spin the emulator).
    for (int round = 0; round < 64; ++round) {
        camera_->advance();
        if (!modem_)
            break;
        modem_->advance();
        const std::string bytes = modem_->take_output();
        if (bytes.empty())
            break;
        camera_->modem_bytes(bytes);
    }
    for (fw::Event& e : camera_->drain_events())
        events_.push_back(std::move(e));
}

void EmuCamera::run_until(Millis t) {
    if (clock_.mode() == ClockMode::Realtime)
        t = clock_.now();
    while (auto due = next_deadline()) {
        if (*due > t)
            break;
        clock_.set(*due);
        while (!scheduled_.empty() && scheduled_.begin()->first <= clock_.now()) {
            auto action = std::move(scheduled_.begin()->second);
            scheduled_.erase(scheduled_.begin());
            action();
        }
        settle();
    }
    clock_.set(t);
    settle();
}

std::vector<fw::Event> EmuCamera::take_events() {
    settle();
    std::vector<fw::Event> out;
    out.swap(events_);
    return out;
}

void EmuCamera::schedule(Millis at, std::function<void()> action) {
    scheduled_.emplace(at, std::move(action));
}

// --- physical actions ---------------------------------------------------------

void EmuCamera::button(fw::Button b, bool down) {
    const std::string base = "button." + std::string(fw::to_string(b));
    if (config_.faults.find(base + ".dead") || config_.faults.find(base + ".stuck"))
        return; // the contact does not follow the actuator
    camera_->button(b, down);
    settle();
}

void EmuCamera::press(fw::Button b, Millis held) {
    button(b, true);
    schedule(now() + held, [this, b] { button(b, false); });
}

void EmuCamera::dock(bool vbus) {
    cell_->set_external_power(vbus);
    camera_->dock(vbus);
    settle();
}

void EmuCamera::undock() {
    cell_->set_external_power(false);
    camera_->undock();
    settle();
}

void EmuCamera::usb(bool present) {
    cell_->set_external_power(present);
    camera_->set_usb_power(present);
    settle();
}

void EmuCamera::set_temperature(double celsius) {
    cell_->set_temperature(to_deci(celsius));
    settle();
}

void EmuCamera::swap_battery(host::CellParams params, double soc_percent) {
    cell_->swap(std::move(params), soc_percent);
    camera_->battery_replaced();
    settle();
}

FaceFaults EmuCamera::face_faults() const {
    FaceFaults ff;
    for (fw::Indicator i : spec_.indicators) {
        const std::string base = "led." + std::string(fw::to_string(i));
        if (config_.faults.find(base + ".dead"))
            ff.dead_leds.insert(i);
        if (const Fault* f = config_.faults.find(base + ".color"))
            ff.colour_override[i] = *f->colour;
    }
    ff.display_dead = config_.faults.find("display.dead") != nullptr;
    if (const Fault* f = config_.faults.find("display.dead_rows"))
        ff.display_dead_rows = DeadRows{f->range->first, f->range->second};
    return ff;
}

RenderedFace EmuCamera::render(std::optional<Millis> at, const RenderConditions& conditions) {
    settle();
    fw::Snapshot s = camera_->snapshot();
    if (led_test_) {
        // The factory LED test drives every light directly, whatever the
        // firmware's state says.
        for (fw::IndicatorReading& r : s.lights)
            if (r.indicator != fw::Indicator::Display)
                r.light = {*led_test_, fw::Pattern::Steady, Millis{0}};
    }
    return render_face(s, at.value_or(now()), conditions, face_faults());
}

} // namespace bwc::emu
