// LTE step types (SPEC §7 "LTE"): the station's shared RF shield box
// radiates one LTE cell, and the bench talks 3GPP TS 27.007 to the unit's
// modem through the diag port's AT passthrough (`AT…` → the modem's raw
// reply, C-escaped in quotes; firmware/PROTOCOL.md). Replies are assembled
// and parsed with the firmware's own 27.007 code (firmware/core/radio/
// at_reply.hpp), so bench and firmware read a modem the same way.
//   lte.check  SIM state, IMEI, APN, registration (polled in device time),
//              RSSI and RSRP against a freshly set cell.
// The box is shared by every bay: the runner holds its lock while the step
// runs, and the step sets the cell each time because another bay may have
// changed it since.
//
// A unit whose modem stays silent (an empty reply) is measured, not an
// error: modem_answers is false and the other measurements are empty, so
// the procedure's limits fail it. A model without a modem (W100 answers
// `ERR not_supported`) is a step error: the procedure should skip the step
// for it (variants: {W100: {skip: true}}).
#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "firmware/core/radio/at_reply.hpp"
#include "firmware/core/radio/lte_manager.hpp"
#include "fixtures/rfbox/driver.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace bwc::bench {
namespace {

namespace radio = fw::radio;

// --- Named choices (no manual gives them; see procedures/examples/radios.yaml) ---

/// The cell's network: MCC 240 / MNC 01, the home network of the emulated
/// SIM (firmware/emu/models/modem.hpp), so a good unit registers "home".
constexpr const char* kDefaultPlmn = "24001";
/// A comfortable level inside a shield box (far above the -124 dBm a UE
/// needs to detect a cell, below the -20 dBm that would overload it).
constexpr std::int64_t kDefaultLevelDbm = -85;
/// A warm LTE attach on a known band takes a few seconds; 30 s of device
/// time leaves room for a slow one without waiting for the firmware's own
/// 180 s registration timeout.
constexpr std::int64_t kDefaultTimeoutMs = 30'000;
/// The firmware itself asks +CEREG? every 2 s while searching; half that
/// measures the attach to within a second.
constexpr std::int64_t kDefaultPollMs = 1'000;
/// The PDP context the camera's data bearer uses (firmware LteManager).
constexpr int kPdpCid = radio::lte_pdp_cid;
/// 3GPP TS 23.003 §9.1: an APN is at most 100 octets of labels of letters,
/// digits and '-', separated by '.'.
constexpr std::size_t kMaxApn = 100;

ArgSpec integer_arg(const char* name, std::int64_t fallback, const char* help) {
    return {.name = name, .kind = ArgSpec::Kind::Integer, .default_value = fallback, .help = help};
}

/// "" when `plmn` is an MCC+MNC (5 or 6 digits), else why not.
std::string plmn_problem(const std::string& plmn) {
    if ((plmn.size() == 5 || plmn.size() == 6) &&
        std::all_of(plmn.begin(), plmn.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {};
    return "argument 'plmn' must be 5 or 6 digits (MCC+MNC), not '" + plmn + "'";
}

/// "" when `apn` is empty (leave the modem's APN alone) or a valid APN.
std::string apn_problem(const std::string& apn) {
    if (apn.empty())
        return {};
    const bool ok = apn.size() <= kMaxApn && apn.front() != '.' && apn.back() != '.' &&
                    apn.find("..") == std::string::npos &&
                    std::all_of(apn.begin(), apn.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
                    });
    if (ok)
        return {};
    return "argument 'apn' must be up to 100 letters, digits, '-' and '.' (TS 23.003 §9.1), not '" +
           apn + "'";
}

/// bench check: a literal integer outside its range (a "${…}" is checked when it runs).
void check_range(const nlohmann::json& args, const char* name, std::int64_t low, std::int64_t high,
                 std::vector<std::string>& problems) {
    auto it = args.find(name);
    if (it == args.end() || !it->is_number_integer())
        return;
    const auto v = it->get<std::int64_t>();
    if (v < low || v > high)
        problems.push_back(std::string("argument '") + name + "' must be " + std::to_string(low) +
                           ".." + std::to_string(high) + ", not " + std::to_string(v));
}

/// One AT command through the diag port, its reply assembled; nullopt when
/// the modem sent nothing at all (it does not answer).
DeviceResult<std::optional<radio::Response>> at_command(DeviceClient& diag,
                                                        const std::string& command) {
    using R = DeviceResult<std::optional<radio::Response>>;
    auto payload = diag.command(command);
    if (!payload) {
        DeviceError e = payload.error();
        if (e.kind == DeviceError::Kind::Refused && e.code == "not_supported")
            e.message += " — this model has no LTE modem: skip lte.check for it";
        return e;
    }
    auto raw = c_unescape(*payload);
    if (!raw)
        return device_error(diag, DeviceError::Kind::Protocol,
                            "the reply to '" + command +
                                "' is not the modem's reply in quotes: " + raw.error());
    if (raw->empty())
        return R(std::optional<radio::Response>{});
    radio::ResponseAssembler assembler;
    assembler.expect(command);
    assembler.feed(*raw);
    auto response = assembler.take_response();
    if (!response || response->truncated)
        return device_error(diag, DeviceError::Kind::Protocol,
                            "the modem's reply to '" + command + "' is " +
                                (response ? "too long" : "incomplete (no final result code)") +
                                ": " + quote_for_message(*raw));
    return R(std::optional<radio::Response>(std::move(*response)));
}

DeviceError modem_error(DeviceClient& diag, const std::string& command, const radio::Response& r,
                        const std::string& what) {
    std::string lines;
    for (const std::string& l : r.info)
        lines += l + " | ";
    return device_error(diag, DeviceError::Kind::Protocol,
                        "the modem's reply to '" + command + "' " + what + " (" +
                            quote_for_message(lines + r.final.line) + ")");
}

/// `command` must answer OK with a line starting `prefix`; that line.
DeviceResult<std::string> info_line(DeviceClient& diag, const std::string& command,
                                    const radio::Response& r, std::string_view prefix) {
    if (!r.ok())
        return modem_error(diag, command, r, "is " + r.describe_final() + ", not OK");
    auto line = r.info_with_prefix(prefix);
    if (!line)
        return modem_error(diag, command, r, "lacks a '" + std::string(prefix) + "' line");
    return std::string(*line);
}

/// The short name a procedure compares (27.007 §10.1.22 <stat>).
std::string registration_name(radio::RegStat s) {
    switch (s) {
    case radio::RegStat::not_searching:
        return "not_searching";
    case radio::RegStat::home:
        return "home";
    case radio::RegStat::searching:
        return "searching";
    case radio::RegStat::denied:
        return "denied";
    case radio::RegStat::unknown:
        return "unknown";
    case radio::RegStat::roaming:
        return "roaming";
    case radio::RegStat::sms_only_home:
        return "sms_only_home";
    case radio::RegStat::sms_only_roaming:
        return "sms_only_roaming";
    case radio::RegStat::emergency_only:
        return "emergency_only";
    case radio::RegStat::csfb_not_preferred_home:
        return "csfb_not_preferred_home";
    case radio::RegStat::csfb_not_preferred_roaming:
        return "csfb_not_preferred_roaming";
    }
    return "unknown";
}

/// Registered for data (or denied for good): polling further changes nothing.
bool settled(radio::RegStat s) {
    return s != radio::RegStat::not_searching && s != radio::RegStat::searching &&
           s != radio::RegStat::unknown;
}

class LteCheckStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "lte.check",
            .family = "lte",
            .help =
                "Sets the RF shield box's LTE cell (plmn, band, level_dbm; with reattach it is "
                "switched off first, so the unit attaches afresh), then over the diag port's AT "
                "passthrough reads AT+CPIN? (sim), AT+CGSN (imei), sets AT+CGDCONT=1 when apn is "
                "given and reads AT+CGDCONT? (apn of context 1), polls AT+CEREG? every poll_ms "
                "of device time until registered or denied or timeout_ms (only with the SIM "
                "READY), then AT+CSQ (rssi_dbm) and AT+CESQ (rsrp_dbm). register_ms is the "
                "device time from the cell to the first registered reply (none if it never "
                "registers). A silent modem: modem_answers false, the rest empty. A model "
                "without a modem (W100) is a step error: skip the step for it.",
            .args = {{.name = "plmn",
                      .kind = ArgSpec::Kind::Text,
                      .default_value = kDefaultPlmn,
                      .help = "the cell's MCC+MNC, 5 or 6 digits (quote it)"},
                     integer_arg("band", fixtures::rfbox::kDefaultLteBand, "E-UTRA band, 1..255"),
                     integer_arg("level_dbm", kDefaultLevelDbm, "cell level, -140..-20 dBm"),
                     {.name = "apn",
                      .kind = ArgSpec::Kind::Text,
                      .default_value = "",
                      .help = "APN to write to context 1 first; empty: leave it as it is"},
                     {.name = "reattach",
                      .kind = ArgSpec::Kind::Bool,
                      .default_value = true,
                      .help = "switch the cell off before setting it (every unit in the box "
                              "then attaches afresh)"},
                     integer_arg("timeout_ms", kDefaultTimeoutMs,
                                 "device time to wait for registration, 1..600000"),
                     integer_arg("poll_ms", kDefaultPollMs,
                                 "device time between AT+CEREG? reads, 1..60000")},
            .measurements =
                {{.name = "modem_answers", .unit = "", .help = "the modem answered AT+CPIN?"},
                 {.name = "sim", .unit = "", .help = "READY, SIM PIN, SIM PUK, absent, …"},
                 {.name = "imei", .unit = "", .help = "AT+CGSN"},
                 {.name = "imei_valid", .unit = "", .help = "15 digits, Luhn check digit right"},
                 {.name = "registration",
                  .unit = "",
                  .help = "home, roaming, searching, not_searching, denied, …"},
                 {.name = "register_ms", .unit = "C26", .help = "cell on to registered"},
                 {.name = "rssi_dbm", .unit = "DBM", .help = "AT+CSQ (-113 = that or less)"},
                 {.name = "rsrp_dbm", .unit = "DBM", .help = "AT+CESQ RSRP"},
                 {.name = "apn", .unit = "", .help = "APN of PDP context 1 (AT+CGDCONT?)"}},
            .fixtures = {"rfbox"}};
        return i;
    }

    std::vector<std::string> check(const nlohmann::json& args) const override {
        std::vector<std::string> problems;
        check_range(args, "band", 1, 255, problems);
        check_range(args, "level_dbm", fixtures::rfbox::kMinLteLevelDbm,
                    fixtures::rfbox::kMaxLteLevelDbm, problems);
        check_range(args, "timeout_ms", 1, 600'000, problems);
        check_range(args, "poll_ms", 1, 60'000, problems);
        for (const char* name : {"plmn", "apn"}) {
            auto it = args.find(name);
            if (it == args.end() || !it->is_string() ||
                it->get<std::string>().find("${") != std::string::npos)
                continue;
            const std::string v = it->get<std::string>();
            if (auto p = std::string_view(name) == "plmn" ? plmn_problem(v) : apn_problem(v);
                !p.empty())
                problems.push_back(p);
        }
        return problems;
    }

    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto plmn = arg_text(args, "plmn", std::string(kDefaultPlmn));
        auto band = arg_integer(args, "band", fixtures::rfbox::kDefaultLteBand, 1, 255);
        auto level =
            arg_integer(args, "level_dbm", kDefaultLevelDbm, fixtures::rfbox::kMinLteLevelDbm,
                        fixtures::rfbox::kMaxLteLevelDbm);
        auto apn = arg_text(args, "apn", std::string());
        auto timeout = arg_integer(args, "timeout_ms", kDefaultTimeoutMs, 1, 600'000);
        auto poll = arg_integer(args, "poll_ms", kDefaultPollMs, 1, 60'000);
        for (const std::string* e : {&plmn.error(), &band.error(), &level.error(), &apn.error(),
                                     &timeout.error(), &poll.error()})
            if (!e->empty())
                return StepOutput::failed(*e);
        if (auto p = plmn_problem(*plmn); !p.empty())
            return StepOutput::failed(p);
        if (auto p = apn_problem(*apn); !p.empty())
            return StepOutput::failed(p);
        bool reattach = true;
        if (auto it = args.find("reattach"); it != args.end() && !it->is_null()) {
            if (!it->is_boolean())
                return StepOutput::failed("argument 'reattach' must be true or false, not " +
                                          it->dump());
            reattach = it->get<bool>();
        }
        FixtureLink* link = ctx.fixture("rfbox");
        if (!link)
            return StepOutput::failed("the station has no RF shield box (fixture 'rfbox')");
        DeviceClient& diag = ctx.camera();

        StepOutput out;
        // SIM first: it also tells whether there is a modem at all.
        const std::string cpin_cmd = "AT+CPIN?";
        auto cpin = at_command(diag, cpin_cmd);
        if (!cpin)
            return StepOutput::failed(cpin.error().message);
        if (!*cpin) {
            out.add("modem_answers", Value(false))
                .add("sim", Value(std::string()))
                .add("imei", Value(std::string()))
                .add("imei_valid", Value(false))
                .add("registration", Value(std::string()))
                .add("register_ms", Value{})
                .add("rssi_dbm", Value{})
                .add("rsrp_dbm", Value{})
                .add("apn", Value(std::string()));
            return out;
        }
        auto sim = sim_state(diag, cpin_cmd, **cpin);
        if (!sim)
            return StepOutput::failed(sim.error().message);
        out.add("modem_answers", Value(true));
        out.add("sim", Value(*sim == radio::SimStatus::not_inserted
                                 ? std::string("absent")
                                 : std::string(radio::to_string(*sim))));

        auto imei = read_imei(diag);
        if (!imei)
            return StepOutput::failed(imei.error().message);
        out.add("imei", Value(*imei)).add("imei_valid", Value(radio::imei_luhn_valid(*imei)));

        auto context_apn = apn_of_context(diag, *apn);
        if (!context_apn)
            return StepOutput::failed(context_apn.error().message);
        out.add("apn", Value(*context_apn));

        // The cell, fresh; device time counts from here.
        fixtures::rfbox::Driver box(link->control());
        if (reattach)
            if (auto off = box.lte_off(); !off)
                return StepOutput::failed(off.error().message);
        fixtures::rfbox::LteCell cell;
        cell.plmn = *plmn;
        cell.band = *band;
        cell.level_dbm = *level;
        auto status = box.set_lte_cell(cell);
        if (!status)
            return StepOutput::failed(status.error().message);
        if (!status->lte || status->lte->plmn != cell.plmn || status->lte->band != cell.band ||
            status->lte->level_dbm != cell.level_dbm)
            return StepOutput::failed(link->control().describe() + ": asked for " +
                                      fixtures::rfbox::format_request(cell) + ", the box reports " +
                                      fixtures::rfbox::format_reply(*status));
        auto start = ctx.advance(0);
        if (!start)
            return StepOutput::failed(start.error().message);

        // Registration: only a READY SIM can register, so only then is it worth waiting.
        std::int64_t now = *start;
        radio::RegStat stat = radio::RegStat::not_searching;
        for (;;) {
            auto reg = registration(diag);
            if (!reg)
                return StepOutput::failed(reg.error().message);
            stat = *reg;
            if (settled(stat) || *sim != radio::SimStatus::ready || now - *start >= *timeout)
                break;
            auto next = ctx.advance(std::min(*poll, *timeout - (now - *start)));
            if (!next)
                return StepOutput::failed(next.error().message);
            now = *next;
        }
        const bool registered = stat == radio::RegStat::home || stat == radio::RegStat::roaming;
        out.add("registration", Value(registration_name(stat)))
            .add("register_ms", registered ? Value(static_cast<double>(now - *start)) : Value{});

        auto signal = read_signal(diag);
        if (!signal)
            return StepOutput::failed(signal.error().message);
        out.add("rssi_dbm", signal->first ? Value(static_cast<double>(*signal->first)) : Value{})
            .add("rsrp_dbm",
                 signal->second ? Value(static_cast<double>(*signal->second)) : Value{});
        return out;
    }

private:
    /// A command the modem must answer (it answered AT+CPIN? a moment ago).
    static DeviceResult<radio::Response> answered(DeviceClient& diag, const std::string& command) {
        auto r = at_command(diag, command);
        if (!r)
            return r.error();
        if (!*r)
            return device_error(diag, DeviceError::Kind::Protocol,
                                "the modem stopped answering: nothing came back to '" + command +
                                    "'");
        return std::move(**r);
    }

    /// +CPIN: <code>, or the SIM's state from a CME error (SIM not inserted…).
    static DeviceResult<radio::SimStatus> sim_state(DeviceClient& diag, const std::string& command,
                                                    const radio::Response& r) {
        if (r.final.kind == radio::FinalKind::cme_error && r.final.code)
            if (auto s = radio::sim_status_from_cme(*r.final.code))
                return *s;
        auto line = info_line(diag, command, r, "+CPIN:");
        if (!line)
            return line.error();
        auto s = radio::parse_cpin(*line);
        if (!s)
            return modem_error(diag, command, r, "is not a SIM state: " + s.error());
        return *s;
    }

    /// AT+CGSN: the modem's IMEI as it says it (a wrong length is the unit's
    /// fault, reported for the limits; anything but digits is malformed).
    static DeviceResult<std::string> read_imei(DeviceClient& diag) {
        const std::string command = "AT+CGSN";
        auto r = answered(diag, command);
        if (!r)
            return r.error();
        if (!r->ok() || r->info.empty())
            return modem_error(diag, command, *r,
                               r->ok() ? "has no IMEI line" : "is " + r->describe_final());
        if (auto imei = radio::parse_imei(r->info.front()))
            return imei->digits;
        const std::string& line = r->info.front();
        if (!line.empty() &&
            std::all_of(line.begin(), line.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return line;
        return modem_error(diag, command, *r, "is not an IMEI");
    }

    /// Writes `apn` to context 1 when given, then reads context 1's APN back
    /// ("" when the modem has no context 1).
    static DeviceResult<std::string> apn_of_context(DeviceClient& diag, const std::string& apn) {
        if (!apn.empty()) {
            const std::string set =
                "AT+CGDCONT=" + std::to_string(kPdpCid) + ",\"IP\",\"" + apn + "\"";
            auto r = answered(diag, set);
            if (!r)
                return r.error();
            if (!r->ok())
                return modem_error(diag, set, *r, "refuses the APN: " + r->describe_final());
        }
        const std::string command = "AT+CGDCONT?";
        auto r = answered(diag, command);
        if (!r)
            return r.error();
        if (!r->ok())
            return modem_error(diag, command, *r, "is " + r->describe_final() + ", not OK");
        for (const std::string& line : r->info) {
            auto context = radio::parse_cgdcont(line);
            if (!context)
                return modem_error(diag, command, *r, "is malformed: " + context.error());
            if (context->cid == kPdpCid)
                return context->apn;
        }
        return std::string();
    }

    static DeviceResult<radio::RegStat> registration(DeviceClient& diag) {
        const std::string command = "AT+CEREG?";
        auto r = answered(diag, command);
        if (!r)
            return r.error();
        auto line = info_line(diag, command, *r, "+CEREG:");
        if (!line)
            return line.error();
        auto reg = radio::parse_registration(*line, radio::RegForm::read_reply);
        if (!reg)
            return modem_error(diag, command, *r, "is malformed: " + reg.error());
        return reg->stat;
    }

    /// RSSI (AT+CSQ) and RSRP (AT+CESQ) in dBm; nullopt where the modem says "not known".
    static DeviceResult<std::pair<std::optional<int>, std::optional<int>>>
    read_signal(DeviceClient& diag) {
        auto csq_r = answered(diag, "AT+CSQ");
        if (!csq_r)
            return csq_r.error();
        auto csq_line = info_line(diag, "AT+CSQ", *csq_r, "+CSQ:");
        if (!csq_line)
            return csq_line.error();
        auto csq = radio::parse_csq(*csq_line);
        if (!csq)
            return modem_error(diag, "AT+CSQ", *csq_r, "is malformed: " + csq.error());
        auto cesq_r = answered(diag, "AT+CESQ");
        if (!cesq_r)
            return cesq_r.error();
        auto cesq_line = info_line(diag, "AT+CESQ", *cesq_r, "+CESQ:");
        if (!cesq_line)
            return cesq_line.error();
        auto cesq = radio::parse_cesq(*cesq_line);
        if (!cesq)
            return modem_error(diag, "AT+CESQ", *cesq_r, "is malformed: " + cesq.error());
        return std::make_pair(csq->rssi_dbm, cesq->rsrp_dbm);
    }
};
REGISTER_STEP_TYPE(LteCheckStep);

} // namespace
} // namespace bwc::bench
