// Unit tests for the emulator's radio models (firmware/emu/models): the LTE
// modem model's replies read back by the firmware's own AT parser and
// checked byte for byte against the real-modem rows of replies.tsv; the
// firmware's LteManager driven end to end against the model on a fake clock,
// one test per SIM state and fault (emu_modem); the WifiManager against the
// Wi-Fi radio model, per band, PSK and fault (emu_wifi).
#include "firmware/core/radio/at_reply.hpp"
#include "firmware/core/radio/lte_manager.hpp"
#include "firmware/core/radio/wifi_manager.hpp"
#include "firmware/emu/models/modem.hpp"
#include "firmware/emu/models/wifi_radio.hpp"
#include "radio_print.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace bwc;
using namespace bwc::fw;
using namespace bwc::fw::radio;
using emu::ModemModel;

namespace bwc::emu {
static std::ostream& boost_test_print_type(std::ostream& os, SimState s) {
    return os << "SimState(" << static_cast<int>(s) << ")";
}
} // namespace bwc::emu

namespace {

class FakeClock final : public Clock {
public:
    Millis now() const override { return t; }
    Millis t{0};
};

// Optionals are compared through holds(), which says what it got: Boost.Test
// cannot print them.
template <class T>
std::string show(const std::optional<T>& v) {
    if (!v) {
        return "(absent)";
    }
    std::ostringstream os;
    os << *v;
    return os.str();
}

template <class T, class U>
boost::test_tools::assertion_result holds(const std::optional<T>& v, const U& expected) {
    boost::test_tools::assertion_result r(v.has_value() && *v == static_cast<T>(expected));
    r.message() << "got " << show(v);
    return r;
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// --- replies.tsv: the real-modem byte strings the model must reproduce ---------

std::string unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'r' || s[i + 1] == 'n')) {
            out += s[++i] == 'r' ? '\r' : '\n';
        } else {
            out += s[i];
        }
    }
    return out;
}

/// (command, raw reply) of every row.
const std::set<std::pair<std::string, std::string>>& tsv_rows() {
    static const auto rows = [] {
        std::set<std::pair<std::string, std::string>> out;
        const std::string path = BWC_SHARED_DIR "/data/at/replies.tsv";
        std::ifstream in(path, std::ios::binary);
        BOOST_TEST_REQUIRE(in.good(), "cannot open " << path);
        std::string line;
        while (std::getline(in, line)) {
            if (line.empty() || line.front() == '#') {
                continue;
            }
            std::istringstream fields(line);
            std::string command;
            std::string raw;
            std::getline(fields, command, '\t');
            std::getline(fields, raw, '\t');
            out.emplace(command, unescape(raw));
        }
        return out;
    }();
    return rows;
}

// --- Talking to the model as the firmware does ------------------------------------

/// Sends one command line and reads the answer through the firmware's
/// assembler. URCs that came with it are left in `urcs`.
Response ask(ModemModel& modem, const std::string& command,
             std::vector<std::string>* urcs = nullptr) {
    ResponseAssembler a;
    a.expect(command);
    modem.send(command + "\r");
    a.feed(modem.take_output());
    auto r = a.take_response();
    BOOST_TEST_REQUIRE(r.has_value(), "no complete response to " << command);
    if (urcs) {
        *urcs = a.take_urcs();
    }
    return *r;
}

/// The model with a cell and a SIM, echo off (as the firmware sets it).
struct Bench {
    FakeClock clock;
    ModemModel modem{clock};

    explicit Bench(std::optional<emu::Cell> cell = emu::Cell{},
                   std::optional<emu::Sim> sim = emu::Sim{}) {
        modem.set_cell(std::move(cell));
        if (sim) {
            modem.insert_sim(std::move(*sim));
        }
        ask(modem, "ATE0");
        modem.take_output();
    }
    /// Lets virtual time run past the search.
    void settle() {
        clock.t += emu::default_search_time;
        modem.advance();
    }
    /// The raw bytes one command gets (echo is off).
    std::string raw(const std::string& command) {
        modem.take_output();
        modem.send(command + "\r");
        return modem.take_output();
    }
};

emu::Cell cell_at(int level_dbm) {
    emu::Cell c;
    c.level_dbm = level_dbm;
    return c;
}

emu::Sim sim_with_pin(std::string pin) {
    emu::Sim s;
    s.pin = std::move(pin);
    return s;
}

std::optional<Registration> read_registration(ModemModel& modem, const std::string& command) {
    const Response r = ask(modem, command);
    if (!r.ok() || r.info.size() != 1) {
        return std::nullopt;
    }
    const auto reg = parse_registration(r.info[0], RegForm::read_reply);
    BOOST_TEST(reg.ok(), reg.error());
    return reg.ok() ? std::optional<Registration>(*reg) : std::nullopt;
}

std::optional<Operator> read_operator(ModemModel& modem) {
    const Response r = ask(modem, "AT+COPS?");
    const auto line = r.info_with_prefix("+COPS:");
    if (!r.ok() || !line) {
        return std::nullopt;
    }
    const auto op = parse_cops(*line);
    BOOST_TEST(op.ok(), op.error());
    return op.ok() ? std::optional<Operator>(*op) : std::nullopt;
}

std::optional<SignalQuality> read_csq(ModemModel& modem) {
    const Response r = ask(modem, "AT+CSQ");
    const auto line = r.info_with_prefix("+CSQ:");
    if (!r.ok() || !line) {
        return std::nullopt;
    }
    const auto q = parse_csq(*line);
    BOOST_TEST(q.ok(), q.error());
    return q.ok() ? std::optional<SignalQuality>(*q) : std::nullopt;
}

/// +CPIN? as the LteManager reads it: the +CPIN line, or the CME code.
SimStatus read_sim(ModemModel& modem) {
    const Response r = ask(modem, "AT+CPIN?");
    if (!r.ok()) {
        return r.final.code ? sim_status_from_cme(*r.final.code).value_or(SimStatus::unknown)
                            : SimStatus::unknown;
    }
    const auto line = r.info_with_prefix("+CPIN:");
    if (!line) {
        return SimStatus::unknown;
    }
    return parse_cpin(*line).ok() ? *parse_cpin(*line) : SimStatus::unknown;
}

/// The firmware's LteManager on the model, run like bwc-emu's discrete-event
/// loop: modem bytes go to on_bytes(), time jumps to the earlier deadline.
struct LteHost {
    FakeClock clock;
    ModemModel modem;
    LteManager manager;

    explicit LteHost(LteConfig config = {}, emu::ModemOptions options = {})
        : modem(clock, std::move(options)), manager(modem, std::move(config)) {}

