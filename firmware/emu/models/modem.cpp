// The LTE modem model's AT engine, SIM card and registration timeline; see
// modem.hpp for what is modelled and the assumptions behind it.
#include "firmware/emu/models/modem.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace bwc::emu {

namespace {

using fw::radio::RegStat;

char upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), is_digit);
}

/// V.250 §5.2: command names are case-insensitive and spaces are ignored,
/// except inside string constants (an APN keeps its case).
std::optional<std::string> normalise(std::string_view line) {
    std::string out;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') {
            quoted = !quoted;
            out += c;
        } else if (quoted) {
            out += c;
        } else if (c != ' ' && c != '\t') {
            out += upper(c);
        }
    }
    if (quoted) {
        return std::nullopt; // an unterminated string constant is malformed
    }
    return out;
}

/// Comma-separated parameters (the firmware parser's splitter). Input is
/// already normalised, so quotes are balanced; an open one yields nothing.
std::vector<std::string_view> split_params(std::string_view s) {
    return fw::radio::split_params(s).value_or(std::vector<std::string_view>{});
}

/// A string parameter: "text", or bare text as lenient modems also take.
std::optional<std::string_view> string_param(std::string_view s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') {
        return s.substr(1, s.size() - 2);
    }
    if (s.find('"') != std::string_view::npos) {
        return std::nullopt;
    }
    return s;
}

std::optional<int> int_param(std::string_view s) {
    int value = 0;
    const auto* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, value, 10);
    if (s.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::string hex(std::uint32_t value, int width) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%0*X", width, value);
    return std::string(buf.data());
}

int clamp_int(int v, int lo, int hi) {
    return std::min(std::max(v, lo), hi);
}

/// 27.007 §8.5 <rssi>: 0 = -113 dBm or less, n = -113 + 2n, 31 = -51 or more.
int csq_code(int dbm) {
    return clamp_int(dbm + 113, 0, 62) / 2;
}
/// 27.007 §8.69 <rsrp>: 0 = below -140 dBm, n covers [-141 + n, -140 + n), 97 = -44 or more.
int rsrp_code(int dbm) {
    return clamp_int(dbm + 141, 0, 97);
}
/// 27.007 §8.69 <rsrq>: n covers [-20 + n/2, -19.5 + n/2) dB, 0..34.
int rsrq_code(double db) {
    return clamp_int(static_cast<int>(std::floor((db + 20.0) * 2.0)), 0, 34);
}

/// The texts for AT+CMEE=2, 27.007 §9.2.1 — only the codes this model sends.
std::string_view cme_text(int code) {
    switch (code) {
    case 3:
        return "operation not allowed";
    case 4:
        return "operation not supported";
    case 10:
        return "SIM not inserted";
    case 11:
        return "SIM PIN required";
    case 12:
        return "SIM PUK required";
    case 13:
        return "SIM failure";
    case 16:
        return "incorrect password";
    default:
        return "unknown";
    }
}

// CME error numbers this model uses (27.007 §9.2.1).
constexpr int kCmeNotAllowed = 3;
constexpr int kCmeSimNotInserted = 10;
constexpr int kCmeSimPinRequired = 11;
constexpr int kCmeSimPukRequired = 12;
constexpr int kCmeSimFailure = 13;
constexpr int kCmeIncorrectPassword = 16;

/// E-UTRAN, the only access technology this modem has (27.007 <AcT> 7).
constexpr int kActEutran = 7;

bool registered(RegStat stat) {
    return stat == RegStat::home || stat == RegStat::roaming;
}

/// A PIN is 4–8 digits, a PUK 8 (ETSI TS 102 221 §9).
bool pin_shaped(std::string_view s) {
    return s.size() >= 4 && s.size() <= 8 && all_digits(s);
}
bool puk_shaped(std::string_view s) {
    return s.size() == 8 && all_digits(s);
}

/// What a hot-plug SIM URC says for a state ("+CPIN: NOT READY" on removal,
/// as modules with SIM detection report it).
std::string_view cpin_text(SimState state) {
    switch (state) {
    case SimState::ready:
        return "READY";
    case SimState::pin_required:
        return "SIM PIN";
    case SimState::puk_required:
        return "SIM PUK";
    case SimState::absent:
    case SimState::blocked:
        return "NOT READY";
    }
    return "NOT READY";
}

} // namespace

