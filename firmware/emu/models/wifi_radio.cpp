// The Wi-Fi radio model's scan, join and lease logic; see wifi_radio.hpp for
// what is modelled and the assumptions behind it.
#include "firmware/emu/models/wifi_radio.hpp"

#include <algorithm>
#include <utility>

namespace bwc::emu {

using fw::radio::AccessPoint;
using fw::radio::JoinOutcome;
using fw::radio::JoinResult;
using fw::radio::WifiBand;

namespace {

/// Host part and subnet stay inside a /24 of 192.168.0.0/16.
constexpr int kLastSubnet = 254;

} // namespace

WifiRadioModel::WifiRadioModel(WifiRadioOptions options) : options_(options) {}

void WifiRadioModel::add_access_point(ApConfig ap) {
    if (std::find(networks_.begin(), networks_.end(), ap.ssid) == networks_.end()) {
        networks_.push_back(ap.ssid);
    }
    for (auto& existing : aps_) {
        if (existing.bssid == ap.bssid) {
            existing = std::move(ap);
            return;
        }
    }
    aps_.push_back(std::move(ap));
}

void WifiRadioModel::remove_access_point(std::string_view bssid) {
    std::erase_if(aps_, [&](const ApConfig& ap) { return ap.bssid == bssid; });
}

void WifiRadioModel::clear() {
    aps_.clear();
    networks_.clear();
    disconnect();
}

void WifiRadioModel::set_faults(WifiFaults faults) {
    faults_ = faults;
}

const ApConfig* WifiRadioModel::find(std::string_view bssid) const {
    for (const auto& ap : aps_) {
        if (ap.bssid == bssid) {
            return &ap;
        }
    }
    return nullptr;
}

bool WifiRadioModel::band_usable(WifiBand band) const {
    if (band == WifiBand::ghz_5 && !options_.supports_5ghz) {
        return false; // no 5 GHz front-end at all
    }
    return !faults_.only_band || *faults_.only_band == band;
}

bool WifiRadioModel::heard(const ApConfig& ap) const {
    if (faults_.dead || !band_usable(ap.band)) {
        return false;
    }
    // Outside its regulatory domain the radio does not listen on a channel.
    if (ap.band == WifiBand::ghz_2_4 &&
        (ap.channel < 1 || ap.channel > options_.highest_2g4_channel)) {
        return false;
    }
    return level(ap) >= wifi_sensitivity_dbm;
}

std::vector<AccessPoint> WifiRadioModel::scan() {
    std::vector<AccessPoint> out;
    for (const auto& ap : aps_) {
        if (heard(ap)) {
            out.push_back(
                AccessPoint{ap.ssid, ap.bssid, ap.band, ap.channel, ap.security, level(ap)});
        }
    }
    return out;
}

std::string WifiRadioModel::lease_for(std::string_view ssid) const {
    const auto it = std::find(networks_.begin(), networks_.end(), ssid);
    const int index = static_cast<int>(it - networks_.begin());
    const int subnet = (dhcp_first_subnet + index - 1) % kLastSubnet + 1;
    return "192.168." + std::to_string(subnet) + "." + std::to_string(dhcp_first_host);
}

JoinResult WifiRadioModel::join(const AccessPoint& ap, std::string_view psk) {
    disconnect(); // joining another BSS leaves the current one
    JoinResult r;
    if (faults_.dead) {
        r.outcome = JoinOutcome::timeout;
        r.detail = "radio does not respond";
        return r;
    }
    if (!band_usable(ap.band)) {
        r.outcome = JoinOutcome::association_failed;
        r.detail = std::string(to_string(ap.band)) + " not supported by this radio";
        return r;
    }
    const ApConfig* target = find(ap.bssid);
    if (!target || target->ssid != ap.ssid || !heard(*target)) {
        r.outcome = JoinOutcome::association_failed;
        r.detail = "no answer from " + ap.bssid + " (AP gone or out of range)";
        return r;
    }
    if (!fw::radio::security_acceptable(target->security)) {
        r.outcome = JoinOutcome::authentication_failed;
        r.detail = "AP uses " + std::string(to_string(target->security)) +
                   "; the radio does WPA2-PSK only";
        return r;
    }
    if (faults_.wpa2_fail) {
        r.outcome = JoinOutcome::authentication_failed;
        r.detail = "4-way handshake timed out";
        return r;
    }
    if (psk != target->psk) {
        // A wrong passphrase gives a different PMK: message 2's MIC fails at the AP.
        r.outcome = JoinOutcome::authentication_failed;
        r.detail = "4-way handshake failed (wrong passphrase)";
        return r;
    }
    joined_bssid_ = target->bssid;
    joined_ssid_ = target->ssid;
    ipv4_ = lease_for(target->ssid);
    r.outcome = JoinOutcome::joined;
    r.ipv4 = ipv4_;
    return r;
}

bool WifiRadioModel::associated() const {
    if (!joined_bssid_) {
        return false;
    }
    const ApConfig* ap = find(*joined_bssid_);
    return ap && ap->ssid == joined_ssid_ && heard(*ap);
}

void WifiRadioModel::disconnect() {
    joined_bssid_.reset();
    joined_ssid_.clear();
    ipv4_.clear();
}

WifiRadioStatus WifiRadioModel::status() const {
    WifiRadioStatus s;
    if (!associated()) {
        return s;
    }
    const ApConfig* ap = find(*joined_bssid_);
    s.associated = true;
    s.ssid = ap->ssid;
    s.bssid = ap->bssid;
    s.band = ap->band;
    s.channel = ap->channel;
    s.rssi_dbm = level(*ap);
    s.ipv4 = ipv4_;
    return s;
}

} // namespace bwc::emu
