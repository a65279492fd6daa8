// The physical port: what fixtures do to an emulated camera — buttons, dock,
// chargers, temperature, battery, controller link, radio environment
// (firmware/PROTOCOL.md, "Physical port").
#include "firmware/emu/camera_ports.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <opencv2/imgcodecs.hpp>

namespace bwc::emu {

PhysicalPort::PhysicalPort(LineServer& server, EmuCamera& camera)
    : PortHandler(server, camera, "BWC-PHYS"), camera_(camera) {}

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
    if (verb == "GNSS")
        return gnss_command(cmd);
    if (verb == "RF")
        return rf_command(cmd);
    if (verb == "SIM")
        return sim_command(cmd);
    if (verb == "FACE")
        return face_command(cmd);
    if (verb == "SUPPLY")
        return supply_command(cmd);
    return ProtocolError{"unknown_command", "'" + cmd.words[0] +
                                                "' (physical port commands: BUTTON PRESS DOCK "
                                                "UNDOCK USB CONTROLLER TEMP BATTERY GNSS RF SIM "
                                                "FACE SUPPLY TIME PING)"};
}

namespace {

ProtocolError not_fitted(const fw::ModelSpec& spec, std::string_view what) {
    return {"not_supported", "the " + std::string(spec.name) + " has no " + std::string(what)};
}

/// "2024-06-01T12:30:00" → date and time of day.
Parsed<std::pair<fw::gnss::Date, fw::gnss::TimeOfDay>> parse_utc(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
    char t = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &t, &h, &mi, &se) != 7 ||
        t != 'T' || text.size() != 19)
        return bad_argument("utc wants YYYY-MM-DDTHH:MM:SS, got '" + text + "'");
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
        return bad_argument("utc '" + text + "' is not a valid date and time");
    fw::gnss::Date date{};
    date.year = y;
    date.month = static_cast<std::uint8_t>(mo);
    date.day = static_cast<std::uint8_t>(d);
    fw::gnss::TimeOfDay tod{};
    tod.hour = static_cast<std::uint8_t>(h);
    tod.minute = static_cast<std::uint8_t>(mi);
    tod.second = static_cast<std::uint8_t>(se);
    return std::pair{date, tod};
}

} // namespace

Parsed<std::string> PhysicalPort::gnss_command(const CommandLine& cmd) {
    GnssReceiverModel* gnss = camera_.gnss();
    if (!gnss)
        return not_fitted(camera_.firmware().spec(), "GNSS receiver");
    const std::string sub = cmd.word_upper(1);
    if (sub == "OFF") {
        gnss->stop();
        return std::string();
    }
    if (sub == "REPLAY") {
        if (cmd.words.size() != 3)
            return missing_argument("GNSS REPLAY needs the path of an NMEA log");
        auto r = gnss->replay_file(cmd.words[2]);
        if (!r)
            return bad_argument(r.error().message);
        camera_.run_until(camera_.now());
        return "epochs=" + std::to_string(r->epochs) + " sentences=" + std::to_string(r->sentences);
    }
    if (sub != "SCENARIO")
        return bad_argument("GNSS takes SCENARIO lat= lon= [alt=] [sats=] [cn0=] [utc=], "
                            "REPLAY <file> or OFF");
    if (auto e = cmd.unknown_keys({"lat", "lon", "alt", "sats", "cn0", "level", "utc"}))
        return *e;
    auto lat = cmd.number("lat", -90, 90);
    if (!lat)
        return lat.error();
    auto lon = cmd.number("lon", -180, 180);
    if (!lon)
        return lon.error();
    auto alt = cmd.optional_number("alt", -1000, 50000);
    if (!alt)
        return alt.error();
    auto cn0 = cmd.optional_number("cn0", 0, 99);
    if (!cn0)
        return cn0.error();
    auto level = cmd.optional_number("level", -200, 0);
    if (!level)
        return level.error();
    auto sats = cmd.optional_integer("sats", 0, 12);
    if (!sats)
        return sats.error();
    Scenario sc;
    sc.position = {*lat, *lon, alt->value_or(0.0)};
    if (auto utc = cmd.optional_text("utc")) {
        auto parsed = parse_utc(*utc);
        if (!parsed)
            return parsed.error();
        sc.utc_date = parsed->first;
        sc.utc_time = parsed->second;
    }
    if (*level && !*cn0) {
        sc.rf_level_dbm = **level;
    } else {
        sc.satellites = default_sky(cn0->value_or(42.0));
        if (*sats)
            sc.satellites.resize(static_cast<std::size_t>(**sats));
    }
    if (auto error = gnss->set_scenario(sc))
        return bad_argument(error->message);
    camera_.run_until(camera_.now());
    return std::string();
}