ModemModel::ModemModel(const fw::Clock& clock, ModemOptions options)
    : clock_(clock), options_(std::move(options)) {
    contexts_[1] = Context{"IP", ""}; // a fresh module's default bearer, without APN
    if (options_.powered) {
        power_on_reset();
    }
}

// --- Environment ---------------------------------------------------------------

void ModemModel::power_on_reset() {
    powered_ = true;
    echo_ = true;
    cmee_ = default_cmee;
    cereg_n_ = 0;
    creg_n_ = 0;
    cops_format_ = 0;
    input_.clear();
    search_started_.reset();
    search_key_.clear();
    last_stat_ = RegStat::not_searching;
    last_location_.clear();
    if (sim_) {
        sim_->verified = false; // the card asks for its PIN again after power loss
    }
}

void ModemModel::set_powered(bool on) {
    if (on && !powered_) {
        power_on_reset();
    } else if (!on) {
        powered_ = false;
        input_.clear();
        search_started_.reset();
    }
    refresh();
}

void ModemModel::set_cell(std::optional<Cell> cell) {
    cell_ = std::move(cell);
    refresh();
}

void ModemModel::insert_sim(Sim sim) {
    const SimState before = sim_state();
    SimCard card;
    card.pin = sim.pin;
    card.puk_locked = sim.locked_puk;
    card.config = std::move(sim);
    sim_ = std::move(card);
    if (powered_ && !faults_.absent && sim_state() != before) {
        emit("+CPIN: " + std::string(cpin_text(sim_state())));
    }
    refresh();
}

void ModemModel::remove_sim() {
    const SimState before = sim_state();
    sim_.reset();
    if (powered_ && !faults_.absent && sim_state() != before) {
        emit("+CPIN: " + std::string(cpin_text(sim_state())));
    }
    refresh();
}

void ModemModel::set_faults(ModemFaults faults) {
    const SimState before = sim_state();
    faults_ = std::move(faults);
    if (powered_ && !faults_.absent && sim_state() != before) {
        emit("+CPIN: " + std::string(cpin_text(sim_state())));
    }
    refresh();
}

// --- Observation -----------------------------------------------------------------

SimState ModemModel::sim_state() const {
    if (!sim_ || faults_.sim_absent) {
        return SimState::absent;
    }
    if (faults_.sim_locked) {
        return SimState::puk_required;
    }
    if (sim_->puk_left <= 0) {
        return SimState::blocked;
    }
    if (sim_->puk_locked) {
        return SimState::puk_required;
    }
    if (sim_->pin && !sim_->verified) {
        return SimState::pin_required;
    }
    return SimState::ready;
}

int ModemModel::pin_attempts_left() const {
    return sim_ ? sim_->pin_left : 0;
}

int ModemModel::puk_attempts_left() const {
    return sim_ ? sim_->puk_left : 0;
}

std::optional<int> ModemModel::measured_level_dbm() const {
    if (!cell_) {
        return std::nullopt;
    }
    const int level = cell_->level_dbm - faults_.rssi_drop_db;
    if (level < cell_detection_floor_dbm) {
        return std::nullopt;
    }
    return level;
}

std::optional<Cell> ModemModel::receivable_cell() const {
    if (!measured_level_dbm()) {
        return std::nullopt;
    }
    return cell_;
}

bool ModemModel::cell_usable() const {
    // A cell on a band the modem lacks is never found: it searches on.
    const auto cell = receivable_cell();
    return cell && std::find(options_.supported_bands.begin(), options_.supported_bands.end(),
                             cell->band) != options_.supported_bands.end();
}

RegStat ModemModel::registration() const {
    if (!powered_ || faults_.absent || sim_state() != SimState::ready) {
        return RegStat::not_searching;
    }
    if (!cell_usable() || !search_started_ ||
        clock_.now() < *search_started_ + options_.search_time) {
        return RegStat::searching;
    }
    if (cell_->deny_registration) {
        return RegStat::denied; // EMM cause #6 "illegal ME": the operator blocks this IMEI
    }
    const std::string home = sim_->config.imsi.substr(0, home_plmn_digits);
    if (cell_->plmn == home) {
        return RegStat::home;
    }
    // EMM cause #11/#13: a network that takes no roamers rejects the attach.
    return cell_->roaming_allowed ? RegStat::roaming : RegStat::denied;
}

// --- Virtual time ------------------------------------------------------------------

std::optional<Millis> ModemModel::next_deadline() const {
    if (!powered_ || faults_.absent || !search_started_ || last_stat_ != RegStat::searching) {
        return std::nullopt;
    }
    return *search_started_ + options_.search_time;
}

