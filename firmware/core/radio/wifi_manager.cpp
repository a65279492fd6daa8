// Wi-Fi network choice and join; see wifi_manager.hpp for the rules.
#include "firmware/core/radio/wifi_manager.hpp"

#include <algorithm>
#include <utility>

namespace bwc::fw::radio {

namespace {

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string_view source_name(NetworkSource source) {
    switch (source) {
    case NetworkSource::Profile:
        return "profile";
    case NetworkSource::User:
        return "user";
    case NetworkSource::App:
        return "app";
    }
    return "?";
}

/// IEEE 802.11i: a passphrase is 8-63 printable ASCII characters, or the PSK
/// itself as 64 hex digits.
bool psk_valid(std::string_view psk) {
    auto printable = [](char c) { return c >= 0x20 && c <= 0x7E; };
    auto hex = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    };
    if (psk.size() >= 8 && psk.size() <= 63) {
        return std::all_of(psk.begin(), psk.end(), printable);
    }
    return psk.size() == 64 && std::all_of(psk.begin(), psk.end(), hex);
}

/// Why a network cannot be configured, or empty.
std::string refusal(const WifiNetworkConfig& n) {
    constexpr std::size_t kMaxSsidBytes = 32;
    const std::string who = "network " + quoted(n.ssid) + " from the " +
                            std::string(source_name(n.source)) + " refused: ";
    if (n.ssid.empty() || n.ssid.size() > kMaxSsidBytes) {
        return who + "SSID must be 1-32 bytes";
    }
    if (n.psk.empty()) {
        return who + "open networks are not accepted, only WPA2-PSK";
    }
    if (!psk_valid(n.psk)) {
        return who + "WPA2 passphrase must be 8-63 characters or 64 hex digits";
    }
    return {};
}

} // namespace

std::string_view to_string(WifiBand band) {
    return band == WifiBand::ghz_5 ? "5 GHz" : "2.4 GHz";
}

std::string_view to_string(WifiSecurity security) {
    switch (security) {
    case WifiSecurity::open:
        return "open";
    case WifiSecurity::wep:
        return "WEP";
    case WifiSecurity::wpa_psk:
        return "WPA-PSK";
    case WifiSecurity::wpa2_psk:
        return "WPA2-PSK";
    case WifiSecurity::wpa2_wpa3_transition:
        return "WPA2-PSK/WPA3-SAE";
    case WifiSecurity::wpa3_sae:
        return "WPA3-SAE";
    case WifiSecurity::wpa2_enterprise:
        return "WPA2-Enterprise";
    }
    return "?";
}

bool security_acceptable(WifiSecurity security) {
    return security == WifiSecurity::wpa2_psk || security == WifiSecurity::wpa2_wpa3_transition;
}

std::string_view to_string(JoinOutcome outcome) {
    switch (outcome) {
    case JoinOutcome::joined:
        return "joined";
    case JoinOutcome::authentication_failed:
        return "authentication failed";
    case JoinOutcome::association_failed:
        return "association failed";
    case JoinOutcome::no_ip_address:
        return "no IP address";
    case JoinOutcome::timeout:
        return "join timed out";
    }
    return "?";
}

std::string_view to_string(WifiState state) {
    switch (state) {
    case WifiState::off:
        return "off";
    case WifiState::searching:
        return "searching";
    case WifiState::connected:
        return "connected";
    case WifiState::error:
        return "error";
    }
    return "?";
}

WifiConfig wifi_config_for(const Capabilities& capabilities) {
    WifiConfig c;
    c.supports_5ghz = capabilities.wifi_5ghz;
    return c;
}

int wifi_signal_bars(int rssi_dbm, const WifiBarThresholds& t) {
    if (rssi_dbm >= t.four_bars_dbm) {
        return 4;
    }
    if (rssi_dbm >= t.three_bars_dbm) {
        return 3;
    }
    if (rssi_dbm >= t.two_bars_dbm) {
        return 2;
    }
    if (rssi_dbm >= t.one_bar_dbm) {
        return 1;
    }
    return 0;
}

WifiManager::WifiManager(WifiRadio& radio, WifiConfig config)
    : radio_(radio), config_(std::move(config)) {}

std::vector<std::string> WifiManager::set_networks(std::vector<WifiNetworkConfig> networks,
                                                   Millis now) {
    networks_.clear();
    std::vector<std::string> refused;
    for (auto& n : networks) {
        auto problems = add_network(std::move(n), now);
        refused.insert(refused.end(), problems.begin(), problems.end());
    }
    return refused;
}

std::vector<std::string> WifiManager::add_network(WifiNetworkConfig network, Millis now) {
    if (auto why = refusal(network); !why.empty()) {
        return {why};
    }
    std::erase_if(networks_, [&](const WifiNetworkConfig& n) {
        return n.ssid == network.ssid && n.source == network.source;
    });
    networks_.push_back(std::move(network));
    if (status_.state != WifiState::off) {
        next_attempt_ = now; // the new network may outrank the current one
    }
    return {};
}

std::vector<WifiNetworkConfig> WifiManager::by_priority() const {
    std::vector<WifiNetworkConfig> ordered = networks_;
    std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        return static_cast<int>(a.source) > static_cast<int>(b.source);
    });
    // "Last one wins": an SSID configured by a higher source hides the lower
    // source's entry (and its possibly stale PSK).
    std::vector<WifiNetworkConfig> unique;
    for (auto& n : ordered) {
        const bool seen = std::any_of(unique.begin(), unique.end(),
                                      [&](const auto& u) { return u.ssid == n.ssid; });
        if (!seen) {
            unique.push_back(std::move(n));
        }
    }
    return unique;
}