Parsed<std::string> PhysicalPort::rf_command(const CommandLine& cmd) {
    const std::string sub = cmd.word_upper(1);
    const fw::ModelSpec& spec = camera_.firmware().spec();
    if (sub == "WIFI") {
        WifiRadioModel* wifi = camera_.wifi();
        const std::string action = cmd.word_upper(2);
        if (action == "CLEAR") {
            wifi->clear();
            return std::string();
        }
        if (action != "ADD")
            return bad_argument("RF WIFI takes ADD ssid= psk= [band=] [channel=] [security=] "
                                "[level=] [bssid=] or CLEAR");
        if (auto e =
                cmd.unknown_keys({"ssid", "psk", "band", "channel", "security", "level", "bssid"}))
            return *e;
        ApConfig ap;
        auto ssid = cmd.text("ssid");
        if (!ssid)
            return ssid.error();
        if (ssid->empty() || ssid->size() > 32)
            return bad_argument("ssid must be 1-32 characters");
        ap.ssid = *ssid;
        ap.psk = cmd.optional_text("psk").value_or("");
        const std::string band = cmd.optional_text("band").value_or("2.4");
        if (band != "2.4" && band != "5")
            return bad_argument("band wants 2.4 or 5, got '" + band + "'");
        ap.band = band == "5" ? fw::radio::WifiBand::ghz_5 : fw::radio::WifiBand::ghz_2_4;
        auto channel = cmd.optional_integer("channel", 1, 196);
        if (!channel)
            return channel.error();
        ap.channel = static_cast<int>(channel->value_or(band == "5" ? 36 : 6));
        const std::string security = cmd.optional_text("security").value_or("wpa2");
        using fw::radio::WifiSecurity;
        if (security == "wpa2")
            ap.security = WifiSecurity::wpa2_psk;
        else if (security == "wpa3")
            ap.security = WifiSecurity::wpa3_sae;
        else if (security == "open")
            ap.security = WifiSecurity::open;
        else if (security == "wep")
            ap.security = WifiSecurity::wep;
        else
            return bad_argument("security wants wpa2, wpa3, open or wep, got '" + security + "'");
        auto level = cmd.optional_integer("level", -120, 0);
        if (!level)
            return level.error();
        ap.level_dbm = static_cast<int>(level->value_or(-55));
        ap.bssid = cmd.optional_text("bssid").value_or(
            "02:00:00:00:00:" + std::string(ap.channel < 10 ? "0" : "") +
            std::to_string(ap.channel % 100));
        wifi->add_access_point(ap);
        return std::string();
    }
    if (sub == "LTE") {
        ModemModel* modem = camera_.modem();
        if (!modem)
            return not_fitted(spec, "LTE modem");
        if (cmd.word_upper(2) == "OFF") {
            modem->set_cell(std::nullopt);
            camera_.run_until(camera_.now());
            return std::string();
        }
        if (auto e = cmd.unknown_keys({"plmn", "name", "band", "level", "roaming", "deny"}))
            return *e;
        Cell cell;
        auto plmn = cmd.text("plmn");
        if (!plmn)
            return plmn.error();
        if ((plmn->size() != 5 && plmn->size() != 6) ||
            plmn->find_first_not_of("0123456789") != std::string::npos)
            return bad_argument("plmn wants 5 or 6 digits (MCC+MNC), got '" + *plmn + "'");
        cell.plmn = *plmn;
        cell.operator_name = cmd.optional_text("name").value_or(cell.operator_name);
        auto band = cmd.optional_integer("band", 1, 255);
        if (!band)
            return band.error();
        cell.band = static_cast<int>(band->value_or(cell.band));
        auto level = cmd.optional_integer("level", -140, -20);
        if (!level)
            return level.error();
        cell.level_dbm = static_cast<int>(level->value_or(cell.level_dbm));
        auto roaming = cmd.flag("roaming", true);
        if (!roaming)
            return roaming.error();
        cell.roaming_allowed = *roaming;
        auto deny = cmd.flag("deny", false);
        if (!deny)
            return deny.error();
        cell.deny_registration = *deny;
        modem->set_cell(cell);
        camera_.run_until(camera_.now());
        return std::string();
    }
    return bad_argument("RF takes WIFI ADD|CLEAR or LTE plmn=…|OFF");
}

Parsed<std::string> PhysicalPort::sim_command(const CommandLine& cmd) {
    ModemModel* modem = camera_.modem();
    if (!modem)
        return not_fitted(camera_.firmware().spec(), "SIM slot");
    const std::string sub = cmd.word_upper(1);
    if (sub == "REMOVE") {
        modem->remove_sim();
        camera_.run_until(camera_.now());
        return std::string();
    }
    if (sub != "INSERT")
        return bad_argument("SIM takes INSERT [imsi=] [pin=] [puk=] [locked=0|1] or REMOVE");
    if (auto e = cmd.unknown_keys({"imsi", "pin", "puk", "locked"}))
        return *e;
    Sim sim;
    if (auto imsi = cmd.optional_text("imsi")) {
        if (imsi->size() < 6 || imsi->size() > 15 ||
            imsi->find_first_not_of("0123456789") != std::string::npos)
            return bad_argument("imsi wants 6-15 digits, got '" + *imsi + "'");
        sim.imsi = *imsi;
    }
    sim.pin = cmd.optional_text("pin");
    if (auto puk = cmd.optional_text("puk"))
        sim.puk = *puk;
    auto locked = cmd.flag("locked", false);
    if (!locked)
        return locked.error();
    sim.locked_puk = *locked;
    modem->insert_sim(sim);
    camera_.run_until(camera_.now());
    return std::string();
}

