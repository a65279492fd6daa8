// The diag port: what a real camera's factory USB serial port answers
// (firmware/PROTOCOL.md, "Diag port").
#include "firmware/core/json_writer.hpp"
#include "firmware/emu/camera_ports.hpp"

namespace bwc::emu {

DiagPort::DiagPort(LineServer& server, EmuCamera& camera)
    : PortHandler(server, camera, "BWC-DIAG"), camera_(camera) {}

void DiagPort::publish(const std::vector<fw::Event>& events) {
    if (subscribers_.empty())
        return;
    for (const fw::Event& e : events) {
        std::string line = "EVT " + std::to_string(e.at.count()) + " " +
                           std::string(fw::to_string(e.kind)) + " " + quote_if_needed(e.what);
        if (!e.detail.empty())
            line += " " + quote_if_needed(e.detail);
        for (ClientId c : subscribers_)
            server_.send_line(c, line);
    }
}

namespace {

std::string kv(std::string_view key, const std::string& value) {
    return std::string(key) + "=" + quote_if_needed(value) + " ";
}
std::string kv(std::string_view key, std::int64_t value) {
    return std::string(key) + "=" + std::to_string(value) + " ";
}
template <class T>
std::string kv(std::string_view key, const std::optional<T>& value) {
    if (!value)
        return std::string(key) + "= ";
    if constexpr (std::is_floating_point_v<T>) {
        fw::JsonWriter w;
        w.value(*value);
        return std::string(key) + "=" + w.str() + " ";
    } else {
        return kv(key, static_cast<std::int64_t>(*value));
    }
}
std::string trimmed(std::string s) {
    if (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

ProtocolError unknown(const CommandLine& cmd) {
    return {"unknown_command", "'" + cmd.words[0] +
                                   "' (diag port commands: IDENTIFY STATE SUBSCRIBE UNSUBSCRIBE "
                                   "GAUGE GNSS AT WIFI STORAGE FACTORY FAULTS TIME PING)"};
}

} // namespace

std::optional<Parsed<std::string>> DiagPort::raw_line(ClientId, std::string_view line) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos || line.size() - start < 2 ||
        (line[start] != 'A' && line[start] != 'a') ||
        (line[start + 1] != 'T' && line[start + 1] != 't'))
        return std::nullopt;
    ModemModel* modem = camera_.modem();
    if (!modem)
        return Parsed<std::string>(
            ProtocolError{"not_supported", "the " + std::string(spec_name()) + " has no modem"});
    // The line goes as typed to the modem's second (diagnostic) channel; its
    // raw reply comes back C-escaped in quotes.
    const std::string reply = modem->execute(std::string(line.substr(start)) + "\r");
    camera_.run_until(camera_.now());
    return Parsed<std::string>("\"" + c_escape(reply) + "\"");
}

std::string_view DiagPort::spec_name() const {
    return camera_.firmware().spec().name;
}

Parsed<std::string> DiagPort::wifi_command(const CommandLine& cmd) {
    const std::string sub = cmd.word_upper(1);
    if (sub == "SCAN") {
        fw::JsonWriter w;
        w.begin_array();
        for (const fw::radio::AccessPoint& ap : camera_.wifi()->scan()) {
            w.begin_object();
            w.field("ssid", ap.ssid);
            w.field("bssid", ap.bssid);
            w.field("band", fw::radio::to_string(ap.band));
            w.field("channel", ap.channel);
            w.field("security", fw::radio::to_string(ap.security));
            w.field("rssi_dbm", ap.rssi_dbm);
            w.end_object();
        }
        w.end_array();
        return w.str();
    }
    if (sub == "CONNECT") {
        if (cmd.words.size() != 4)
            return missing_argument("WIFI CONNECT needs <ssid> <psk> (quote them if they have "
                                    "spaces)");
        auto refused = camera_.firmware().add_wifi_network(
            {cmd.words[2], cmd.words[3], fw::NetworkSource::App});
        if (!refused.empty())
            return ProtocolError{"device", refused.front()};
        camera_.run_until(camera_.now());
        return std::string();
    }
    if (sub == "STATUS") {
        camera_.run_until(camera_.now());
        const fw::RadioSummary r = camera_.firmware().snapshot().radios;
        std::optional<std::int64_t> rssi;
        if (r.wifi_rssi_dbm)
            rssi = *r.wifi_rssi_dbm;
        return trimmed(kv("state", r.wifi_state) + kv("ssid", r.ssid) + kv("bssid", r.bssid) +
                       kv("band", r.wifi_band) + kv("channel", r.wifi_channel) +
                       kv("rssi_dbm", rssi) + kv("ipv4", r.ipv4) + kv("reason", r.wifi_error));
    }
    return bad_argument("WIFI takes SCAN, CONNECT <ssid> <psk> or STATUS");
}

Parsed<std::string> DiagPort::command(ClientId client, const CommandLine& cmd) {
    const std::string verb = cmd.word_upper(0);
    auto no_more = [&](std::size_t n) -> std::optional<ProtocolError> {
        if (cmd.words.size() > n || !cmd.named.empty())
            return bad_argument(
                verb + " takes no " +
                (cmd.words.size() > n ? "'" + cmd.words[n] + "'" : "named arguments"));
        return std::nullopt;
    };
    if (verb == "IDENTIFY") {
        if (auto e = no_more(1))
            return *e;
        const fw::Snapshot s = camera_.firmware().snapshot();
        return trimmed(kv("model", std::string(fw::to_string(s.model))) +
                       kv("serial", s.identity.serial) + kv("firmware", s.firmware_version) +
                       kv("hardware", s.identity.hardware_revision) + kv("imei", s.identity.imei) +
                       kv("mac", s.identity.mac) + kv("battery_id", s.battery.gauge.battery_id));
    }
    if (verb == "STATE") {
        if (auto e = no_more(1))
            return *e;
        camera_.run_until(camera_.now());
        return fw::to_json(camera_.firmware().snapshot());
    }
    if (verb == "SUBSCRIBE" || verb == "UNSUBSCRIBE") {
        if (auto e = no_more(1))
            return *e;
        if (verb == "SUBSCRIBE")
            subscribers_.insert(client);
        else
            subscribers_.erase(client);
        return std::string();
    }
    if (verb == "GAUGE") {
        if (auto e = no_more(1))
            return *e;
        const fw::GaugeReading g = camera_.cell().read();
        return trimmed(kv("voltage_mv", g.voltage_mv) + kv("current_ma", g.current_ma) +
                       kv("temperature_dc", g.temperature_dc) +
                       kv("soc", g.state_of_charge_percent) + kv("remaining_mah", g.remaining_mah) +
                       kv("full_charge_mah", g.full_charge_mah) + kv("cycle_count", g.cycle_count) +
                       kv("battery_id", g.battery_id) + kv("present", g.present ? 1 : 0));
    }
    if (verb == "GNSS") {
        if (auto e = no_more(1))
            return *e;
        const fw::Snapshot s = camera_.firmware().snapshot();
        const fw::RadioSummary& r = s.radios;
        if (!r.gnss_fitted)
            return ProtocolError{"not_supported",
                                 "the " + std::string(fw::to_string(s.model)) + " has no GNSS"};
        std::optional<std::int64_t> ttff;
        if (r.gnss_ttff)
            ttff = r.gnss_ttff->count();
        return trimmed(kv("fix", std::string(r.gnss_position ? "yes" : "none")) +
                       kv("lat", r.latitude_deg) + kv("lon", r.longitude_deg) +
                       kv("sats_used", r.gnss_sats_used) + kv("sats_in_view", r.gnss_sats_in_view) +
                       kv("best_cn0", r.gnss_best_cn0_dbhz) + kv("ttff_ms", ttff));
    }
    if (verb == "STORAGE") {
        if (auto e = no_more(1))
            return *e;
        const fw::StorageStatus st = camera_.storage().status();
        return trimmed(kv("capacity_bytes", st.capacity_bytes) + kv("used_bytes", st.used_bytes) +
                       kv("pending_offload_bytes", st.pending_offload_bytes) +
                       kv("recordings", camera_.storage().recordings()) +
                       kv("error", st.error ? 1 : 0));
    }
    if (verb == "FACTORY") {
        const std::string sub = cmd.word_upper(1);
        if (sub == "SHIPPING") {
            camera_.firmware().enter_shipping_mode();
            return std::string();
        }
        if (sub == "LEDTEST") {
            if (cmd.words.size() != 3)
                return missing_argument("FACTORY LEDTEST needs a colour: red green amber blue "
                                        "white or off");
            for (fw::Colour c : {fw::Colour::Off, fw::Colour::Red, fw::Colour::Green,
                                 fw::Colour::Amber, fw::Colour::Blue, fw::Colour::White}) {
                if (cmd.words[2] == fw::to_string(c)) {
                    camera_.set_led_test(c == fw::Colour::Off ? std::nullopt
                                                              : std::optional<fw::Colour>(c));
                    return std::string();
                }
            }
            return bad_argument("unknown colour '" + cmd.words[2] +
                                "' (red green amber blue white off)");
        }
        return bad_argument("FACTORY takes SHIPPING or LEDTEST <colour>");
    }
    if (verb == "FAULTS") {
        if (auto e = no_more(1))
            return *e;
        return camera_.faults().names();
    }
    if (verb == "WIFI")
        return wifi_command(cmd);
    return unknown(cmd);
}

} // namespace bwc::emu
