// AT command replies (3GPP TS 27.007 / 27.005, ITU-T V.250): the incremental
// assembler that turns raw modem bytes into complete responses, and typed
// parsers for the information lines the LTE manager reads (+CSQ, +CESQ,
// +CEREG/+CREG, +COPS, +CPIN, +CGSN, +CIMI, +CGDCONT) and the CME/CMS tables.
//
// Nothing here throws on bad input: a reply the code cannot read becomes a
// value (Result::error(), FinalKind::vendor_error) whose message quotes what
// the modem sent, so a bench record can say which byte was wrong.
#pragma once

#include "firmware/core/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bwc::fw::radio {

/// A parsed value or a message naming what could not be read.
template <class T>
using Result = fw::Result<T>;

// ---------------------------------------------------------------------------
// Response assembly

/// How a command's response ended (V.250 final result codes plus 27.007's).
enum class FinalKind {
    ok,
    error,
    cme_error,
    cms_error,
    no_carrier,
    busy,
    no_answer,
    no_dialtone,
    connect,      // data mode follows (ATD, ATO)
    vendor_error, // a non-standard line such as "COMMAND NOT SUPPORT" (see ResponseAssembler)
};

struct FinalResult {
    FinalKind kind = FinalKind::error;
    std::optional<int> code; // CME/CMS error number, also when the modem sent the text form
    std::string line;        // the final line exactly as the modem sent it
};

/// One command's complete response.
struct Response {
    std::string command;           // the command line it answers, without the trailing \r
    bool echoed = false;           // the modem echoed the command (ATE1)
    std::vector<std::string> info; // information lines in order, blank lines dropped
    FinalResult final;
    bool truncated = false; // a line or the line count exceeded the assembler's bounds

    bool ok() const { return final.kind == FinalKind::ok; }
    /// First information line starting with `prefix` (e.g. "+CSQ:"), case-insensitive.
    std::optional<std::string_view> info_with_prefix(std::string_view prefix) const;
    /// The final result for messages, e.g. "+CME ERROR: 10 (SIM not inserted)".
    std::string describe_final() const;
};

/// What the information lines of a command look like; decides whether an
/// unknown first line is information or a vendor's own final result code.
enum class InfoShape {
    none,      // basic commands (AT, ATE0, ATZ): no information lines expected
    prefixed,  // extended commands: lines start with the command's name and ':'
    digits,    // AT+CGSN, AT+CIMI, AT+GSN: one bare line of digits
    free_text, // ATI, AT+CGMI/CGMM/CGMR: anything; only a standard final ends it
};
InfoShape info_shape_for(std::string_view command_line);

/// Turns raw modem bytes into responses. Feed bytes as they arrive, in any
/// chunking; lines end at \r or \n (blank lines are ignored, so "\r\n",
/// "\r" and "\n" framings all work).
///
/// Contract: the owner calls expect() when it sends a command, at most one
/// command at a time, then feed() with whatever the modem sends; take_response()
/// yields the response once its final line arrived. Lines that arrive with no
/// command pending, or that are not part of the pending command's answer
/// (e.g. "+CEREG: 1" while AT+CSQ runs), are unsolicited result codes and go
/// to take_urcs(). After a command timed out, the owner calls cancel().
///
/// Unknown final lines: V.250 lets vendors add result codes (e.g. "COMMAND NOT
/// SUPPORT"). Such a line is taken as an error final only when it is the first
/// line of the answer and cannot be information for the command's InfoShape
/// (a prefixed command's line lacks the "+NAME:" prefix, a digits command's
/// line is not digits, a basic command expects no information). This decides
/// on the line itself — no waiting, no look-ahead. For free_text commands the
/// assembler cannot tell, so it waits for a standard final; the owner's
/// per-command timeout is the backstop, and partial_lines() tells it what
/// the modem did send.
class ResponseAssembler {
public:
    /// Bounds: a line longer than this is cut (and the response marked
    /// truncated); 512 covers the longest standard reply lines (+COPS=?).
    static constexpr std::size_t max_line_length = 512;
    /// More information lines than this are dropped (response marked truncated).
    static constexpr std::size_t max_info_lines = 32;
    /// Unsolicited lines not yet taken; the oldest is dropped beyond this.
    static constexpr std::size_t max_queued_urcs = 16;

