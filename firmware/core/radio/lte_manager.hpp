// The LTE modem manager: brings a 27.007 modem from power-on to a registered
// data bearer (AT, ATE0, +CGSN, +CPIN, +CIMI, +CGDCONT, +CEREG polling) and
// keeps signal (+CSQ, +CESQ) and operator (+COPS) fresh for the mobile icon
// and the troubleshooting pages [SPEC §7].
//
// Time is a parameter: every entry point takes `now`, next_deadline() says
// when the manager next needs advance(), and nothing here waits or sleeps —
// a discrete-event host jumps straight to the deadline.
#pragma once

#include "firmware/core/profile.hpp"
#include "firmware/core/radio/at_reply.hpp"
#include "firmware/core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bwc::fw::radio {

/// The modem's command channel. The manager sends one command line at a
/// time, terminated by "\r" (e.g. "AT+CPIN?\r"); the host delivers whatever
/// the modem answers through LteManager::on_bytes(). send() must not call
/// back into the manager.
struct ModemPort {
    virtual ~ModemPort() = default;
    virtual void send(std::string_view command_line) = 0;
};

// Named defaults; the manuals are silent on all of them (SPEC "assumption").
/// 27.007 read commands answer within milliseconds; 5 s tolerates a modem
/// busy with a cell search without hiding a dead one for long.
inline constexpr Millis default_command_timeout = 5s;
/// How often +CEREG? is asked while searching.
inline constexpr Millis default_registration_poll_period = 2s;
/// Search this long before reporting "not registered"; a cold LTE attach on
/// an unknown band plan can take a couple of minutes.
inline constexpr Millis default_registration_timeout = 180s;
/// How often registration, signal and operator are refreshed once registered.
inline constexpr Millis default_signal_poll_period = 10s;
/// Data roaming is off unless the profile allows it, like a phone's default.
inline constexpr bool default_roaming_allowed = false;
/// "SIM busy" (CME 14) / "+CPIN: NOT READY" right after power-on: ask again
/// this often, this many times, before giving up.
inline constexpr Millis sim_busy_retry_period = 1s;
inline constexpr int sim_busy_retry_limit = 10;
/// The PDP context the camera's data bearer uses.
inline constexpr int lte_pdp_cid = 1;

struct LteConfig {
    std::optional<std::string> sim_pin; // 4–8 digits
    std::optional<std::string> apn;     // written to context 1 when set
    bool apn_required = false;          // fail when no APN is configured and the modem has none
    bool roaming_allowed = default_roaming_allowed;
    bool reject_invalid_imei = true; // a bad Luhn check digit means a faulty modem or a fake IMEI
    Millis command_timeout = default_command_timeout;
    Millis registration_poll_period = default_registration_poll_period;
    Millis registration_timeout = default_registration_timeout;
    Millis signal_poll_period = default_signal_poll_period;
};

/// The LTE settings a camera profile carries (empty APN = none).
LteConfig lte_config_from(const Profile& profile);

enum class LteState {
    off,
    starting, // AT handshake, IMEI, SIM, IMSI, APN
    no_sim,
    sim_pin_required, // no PIN configured, or the configured one was rejected before
    sim_puk_required,
    searching,
    registered,
    error, // last_error says why; power off and on to try again
};
std::string_view to_string(LteState);

/// Minimum level, in dBm, for 1, 2, 3 and 4 signal bars; below one_bar_dbm = 0 bars.
struct LteBarThresholds {
    int one_bar_dbm;
    int two_bars_dbm;
    int three_bars_dbm;
    int four_bars_dbm;
};
/// RSRP, the LTE measure, preferred when the modem reports it (+CESQ):
/// the 10 dB steps common to handset UIs, -85 dBm and above being excellent.
inline constexpr LteBarThresholds rsrp_bar_thresholds{-115, -105, -95, -85};
/// RSSI (+CSQ) otherwise: modem vendors' marginal / OK / good / excellent
/// bands, i.e. CSQ 2, 10, 15 and 20.
inline constexpr LteBarThresholds rssi_bar_thresholds{-109, -93, -83, -73};
int signal_bars(int dbm, const LteBarThresholds& thresholds);