void ModemModel::advance() {
    refresh();
}

void ModemModel::refresh() {
    // The search runs while the SIM is ready and a usable cell is there; a
    // different cell or SIM starts it afresh.
    const bool can_search =
        powered_ && !faults_.absent && sim_state() == SimState::ready && cell_usable();
    if (!can_search) {
        search_started_.reset();
        search_key_.clear();
    } else {
        const std::string key = cell_->plmn + "/" + std::to_string(cell_->tac) + "/" +
                                std::to_string(cell_->cell_id) + "/" + sim_->config.imsi;
        if (!search_started_ || key != search_key_) {
            search_started_ = clock_.now();
            search_key_ = key;
        }
    }

    if (!powered_ || faults_.absent) {
        return; // nobody to send URCs; the state is re-read when it answers again
    }
    const RegStat stat = registration();
    const std::string location =
        registered(stat) ? hex(cell_->tac, 4) + "/" + hex(cell_->cell_id, 1) : "";
    // 27.007 §10.1.22: n=1 reports <stat> changes, n=2 also location changes.
    const bool stat_changed = stat != last_stat_;
    const bool location_changed = location != last_location_;
    last_stat_ = stat;
    last_location_ = location;
    if ((stat_changed && cereg_n_ >= 1) || (location_changed && cereg_n_ == 2)) {
        emit(registration_line("+CEREG", cereg_n_, false));
    }
    if ((stat_changed && creg_n_ >= 1) || (location_changed && creg_n_ == 2)) {
        emit(registration_line("+CREG", creg_n_, false));
    }
}

void ModemModel::emit(std::string_view line) {
    output_ += "\r\n";
    output_ += line;
    output_ += "\r\n";
}

// --- The serial line -------------------------------------------------------------------

void ModemModel::send(std::string_view bytes) {
    if (!powered_ || faults_.absent) {
        return; // bytes into an unpowered or missing modem vanish
    }
    for (char c : bytes) {
        if (c == '\r') {
            std::string line = std::move(input_);
            input_.clear();
            if (line.empty()) {
                continue; // V.250: an empty command line is ignored
            }
            output_ += run_line(line);
        } else if (c == '\n' && input_.empty()) {
            continue; // a "\r\n" terminator's LF: not part of the next command
        } else if (input_.size() <= max_command_line) {
            input_ += c; // beyond the limit bytes are dropped; the line then fails
        }
    }
}

std::string ModemModel::take_output() {
    std::string out;
    out.swap(output_);
    return out;
}

std::string ModemModel::execute(std::string_view command_line) {
    if (!powered_ || faults_.absent) {
        return {};
    }
    while (!command_line.empty() && (command_line.back() == '\r' || command_line.back() == '\n')) {
        command_line.remove_suffix(1);
    }
    return run_line(command_line);
}

std::string ModemModel::run_line(std::string_view line) {
    refresh(); // URCs due by now go out before this reply, as on the wire
    std::string out;
    if (echo_) {
        out += line; // V.250 echoes the characters as received, terminator included
        out += "\r";
    }
    Reply reply;
    const auto normalised = normalise(line);
    if (line.size() > max_command_line || !normalised || normalised->size() < 2 ||
        normalised->substr(0, 2) != "AT") {
        reply.final = "ERROR";
    } else {
        reply = dispatch(std::string_view(*normalised).substr(2));
    }
    for (std::size_t i = 0; i < reply.info.size(); ++i) {
        out += i == 0 ? "\r\n" : "";
        out += reply.info[i] + "\r\n";
    }
    out += "\r\n" + reply.final + "\r\n";
    refresh(); // a command may have started a search or changed what URCs report
    return out;
}

ModemModel::Reply ModemModel::cme(int code) const {
    Reply r;
    if (cmee_ == 0) {
        r.final = "ERROR";
    } else if (cmee_ == 1) {
        r.final = "+CME ERROR: " + std::to_string(code);
    } else {
        r.final = "+CME ERROR: " + std::string(cme_text(code));
    }
    return r;
}