    void deliver() {
        for (int i = 0; i < 1000; ++i) {
            const std::string bytes = modem.take_output();
            if (bytes.empty()) {
                return;
            }
            manager.on_bytes(bytes, clock.now());
        }
        BOOST_FAIL("modem and manager never go quiet");
    }
    void step_to(Millis t) {
        clock.t = std::max(clock.t, t);
        modem.advance();
        deliver();
        manager.advance(clock.t);
        deliver();
    }
    void run_until(Millis until) {
        deliver();
        for (int i = 0; i < 100000; ++i) {
            std::optional<Millis> next = manager.next_deadline();
            if (const auto m = modem.next_deadline(); m && (!next || *m < *next)) {
                next = m;
            }
            if (!next || *next > until) {
                step_to(until);
                return;
            }
            step_to(*next);
        }
        BOOST_FAIL("deadlines never pass " << until.count() << " ms");
    }
    void power_on() {
        manager.power(true, clock.now());
        deliver();
    }
    /// The usual start: a cell and a SIM, powered, given time to register.
    void start(std::optional<emu::Cell> cell = emu::Cell{},
               std::optional<emu::Sim> sim = emu::Sim{}, Millis run_for = 30s) {
        modem.set_cell(std::move(cell));
        if (sim) {
            modem.insert_sim(std::move(*sim));
        }
        modem.take_output(); // hot-plug URCs from before the firmware listened
        power_on();
        run_until(clock.now() + run_for);
    }
    const LteStatus& status() const { return manager.status(); }
};

} // namespace

// =================================================================================
BOOST_AUTO_TEST_SUITE(emu_modem)

BOOST_AUTO_TEST_CASE(replies_are_byte_for_byte_real_modem_rows) {
    // Each scenario's reply must be a row of replies.tsv: real modems' bytes.
    auto check = [](Bench& b, const std::string& command) {
        const std::string raw = b.raw(command);
        BOOST_TEST_CONTEXT(command << " -> " << raw) {
            BOOST_TEST(tsv_rows().count({command, raw}) == 1u);
        }
    };
    {
        Bench b(cell_at(-75));
        check(b, "AT+CSQ");      // 19,99
        check(b, "AT+CEREG?");   // 0,2 searching
        check(b, "AT+CPIN?");    // READY
        check(b, "AT+CGSN");     // the default IMEI
        check(b, "AT+CGDCONT?"); // 1,"IP",""
        BOOST_TEST(b.raw("AT+CGDCONT=1,\"IP\",\"nate.sktelecom.com\"") == "\r\nOK\r\n");
        check(b, "AT+CGDCONT?");
    }
    {
        Bench b(cell_at(-40));
        check(b, "AT+CSQ"); // 31,99
    }
    {
        Bench b(cell_at(-61));
        check(b, "AT+CESQ"); // RSRQ -10 dB, RSRP -61 dBm
    }
    {
        Bench b(std::nullopt);
        check(b, "AT+CSQ"); // 99,99
    }
    {
        emu::Cell abroad;
        abroad.plmn = "26201";
        Bench b(abroad);
        b.settle();
        check(b, "AT+CEREG?"); // 0,5 roaming
    }
    {
        emu::Cell blocking;
        blocking.deny_registration = true;
        Bench b(blocking);
        b.raw("AT+CEREG=1");
        b.settle();
        check(b, "AT+CEREG?"); // 1,3 denied
    }
    {
        Bench b(emu::Cell{}, sim_with_pin("1234"));
        check(b, "AT+CPIN?"); // SIM PIN
    }
    {
        emu::Sim locked;
        locked.locked_puk = true;
        Bench b(emu::Cell{}, locked);
        check(b, "AT+CPIN?"); // SIM PUK
    }
    {
        Bench b(emu::Cell{}, std::nullopt);
        check(b, "AT+CPIN?"); // +CME ERROR: 10
    }
}

BOOST_AUTO_TEST_CASE(echo_is_on_at_power_on_and_ate0_turns_it_off) {
    FakeClock clock;
    ModemModel modem(clock);
    BOOST_TEST(modem.execute("AT") == "AT\r\r\nOK\r\n");
    BOOST_TEST(modem.execute("ATE0\r") == "ATE0\r\r\nOK\r\n"); // echoed as received
    BOOST_TEST(modem.execute("AT") == "\r\nOK\r\n");
    BOOST_TEST(ask(modem, "ATE1").echoed == false);
    BOOST_TEST(ask(modem, "AT").echoed == true);
    BOOST_TEST(ask(modem, "AT").ok());
    // A power cycle restores the default.
    ask(modem, "ATE0");
    modem.set_powered(false);
    modem.set_powered(true);
    BOOST_TEST(modem.execute("AT") == "AT\r\r\nOK\r\n");
}

BOOST_AUTO_TEST_CASE(command_bytes_may_arrive_in_pieces) {
    Bench b;
    b.modem.send("AT+C");
    BOOST_TEST(b.modem.take_output().empty());
    b.modem.send("PIN?");
    BOOST_TEST(b.modem.take_output().empty());
    b.modem.send("\r");
    BOOST_TEST(b.modem.take_output() == "\r\n+CPIN: READY\r\n\r\nOK\r\n");
    b.modem.send("\r"); // an empty line is ignored, as V.250 says
    BOOST_TEST(b.modem.take_output().empty());
    b.modem.send("at+cpin?\r"); // names are case-insensitive
    BOOST_TEST(b.modem.take_output() == "\r\n+CPIN: READY\r\n\r\nOK\r\n");
}

BOOST_AUTO_TEST_CASE(ati_imei_and_imsi_parse) {
    Bench b;
    const Response ati = ask(b.modem, "ATI");
    BOOST_TEST(ati.ok());
    BOOST_TEST_REQUIRE(ati.info.size() == 3u);
    BOOST_TEST(ati.info[0] == std::string(emu::modem_manufacturer));

    const Response cgsn = ask(b.modem, "AT+CGSN");
    BOOST_TEST_REQUIRE(cgsn.ok());
    BOOST_TEST_REQUIRE(cgsn.info.size() == 1u);
    const auto imei = parse_imei(cgsn.info[0]);
    BOOST_TEST_REQUIRE(imei.ok(), imei.error());
    BOOST_TEST(imei->digits == std::string(emu::default_imei));
    BOOST_TEST(imei->luhn_valid);

    const Response cimi = ask(b.modem, "AT+CIMI");
    BOOST_TEST_REQUIRE(cimi.ok());
    BOOST_TEST_REQUIRE(cimi.info.size() == 1u);
    const auto imsi = parse_imsi(cimi.info[0]);
    BOOST_TEST_REQUIRE(imsi.ok(), imsi.error());
    BOOST_TEST(*imsi == std::string(emu::default_imsi));
}

