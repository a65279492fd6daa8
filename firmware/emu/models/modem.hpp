// The emulator's physical model of the camera's LTE modem: a 3GPP TS 27.007 /
// ITU-T V.250 AT command engine with a SIM card (PIN, PUK, blocking), a
// serving cell (PLMN, band, level), a registration timeline in virtual time,
// and the fault overlays the emulator injects. The firmware's LteManager talks
// to it through fw::radio::ModemPort; the diag port's AT passthrough through
// execute().
//
// Every byte it produces follows real modems' framing (V.250 verbose mode,
// the forms in shared/data/at/replies.tsv): "\r\n<info>\r\n\r\nOK\r\n",
// "\r\nERROR\r\n", "\r\n+CME ERROR: <n>\r\n", unsolicited "\r\n+CEREG: 1\r\n".
// Time comes only from the fw::Clock it is given; nothing here sleeps.
#pragma once

#include "firmware/core/radio/lte_manager.hpp"
#include "firmware/core/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::emu {

using fw::Millis;
using namespace std::chrono_literals;

// --- Assumptions (no datasheet fixes these; each is a named choice) --------

/// The model's IMEI: the 3GPP TS 23.003 example IMEI, whose Luhn check digit
/// is valid (a row of replies.tsv).
inline constexpr std::string_view default_imei = "490154203237518";
/// The IMSI of a default-constructed Sim: MCC 240 / MNC 01, the home PLMN of
/// a default-constructed Cell, so the defaults register "home".
inline constexpr std::string_view default_imsi = "240010123456789";
/// How long the modem searches, after the SIM is ready and a cell is
/// receivable, before the network answers the attach. A warm LTE attach on a
/// known band takes a few seconds.
inline constexpr Millis default_search_time = 8s;
/// The home PLMN is the IMSI's first five digits: MCC plus a 2-digit MNC, as
/// used across Europe. (A 3-digit-MNC SIM would need the EF_AD length.)
inline constexpr std::size_t home_plmn_digits = 5;
/// SIM retry counters (ETSI TS 102 221 usual values).
inline constexpr int sim_pin_attempts = 3;
inline constexpr int sim_puk_attempts = 10;
/// A cell whose level (after rssi_drop_db) is below this is not receivable:
/// typical LTE UE cell-detection limit.
inline constexpr int cell_detection_floor_dbm = -124;
/// RSRQ depends on cell load, which is not modelled: every receivable cell
/// reports this value (+CESQ <rsrq> 20, as in replies.tsv).
inline constexpr double modelled_rsrq_db = -10.0;
/// E-UTRAN bands of a European Cat-4 module (Quectel EC25-E).
inline const std::vector<int> default_supported_bands{1, 3, 5, 7, 8, 20, 38, 40, 41};
/// +CMEE setting at power-on: 1 (numeric "+CME ERROR: <n>"), the factory
/// default of common LTE modules; the firmware never sends AT+CMEE.
inline constexpr int default_cmee = 1;
/// ATI's lines.
inline constexpr std::string_view modem_manufacturer = "BWC-EMU";
inline constexpr std::string_view modem_model_name = "LTE-CAT4";
inline constexpr std::string_view modem_revision = "Revision: EMU01A01";
/// Highest PDP context id (27.007 leaves the range to the module). A fresh
/// module has context 1, "IP", without APN; contexts survive power cycles (NV).
inline constexpr int max_pdp_cid = 15;
/// Longest command line accepted (V.250 requires at least 40 characters).
inline constexpr std::size_t max_command_line = 256;

// --- Environment --------------------------------------------------------------

/// The serving cell the modem can receive.
struct Cell {
    std::string plmn = "24001"; // MCC+MNC of the network
    std::string operator_name = "Telia";
    int band = 20;
    /// The one received level, reported on both scales: as RSSI (+CSQ) and as
    /// RSRP (+CESQ) — the bench's simplification, so -75 dBm reads CSQ 19 and
    /// RSRP -75. (On air a loaded 10 MHz cell's RSSI is ~27 dB above its RSRP.)
    int level_dbm = -85;
    bool roaming_allowed = true;    // the network accepts roaming SIMs (else: denied)
    bool deny_registration = false; // the operator blocks this IMEI: denied
    std::uint32_t tac = 0x1F00;
    std::uint32_t cell_id = 0x79D903;
};

/// The SIM card. pin empty = PIN check disabled.
struct Sim {
    std::string imsi = std::string(default_imsi);
    std::optional<std::string> pin;
    std::string puk = "12345678";
    bool locked_puk = false; // the card arrives PUK-locked (PIN tries used up elsewhere)
};