ModemModel::Reply ModemModel::dispatch(std::string_view body) {
    const Reply ok;
    Reply error;
    error.final = "ERROR";

    // Basic commands (V.250 §6).
    if (body.empty()) {
        return ok;
    }
    if (body == "E" || body == "E0" || body == "E1") {
        echo_ = body == "E1";
        return ok;
    }
    if (body == "I" || body == "I0") {
        Reply r;
        r.info = {std::string(modem_manufacturer), std::string(modem_model_name),
                  std::string(modem_revision)};
        return r;
    }
    if (body == "Z" || body == "Z0") {
        // Back to the stored profile: the power-on settings, SIM and network untouched.
        echo_ = true;
        cmee_ = default_cmee;
        cereg_n_ = 0;
        creg_n_ = 0;
        cops_format_ = 0;
        return ok;
    }
    if (body.front() != '+') {
        return error;
    }

    // Extended commands (V.250 §5.4): +NAME, +NAME?, +NAME=?, +NAME=<args>.
    const std::size_t op = body.find_first_of("=?");
    const std::string_view name = body.substr(0, op);
    std::string_view rest = op == std::string_view::npos ? "" : body.substr(op);
    const bool action = rest.empty();
    const bool read = rest == "?";
    const bool test = rest == "=?";
    const bool write = !test && !rest.empty() && rest.front() == '=';
    const std::string_view args = write ? rest.substr(1) : "";

    if (name == "+CMEE") {
        if (read) {
            return Reply{{"+CMEE: " + std::to_string(cmee_)}, "OK"};
        }
        const auto n = int_param(args);
        if (!write || !n || *n < 0 || *n > 2) {
            return error;
        }
        cmee_ = *n;
        return ok;
    }
    if ((name == "+CGSN" || name == "+GSN") && action) {
        return Reply{{faults_.imei.value_or(options_.imei)}, "OK"};
    }
    if (name == "+CIMI" && action) {
        switch (sim_state()) {
        case SimState::absent:
            return cme(kCmeSimNotInserted);
        case SimState::pin_required:
            return cme(kCmeSimPinRequired);
        case SimState::puk_required:
            return cme(kCmeSimPukRequired);
        case SimState::blocked:
            return cme(kCmeSimFailure);
        case SimState::ready:
            return Reply{{sim_->config.imsi}, "OK"};
        }
        return error;
    }
    if (name == "+CPIN") {
        if (read) {
            return cpin_read();
        }
        if (write) {
            return cpin_write(args);
        }
        return error;
    }
    if (name == "+CSQ" && action) {
        const auto level = measured_level_dbm();
        const int code = level ? csq_code(*level) : 99;
        return Reply{{"+CSQ: " + std::to_string(code) + ",99"}, "OK"};
    }
    if (name == "+CESQ" && action) {
        // An LTE-only modem: the GSM and UMTS fields are "not known".
        const auto level = measured_level_dbm();
        const std::string lte = level ? std::to_string(rsrq_code(modelled_rsrq_db)) + "," +
                                            std::to_string(rsrp_code(*level))
                                      : "255,255";
        return Reply{{"+CESQ: 99,99,255,255," + lte}, "OK"};
    }
    if (name == "+CEREG" || name == "+CREG") {
        int& n = name == "+CEREG" ? cereg_n_ : creg_n_;
        if (read) {
            return Reply{{registration_line(name, n, true)}, "OK"};
        }
        const auto value = int_param(args);
        if (!write || !value || *value < 0 || *value > 2) {
            return error;
        }
        n = *value;
        return ok;
    }
    if (name == "+COPS") {
        if (read) {
            const RegStat stat = registration();
            if (!registered(stat)) {
                return Reply{{"+COPS: 0"}, "OK"};
            }
            const std::string oper = cops_format_ == 2 ? cell_->plmn : cell_->operator_name;
            return Reply{{"+COPS: 0," + std::to_string(cops_format_) + ",\"" + oper + "\"," +
                          std::to_string(kActEutran)},
                         "OK"};
        }
        if (write) {
            return cops_write(args);
        }
        return error;
    }
    if (name == "+CGDCONT") {
        if (read) {
            Reply r;
            for (const auto& [cid, context] : contexts_) {
                r.info.push_back("+CGDCONT: " + std::to_string(cid) + ",\"" + context.type +
                                 "\",\"" + context.apn + "\"");
            }
            return r;
        }
        if (write) {
            return cgdcont_write(args);
        }
        return error;
    }
    return error; // unknown command, or a form of it this modem lacks
}