Parsed<std::string> PhysicalPort::face_command(const CommandLine& cmd) {
    if (auto e = cmd.unknown_keys({"at_ms", "exposure", "wb", "noise", "blur", "tilt", "tilt_axis",
                                   "bloom", "seed", "width", "height", "file"}))
        return *e;
    auto file = cmd.text("file");
    if (!file)
        return file.error();
    // PNG for people; BMP and PPM are uncompressed, for a fixture emulator
    // that reads every frame back at once.
    const auto has_suffix = [&](std::string_view suffix) {
        return file->size() > suffix.size() &&
               std::string_view(*file).substr(file->size() - suffix.size()) == suffix;
    };
    if (!has_suffix(".png") && !has_suffix(".bmp") && !has_suffix(".ppm"))
        return bad_argument("file must name a .png, .bmp or .ppm, got '" + *file + "'");
    RenderConditions rc;
    auto at = cmd.optional_integer("at_ms", 0, std::numeric_limits<std::int64_t>::max() / 2);
    auto exposure = cmd.optional_number("exposure", -1, 1);
    auto wb = cmd.optional_number("wb", 3000, 7500);
    auto noise = cmd.optional_number("noise", 0, 8);
    auto blur = cmd.optional_number("blur", 0, 2);
    auto tilt = cmd.optional_number("tilt", 0, 5);
    auto tilt_axis = cmd.optional_number("tilt_axis", -180, 180);
    auto bloom = cmd.optional_number("bloom", 0, 40);
    auto seed = cmd.optional_integer("seed", 0, std::numeric_limits<std::int64_t>::max());
    auto width = cmd.optional_integer("width", 64, 3840);
    auto height = cmd.optional_integer("height", 64, 2160);
    for (const auto* p : {&width, &height})
        if (!*p)
            return p->error();
    for (const auto* p : {&exposure, &wb, &noise, &blur, &tilt, &tilt_axis, &bloom})
        if (!*p)
            return p->error();
    if (!at)
        return at.error();
    if (!seed)
        return seed.error();
    rc.exposure_ev = exposure->value_or(rc.exposure_ev);
    rc.white_balance_k = wb->value_or(rc.white_balance_k);
    rc.noise_sigma = noise->value_or(rc.noise_sigma);
    rc.blur_px = blur->value_or(rc.blur_px);
    rc.tilt_deg = tilt->value_or(rc.tilt_deg);
    rc.tilt_axis_deg = tilt_axis->value_or(rc.tilt_axis_deg);
    rc.led_bloom_px = bloom->value_or(rc.led_bloom_px);
    if (*seed)
        rc.seed = static_cast<std::uint64_t>(**seed);
    if (*width)
        rc.size.width = static_cast<int>(**width);
    if (*height)
        rc.size.height = static_cast<int>(**height);
    std::optional<Millis> when;
    if (*at)
        when = Millis{**at};
    const RenderedFace face = camera_.render(when, rc);
    if (!cv::imwrite(*file, face.image))
        return ProtocolError{"device", "cannot write '" + *file + "'"};
    return "width=" + std::to_string(face.image.cols) +
           " height=" + std::to_string(face.image.rows);
}

Parsed<std::string> PhysicalPort::supply_command(const CommandLine& cmd) {
    if (cmd.words.size() != 1 || !cmd.named.empty())
        return bad_argument("SUPPLY takes no arguments");
    // What a supply feeding the camera (dock VBUS or USB-C) would measure: the
    // charger's current into the cell plus the electronics, which run from
    // external power while it is present.
    const bool external = camera_.firmware().snapshot().battery.external_power;
    const fw::GaugeReading gauge = camera_.cell().read();
    const std::int64_t charge_ma = external && gauge.present ? std::max(gauge.current_ma, 0) : 0;
    const std::int64_t system_ma = camera_.system_draw_ma();
    const std::int64_t supply_ma = external ? charge_ma + system_ma : 0;
    return "external=" + std::string(external ? "1" : "0") +
           " charge_ma=" + std::to_string(charge_ma) + " system_ma=" + std::to_string(system_ma) +
           " supply_ma=" + std::to_string(supply_ma);
}

} // namespace bwc::emu
