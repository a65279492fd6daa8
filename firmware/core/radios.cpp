// The camera's radios as one unit (see radios.hpp).
#include "firmware/core/radios.hpp"

#include <algorithm>

namespace bwc::fw {

std::string_view to_string(RadioIcon i) {
    switch (i) {
    case RadioIcon::Absent:
        return "absent";
    case RadioIcon::Off:
        return "off";
    case RadioIcon::Searching:
        return "searching";
    case RadioIcon::Connected:
        return "connected";
    case RadioIcon::Error:
        return "error";
    }
    return "?";
}

std::string_view to_string(Submode s) {
    switch (s) {
    case Submode::None:
        return "none";
    case Submode::Lte:
        return "LTE";
    case Submode::Wlan:
        return "WLAN";
    }
    return "?";
}

Radios::Radios(const ModelSpec& spec, RadioPorts ports) : spec_(spec), ports_(ports) {
    if (spec_.caps.gnss)
        gnss_.emplace(gnss::GnssConfig{.enabled = false}, Millis{0});
    if (spec_.caps.lte && ports_.modem)
        lte_ = std::make_unique<radio::LteManager>(*ports_.modem);
    if (ports_.wifi)
        wifi_ =
            std::make_unique<radio::WifiManager>(*ports_.wifi, radio::wifi_config_for(spec_.caps));
}

Radios::~Radios() = default;

void Radios::configure(const Profile& profile, Millis now) {
    if (gnss_)
        gnss_->set_enabled(on_ && profile.location, now);
    if (lte_)
        lte_->set_config(radio::lte_config_from(profile));
    if (wifi_)
        wifi_->set_networks(profile.wifi_networks, now);
}

void Radios::power(bool on, const Profile& profile, Millis now) {
    if (on == on_)
        return;
    on_ = on;
    configure(profile, now);
    if (lte_)
        lte_->power(on, now);
    if (wifi_)
        wifi_->power(on, now);
}

void Radios::gnss_bytes(std::string_view bytes, Millis now) {
    if (gnss_)
        gnss_->feed(bytes, now);
}

void Radios::modem_bytes(std::string_view bytes, Millis now) {
    if (lte_)
        lte_->on_bytes(bytes, now);
}

void Radios::advance(Millis now) {
    if (gnss_)
        gnss_->advance(now);
    if (lte_)
        lte_->advance(now);
    if (wifi_)
        wifi_->advance(now);
}

std::optional<Millis> Radios::next_deadline() const {
    std::optional<Millis> best;
    auto consider = [&](std::optional<Millis> t) {
        if (t && (!best || *t < *best))
            best = t;
    };
    if (gnss_)
        consider(gnss_->next_deadline());
    if (lte_)
        consider(lte_->next_deadline());
    if (wifi_)
        consider(wifi_->next_deadline());
    return best;
}

std::vector<std::string> Radios::add_wifi_network(WifiNetworkConfig network, Millis now) {
    if (!wifi_)
        return {"no Wi-Fi radio fitted"};
    return wifi_->add_network(std::move(network), now);
}

bool Radios::uplink_ready() const {
    // With a SIM the camera streams over LTE, without one over Wi-Fi [LIVE].
    if (lte_ && lte_->sim_present())
        return lte_->status().state == radio::LteState::registered;
    return wifi_ && wifi_->status().state == radio::WifiState::connected;
}

RadioSummary Radios::summary() const {
    RadioSummary s;
    if (gnss_) {
        const gnss::GnssStatus& g = gnss_->status();
        s.gnss_fitted = true;
        s.gnss_enabled = g.enabled;
        s.gnss_position = gnss_->has_position();
        s.latitude_deg = g.latitude_deg;
        s.longitude_deg = g.longitude_deg;
        s.gnss_sats_used = g.sats_used.value_or(0);
        s.gnss_sats_in_view = static_cast<int>(g.sats_in_view());
        for (const gnss::SatelliteStatus& sat : g.satellites)
            s.gnss_best_cn0_dbhz = std::max(s.gnss_best_cn0_dbhz, sat.cn0_dbhz.value_or(0));
        s.gnss_ttff = g.time_to_first_fix;
    }
    if (lte_) {
        const radio::LteStatus& l = lte_->status();
        s.lte_fitted = true;
        s.lte_state = std::string(radio::to_string(l.state));
        s.sim = std::string(radio::to_string(l.sim));
        s.imei = l.imei;
        s.imsi = l.imsi;
        s.operator_name = l.operator_name;
        s.apn = l.apn;
        s.roaming = l.roaming;
        s.lte_rssi_dbm = l.rsrp_dbm ? l.rsrp_dbm : l.rssi_dbm;
        s.lte_bars = l.bars;
        s.lte_error = l.last_error;
        switch (lte_->icon().kind) {
        case radio::MobileIconKind::off:
            s.mobile_icon = RadioIcon::Off;
            break;
        case radio::MobileIconKind::searching:
            s.mobile_icon = RadioIcon::Searching;
            break;
        case radio::MobileIconKind::bars:
            s.mobile_icon = RadioIcon::Connected;
            break;
        case radio::MobileIconKind::error:
            s.mobile_icon = RadioIcon::Error;
            break;
        }
    }
    if (wifi_) {
        const radio::WifiStatus& w = wifi_->status();
        s.wifi_fitted = true;
        s.wifi_state = std::string(radio::to_string(w.state));
        s.ssid = w.ssid;
        s.bssid = w.bssid;
        s.wifi_band = w.band ? std::string(radio::to_string(*w.band)) : std::string();
        s.wifi_channel = w.channel;
        s.wifi_rssi_dbm = w.rssi_dbm;
        s.wifi_bars = w.bars;
        s.ipv4 = w.ipv4;
        s.wifi_error = w.reason;
        switch (wifi_->icon().kind) {
        case radio::WifiIconKind::off:
            s.wifi_icon = RadioIcon::Off;
            break;
        case radio::WifiIconKind::searching:
            s.wifi_icon = RadioIcon::Searching;
            break;
        case radio::WifiIconKind::bars:
            s.wifi_icon = RadioIcon::Connected;
            break;
        case radio::WifiIconKind::error:
            s.wifi_icon = RadioIcon::Error;
            break;
        }
    }
    if (lte_ && lte_->sim_present())
        s.submode = Submode::Lte;
    else if (wifi_)
        s.submode = Submode::Wlan;
    return s;
}

} // namespace bwc::fw