struct LteStatus {
    LteState state = LteState::off;
    SimStatus sim = SimStatus::unknown;
    std::string imei;
    bool imei_luhn_valid = false;
    std::string imsi;
    std::string operator_name; // long name or numeric PLMN, as +COPS? gave it
    std::optional<RegStat> registration;
    std::optional<std::uint32_t> tac;
    std::optional<std::uint32_t> cell_id;
    std::optional<int> act;
    bool roaming = false;
    std::optional<int> rssi_dbm;
    std::optional<int> rsrp_dbm;
    std::optional<double> rsrq_db;
    int bars = 0;           // 0 unless registered
    std::string apn;        // context 1's APN as the modem reports it
    std::string last_error; // names the command and what the modem sent
};

/// What the display's mobile-network icon shows [W120]: off (also without a
/// SIM: the camera then uses Wi-Fi), searching, signal bars, or red error
/// (PIN/PUK needed, denied, roaming disabled, timeout…).
enum class MobileIconKind { off, searching, bars, error };
struct MobileIcon {
    MobileIconKind kind = MobileIconKind::off;
    int bars = 0;
    friend bool operator==(const MobileIcon&, const MobileIcon&) = default;
};

/// Drives one modem. Calls: power(true) starts the sequence; on_bytes() with
/// every chunk the modem sends; advance() at (or after) next_deadline(). A
/// command without a final reply within command_timeout puts the manager in
/// error. A rejected SIM PIN is never sent again — not even after a power
/// cycle — until set_config() brings a different PIN: each wrong try costs
/// one of the SIM's three attempts before it locks and needs the PUK.
class LteManager {
public:
    explicit LteManager(ModemPort& port, LteConfig config = {});

    /// Takes effect at the next power-on.
    void set_config(LteConfig config);
    const LteConfig& config() const { return config_; }

    void power(bool on, Millis now);
    void on_bytes(std::string_view bytes, Millis now);
    void advance(Millis now);
    std::optional<Millis> next_deadline() const;

    const LteStatus& status() const { return status_; }
    /// A SIM is inserted (as far as the modem has said): LTE submode with a
    /// SIM, WLAN without. False until the SIM has been asked about.
    bool sim_present() const;
    MobileIcon icon() const;

private:
    enum class Step {
        at,
        echo_off,
        imei,
        sim_query,
        pin_entry,
        sim_query_after_pin,
        imsi,
        apn_set,
        apn_read,
        reg_urc_enable,
        reg_query,
        csq,
        cesq,
        cops,
    };
    struct Pending {
        Step step;
        std::string label; // the command for messages (PIN masked)
        Millis deadline;
    };
    struct Scheduled {
        Step step;
        Millis at;
    };

    void send(Step step, Millis now);
    void schedule(Step step, Millis at);
    void check_timeout(Millis now);
    void run_due(Millis now);
    void handle(const Response& response, Millis now);
    void handle_sim(const Response& response, bool after_pin, Millis now);
    void handle_apn(const Response& response, Millis now);
    void handle_registration(const Response& response, Millis now);
    void apply_registration(const Registration& reg, std::string_view line, Millis now);
    void handle_urc(std::string_view line, Millis now);
    void start_search(Millis now);
    void fail(std::string message);
    void update_bars();

    ModemPort& port_;
    LteConfig config_;
    LteStatus status_;
    ResponseAssembler assembler_;
    std::optional<Pending> pending_;
    std::optional<Scheduled> scheduled_;
    std::optional<Millis> registration_deadline_;
    int sim_busy_retries_ = 0;
    std::optional<std::string> rejected_pin_;
};

} // namespace bwc::fw::radio
