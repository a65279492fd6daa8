// The LTE modem manager's state machine; see lte_manager.hpp for the contract.
#include "firmware/core/radio/lte_manager.hpp"

#include <string>
#include <utility>

namespace bwc::fw::radio {

namespace {

/// IPv4: the troubleshooting page's LTE "IP" line shows one address.
constexpr std::string_view kPdpType = "IP";

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string ms(Millis d) {
    return std::to_string(d.count()) + " ms";
}

/// "AT+CGSN answered 'ERROR'" — what the modem said, for last_error.
std::string answered(std::string_view label, const Response& r) {
    std::string out = std::string(label) + " answered ";
    for (const auto& line : r.info) {
        out += quoted(line) + " ";
    }
    return out + quoted(r.describe_final());
}

bool pin_well_formed(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 8) {
        return false;
    }
    for (char c : pin) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

/// TS 23.003 §9.1: labels of letters, digits and hyphens separated by dots.
/// Anything else would also end up inside the AT command line.
bool apn_well_formed(std::string_view apn) {
    constexpr std::size_t kMaxApnLength = 100;
    if (apn.empty() || apn.size() > kMaxApnLength) {
        return false;
    }
    for (char c : apn) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) {
            return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

LteConfig lte_config_from(const Profile& profile) {
    LteConfig c;
    c.sim_pin = profile.sim_pin;
    if (!profile.apn.empty()) {
        c.apn = profile.apn;
    }
    c.roaming_allowed = profile.allow_roaming;
    return c;
}

std::string_view to_string(LteState state) {
    switch (state) {
    case LteState::off:
        return "off";
    case LteState::starting:
        return "starting";
    case LteState::no_sim:
        return "no_sim";
    case LteState::sim_pin_required:
        return "sim_pin_required";
    case LteState::sim_puk_required:
        return "sim_puk_required";
    case LteState::searching:
        return "searching";
    case LteState::registered:
        return "registered";
    case LteState::error:
        return "error";
    }
    return "?";
}

int signal_bars(int dbm, const LteBarThresholds& t) {
    if (dbm >= t.four_bars_dbm) {
        return 4;
    }
    if (dbm >= t.three_bars_dbm) {
        return 3;
    }
    if (dbm >= t.two_bars_dbm) {
        return 2;
    }
    if (dbm >= t.one_bar_dbm) {
        return 1;
    }
    return 0;
}

LteManager::LteManager(ModemPort& port, LteConfig config)
    : port_(port), config_(std::move(config)) {}

void LteManager::set_config(LteConfig config) {
    if (config.sim_pin != rejected_pin_) {
        rejected_pin_.reset();
    }
    config_ = std::move(config);
}

void LteManager::power(bool on, Millis now) {
    if (on == (status_.state != LteState::off)) {
        return;
    }
    // Either way the modem starts from scratch: forget everything it said.
    status_ = LteStatus{};
    assembler_ = ResponseAssembler{};
    pending_.reset();
    scheduled_.reset();
    registration_deadline_.reset();
    sim_busy_retries_ = 0;
    if (!on) {
        return;
    }
    status_.state = LteState::starting;
    if (config_.sim_pin && !pin_well_formed(*config_.sim_pin)) {
        fail("configured SIM PIN is not 4-8 digits");
        return;
    }
    if (config_.apn && !apn_well_formed(*config_.apn)) {
        fail("configured APN " + quoted(*config_.apn) +
             " is not letters, digits, '-' and '.' (max 100)");
        return;
    }
    send(Step::at, now);
}

void LteManager::send(Step step, Millis now) {
    std::string command;
    std::string label;
    switch (step) {
    case Step::at:
        command = "AT";
        break;
    case Step::echo_off:
        command = "ATE0";
        break;
    case Step::imei:
        command = "AT+CGSN";
        break;
    case Step::sim_query:
    case Step::sim_query_after_pin:
        command = "AT+CPIN?";
        break;
    case Step::pin_entry:
        command = "AT+CPIN=\"" + config_.sim_pin.value_or("") + "\"";
        label = "AT+CPIN=<pin>"; // the PIN stays out of errors and logs
        break;
    case Step::imsi:
        command = "AT+CIMI";
        break;
    case Step::apn_set:
        command = "AT+CGDCONT=" + std::to_string(lte_pdp_cid) + ",\"" + std::string(kPdpType) +
                  "\",\"" + config_.apn.value_or("") + "\"";
        break;
    case Step::apn_read:
        command = "AT+CGDCONT?";
        break;
    case Step::reg_urc_enable:
        command = "AT+CEREG=2"; // URCs and the read reply then carry TAC and cell id
        break;
    case Step::reg_query:
        command = "AT+CEREG?";
        break;
    case Step::csq:
        command = "AT+CSQ";
        break;
    case Step::cesq:
        command = "AT+CESQ";
        break;
    case Step::cops:
        command = "AT+COPS?";
        break;
    }
    if (label.empty()) {
        label = command;
    }
    assembler_.expect(command);
    pending_ = Pending{step, std::move(label), now + config_.command_timeout};
    port_.send(command + "\r");
}

void LteManager::schedule(Step step, Millis at) {
    // An earlier request (e.g. a registration URC asking for a poll now) wins.
    if (scheduled_ && scheduled_->at <= at) {
        return;
    }
    scheduled_ = Scheduled{step, at};
}

void LteManager::fail(std::string message) {
    status_.state = LteState::error;
    status_.last_error = std::move(message);
    status_.bars = 0;
    pending_.reset();
    scheduled_.reset();
    registration_deadline_.reset();
    assembler_.cancel();
}

void LteManager::on_bytes(std::string_view bytes, Millis now) {
    if (status_.state == LteState::off) {
        return; // a powered-off modem's last gasp is not an answer
    }
    check_timeout(now); // time has passed before these bytes arrived
    assembler_.feed(bytes);
    for (const auto& urc : assembler_.take_urcs()) {
        handle_urc(urc, now);
    }
    if (auto response = assembler_.take_response()) {
        handle(*response, now);
    }
    run_due(now);
}

void LteManager::advance(Millis now) {
    if (status_.state == LteState::off) {
        return;
    }
    check_timeout(now);
    run_due(now);
}

std::optional<Millis> LteManager::next_deadline() const {
    std::optional<Millis> next;
    auto consider = [&next](std::optional<Millis> t) {
        if (t && (!next || *t < *next)) {
            next = t;
        }
    };
    if (pending_) {
        consider(pending_->deadline);
    }
    if (scheduled_) {
        consider(scheduled_->at);
    }
    if (status_.state == LteState::searching) {
        consider(registration_deadline_);
    }
    return next;
}

void LteManager::check_timeout(Millis now) {
    if (!pending_ || now < pending_->deadline) {
        return;
    }
    std::string message =
        "no final reply to " + pending_->label + " within " + ms(config_.command_timeout);
    const auto& partial = assembler_.partial_lines();
    if (!partial.empty()) {
        message += "; modem sent";
        for (const auto& line : partial) {
            message += " " + quoted(line);
        }
    }
    fail(std::move(message));
}

void LteManager::run_due(Millis now) {
    if (pending_) {
        return;
    }
    if (status_.state == LteState::searching && registration_deadline_ &&
        now >= *registration_deadline_) {
        fail("not registered within " + ms(config_.registration_timeout) + "; last reply " +
             (status_.registration ? std::string(to_string(*status_.registration)) : "none"));
        return;
    }
    if (scheduled_ && now >= scheduled_->at) {
        const Step step = scheduled_->step;
        scheduled_.reset();
        send(step, now);
    }
}

void LteManager::handle(const Response& r, Millis now) {
    if (!pending_) {
        return;
    }
    const Step step = pending_->step;
    const std::string label = pending_->label;
    pending_.reset();

    switch (step) {
    case Step::at:
        if (!r.ok()) {
            return fail(answered(label, r));
        }
        return send(Step::echo_off, now);
    case Step::echo_off:
        if (!r.ok()) {
            return fail(answered(label, r));
        }
        return send(Step::imei, now);
    case Step::imei: {
        if (!r.ok() || r.info.empty()) {
            return fail(answered(label, r));
        }
        const auto imei = parse_imei(r.info.front());
        if (!imei) {
            return fail(label + ": " + imei.error());
        }
        status_.imei = imei->digits;
        status_.imei_luhn_valid = imei->luhn_valid;
        if (!imei->luhn_valid && config_.reject_invalid_imei) {
            return fail("IMEI " + imei->digits + " fails the Luhn check digit (" + label +
                        " answered " + quoted(r.info.front()) + ")");
        }
        return send(Step::sim_query, now);
    }
    case Step::sim_query:
        return handle_sim(r, false, now);
    case Step::sim_query_after_pin:
        return handle_sim(r, true, now);
    case Step::pin_entry:
        if (r.ok()) {
            return send(Step::sim_query_after_pin, now);
        }
        rejected_pin_ = config_.sim_pin;
        if (r.final.kind == FinalKind::cme_error && r.final.code == cme::sim_puk_required) {
            status_.sim = SimStatus::sim_puk;
            status_.state = LteState::sim_puk_required;
            status_.last_error = "SIM locked, PUK required: " + answered(label, r);
            return;
        }
        return fail("SIM PIN rejected: " + answered(label, r) +
                    "; not retried, each try uses up one of the SIM's PIN attempts");
    case Step::imsi: {
        if (!r.ok() || r.info.empty()) {
            return fail(answered(label, r));
        }
        const auto imsi = parse_imsi(r.info.front());
        if (!imsi) {
            return fail(label + ": " + imsi.error());
        }
        status_.imsi = *imsi;
        return send(config_.apn ? Step::apn_set : Step::apn_read, now);
    }
    case Step::apn_set:
        if (!r.ok()) {
            return fail("modem refused APN " + quoted(*config_.apn) + ": " + answered(label, r));
        }
        return send(Step::apn_read, now);
    case Step::apn_read:
        return handle_apn(r, now);
    case Step::reg_urc_enable:
        // Optional: without it the replies just lack TAC and cell id.
        return start_search(now);
    case Step::reg_query:
        return handle_registration(r, now);
    case Step::csq:
        if (r.ok()) {
            if (auto line = r.info_with_prefix("+CSQ:")) {
                if (auto q = parse_csq(*line)) {
                    status_.rssi_dbm = q->rssi_dbm;
                } else {
                    status_.last_error = label + ": " + q.error();
                }
            }
        }
        update_bars();
        return send(Step::cesq, now);
    case Step::cesq:
        // Not every modem has +CESQ; RSSI alone then sets the bars.
        status_.rsrp_dbm.reset();
        status_.rsrq_db.reset();
        if (r.ok()) {
            if (auto line = r.info_with_prefix("+CESQ:")) {
                if (auto q = parse_cesq(*line)) {
                    status_.rsrp_dbm = q->rsrp_dbm;
                    status_.rsrq_db = q->rsrq_db;
                } else {
                    status_.last_error = label + ": " + q.error();
                }
            }
        }
        update_bars();
        return send(Step::cops, now);
    case Step::cops:
        if (r.ok()) {
            if (auto line = r.info_with_prefix("+COPS:")) {
                if (auto op = parse_cops(*line)) {
                    status_.operator_name = op->name;
                } else {
                    status_.last_error = label + ": " + op.error();
                }
            }
        }
        return schedule(Step::reg_query, now + config_.signal_poll_period);
    }
}

void LteManager::handle_sim(const Response& r, bool after_pin, Millis now) {
    std::optional<SimStatus> sim;
    std::string said = answered("AT+CPIN?", r);
    if (r.ok()) {
        if (auto line = r.info_with_prefix("+CPIN:")) {
            auto parsed = parse_cpin(*line);
            if (!parsed) {
                return fail("AT+CPIN?: " + parsed.error());
            }
            sim = *parsed;
        }
    } else if (r.final.kind == FinalKind::cme_error && r.final.code) {
        sim = sim_status_from_cme(*r.final.code);
    }
    if (!sim) {
        return fail(said);
    }
    status_.sim = *sim;
    switch (*sim) {
    case SimStatus::ready:
        return send(Step::imsi, now);
    case SimStatus::sim_pin:
        if (after_pin) {
            // The modem took the PIN command yet still wants a PIN.
            rejected_pin_ = config_.sim_pin;
            return fail("SIM PIN not accepted: after the PIN " + said +
                        "; not retried, each try uses up one of the SIM's PIN attempts");
        }
        if (!config_.sim_pin) {
            status_.state = LteState::sim_pin_required;
            status_.last_error = "SIM PIN required and none configured: " + said;
            return;
        }
        if (rejected_pin_ == config_.sim_pin) {
            status_.state = LteState::sim_pin_required;
            status_.last_error = "SIM PIN required; the configured PIN was rejected before and "
                                 "is not tried again: " +
                                 said;
            return;
        }
        return send(Step::pin_entry, now);
    case SimStatus::sim_puk:
        status_.state = LteState::sim_puk_required;
        status_.last_error = "SIM locked, PUK required: " + said;
        return;
    case SimStatus::not_inserted:
        status_.state = LteState::no_sim;
        status_.last_error = "no SIM: " + said;
        return;
    case SimStatus::busy:
    case SimStatus::not_ready:
        if (++sim_busy_retries_ > sim_busy_retry_limit) {
            return fail("SIM still not ready after " + std::to_string(sim_busy_retry_limit) +
                        " tries: " + said);
        }
        return schedule(after_pin ? Step::sim_query_after_pin : Step::sim_query,
                        now + sim_busy_retry_period);
    default:
        return fail("SIM not usable (" + std::string(to_string(*sim)) + "): " + said);
    }
}

void LteManager::handle_apn(const Response& r, Millis now) {
    if (!r.ok()) {
        return fail(answered("AT+CGDCONT?", r));
    }
    std::optional<PdpContext> context;
    for (const auto& line : r.info) {
        auto parsed = parse_cgdcont(line);
        if (!parsed) {
            return fail("AT+CGDCONT?: " + parsed.error());
        }
        if (parsed->cid == lte_pdp_cid) {
            context = *parsed;
        }
    }
    status_.apn = context ? context->apn : std::string{};
    if (config_.apn && (!context || !iequals(context->apn, *config_.apn))) {
        return fail("APN " + quoted(*config_.apn) + " not applied: " + answered("AT+CGDCONT?", r));
    }
    if (!config_.apn && config_.apn_required && status_.apn.empty()) {
        return fail("APN required but none configured, and context " + std::to_string(lte_pdp_cid) +
                    " has none: " + answered("AT+CGDCONT?", r));
    }
    send(Step::reg_urc_enable, now);
}

void LteManager::start_search(Millis now) {
    status_.state = LteState::searching;
    registration_deadline_ = now + config_.registration_timeout;
    send(Step::reg_query, now);
}

void LteManager::handle_registration(const Response& r, Millis now) {
    if (!r.ok()) {
        return fail(answered("AT+CEREG?", r));
    }
    const auto line = r.info_with_prefix("+CEREG:");
    if (!line) {
        return fail("AT+CEREG? gave no +CEREG line: " + answered("AT+CEREG?", r));
    }
    const auto reg = parse_registration(*line, RegForm::read_reply);
    if (!reg) {
        return fail("AT+CEREG?: " + reg.error());
    }
    apply_registration(*reg, *line, now);
    if (status_.state == LteState::registered) {
        send(Step::csq, now); // refresh signal and operator, then schedule the next poll
    }
}

void LteManager::apply_registration(const Registration& reg, std::string_view line, Millis now) {
    status_.registration = reg.stat;
    if (reg.area) {
        status_.tac = reg.area;
    }
    if (reg.cell_id) {
        status_.cell_id = reg.cell_id;
    }
    if (reg.act) {
        status_.act = reg.act;
    }
    const std::string said =
        "modem sent " + quoted(line) + " (" + std::string(to_string(reg.stat)) + ")";
    switch (reg.stat) {
    case RegStat::home:
    case RegStat::csfb_not_preferred_home:
        status_.roaming = false;
        status_.state = LteState::registered;
        registration_deadline_.reset();
        break;
    case RegStat::roaming:
    case RegStat::csfb_not_preferred_roaming:
        status_.roaming = true;
        if (!config_.roaming_allowed) {
            return fail("roaming disabled: " + said);
        }
        status_.state = LteState::registered;
        registration_deadline_.reset();
        break;
    case RegStat::denied:
        // Typically the operator blocks this IMEI or the SIM is not provisioned.
        return fail("registration denied by the network (IMEI blocked or SIM not provisioned?): " +
                    said);
    default: // not searching, searching, unknown, SMS or emergency only: no data bearer yet
        if (status_.state == LteState::registered) {
            status_.state = LteState::searching; // lost the network: search afresh
            registration_deadline_ = now + config_.registration_timeout;
        }
        if (registration_deadline_ && now >= *registration_deadline_) {
            return fail("not registered within " + ms(config_.registration_timeout) + "; " + said);
        }
        schedule(Step::reg_query, now + config_.registration_poll_period);
        break;
    }
    update_bars();
}

void LteManager::handle_urc(std::string_view line, Millis now) {
    const bool past_sim_check =
        status_.state == LteState::searching || status_.state == LteState::registered;
    if (line.find("+CEREG:") == 0 && past_sim_check) {
        // Something changed; ask properly (the read reply is the one we trust).
        schedule(Step::reg_query, now);
        return;
    }
    if (line.find("+CPIN:") == 0 && past_sim_check) {
        auto sim = parse_cpin(line);
        if (sim && *sim != SimStatus::ready) {
            status_.sim = *sim;
            fail("SIM removed or swapped while on: modem sent " + quoted(line) +
                 "; dock the camera to use a new SIM");
        }
    }
}

void LteManager::update_bars() {
    status_.bars = 0;
    if (status_.state != LteState::registered) {
        return;
    }
    if (status_.rsrp_dbm) {
        status_.bars = signal_bars(*status_.rsrp_dbm, rsrp_bar_thresholds);
    } else if (status_.rssi_dbm) {
        status_.bars = signal_bars(*status_.rssi_dbm, rssi_bar_thresholds);
    }
}

bool LteManager::sim_present() const {
    return status_.sim != SimStatus::unknown && status_.sim != SimStatus::not_inserted &&
           status_.sim != SimStatus::not_ready;
}

MobileIcon LteManager::icon() const {
    switch (status_.state) {
    case LteState::off:
    case LteState::no_sim:
        return {MobileIconKind::off, 0};
    case LteState::starting:
    case LteState::searching:
        return {MobileIconKind::searching, 0};
    case LteState::registered:
        return {MobileIconKind::bars, status_.bars};
    case LteState::sim_pin_required:
    case LteState::sim_puk_required:
    case LteState::error:
        return {MobileIconKind::error, 0};
    }
    return {MobileIconKind::error, 0};
}

} // namespace bwc::fw::radio