    void expect(std::string_view command_line);
    void cancel();
    void feed(std::string_view bytes);

    bool pending() const { return pending_; }
    std::optional<Response> take_response();
    std::vector<std::string> take_urcs();
    std::size_t dropped_urcs() const { return dropped_urcs_; }
    /// Information lines received so far for the pending command.
    const std::vector<std::string>& partial_lines() const { return current_.info; }

private:
    void on_line(std::string line, bool cut);
    void finish(FinalResult final);
    void push_urc(std::string line);

    bool pending_ = false;
    InfoShape shape_ = InfoShape::none;
    std::string prefix_; // "+CSQ:" for a prefixed command
    Response current_;
    std::optional<Response> done_;
    std::string line_;
    bool line_cut_ = false;
    std::vector<std::string> urcs_;
    std::size_t dropped_urcs_ = 0;
};

/// Classifies a whole line as a standard final result code, if it is one.
std::optional<FinalResult> parse_final(std::string_view line);

/// 27.007 §9.2 CME error texts ("SIM not inserted" for 10); "" when unknown.
std::string_view cme_error_text(int code);
/// 27.005 §3.2.5 CMS error texts; "" when unknown.
std::string_view cms_error_text(int code);

/// CME error numbers the managers act on.
namespace cme {
inline constexpr int sim_not_inserted = 10;
inline constexpr int sim_pin_required = 11;
inline constexpr int sim_puk_required = 12;
inline constexpr int sim_failure = 13;
inline constexpr int sim_busy = 14;
inline constexpr int sim_wrong = 15;
inline constexpr int incorrect_password = 16;
inline constexpr int unknown = 100;
} // namespace cme

// ---------------------------------------------------------------------------
// Typed information-line parsers. Each takes one line including its prefix,
// tolerates spaces around values and quotes around any value, and fails with
// a message quoting the line.

/// Whether a converted value is exact or the open end of the scale
/// (27.007: CSQ 0 means "-113 dBm or less", 31 "-51 dBm or greater").
enum class RangeEdge { inside, at_or_below, at_or_above };

/// +CSQ: <rssi>,<ber>
struct SignalQuality {
    int rssi_code = 99;
    int ber_code = 99;
    std::optional<int> rssi_dbm; // -113 + 2 * rssi_code; empty for 99 (not known)
    RangeEdge rssi_edge = RangeEdge::inside;
    std::optional<int> ber_class; // 0–7 (RXQUAL); empty for 99
};
Result<SignalQuality> parse_csq(std::string_view line);

/// +CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp> (raw codes kept; the LTE
/// ones converted: RSRQ = -20 + 0.5 * n dB, RSRP = -141 + n dBm, each being
/// the lower end of the code's 27.007 interval; 255 = not known).
struct ExtendedSignalQuality {
    int rxlev = 99, ber = 99, rscp = 255, ecno = 255, rsrq = 255, rsrp = 255;
    std::optional<double> rsrq_db;
    RangeEdge rsrq_edge = RangeEdge::inside;
    std::optional<int> rsrp_dbm;
    RangeEdge rsrp_edge = RangeEdge::inside;
};
Result<ExtendedSignalQuality> parse_cesq(std::string_view line);

/// 27.007 registration <stat>.
enum class RegStat {
    not_searching = 0,
    home = 1,
    searching = 2,
    denied = 3,
    unknown = 4,
    roaming = 5,
    sms_only_home = 6,
    sms_only_roaming = 7,
    emergency_only = 8,
    csfb_not_preferred_home = 9,
    csfb_not_preferred_roaming = 10,
};
std::string_view to_string(RegStat);