BOOST_AUTO_TEST_CASE(csq_and_cesq_follow_the_cell_level) {
    struct Case {
        int level;
        int csq_code;
        RangeEdge rssi_edge;
        int rsrp_dbm;
    };
    for (const Case c :
         {Case{-75, 19, RangeEdge::inside, -75}, Case{-76, 18, RangeEdge::inside, -76},
          Case{-113, 0, RangeEdge::at_or_below, -113}, Case{-120, 0, RangeEdge::at_or_below, -120},
          Case{-51, 31, RangeEdge::at_or_above, -51}, Case{-30, 31, RangeEdge::at_or_above, -44}}) {
        BOOST_TEST_CONTEXT("level " << c.level << " dBm") {
            Bench b(cell_at(c.level));
            const auto q = read_csq(b.modem);
            BOOST_TEST_REQUIRE(q.has_value());
            BOOST_TEST(q->rssi_code == c.csq_code);
            BOOST_TEST(q->rssi_edge == c.rssi_edge);
            BOOST_TEST(!q->ber_class.has_value());

            const Response cesq = ask(b.modem, "AT+CESQ");
            BOOST_TEST_REQUIRE(cesq.ok());
            const auto e = parse_cesq(cesq.info.at(0));
            BOOST_TEST_REQUIRE(e.ok(), e.error());
            BOOST_TEST(holds(e->rsrp_dbm, c.rsrp_dbm));
            BOOST_TEST(holds(e->rsrq_db, emu::modelled_rsrq_db));
        }
    }
    // Below the detection floor there is no cell: "not known" on both scales.
    Bench weak(cell_at(emu::cell_detection_floor_dbm - 1));
    const auto q = read_csq(weak.modem);
    BOOST_TEST_REQUIRE(q.has_value());
    BOOST_TEST(q->rssi_code == 99);
    const auto e = parse_cesq(ask(weak.modem, "AT+CESQ").info.at(0));
    BOOST_TEST_REQUIRE(e.ok(), e.error());
    BOOST_TEST(!e->rsrp_dbm.has_value());
    BOOST_TEST(!e->rsrq_db.has_value());
}

BOOST_AUTO_TEST_CASE(registration_searches_then_registers_with_urcs) {
    Bench b;
    BOOST_TEST(ask(b.modem, "AT+CEREG=2").ok());
    BOOST_TEST(ask(b.modem, "AT+CREG=1").ok());
    auto reg = read_registration(b.modem, "AT+CEREG?");
    BOOST_TEST_REQUIRE(reg.has_value());
    BOOST_TEST(holds(reg->n, 2));
    BOOST_TEST(reg->stat == RegStat::searching);
    BOOST_TEST(!reg->area.has_value()); // location only once registered

    // The search ends exactly search_time after SIM ready and cell present.
    BOOST_TEST(holds(b.modem.next_deadline(), emu::default_search_time));
    b.clock.t = emu::default_search_time - 1ms;
    b.modem.advance();
    BOOST_TEST(b.modem.take_output().empty());
    b.clock.t = emu::default_search_time;
    b.modem.advance();
    BOOST_TEST(!b.modem.next_deadline().has_value());

    // Unsolicited: "+CEREG: 1,<tac>,<ci>,7" (n=2) and "+CREG: 1" (n=1).
    ResponseAssembler urcs;
    urcs.feed(b.modem.take_output());
    const auto lines = urcs.take_urcs();
    BOOST_TEST_REQUIRE(lines.size() == 2u);
    const auto urc = parse_registration(lines[0], RegForm::unsolicited);
    BOOST_TEST_REQUIRE(urc.ok(), urc.error());
    BOOST_TEST(urc->domain == RegDomain::eps);
    BOOST_TEST(urc->stat == RegStat::home);
    BOOST_TEST(holds(urc->area, 0x1F00));
    BOOST_TEST(holds(urc->cell_id, 0x79D903));
    BOOST_TEST(holds(urc->act, 7));
    BOOST_TEST(lines[1] == "+CREG: 1");

    reg = read_registration(b.modem, "AT+CEREG?");
    BOOST_TEST_REQUIRE(reg.has_value());
    BOOST_TEST(reg->stat == RegStat::home);
    BOOST_TEST(holds(reg->area, 0x1F00));
    BOOST_TEST(holds(reg->cell_id, 0x79D903));
    BOOST_TEST(holds(reg->act, 7));
    reg = read_registration(b.modem, "AT+CREG?");
    BOOST_TEST_REQUIRE(reg.has_value());
    BOOST_TEST(reg->domain == RegDomain::cs);
    BOOST_TEST(holds(reg->n, 1));
    BOOST_TEST(reg->stat == RegStat::home);

    // Operator: long name by default, numeric after +COPS=3,2.
    auto op = read_operator(b.modem);
    BOOST_TEST_REQUIRE(op.has_value());
    BOOST_TEST(op->mode == 0);
    BOOST_TEST(op->name == "Telia");
    BOOST_TEST(holds(op->act, 7));
    BOOST_TEST(ask(b.modem, "AT+COPS=3,2").ok());
    op = read_operator(b.modem);
    BOOST_TEST_REQUIRE(op.has_value());
    BOOST_TEST(holds(op->plmn, "24001"));

    // Losing the cell: back to searching, announced; no operator.
    b.modem.set_cell(std::nullopt);
    urcs.feed(b.modem.take_output());
    const auto lost = urcs.take_urcs();
    BOOST_TEST_REQUIRE(lost.size() == 2u);
    const auto searching = parse_registration(lost[0], RegForm::unsolicited);
    BOOST_TEST_REQUIRE(searching.ok(), searching.error());
    BOOST_TEST(searching->stat == RegStat::searching);
    op = read_operator(b.modem);
    BOOST_TEST_REQUIRE(op.has_value());
    BOOST_TEST(op->name.empty());
}