ModemModel::Reply ModemModel::cpin_read() const {
    switch (sim_state()) {
    case SimState::absent:
        return cme(kCmeSimNotInserted);
    case SimState::blocked:
        return cme(kCmeSimFailure); // PUK used up: the card is dead to the modem
    case SimState::pin_required:
        return Reply{{"+CPIN: SIM PIN"}, "OK"};
    case SimState::puk_required:
        return Reply{{"+CPIN: SIM PUK"}, "OK"};
    case SimState::ready:
        return Reply{{"+CPIN: READY"}, "OK"};
    }
    return cme(kCmeSimFailure);
}

ModemModel::Reply ModemModel::cpin_write(std::string_view args) {
    Reply error;
    error.final = "ERROR";
    const auto params = split_params(args);
    if (params.empty() || params.size() > 2) {
        return error;
    }
    std::vector<std::string_view> values;
    for (auto p : params) {
        const auto v = string_param(p);
        if (!v || !all_digits(*v)) {
            return error;
        }
        values.push_back(*v);
    }
    switch (sim_state()) {
    case SimState::absent:
        return cme(kCmeSimNotInserted);
    case SimState::blocked:
        return cme(kCmeSimFailure);
    case SimState::ready:
        return cme(kCmeNotAllowed); // nothing to unlock
    case SimState::pin_required:
        if (values.size() != 1) {
            return cme(kCmeNotAllowed);
        }
        if (values[0] == sim_->pin) {
            sim_->verified = true;
            sim_->pin_left = sim_pin_attempts;
            return Reply{};
        }
        if (--sim_->pin_left <= 0) {
            sim_->puk_locked = true; // the third wrong PIN locks the card
        }
        return cme(kCmeIncorrectPassword);
    case SimState::puk_required:
        if (values.size() != 2) {
            return cme(kCmeSimPukRequired);
        }
        if (!puk_shaped(values[0]) || !pin_shaped(values[1])) {
            return error;
        }
        if (faults_.sim_locked) {
            // The fault models a card locked elsewhere whose PUK the bench does
            // not hold: refused, without touching the real card's counters.
            return cme(kCmeIncorrectPassword);
        }
        if (values[0] == sim_->config.puk) {
            sim_->pin = std::string(values[1]);
            sim_->puk_locked = false;
            sim_->verified = true;
            sim_->pin_left = sim_pin_attempts;
            sim_->puk_left = sim_puk_attempts;
            return Reply{};
        }
        --sim_->puk_left; // at zero the card is blocked for good
        return cme(kCmeIncorrectPassword);
    }
    return error;
}

ModemModel::Reply ModemModel::cops_write(std::string_view args) {
    Reply error;
    error.final = "ERROR";
    const auto params = split_params(args);
    const auto mode = int_param(params[0]);
    if (mode == 0 && params.size() == 1) {
        return Reply{}; // automatic selection: what it does anyway
    }
    if (mode == 3 && params.size() == 2) {
        const auto format = int_param(params[1]);
        if (format && *format >= 0 && *format <= 2) {
            cops_format_ = *format;
            return Reply{};
        }
    }
    return error; // manual selection and deregistration are not modelled
}

ModemModel::Reply ModemModel::cgdcont_write(std::string_view args) {
    Reply error;
    error.final = "ERROR";
    const auto params = split_params(args);
    const auto cid = int_param(params[0]);
    if (!cid || *cid < 1 || *cid > max_pdp_cid) {
        return error;
    }
    if (params.size() == 1) {
        contexts_.erase(*cid); // 27.007 §10.1.1: a lone <cid> undefines the context
        return Reply{};
    }
    const auto type = string_param(params[1]);
    if (!type || (*type != "IP" && *type != "IPV6" && *type != "IPV4V6")) {
        return error;
    }
    std::string_view apn;
    if (params.size() >= 3) {
        const auto value = string_param(params[2]);
        if (!value) {
            return error;
        }
        apn = *value;
    }
    // Further parameters (<PDP_addr>, compression…) are accepted and not kept.
    contexts_[*cid] = Context{std::string(*type), std::string(apn)};
    return Reply{};
}

std::string ModemModel::registration_line(std::string_view name, int n, bool with_n) const {
    const RegStat stat = registration();
    std::string line = std::string(name) + ": ";
    if (with_n) {
        line += std::to_string(n) + ",";
    }
    line += std::to_string(static_cast<int>(stat));
    // Location only where the cell is known to the network (registered).
    if (n == 2 && registered(stat)) {
        line += ",\"" + hex(cell_->tac, 4) + "\",\"" + hex(cell_->cell_id, 1) + "\"," +
                std::to_string(kActEutran);
    }
    return line;
}

} // namespace bwc::emu
