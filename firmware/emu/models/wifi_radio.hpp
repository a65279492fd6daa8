// The emulator's physical model of the camera's Wi-Fi radio: the access
// points around the camera (the environment), what the radio can hear of
// them, the WPA2-PSK handshake, a DHCP-like address pool, and the fault
// overlays the emulator injects. The firmware's WifiManager drives it through
// fw::radio::WifiRadio (scan, join); the diag port reads status().
//
// No time is involved: scan and join complete synchronously, as the
// WifiRadio contract says, so the model needs no clock.
#pragma once

#include "firmware/core/radio/wifi_manager.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::emu {

// --- Assumptions (named; no datasheet fixes them) ------------------------------

/// APs weaker than this (after rssi_drop_db) are not heard: an 802.11b/g
/// receiver's sensitivity at its lowest rate is about -92 dBm.
inline constexpr int wifi_sensitivity_dbm = -92;
/// The radio's regulatory domain: ETSI, 2.4 GHz channels 1-13 [SPEC §7].
inline constexpr int wifi_radio_highest_2g4_channel = 13;
/// DHCP-like leases: each network (SSID), numbered in the order it was first
/// added to the environment from 0, is the subnet 192.168.<first + n>.0/24,
/// and the camera, its first client, gets host <first_host>. The same network
/// always gives the same address, like a lease renewed for the same MAC.
inline constexpr int dhcp_first_subnet = 10;
inline constexpr int dhcp_first_host = 100;

// --- Environment and faults ------------------------------------------------------

/// One access point (one BSS) near the camera.
struct ApConfig {
    std::string ssid;
    std::string bssid; // "aa:bb:cc:dd:ee:ff"
    fw::radio::WifiBand band = fw::radio::WifiBand::ghz_2_4;
    int channel = 6;
    fw::radio::WifiSecurity security = fw::radio::WifiSecurity::wpa2_psk;
    std::string psk; // the passphrase, compared as given (no PBKDF2 to the 64-hex form)
    int level_dbm = -60;
};

/// Fault overlays, applied by the emulator; clearing them restores the radio.
struct WifiFaults {
    bool dead = false; // scan finds nothing, join times out
    /// Only this band works (the other front-end is broken): the other band's
    /// APs are neither heard nor joinable.
    std::optional<fw::radio::WifiBand> only_band;
    int rssi_drop_db = 0;   // subtracted from every AP's level
    bool wpa2_fail = false; // every WPA2 4-way handshake fails
};

struct WifiRadioOptions {
    bool supports_5ghz = false; // W100/W101: 2.4 GHz only; W120: dual band
    int highest_2g4_channel = wifi_radio_highest_2g4_channel;
};

/// For the diag port's Wi-Fi page.
struct WifiRadioStatus {
    bool associated = false;
    std::string ssid;
    std::string bssid;
    std::optional<fw::radio::WifiBand> band;
    int channel = 0;
    std::optional<int> rssi_dbm;
    std::string ipv4;
};

class WifiRadioModel : public fw::radio::WifiRadio {
public:
    explicit WifiRadioModel(WifiRadioOptions options = {});

    // --- The firmware's interface ---
    std::vector<fw::radio::AccessPoint> scan() override;
    fw::radio::JoinResult join(const fw::radio::AccessPoint& ap, std::string_view psk) override;

    // --- The environment ---
    /// Adds an AP, or replaces the one with the same BSSID.
    void add_access_point(ApConfig ap);
    void remove_access_point(std::string_view bssid);
    void clear();
    void set_faults(WifiFaults faults);
    const WifiFaults& faults() const { return faults_; }
    const WifiRadioOptions& options() const { return options_; }

    // --- Link ---
    /// Associated with an AP that is still there and still heard.
    bool associated() const;
    void disconnect();
    WifiRadioStatus status() const;

private:
    const ApConfig* find(std::string_view bssid) const;
    bool band_usable(fw::radio::WifiBand band) const;
    bool heard(const ApConfig& ap) const;
    int level(const ApConfig& ap) const { return ap.level_dbm - faults_.rssi_drop_db; }
    std::string lease_for(std::string_view ssid) const;

    WifiRadioOptions options_;
    WifiFaults faults_;
    std::vector<ApConfig> aps_;
    std::vector<std::string> networks_; // SSIDs in order of first appearance (DHCP subnets)
    std::optional<std::string> joined_bssid_;
    std::string joined_ssid_;
    std::string ipv4_;
};

} // namespace bwc::emu
