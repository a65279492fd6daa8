// The camera's radios as one unit: GNSS receiver, LTE modem and Wi-Fi, each
// present only where the model table says so. It owns the three managers,
// applies the profile to them (location on/off, APN, PIN, roaming, networks),
// decides the live-stream submode (LTE with a SIM, WLAN without) and sums up
// what the display, the troubleshooting pages and the snapshot show.
#pragma once

#include "firmware/core/gnss/gnss_manager.hpp"
#include "firmware/core/model.hpp"
#include "firmware/core/profile.hpp"
#include "firmware/core/radio/lte_manager.hpp"
#include "firmware/core/radio/wifi_manager.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace bwc::fw {

/// Hardware behind the radios; a null pointer means "not fitted".
struct RadioPorts {
    radio::ModemPort* modem = nullptr;
    radio::WifiRadio* wifi = nullptr;
};

enum class RadioIcon { Absent, Off, Searching, Connected, Error };
enum class Submode { None, Lte, Wlan };
std::string_view to_string(RadioIcon);
std::string_view to_string(Submode);

/// The radios as the user and the factory see them.
struct RadioSummary {
    // GNSS
    bool gnss_fitted = false;
    bool gnss_enabled = false;
    bool gnss_position = false;
    std::optional<double> latitude_deg;
    std::optional<double> longitude_deg;
    int gnss_sats_used = 0;
    int gnss_sats_in_view = 0;
    int gnss_best_cn0_dbhz = 0;
    std::optional<Millis> gnss_ttff;
    // LTE
    bool lte_fitted = false;
    std::string lte_state;
    std::string sim;
    std::string imei;
    std::string imsi;
    std::string operator_name;
    std::string apn;
    bool roaming = false;
    std::optional<int> lte_rssi_dbm;
    int lte_bars = 0;
    std::string lte_error;
    RadioIcon mobile_icon = RadioIcon::Absent;
    // Wi-Fi
    bool wifi_fitted = false;
    std::string wifi_state;
    std::string ssid;
    std::string bssid;
    std::string wifi_band;
    int wifi_channel = 0;
    std::optional<int> wifi_rssi_dbm;
    int wifi_bars = 0;
    std::string ipv4;
    std::string wifi_error;
    RadioIcon wifi_icon = RadioIcon::Absent;
    Submode submode = Submode::None;
};

class Radios {
public:
    Radios(const ModelSpec& spec, RadioPorts ports);
    ~Radios();

    /// Apply a (new) profile: location on/off, APN, SIM PIN, roaming, networks.
    void configure(const Profile& profile, Millis now);
    /// Camera on or off: radios follow.
    void power(bool on, const Profile& profile, Millis now);

    void gnss_bytes(std::string_view bytes, Millis now);
    void modem_bytes(std::string_view bytes, Millis now);
    void advance(Millis now);
    std::optional<Millis> next_deadline() const;

    /// A network given through the phone app or the factory port; returns
    /// why it was refused, if it was.
    std::vector<std::string> add_wifi_network(WifiNetworkConfig network, Millis now);

    /// A live stream can start: the submode's link is up.
    bool uplink_ready() const;
    RadioSummary summary() const;

private:
    const ModelSpec& spec_;
    RadioPorts ports_;
    bool on_ = false;
    std::optional<gnss::GnssManager> gnss_;
    std::unique_ptr<radio::LteManager> lte_;
    std::unique_ptr<radio::WifiManager> wifi_;
};

} // namespace bwc::fw