/// What the SIM currently demands, as +CPIN? would say.
enum class SimState { absent, pin_required, puk_required, ready, blocked };

/// Fault overlays, applied by the emulator. Clearing a fault restores the
/// underlying state (a fault does not change the SIM card itself).
struct ModemFaults {
    bool absent = false;             // no modem on the bus: never answers, no URCs
    std::optional<std::string> imei; // +CGSN answers these digits instead
    bool sim_absent = false;         // the SIM reads as not inserted
    bool sim_locked = false;         // the SIM reads as PUK-locked; PUK entry is refused
    int rssi_drop_db = 0;            // subtracted from the cell level
};

struct ModemOptions {
    std::string imei = std::string(default_imei);
    Millis search_time = default_search_time;
    std::vector<int> supported_bands = default_supported_bands;
    bool powered = true; // the camera's modem rail is on unless set_powered(false)
};

/// The modem. Setters and commands read the clock, so registration always
/// reflects clock.now(); advance() at next_deadline() makes the URCs go out
/// on time. Power-on (and ATZ) restore echo on, +CMEE default, +CEREG/+CREG
/// n=0 and the long +COPS format; a PIN must be entered again after power-on.
/// Command lines not starting with "AT" get ERROR; ';'-concatenated commands
/// are not supported (ERROR).
class ModemModel : public fw::radio::ModemPort {
public:
    explicit ModemModel(const fw::Clock& clock, ModemOptions options = {});

    // --- The firmware's serial line ---
    /// Bytes from the firmware; each "\r"-terminated line is one command.
    void send(std::string_view command_line) override;
    /// Everything the modem has sent since the last call (echo, replies, URCs).
    std::string take_output();

    /// The diag port's passthrough: runs one command line (terminator
    /// optional) and returns its raw bytes, echo included when on. Shares the
    /// modem's state; URCs still go to the firmware's line. "" when the modem
    /// is off or absent.
    std::string execute(std::string_view command_line);

    // --- Virtual time ---
    /// When registration next changes by itself (end of the search).
    std::optional<Millis> next_deadline() const;
    /// Brings the model up to clock.now(), emitting URCs for what changed.
    void advance();

    // --- The physical port ---
    void set_cell(std::optional<Cell> cell);
    void insert_sim(Sim sim);
    void remove_sim();
    void set_powered(bool on);
    void set_faults(ModemFaults faults);
    const ModemFaults& faults() const { return faults_; }

    // --- Observation (for the emulator's state dump and tests) ---
    bool powered() const { return powered_; }
    SimState sim_state() const;
    int pin_attempts_left() const;
    int puk_attempts_left() const;
    /// The 27.007 <stat> the modem would report now.
    fw::radio::RegStat registration() const;
    /// The cell level the modem measures, or nothing when no cell is receivable.
    std::optional<int> measured_level_dbm() const;

private:
    struct SimCard {
        Sim config;
        std::optional<std::string> pin; // the current PIN (a PUK unblock sets a new one)
        int pin_left = sim_pin_attempts;
        int puk_left = sim_puk_attempts;
        bool verified = false; // PIN entered since power-on
        bool puk_locked = false;
    };
    struct Reply {
        std::vector<std::string> info;
        std::string final = "OK";
    };
    struct Context {
        std::string type;
        std::string apn;
    };

    std::string run_line(std::string_view line);
    Reply dispatch(std::string_view body);
    Reply cme(int code) const;
    Reply cpin_read() const;
    Reply cpin_write(std::string_view args);
    Reply cgdcont_write(std::string_view args);
    Reply cops_write(std::string_view args);
    std::string registration_line(std::string_view name, int n, bool with_n) const;
    std::optional<Cell> receivable_cell() const;
    bool cell_usable() const;
    void refresh();
    void emit(std::string_view line);
    void power_on_reset();

    const fw::Clock& clock_;
    ModemOptions options_;
    ModemFaults faults_;
    std::optional<Cell> cell_;
    std::optional<SimCard> sim_;
    bool powered_ = false;

    // Settings a power cycle resets.
    bool echo_ = true;
    int cmee_ = default_cmee;
    int cereg_n_ = 0;
    int creg_n_ = 0;
    int cops_format_ = 0;
    // Non-volatile, like a module's NV items.
    std::map<int, Context> contexts_;

    std::string input_;
    std::string output_;
    std::optional<Millis> search_started_;
    std::string search_key_; // which cell and SIM the search is for
    // What the last URC check saw, so URCs go out on change only.
    fw::radio::RegStat last_stat_ = fw::radio::RegStat::not_searching;
    std::string last_location_;
};

} // namespace bwc::emu
