// The Wi-Fi manager: chooses which configured network to join from a scan
// (app > user > profile, "last one wins" [LIVE]), accepts WPA2-PSK only,
// honours the model's bands (W100: 2.4 GHz only), joins, and reports status
// for the Wi-Fi icon and troubleshooting page 2 (SSID, authentication, IPv4,
// status, access point MAC) [SPEC §7].
//
// Time is a parameter: rescans happen in advance() when next_deadline() is
// due; nothing here waits.
#pragma once

#include "firmware/core/model.hpp"
#include "firmware/core/profile.hpp"
#include "firmware/core/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::fw::radio {

enum class WifiBand { ghz_2_4, ghz_5 };
std::string_view to_string(WifiBand);

enum class WifiSecurity {
    open,
    wep,
    wpa_psk,              // WPA (TKIP), the first generation
    wpa2_psk,             // accepted
    wpa2_wpa3_transition, // accepted: WPA3 transition mode also takes WPA2-PSK clients
    wpa3_sae,
    wpa2_enterprise,
};
std::string_view to_string(WifiSecurity);
/// The camera speaks WPA2-PSK only [LIVE].
bool security_acceptable(WifiSecurity);

/// One BSS seen in a scan.
struct AccessPoint {
    std::string ssid;
    std::string bssid; // the AP's MAC, "aa:bb:cc:dd:ee:ff"
    WifiBand band = WifiBand::ghz_2_4;
    int channel = 1;
    WifiSecurity security = WifiSecurity::wpa2_psk;
    int rssi_dbm = -100;
};

enum class JoinOutcome {
    joined,
    authentication_failed,
    association_failed,
    no_ip_address,
    timeout
};
std::string_view to_string(JoinOutcome);

struct JoinResult {
    JoinOutcome outcome = JoinOutcome::association_failed;
    std::string ipv4;   // set when joined (DHCP lease)
    std::string detail; // what the radio said, for the error reason
};

/// The Wi-Fi chip. Both calls are synchronous from the core's point of view
/// (the host's driver completes them before returning) and never throw.
struct WifiRadio {
    virtual ~WifiRadio() = default;
    virtual std::vector<AccessPoint> scan() = 0;
    virtual JoinResult join(const AccessPoint& ap, std::string_view psk) = 0;
};

/// Not connected: scan and try again this often.
inline constexpr Millis wifi_retry_period = 30s;
/// Connected: rescan this often to refresh RSSI and to move to a
/// higher-priority network that has come into range.
inline constexpr Millis wifi_refresh_period = 60s;
/// 2.4 GHz channels 12 and 13 are legal in Europe [LIVE]; 14 is Japan-only 802.11b.
inline constexpr int europe_highest_2g4_channel = 13;

struct WifiConfig {
    bool supports_5ghz = false; // W100: false, W120: true (model table)
    int highest_2g4_channel = europe_highest_2g4_channel;
    Millis retry_period = wifi_retry_period;
    Millis refresh_period = wifi_refresh_period;
};
WifiConfig wifi_config_for(const Capabilities& capabilities);

enum class WifiState { off, searching, connected, error };
std::string_view to_string(WifiState);

/// Minimum RSSI, in dBm, for 1, 2, 3 and 4 bars; below one_bar_dbm = 0 bars.
struct WifiBarThresholds {
    int one_bar_dbm;
    int two_bars_dbm;
    int three_bars_dbm;
    int four_bars_dbm;
};
/// 11 dB steps from -88 dBm (barely usable) to -55 dBm (excellent), as
/// handset Wi-Fi icons draw them.
inline constexpr WifiBarThresholds wifi_bar_thresholds{-88, -77, -66, -55};
int wifi_signal_bars(int rssi_dbm, const WifiBarThresholds& thresholds = wifi_bar_thresholds);

struct WifiStatus {
    WifiState state = WifiState::off;
    std::string ssid;
    std::string bssid; // access point MAC
    std::optional<WifiBand> band;
    int channel = 0;
    std::optional<int> rssi_dbm;
    std::string auth; // "WPA2-PSK" when connected
    std::string ipv4;
    std::optional<NetworkSource> source; // who configured the joined network
    int bars = 0;
    std::string reason; // why not connected, e.g. "no configured network visible"
};

/// The display's Wi-Fi icon [W120]: off, searching, signal bars, red error.
enum class WifiIconKind { off, searching, bars, error };
struct WifiIcon {
    WifiIconKind kind = WifiIconKind::off;
    int bars = 0;
    friend bool operator==(const WifiIcon&, const WifiIcon&) = default;
};

/// Picks and joins networks. Priority: every network from the app beats
/// every one from the user, which beats the profile's; within one source the
/// list order; the same SSID from two sources takes the higher source's PSK.
/// The chosen network is the first in priority order with a usable AP
/// (supported band, allowed channel, WPA2) — the strongest one if several
/// BSSIDs carry it. If joining fails, the next candidate is tried; the
/// reason reported is the highest-priority network's.
class WifiManager {
public:
    explicit WifiManager(WifiRadio& radio, WifiConfig config = {});

    /// Replaces all configured networks (each carries its source). Returns
    /// one message per refused network (bad SSID, open network, PSK that is
    /// not 8-63 characters or 64 hex digits). Re-selects at the next advance().
    std::vector<std::string> set_networks(std::vector<WifiNetworkConfig> networks, Millis now);
    /// Adds one network, replacing one with the same SSID and source.
    std::vector<std::string> add_network(WifiNetworkConfig network, Millis now);

    /// Power on scans and tries to join at once.
    void power(bool on, Millis now);
    /// The radio lost the association: search again now.
    void on_link_lost(Millis now);
    void advance(Millis now);
    std::optional<Millis> next_deadline() const;

    const WifiStatus& status() const { return status_; }
    WifiIcon icon() const;

private:
    struct Candidate {
        const WifiNetworkConfig* network;
        AccessPoint ap;
    };
    void attempt(Millis now);
    std::vector<WifiNetworkConfig> by_priority() const;
    void set_error(std::string reason, Millis now);

    WifiRadio& radio_;
    WifiConfig config_;
    std::vector<WifiNetworkConfig> networks_;
    WifiStatus status_;
    std::optional<Millis> next_attempt_;
};

} // namespace bwc::fw::radio