void WifiManager::power(bool on, Millis now) {
    if (on == (status_.state != WifiState::off)) {
        return;
    }
    status_ = WifiStatus{};
    next_attempt_.reset();
    if (on) {
        status_.state = WifiState::searching;
        attempt(now);
    }
}

void WifiManager::on_link_lost(Millis now) {
    if (status_.state == WifiState::off) {
        return;
    }
    status_ = WifiStatus{};
    status_.state = WifiState::searching;
    next_attempt_ = now;
}

void WifiManager::advance(Millis now) {
    if (status_.state != WifiState::off && next_attempt_ && now >= *next_attempt_) {
        attempt(now);
    }
}

std::optional<Millis> WifiManager::next_deadline() const {
    return status_.state == WifiState::off ? std::nullopt : next_attempt_;
}

void WifiManager::set_error(std::string reason, Millis now) {
    status_ = WifiStatus{};
    status_.state = WifiState::error;
    status_.reason = std::move(reason);
    next_attempt_ = now + config_.retry_period;
}

void WifiManager::attempt(Millis now) {
    const std::vector<WifiNetworkConfig> ordered = by_priority();
    if (ordered.empty()) {
        return set_error("no Wi-Fi network configured", now);
    }
    const std::vector<AccessPoint> aps = radio_.scan();

    std::vector<Candidate> candidates;
    std::string first_reason; // about the highest-priority network that was seen
    for (const auto& network : ordered) {
        std::vector<const AccessPoint*> seen;
        for (const auto& ap : aps) {
            if (ap.ssid == network.ssid) {
                seen.push_back(&ap);
            }
        }
        if (seen.empty()) {
            continue;
        }
        // Why no AP carrying it is usable, most telling first: a WPA2 network
        // out of band or channel says more than another BSS's wrong security.
        const AccessPoint* best = nullptr;
        std::string band_reason;
        std::string channel_reason;
        std::string security_reason;
        for (const AccessPoint* ap : seen) {
            const std::string where = quoted(network.ssid) + " (" + ap->bssid + ", " +
                                      std::string(to_string(ap->band)) + " channel " +
                                      std::to_string(ap->channel) + ")";
            if (!security_acceptable(ap->security)) {
                security_reason = "security not accepted: " + where + " uses " +
                                  std::string(to_string(ap->security)) +
                                  ", only WPA2-PSK is accepted";
            } else if (ap->band == WifiBand::ghz_5 && !config_.supports_5ghz) {
                band_reason = "5 GHz not supported: " + where +
                              " is on 5 GHz and this camera has 2.4 GHz only";
            } else if (ap->band == WifiBand::ghz_2_4 &&
                       (ap->channel < 1 || ap->channel > config_.highest_2g4_channel)) {
                channel_reason = "channel not allowed: " + where + " is outside channels 1-" +
                                 std::to_string(config_.highest_2g4_channel);
            } else if (!best || ap->rssi_dbm > best->rssi_dbm) {
                best = ap;
            }
        }
        const std::string reason = !band_reason.empty()      ? band_reason
                                   : !channel_reason.empty() ? channel_reason
                                                             : security_reason;
        if (best) {
            candidates.push_back(Candidate{&network, *best});
        } else if (first_reason.empty()) {
            first_reason = reason;
        }
    }

    if (status_.state == WifiState::connected) {
        // Scans miss APs now and then; only the radio's link-lost report drops
        // a connection. Staying on the best network just refreshes its RSSI.
        if (candidates.empty() || candidates.front().network->ssid == status_.ssid) {
            for (const auto& ap : aps) {
                if (ap.bssid == status_.bssid) {
                    status_.rssi_dbm = ap.rssi_dbm;
                    status_.bars = wifi_signal_bars(ap.rssi_dbm);
                }
            }
            next_attempt_ = now + config_.refresh_period;
            return;
        }
    }

    if (candidates.empty()) {
        return set_error(first_reason.empty() ? "no configured network visible" : first_reason,
                         now);
    }
    std::string join_reason;
    for (const auto& c : candidates) {
        const JoinResult result = radio_.join(c.ap, c.network->psk);
        if (result.outcome == JoinOutcome::joined) {
            status_ = WifiStatus{};
            status_.state = WifiState::connected;
            status_.ssid = c.ap.ssid;
            status_.bssid = c.ap.bssid;
            status_.band = c.ap.band;
            status_.channel = c.ap.channel;
            status_.rssi_dbm = c.ap.rssi_dbm;
            status_.auth = "WPA2-PSK";
            status_.ipv4 = result.ipv4;
            status_.source = c.network->source;
            status_.bars = wifi_signal_bars(c.ap.rssi_dbm);
            next_attempt_ = now + config_.refresh_period;
            return;
        }
        if (join_reason.empty()) {
            join_reason = std::string(to_string(result.outcome)) + " on " + quoted(c.ap.ssid) +
                          " (" + c.ap.bssid + ")" +
                          (result.detail.empty() ? "" : ": " + result.detail);
        }
    }
    set_error(join_reason, now);
}

WifiIcon WifiManager::icon() const {
    switch (status_.state) {
    case WifiState::off:
        return {WifiIconKind::off, 0};
    case WifiState::searching:
        return {WifiIconKind::searching, 0};
    case WifiState::connected:
        return {WifiIconKind::bars, status_.bars};
    case WifiState::error:
        return {WifiIconKind::error, 0};
    }
    return {WifiIconKind::error, 0};
}

} // namespace bwc::fw::radio