BOOST_AUTO_TEST_CASE(roaming_and_denial_follow_plmn_and_network_flags) {
    struct Case {
        std::string plmn;
        bool roaming_allowed;
        bool deny;
        RegStat expected;
    };
    for (const auto& c :
         {Case{"24001", true, false, RegStat::home}, Case{"26201", true, false, RegStat::roaming},
          Case{"26201", false, false, RegStat::denied},
          Case{"24001", true, true, RegStat::denied}}) {
        BOOST_TEST_CONTEXT(c.plmn << " roaming " << c.roaming_allowed << " deny " << c.deny) {
            emu::Cell cell;
            cell.plmn = c.plmn;
            cell.roaming_allowed = c.roaming_allowed;
            cell.deny_registration = c.deny;
            Bench b(cell);
            b.settle();
            BOOST_TEST(b.modem.registration() == c.expected);
            const auto reg = read_registration(b.modem, "AT+CEREG?");
            BOOST_TEST_REQUIRE(reg.has_value());
            BOOST_TEST(reg->stat == c.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(no_search_without_a_ready_sim_or_on_a_foreign_band) {
    Bench no_sim(emu::Cell{}, std::nullopt);
    no_sim.settle();
    BOOST_TEST(no_sim.modem.registration() == RegStat::not_searching);
    BOOST_TEST(!no_sim.modem.next_deadline().has_value());

    emu::Cell us_band;
    us_band.band = 13; // 700 MHz upper C, not in the EC25-E's list
    Bench foreign(us_band);
    foreign.clock.t = 1h;
    foreign.modem.advance();
    BOOST_TEST(foreign.modem.registration() == RegStat::searching);
    BOOST_TEST(!foreign.modem.next_deadline().has_value()); // it never finds it
}

BOOST_AUTO_TEST_CASE(sim_pin_puk_and_blocking) {
    Bench b(emu::Cell{}, sim_with_pin("1234"));
    BOOST_TEST(read_sim(b.modem) == SimStatus::sim_pin);
    BOOST_TEST(holds(ask(b.modem, "AT+CIMI").final.code, cme::sim_pin_required));

    // Two wrong PINs cost two of three attempts; the right one then unlocks.
    for (int i = 0; i < 2; ++i) {
        const Response r = ask(b.modem, "AT+CPIN=\"0000\"");
        BOOST_TEST(r.final.kind == FinalKind::cme_error);
        BOOST_TEST(holds(r.final.code, cme::incorrect_password));
    }
    BOOST_TEST(b.modem.pin_attempts_left() == 1);
    BOOST_TEST(ask(b.modem, "AT+CPIN=\"1234\"").ok());
    BOOST_TEST(read_sim(b.modem) == SimStatus::ready);
    BOOST_TEST(b.modem.pin_attempts_left() == emu::sim_pin_attempts);
    BOOST_TEST(holds(ask(b.modem, "AT+CPIN=\"1234\"").final.code, 3)); // nothing to unlock

    // After a power cycle the PIN is asked again; three wrong ones lock the card.
    b.modem.set_powered(false);
    b.modem.set_powered(true);
    ask(b.modem, "ATE0");
    BOOST_TEST(read_sim(b.modem) == SimStatus::sim_pin);
    for (int i = 0; i < emu::sim_pin_attempts; ++i) {
        ask(b.modem, "AT+CPIN=1111"); // unquoted, as lenient modems take it
    }
    BOOST_TEST(read_sim(b.modem) == SimStatus::sim_puk);
    BOOST_TEST(holds(ask(b.modem, "AT+CPIN=\"1234\"").final.code, cme::sim_puk_required));
    BOOST_TEST(
        holds(ask(b.modem, "AT+CPIN=\"00000000\",\"4321\"").final.code, cme::incorrect_password));
    BOOST_TEST(b.modem.puk_attempts_left() == emu::sim_puk_attempts - 1);
    // The right PUK sets the new PIN, and the SIM is ready.
    BOOST_TEST(ask(b.modem, "AT+CPIN=\"12345678\",\"4321\"").ok());
    BOOST_TEST(read_sim(b.modem) == SimStatus::ready);
    b.modem.set_powered(false);
    b.modem.set_powered(true);
    ask(b.modem, "ATE0");
    BOOST_TEST(ask(b.modem, "AT+CPIN=\"4321\"").ok());

    // Ten wrong PUKs block the card for good: "SIM failure".
    emu::Sim locked;
    locked.locked_puk = true;
    Bench dead(emu::Cell{}, locked);
    for (int i = 0; i < emu::sim_puk_attempts; ++i) {
        ask(dead.modem, "AT+CPIN=\"87654321\",\"1111\"");
    }
    BOOST_TEST(dead.modem.sim_state() == emu::SimState::blocked);
    BOOST_TEST(holds(ask(dead.modem, "AT+CPIN?").final.code, cme::sim_failure));
    BOOST_TEST(
        holds(ask(dead.modem, "AT+CPIN=\"12345678\",\"1111\"").final.code, cme::sim_failure));
}

BOOST_AUTO_TEST_CASE(cme_error_form_follows_cmee) {
    Bench b(emu::Cell{}, std::nullopt);
    Response r = ask(b.modem, "AT+CIMI");
    BOOST_TEST(r.final.line == "+CME ERROR: 10");
    BOOST_TEST(ask(b.modem, "AT+CMEE=2").ok());
    r = ask(b.modem, "AT+CIMI");
    BOOST_TEST(r.final.line == "+CME ERROR: SIM not inserted");
    BOOST_TEST(holds(r.final.code, cme::sim_not_inserted)); // the text maps back
    BOOST_TEST(ask(b.modem, "AT+CMEE=0").ok());
    r = ask(b.modem, "AT+CIMI");
    BOOST_TEST(r.final.kind == FinalKind::error);
    const Response cmee = ask(b.modem, "AT+CMEE?");
    BOOST_TEST_REQUIRE(cmee.info.size() == 1u);
    BOOST_TEST(cmee.info[0] == "+CMEE: 0");
}

BOOST_AUTO_TEST_CASE(pdp_contexts) {
    Bench b;
    BOOST_TEST(ask(b.modem, "AT+CGDCONT=1,\"IP\",\"Internet.Telia.SE\"").ok());
    BOOST_TEST(ask(b.modem, "AT+CGDCONT=3,\"IPV4V6\",\"ims\"").ok());
    const Response r = ask(b.modem, "AT+CGDCONT?");
    BOOST_TEST_REQUIRE(r.info.size() == 2u);
    const auto c1 = parse_cgdcont(r.info[0]);
    BOOST_TEST_REQUIRE(c1.ok(), c1.error());
    BOOST_TEST(c1->cid == 1);
    BOOST_TEST(c1->pdp_type == "IP");
    BOOST_TEST(c1->apn == "Internet.Telia.SE"); // the string keeps its case
    const auto c3 = parse_cgdcont(r.info[1]);
    BOOST_TEST_REQUIRE(c3.ok(), c3.error());
    BOOST_TEST(c3->cid == 3);
    BOOST_TEST(c3->pdp_type == "IPV4V6");
    BOOST_TEST(ask(b.modem, "AT+CGDCONT=3").ok()); // a lone cid undefines it
    BOOST_TEST(ask(b.modem, "AT+CGDCONT?").info.size() == 1u);
}

BOOST_AUTO_TEST_CASE(unknown_and_malformed_commands_give_error) {
    Bench b;
    for (const std::string command :
         {"AT+XYZ", "AT+CEREG=7", "AT+CEREG=x", "AT+CEREG", "AT+CGDCONT=0,\"IP\",\"a\"",
          "AT+CGDCONT=1,\"PPP\",\"a\"", "AT+CPIN=\"12", "AT+CPIN=\"12a4\"", "AT+CSQ=1", "ATX9",
          "AT+COPS=1,2,\"24001\"", "AT+CMEE=5", "HELLO"}) {
        BOOST_TEST_CONTEXT(command) {
            BOOST_TEST(b.raw(command) == "\r\nERROR\r\n");
            BOOST_TEST(ask(b.modem, command).final.kind == FinalKind::error);
        }
    }
    // Too long a line is refused, and the modem keeps working.
    BOOST_TEST(b.raw("AT+CGDCONT=1,\"IP\",\"" + std::string(300, 'a') + "\"") == "\r\nERROR\r\n");
    BOOST_TEST(b.raw("AT") == "\r\nOK\r\n");
}

BOOST_AUTO_TEST_CASE(fault_absent_modem_is_silent) {
    Bench b;
    emu::ModemFaults f;
    f.absent = true;
    b.modem.set_faults(f);
    b.modem.send("AT\r");
    BOOST_TEST(b.modem.take_output().empty());
    BOOST_TEST(b.modem.execute("AT").empty());
    BOOST_TEST(!b.modem.next_deadline().has_value());
    b.modem.set_faults({});
    BOOST_TEST(b.raw("AT") == "\r\nOK\r\n");
}

BOOST_AUTO_TEST_CASE(fault_imei_override) {
    Bench b;
    emu::ModemFaults f;
    f.imei = "354237065082227";
    b.modem.set_faults(f);
    const Response r = ask(b.modem, "AT+CGSN");
    BOOST_TEST_REQUIRE(r.info.size() == 1u);
    const auto imei = parse_imei(r.info[0]);
    BOOST_TEST_REQUIRE(imei.ok(), imei.error());
    BOOST_TEST(imei->digits == "354237065082227");
    BOOST_TEST(!imei->luhn_valid);
}

BOOST_AUTO_TEST_CASE(fault_sim_absent_announces_and_clears) {
    Bench b;
    b.settle();
    BOOST_TEST(ask(b.modem, "AT+CEREG=1").ok());
    emu::ModemFaults f;
    f.sim_absent = true;
    b.modem.set_faults(f);
    ResponseAssembler a;
    a.feed(b.modem.take_output());
    const auto urcs = a.take_urcs();
    BOOST_TEST_REQUIRE(urcs.size() == 2u);
    const auto sim = parse_cpin(urcs[0]);
    BOOST_TEST_REQUIRE(sim.ok(), sim.error());
    BOOST_TEST(*sim == SimStatus::not_ready);
    BOOST_TEST(urcs[1] == "+CEREG: 0");
    BOOST_TEST(read_sim(b.modem) == SimStatus::not_inserted);
    b.modem.set_faults({});
    BOOST_TEST(b.modem.sim_state() == emu::SimState::ready);
}

BOOST_AUTO_TEST_CASE(fault_sim_locked_refuses_the_puk_and_spares_the_card) {
    Bench b;
    emu::ModemFaults f;
    f.sim_locked = true;
    b.modem.set_faults(f);
    b.modem.take_output();
    BOOST_TEST(read_sim(b.modem) == SimStatus::sim_puk);
    BOOST_TEST(
        holds(ask(b.modem, "AT+CPIN=\"12345678\",\"1111\"").final.code, cme::incorrect_password));
    BOOST_TEST(b.modem.puk_attempts_left() == emu::sim_puk_attempts);
    b.modem.set_faults({});
    BOOST_TEST(b.modem.sim_state() == emu::SimState::ready);
}

BOOST_AUTO_TEST_CASE(fault_rssi_drop) {
    Bench b(cell_at(-75));
    b.settle();
    emu::ModemFaults f;
    f.rssi_drop_db = 20;
    b.modem.set_faults(f);
    auto q = read_csq(b.modem);
    BOOST_TEST_REQUIRE(q.has_value());
    BOOST_TEST(holds(q->rssi_dbm, -95));
    BOOST_TEST(b.modem.registration() == RegStat::home);
    f.rssi_drop_db = 60; // -135 dBm: below the detection floor
    b.modem.set_faults(f);
    q = read_csq(b.modem);
    BOOST_TEST_REQUIRE(q.has_value());
    BOOST_TEST(q->rssi_code == 99);
    BOOST_TEST(b.modem.registration() == RegStat::searching);
}

BOOST_AUTO_TEST_CASE(powered_off_modem_is_silent) {
    Bench b;
    b.modem.set_powered(false);
    b.modem.send("AT\r");
    BOOST_TEST(b.modem.take_output().empty());
    BOOST_TEST(b.modem.execute("AT").empty());
    BOOST_TEST(b.modem.registration() == RegStat::not_searching);
}

// --- The firmware's LteManager against the model, end to end ----------------------

BOOST_AUTO_TEST_CASE(lte_manager_registers_home_with_the_right_bars) {
    struct Case {
        int level;
        int bars; // from RSRP = level (rsrp_bar_thresholds -115/-105/-95/-85)
    };
    for (const Case c : {Case{-75, 4}, Case{-90, 3}, Case{-100, 2}, Case{-112, 1}, Case{-118, 0}}) {
        BOOST_TEST_CONTEXT("level " << c.level << " dBm") {
            LteHost host;
            host.start(cell_at(c.level), emu::Sim{}, emu::default_search_time - 1ms);
            BOOST_TEST(host.status().state == LteState::searching);
            host.run_until(emu::default_search_time + 1s);
            const LteStatus& s = host.status();
            BOOST_TEST_REQUIRE(s.state == LteState::registered, s.last_error);
            BOOST_TEST(s.bars == c.bars);
            BOOST_TEST(host.manager.icon() == (MobileIcon{MobileIconKind::bars, c.bars}));
            BOOST_TEST(holds(s.rsrp_dbm, c.level));
            BOOST_TEST(s.imei == std::string(emu::default_imei));
            BOOST_TEST(s.imsi == std::string(emu::default_imsi));
            BOOST_TEST(s.sim == SimStatus::ready);
            BOOST_TEST(s.operator_name == "Telia");
            BOOST_TEST(holds(s.tac, 0x1F00));
            BOOST_TEST(holds(s.cell_id, 0x79D903));
            BOOST_TEST(holds(s.act, 7));
            BOOST_TEST(!s.roaming);
            BOOST_TEST(host.manager.sim_present());
        }
    }
}

BOOST_AUTO_TEST_CASE(lte_manager_rssi_drop_lowers_the_bars_at_the_next_poll) {
    LteHost host;
    host.start(cell_at(-80));
    BOOST_TEST_REQUIRE(host.status().state == LteState::registered, host.status().last_error);
    BOOST_TEST(host.status().bars == 4);
    emu::ModemFaults f;
    f.rssi_drop_db = 30; // -110 dBm
    host.modem.set_faults(f);
    host.run_until(host.clock.now() + default_signal_poll_period + 1s);
    BOOST_TEST(host.status().state == LteState::registered);
    BOOST_TEST(host.status().bars == 1);
    BOOST_TEST(holds(host.status().rssi_dbm, -111)); // CSQ 1 = -111 dBm
}

BOOST_AUTO_TEST_CASE(lte_manager_applies_the_apn) {
    LteConfig config;
    config.apn = "internet.telia.se";
    LteHost host(config);
    host.start();
    BOOST_TEST_REQUIRE(host.status().state == LteState::registered, host.status().last_error);
    BOOST_TEST(host.status().apn == "internet.telia.se");
    BOOST_TEST(contains(host.modem.execute("AT+CGDCONT?"), "1,\"IP\",\"internet.telia.se\""));
}

BOOST_AUTO_TEST_CASE(lte_manager_without_sim) {
    LteHost host;
    host.start(emu::Cell{}, std::nullopt);
    BOOST_TEST(host.status().state == LteState::no_sim);
    BOOST_TEST(!host.manager.sim_present());

    LteHost faulted; // the sim_absent fault reads the same
    emu::ModemFaults f;
    f.sim_absent = true;
    faulted.modem.set_faults(f);
    faulted.start();
    BOOST_TEST(faulted.status().state == LteState::no_sim);
}

BOOST_AUTO_TEST_CASE(lte_manager_puk_locked_sim) {
    for (const bool by_fault : {false, true}) {
        BOOST_TEST_CONTEXT("locked by fault " << by_fault) {
            LteHost host;
            emu::Sim sim;
            sim.locked_puk = !by_fault;
            if (by_fault) {
                emu::ModemFaults f;
                f.sim_locked = true;
                host.modem.set_faults(f);
            }
            host.start(emu::Cell{}, sim);
            BOOST_TEST(host.status().state == LteState::sim_puk_required);
            BOOST_TEST(host.manager.icon() == (MobileIcon{MobileIconKind::error, 0}));
        }
    }
}

BOOST_AUTO_TEST_CASE(lte_manager_sim_pin) {
    // PIN on the card, none configured: sim_pin_required, no attempt spent.
    {
        LteHost host;
        host.start(emu::Cell{}, sim_with_pin("2468"));
        BOOST_TEST(host.status().state == LteState::sim_pin_required);
        BOOST_TEST(host.modem.pin_attempts_left() == emu::sim_pin_attempts);
    }
    // The right PIN configured: registered.
    {
        LteConfig config;
        config.sim_pin = "2468";
        LteHost host(config);
        host.start(emu::Cell{}, sim_with_pin("2468"));
        BOOST_TEST(host.status().state == LteState::registered, host.status().last_error);
        BOOST_TEST(host.modem.sim_state() == emu::SimState::ready);
    }
    // A wrong PIN: one attempt spent, error; never tried again, even after a power cycle.
    {
        LteConfig config;
        config.sim_pin = "1357";
        LteHost host(config);
        host.start(emu::Cell{}, sim_with_pin("2468"));
        BOOST_TEST(host.status().state == LteState::error);
        BOOST_TEST(contains(host.status().last_error, "PIN rejected"), host.status().last_error);
        BOOST_TEST(host.modem.pin_attempts_left() == emu::sim_pin_attempts - 1);
        host.manager.power(false, host.clock.now());
        host.modem.set_powered(false);
        host.modem.set_powered(true);
        host.power_on();
        host.run_until(host.clock.now() + 30s);
        BOOST_TEST(host.status().state == LteState::sim_pin_required);
        BOOST_TEST(host.modem.pin_attempts_left() == emu::sim_pin_attempts - 1);
    }
}

BOOST_AUTO_TEST_CASE(lte_manager_absent_modem_errors_after_the_command_timeout) {
    LteHost host;
    emu::ModemFaults f;
    f.absent = true;
    host.modem.set_faults(f);
    host.power_on();
    host.run_until(default_command_timeout - 1ms);
    BOOST_TEST(host.status().state == LteState::starting);
    host.run_until(default_command_timeout);
    BOOST_TEST(host.status().state == LteState::error);
    BOOST_TEST(contains(host.status().last_error, "no final reply to AT"),
               host.status().last_error);
}

BOOST_AUTO_TEST_CASE(lte_manager_network_refusals_and_roaming) {
    struct Case {
        std::string name;
        std::string plmn;
        bool network_takes_roamers;
        bool deny;
        bool profile_roaming;
        LteState state;
        std::string error_part;
    };
    for (const auto& c : {
             Case{"IMEI blocked", "24001", true, true, true, LteState::error, "denied"},
             Case{"roaming disabled in profile", "26201", true, false, false, LteState::error,
                  "roaming disabled"},
             Case{"network takes no roamers", "26201", false, false, true, LteState::error,
                  "denied"},
             Case{"roaming allowed", "26201", true, false, true, LteState::registered, ""},
         }) {
        BOOST_TEST_CONTEXT(c.name) {
            LteConfig config;
            config.roaming_allowed = c.profile_roaming;
            LteHost host(config);
            emu::Cell cell;
            cell.plmn = c.plmn;
            cell.roaming_allowed = c.network_takes_roamers;
            cell.deny_registration = c.deny;
            host.start(cell);
            BOOST_TEST(host.status().state == c.state);
            BOOST_TEST(contains(host.status().last_error, c.error_part), host.status().last_error);
            if (c.plmn != "24001" && c.network_takes_roamers) {
                BOOST_TEST(host.status().roaming);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(lte_manager_rejects_an_invalid_imei) {
    LteHost host;
    emu::ModemFaults f;
    f.imei = "354237065082227";
    host.modem.set_faults(f);
    host.start();
    BOOST_TEST(host.status().state == LteState::error);
    BOOST_TEST(contains(host.status().last_error, "Luhn"), host.status().last_error);
}

BOOST_AUTO_TEST_CASE(lte_manager_times_out_without_a_usable_cell) {
    emu::Cell us_band;
    us_band.band = 13; // "bands must match the operator"
    for (const auto& cell : {std::optional<emu::Cell>{}, std::optional<emu::Cell>{us_band}}) {
        BOOST_TEST_CONTEXT("cell " << (cell ? "on a foreign band" : "absent")) {
            LteHost host;
            host.start(cell, emu::Sim{}, default_registration_timeout - 1s);
            BOOST_TEST(host.status().state == LteState::searching);
            host.run_until(default_registration_timeout + 5s);
            BOOST_TEST(host.status().state == LteState::error);
            BOOST_TEST(contains(host.status().last_error, "not registered"),
                       host.status().last_error);
        }
    }
}

BOOST_AUTO_TEST_CASE(lte_manager_sim_pulled_while_registered) {
    LteHost host;
    host.start();
    BOOST_TEST_REQUIRE(host.status().state == LteState::registered, host.status().last_error);
    host.modem.remove_sim();
    host.run_until(host.clock.now() + 1s);
    BOOST_TEST(host.status().state == LteState::error);
    BOOST_TEST(contains(host.status().last_error, "SIM removed"), host.status().last_error);
}

BOOST_AUTO_TEST_CASE(lte_manager_follows_a_lost_and_found_cell) {
    LteHost host;
    host.start();
    BOOST_TEST_REQUIRE(host.status().state == LteState::registered, host.status().last_error);
    host.modem.set_cell(std::nullopt);
    host.run_until(host.clock.now() + 1ms);
    BOOST_TEST(host.status().state == LteState::searching); // the URC made it ask at once
    host.modem.set_cell(emu::Cell{});
    host.run_until(host.clock.now() + emu::default_search_time + 1ms);
    BOOST_TEST(host.status().state == LteState::registered); // the URC again, no poll needed
}

BOOST_AUTO_TEST_SUITE_END()

// =================================================================================
namespace {

using emu::ApConfig;
using emu::WifiRadioModel;

ApConfig ap(std::string ssid, std::string bssid, WifiBand band, int channel, int level = -60,
            WifiSecurity security = WifiSecurity::wpa2_psk, std::string psk = "correct horse") {
    return ApConfig{std::move(ssid), std::move(bssid), band, channel,
                    security,        std::move(psk),   level};
}

/// The firmware's WifiManager on the radio model, configured like a camera
/// model with or without 5 GHz.
struct WifiHost {
    WifiRadioModel radio;
    WifiManager manager;

    explicit WifiHost(bool supports_5ghz)
        : radio(emu::WifiRadioOptions{supports_5ghz}),
          manager(radio, WifiConfig{.supports_5ghz = supports_5ghz}) {}

    void start(const std::string& ssid, const std::string& psk = "correct horse") {
        const auto refused =
            manager.set_networks({WifiNetworkConfig{ssid, psk, NetworkSource::User}}, 0ms);
        BOOST_TEST_REQUIRE(refused.empty());
        manager.power(true, 0ms);
    }
    const WifiStatus& status() const { return manager.status(); }
};

const std::string kBssid24 = "02:00:00:00:24:01";
const std::string kBssid5 = "02:00:00:00:50:01";

} // namespace

BOOST_AUTO_TEST_SUITE(emu_wifi)

BOOST_AUTO_TEST_CASE(joins_wpa2_on_2g4) {
    WifiHost host(false);
    host.radio.add_access_point(ap("Station", kBssid24, WifiBand::ghz_2_4, 6, -60));
    host.start("Station");
    const WifiStatus& s = host.status();
    BOOST_TEST_REQUIRE(s.state == WifiState::connected, s.reason);
    BOOST_TEST(s.bssid == kBssid24);
    BOOST_TEST(s.ipv4 == "192.168.10.100");
    BOOST_TEST(holds(s.rssi_dbm, -60));
    BOOST_TEST(s.bars == 3);
    BOOST_TEST(host.radio.associated());
    const auto rs = host.radio.status();
    BOOST_TEST(rs.associated);
    BOOST_TEST(rs.ssid == "Station");
    BOOST_TEST(rs.bssid == kBssid24);
    BOOST_TEST(rs.channel == 6);
    BOOST_TEST(rs.ipv4 == "192.168.10.100");
    BOOST_TEST(holds(rs.rssi_dbm, -60));
}

BOOST_AUTO_TEST_CASE(w100_does_not_join_a_5ghz_only_network_and_w120_does) {
    for (const bool dual_band : {false, true}) {
        BOOST_TEST_CONTEXT("5 GHz capable " << dual_band) {
            WifiHost host(dual_band);
            host.radio.add_access_point(ap("Office5", kBssid5, WifiBand::ghz_5, 36, -55));
            host.start("Office5");
            BOOST_TEST(host.status().state ==
                       (dual_band ? WifiState::connected : WifiState::error));
            BOOST_TEST(host.radio.associated() == dual_band);
            // A 2.4 GHz-only radio does not even hear 5 GHz.
            BOOST_TEST(host.radio.scan().size() == (dual_band ? 1u : 0u));
        }
    }
    // Asked straight to join a 5 GHz AP, the 2.4 GHz-only radio cannot associate.
    WifiRadioModel w100;
    w100.add_access_point(ap("Office5", kBssid5, WifiBand::ghz_5, 36));
    const auto r =
        w100.join(AccessPoint{"Office5", kBssid5, WifiBand::ghz_5, 36, WifiSecurity::wpa2_psk, -55},
                  "correct horse");
    BOOST_TEST(r.outcome == JoinOutcome::association_failed);
}

BOOST_AUTO_TEST_CASE(wrong_psk_and_non_wpa2_security_fail_authentication) {
    WifiHost host(false);
    host.radio.add_access_point(ap("Station", kBssid24, WifiBand::ghz_2_4, 6));
    host.start("Station", "wrong horse");
    BOOST_TEST(host.status().state == WifiState::error);
    BOOST_TEST(contains(host.status().reason, "authentication failed"), host.status().reason);
    BOOST_TEST(!host.radio.associated());

    WifiRadioModel radio;
    for (const auto security : {WifiSecurity::open, WifiSecurity::wep, WifiSecurity::wpa_psk,
                                WifiSecurity::wpa3_sae, WifiSecurity::wpa2_enterprise}) {
        BOOST_TEST_CONTEXT(to_string(security)) {
            radio.add_access_point(ap("Old", kBssid24, WifiBand::ghz_2_4, 1, -50, security));
            const auto seen = radio.scan();
            BOOST_TEST_REQUIRE(seen.size() == 1u);
            BOOST_TEST(radio.join(seen[0], "correct horse").outcome ==
                       JoinOutcome::authentication_failed);
        }
    }
    radio.add_access_point(
        ap("Mixed", kBssid24, WifiBand::ghz_2_4, 1, -50, WifiSecurity::wpa2_wpa3_transition));
    BOOST_TEST(radio.join(radio.scan().at(0), "correct horse").outcome == JoinOutcome::joined);
}

BOOST_AUTO_TEST_CASE(scan_hears_only_what_is_above_the_floor_and_in_domain) {
    WifiRadioModel radio;
    radio.add_access_point(
        ap("Edge", "02:00:00:00:00:01", WifiBand::ghz_2_4, 1, emu::wifi_sensitivity_dbm));
    radio.add_access_point(
        ap("Faint", "02:00:00:00:00:02", WifiBand::ghz_2_4, 1, emu::wifi_sensitivity_dbm - 1));
    radio.add_access_point(ap("Japan", "02:00:00:00:00:03", WifiBand::ghz_2_4, 14));
    radio.add_access_point(ap("Europe", "02:00:00:00:00:04", WifiBand::ghz_2_4, 13));
    const auto seen = radio.scan();
    BOOST_TEST_REQUIRE(seen.size() == 2u);
    BOOST_TEST(seen[0].ssid == "Edge");
    BOOST_TEST(seen[0].rssi_dbm == emu::wifi_sensitivity_dbm);
    BOOST_TEST(seen[1].ssid == "Europe");
    // An AP gone since the scan: association fails.
    const AccessPoint europe = seen[1];
    radio.remove_access_point(europe.bssid);
    BOOST_TEST(radio.join(europe, "correct horse").outcome == JoinOutcome::association_failed);
}

BOOST_AUTO_TEST_CASE(leases_are_deterministic_per_network) {
    WifiRadioModel radio;
    radio.add_access_point(ap("A", "02:00:00:00:00:0a", WifiBand::ghz_2_4, 1));
    radio.add_access_point(ap("B", "02:00:00:00:00:0b", WifiBand::ghz_2_4, 6));
    radio.add_access_point(ap("A", "02:00:00:00:00:0c", WifiBand::ghz_2_4, 11)); // same ESS
    const auto seen = radio.scan();
    BOOST_TEST_REQUIRE(seen.size() == 3u);
    BOOST_TEST(radio.join(seen[1], "correct horse").ipv4 == "192.168.11.100");
    BOOST_TEST(radio.join(seen[0], "correct horse").ipv4 == "192.168.10.100");
    BOOST_TEST(radio.join(seen[2], "correct horse").ipv4 == "192.168.10.100");
    BOOST_TEST(radio.status().bssid == "02:00:00:00:00:0c"); // the last join replaced the others
}

BOOST_AUTO_TEST_CASE(fault_dead_radio) {
    WifiHost host(true);
    host.radio.add_access_point(ap("Station", kBssid24, WifiBand::ghz_2_4, 6));
    emu::WifiFaults f;
    f.dead = true;
    host.radio.set_faults(f);
    BOOST_TEST(host.radio.scan().empty());
    host.start("Station");
    BOOST_TEST(host.status().state == WifiState::error);
    BOOST_TEST(host.status().reason == "no configured network visible");
    const auto r = host.radio.join(
        AccessPoint{"Station", kBssid24, WifiBand::ghz_2_4, 6, WifiSecurity::wpa2_psk, -60},
        "correct horse");
    BOOST_TEST(r.outcome == JoinOutcome::timeout);
    host.radio.set_faults({});
    host.manager.advance(wifi_retry_period);
    BOOST_TEST(host.status().state == WifiState::connected);
}

BOOST_AUTO_TEST_CASE(fault_band_restriction) {
    for (const auto only : {WifiBand::ghz_2_4, WifiBand::ghz_5}) {
        for (const auto band : {WifiBand::ghz_2_4, WifiBand::ghz_5}) {
            BOOST_TEST_CONTEXT("only " << to_string(only) << ", network on " << to_string(band)) {
                WifiHost host(true);
                const bool five = band == WifiBand::ghz_5;
                host.radio.add_access_point(
                    ap("Net", five ? kBssid5 : kBssid24, band, five ? 40 : 6));
                emu::WifiFaults f;
                f.only_band = only;
                host.radio.set_faults(f);
                host.start("Net");
                BOOST_TEST(host.radio.associated() == (band == only));
                BOOST_TEST((host.status().state == WifiState::connected) == (band == only));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(fault_rssi_drop) {
    WifiHost host(false);
    host.radio.add_access_point(ap("Station", kBssid24, WifiBand::ghz_2_4, 6, -60));
    host.start("Station");
    BOOST_TEST_REQUIRE(host.radio.associated());
    emu::WifiFaults f;
    f.rssi_drop_db = 25;
    host.radio.set_faults(f);
    BOOST_TEST(host.radio.scan().at(0).rssi_dbm == -85);
    BOOST_TEST(host.radio.associated());
    host.manager.advance(wifi_refresh_period);
    BOOST_TEST(holds(host.status().rssi_dbm, -85));
    BOOST_TEST(host.status().bars == 1);
    f.rssi_drop_db = 40; // -100 dBm: below the floor, the link is gone
    host.radio.set_faults(f);
    BOOST_TEST(!host.radio.associated());
    BOOST_TEST(!host.radio.status().associated);
    host.manager.on_link_lost(wifi_refresh_period);
    BOOST_TEST(host.status().state == WifiState::searching);
}

BOOST_AUTO_TEST_CASE(fault_wpa2_fail) {
    WifiHost host(false);
    host.radio.add_access_point(ap("Station", kBssid24, WifiBand::ghz_2_4, 6));
    emu::WifiFaults f;
    f.wpa2_fail = true;
    host.radio.set_faults(f);
    host.start("Station"); // the right PSK
    BOOST_TEST(host.status().state == WifiState::error);
    BOOST_TEST(contains(host.status().reason, "authentication failed"), host.status().reason);
    host.radio.set_faults({});
    host.manager.advance(wifi_retry_period);
    BOOST_TEST(host.status().state == WifiState::connected);
}

BOOST_AUTO_TEST_CASE(clearing_the_environment_drops_the_link) {
    WifiHost host(false);
    host.radio.add_access_point(ap("Station", kBssid24, WifiBand::ghz_2_4, 6));
    host.start("Station");
    BOOST_TEST_REQUIRE(host.radio.associated());
    host.radio.clear();
    BOOST_TEST(!host.radio.associated());
    BOOST_TEST(host.radio.scan().empty());
}

BOOST_AUTO_TEST_SUITE_END()