/// Which registration command a line came from.
enum class RegDomain { cs, gprs, eps, fivegs }; // +CREG, +CGREG, +CEREG, +C5GREG

/// The read reply "+CEREG: <n>,<stat>[,...]" starts with the URC setting n;
/// the unsolicited form "+CEREG: <stat>[,...]" does not. Only the sender knows
/// which one it is reading, so it says so.
enum class RegForm { read_reply, unsolicited };

struct Registration {
    RegDomain domain = RegDomain::eps;
    std::optional<int> n; // the read reply's URC setting
    RegStat stat = RegStat::not_searching;
    std::optional<std::uint32_t> area; // TAC (EPS, 5GS) or LAC (CS, GPRS), from hex
    std::optional<std::uint32_t> cell_id;
    std::optional<int> act; // access technology, 7 = E-UTRAN
};
Result<Registration> parse_registration(std::string_view line, RegForm form = RegForm::read_reply);

/// 27.007 <AcT> names ("E-UTRAN" for 7); "" when unknown.
std::string_view act_name(int act);

/// +COPS: <mode>[,<format>,<oper>[,<AcT>]]
struct Operator {
    int mode = 0; // 0 automatic, 1 manual, 2 deregistered, 3 format only, 4 manual/auto
    std::optional<int> format;       // 0 long name, 1 short name, 2 numeric
    std::string name;                // as sent, quotes removed; empty when not registered
    std::optional<std::string> plmn; // format 2: the 5- or 6-digit MCC+MNC
    std::optional<int> act;
};
Result<Operator> parse_cops(std::string_view line);

/// SIM state, from +CPIN (27.007 §8.3) or from a CME error.
enum class SimStatus {
    unknown, // not asked yet
    ready,
    sim_pin,
    sim_puk,
    sim_pin2,
    sim_puk2,
    ph_sim_pin,
    ph_fsim_pin,
    ph_fsim_puk,
    ph_net_pin,
    ph_net_puk,
    ph_netsub_pin,
    ph_netsub_puk,
    ph_sp_pin,
    ph_sp_puk,
    ph_corp_pin,
    ph_corp_puk,
    not_ready,    // vendor URC "+CPIN: NOT READY" (SIM removed / not yet read)
    not_inserted, // CME 10, or vendor "+CPIN: NOT INSERTED"
    failure,      // CME 13
    busy,         // CME 14
    wrong,        // CME 15
};
/// The 27.007 <code> text ("SIM PIN"), or a description for the others.
std::string_view to_string(SimStatus);
Result<SimStatus> parse_cpin(std::string_view line);
std::optional<SimStatus> sim_status_from_cme(int code);

/// +CGSN IMEI: 15 digits, bare or "+CGSN: ..." or quoted. An IMEI whose check
/// digit is wrong still parses (the manager decides); luhn_valid says.
struct Imei {
    std::string digits;
    bool luhn_valid = false;
};
Result<Imei> parse_imei(std::string_view line);
/// Comma-separated AT parameters, commas inside quotes kept; nothing when a
/// quote is left open. Shared by the reply parsers and the emulator's modem.
std::optional<std::vector<std::string_view>> split_params(std::string_view s);

/// True when `imei` is 15 ASCII digits whose last is the Luhn check digit of
/// the first 14 (3GPP TS 23.003 Annex B).
bool imei_luhn_valid(std::string_view imei);

/// +CIMI: the IMSI, 6–15 digits (TS 23.003 §2.2).
Result<std::string> parse_imsi(std::string_view line);

/// +CGDCONT: <cid>,<PDP_type>,<APN>[,...]
struct PdpContext {
    int cid = 0;
    std::string pdp_type; // "IP", "IPV6", "IPV4V6"
    std::string apn;      // may be empty
};
Result<PdpContext> parse_cgdcont(std::string_view line);

} // namespace bwc::fw::radio
