// Unit tests for the firmware core's radios: AT reply assembly and parsers
// (at_reply) checked row by row against the shared replies.tsv, the LTE
// manager driven through a scripted fake modem that answers with the same
// rows (lte_manager), and the Wi-Fi manager against a fake radio
// (wifi_manager). Time is virtual: the tests jump to next_deadline().
#include "firmware/core/radio/at_reply.hpp"
#include "firmware/core/radio/lte_manager.hpp"
#include "firmware/core/radio/wifi_manager.hpp"
#include "radio_print.hpp"

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace bwc::fw;
using namespace bwc::fw::radio;

// Boost.Test prints the values of failed checks; these teach it our enums.

namespace {

// Optionals are compared through these rather than printed by Boost.Test.
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
bool holds(const std::optional<T>& v, const U& expected) {
    return v.has_value() && *v == static_cast<T>(expected);
}

// --- replies.tsv -----------------------------------------------------------

struct ReplyRow {
    std::string command;
    std::string raw; // escapes decoded: real CR/LF bytes
    std::string meaning;
    int line_number = 0;
};

/// "\r" and "\n" as written in the table become the bytes; an unknown escape fails.
std::optional<std::string> unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (i + 1 >= s.size()) {
            return std::nullopt;
        }
        switch (s[++i]) {
        case 'r':
            out += '\r';
            break;
        case 'n':
            out += '\n';
            break;
        case 't':
            out += '\t';
            break;
        case '\\':
            out += '\\';
            break;
        default:
            return std::nullopt;
        }
    }
    return out;
}

std::vector<ReplyRow> load_rows() {
    const std::string path = BWC_SHARED_DIR "/data/at/replies.tsv";
    std::ifstream in(path, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), "cannot open " << path);
    std::vector<ReplyRow> rows;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line.front() == '#') {
            continue;
        }
        std::vector<std::string> cols;
        std::istringstream fields(line);
        std::string col;
        while (std::getline(fields, col, '\t')) {
            cols.push_back(col);
        }
        BOOST_TEST_REQUIRE(cols.size() == 3u, path << ":" << number << " has " << cols.size()
                                                   << " columns, expected 3");
        const auto raw = unescape(cols[1]);
        BOOST_TEST_REQUIRE(raw.has_value(), path << ":" << number << " has a bad escape");
        rows.push_back(ReplyRow{cols[0], *raw, cols[2], number});
    }
    return rows;
}

const std::vector<ReplyRow>& rows() {
    static const std::vector<ReplyRow> loaded = load_rows();
    return loaded;
}

/// The raw reply of the row whose meaning is `meaning`, or else of the one row whose meaning
/// starts with it.
std::string reply(std::string_view meaning) {
    for (const auto& r : rows()) {
        if (r.meaning == meaning) {
            return r.raw;
        }
    }
    const ReplyRow* found = nullptr;
    for (const auto& r : rows()) {
        if (r.meaning.starts_with(meaning)) {
            BOOST_TEST_REQUIRE(found == nullptr, "meaning '" << meaning << "' is ambiguous");
            found = &r;
        }
    }
    BOOST_TEST_REQUIRE(found != nullptr, "no row means '" << meaning << "'");
    return found->raw;
}

const std::string kOk = "\r\nOK\r\n";

Response assemble(std::string_view command, std::string_view raw) {
    ResponseAssembler a;
    a.expect(command);
    a.feed(raw);
    auto r = a.take_response();
    BOOST_TEST_REQUIRE(r.has_value(), "no complete response to " << command);
    return *r;
}

bool same(const Response& a, const Response& b) {
    return a.command == b.command && a.info == b.info && a.final.kind == b.final.kind &&
           a.final.code == b.final.code && a.final.line == b.final.line &&
           a.truncated == b.truncated;
}

/// The first information line, parsed by `parse`; a failed parse is reported.
template <class Parse>
auto first_info(const Response& r, Parse parse)
    -> std::optional<std::decay_t<decltype(*parse(std::string_view{}))>> {
    BOOST_TEST(r.ok());
    BOOST_TEST(r.info.size() == 1u);
    if (r.info.empty()) {
        return std::nullopt;
    }
    auto parsed = parse(r.info.front());
    BOOST_TEST(parsed.has_value(), "parse failed: " << parsed.error());
    if (!parsed) {
        return std::nullopt;
    }
    return *parsed;
}

std::optional<SignalQuality> csq(const Response& r) {
    return first_info(r, parse_csq);
}
std::optional<Registration> reg(const Response& r) {
    return first_info(r, [](std::string_view l) { return parse_registration(l); });
}
std::optional<Operator> cops(const Response& r) {
    return first_info(r, parse_cops);
}
std::optional<SimStatus> cpin(const Response& r) {
    return first_info(r, parse_cpin);
}
std::optional<Imei> imei(const Response& r) {
    return first_info(r, parse_imei);
}
std::optional<PdpContext> cgdcont(const Response& r) {
    return first_info(r, parse_cgdcont);
}

using RowCheck = std::function<void(const Response&)>;

/// One check per row, keyed by the row's meaning column, asserting the decoded values that
/// meaning states. A row with no check here, or a check with no row, fails the test.
std::map<std::string, RowCheck> row_checks() {
    std::map<std::string, RowCheck> c;
    c["rssi -75 dBm (-113 + 2*19), ber unknown"] = [](const Response& r) {
        auto q = csq(r);
        BOOST_TEST_REQUIRE(q.has_value());
        BOOST_TEST(holds(q->rssi_dbm, -75), "rssi " << show(q->rssi_dbm));
        BOOST_TEST(q->rssi_edge == RangeEdge::inside);
        BOOST_TEST(!q->ber_class.has_value());
    };
    c["signal unknown"] = [](const Response& r) {
        auto q = csq(r);
        BOOST_TEST_REQUIRE(q.has_value());
        BOOST_TEST(!q->rssi_dbm.has_value(), "rssi " << show(q->rssi_dbm));
        BOOST_TEST(!q->ber_class.has_value());
    };
    c["rssi <= -113 dBm"] = [](const Response& r) {
        auto q = csq(r);
        BOOST_TEST_REQUIRE(q.has_value());
        BOOST_TEST(holds(q->rssi_dbm, -113), "rssi " << show(q->rssi_dbm));
        BOOST_TEST(q->rssi_edge == RangeEdge::at_or_below);
        BOOST_TEST(holds(q->ber_class, 0));
    };
    c["rssi >= -51 dBm"] = [](const Response& r) {
        auto q = csq(r);
        BOOST_TEST_REQUIRE(q.has_value());
        BOOST_TEST(holds(q->rssi_dbm, -51), "rssi " << show(q->rssi_dbm));
        BOOST_TEST(q->rssi_edge == RangeEdge::at_or_above);
    };
    c["RSRQ -10 dB (-20 + 0.5*20), RSRP -61 dBm (-141 + 80)"] = [](const Response& r) {
        auto q = first_info(r, parse_cesq);
        BOOST_TEST_REQUIRE(q.has_value());
        BOOST_TEST(holds(q->rsrq_db, -10.0), "rsrq " << show(q->rsrq_db));
        BOOST_TEST(holds(q->rsrp_dbm, -61), "rsrp " << show(q->rsrp_dbm));
        BOOST_TEST(q->rsrq_edge == RangeEdge::inside);
        BOOST_TEST(q->rxlev == 99);
        BOOST_TEST(q->rscp == 255);
        BOOST_TEST(q->ecno == 255);
    };
    c["registration denied"] = [](const Response& r) {
        auto g = reg(r);
        BOOST_TEST_REQUIRE(g.has_value());
        BOOST_TEST(holds(g->n, 1));
        BOOST_TEST(g->stat == RegStat::denied);
        BOOST_TEST(!g->area.has_value());
    };
    c["home network, TAC 0x1F00, CI 0x79D903, LTE (note the stray spaces)"] =
        [](const Response& r) {
            auto g = reg(r);
            BOOST_TEST_REQUIRE(g.has_value());
            BOOST_TEST(g->domain == RegDomain::eps);
            BOOST_TEST(holds(g->n, 2));
            BOOST_TEST(g->stat == RegStat::home);
            BOOST_TEST(holds(g->area, 0x1F00u), "tac " << show(g->area));
            BOOST_TEST(holds(g->cell_id, 0x79D903u), "ci " << show(g->cell_id));
            BOOST_TEST(holds(g->act, 7), "act " << show(g->act));
            BOOST_TEST(act_name(7) == "E-UTRAN");
        };
    c["home network, LAC 0xCE00, CI 0x01CEAD8F"] = [](const Response& r) {
        auto g = reg(r);
        BOOST_TEST_REQUIRE(g.has_value());
        BOOST_TEST(g->domain == RegDomain::cs);
        BOOST_TEST(g->stat == RegStat::home);
        BOOST_TEST(holds(g->area, 0xCE00u), "lac " << show(g->area));
        BOOST_TEST(holds(g->cell_id, 0x01CEAD8Fu), "ci " << show(g->cell_id));
        BOOST_TEST(!g->act.has_value());
    };
    c["roaming"] = [](const Response& r) {
        auto g = reg(r);
        BOOST_TEST_REQUIRE(g.has_value());
        BOOST_TEST(holds(g->n, 0));
        BOOST_TEST(g->stat == RegStat::roaming);
    };
    c["searching"] = [](const Response& r) {
        auto g = reg(r);
        BOOST_TEST_REQUIRE(g.has_value());
        BOOST_TEST(g->stat == RegStat::searching);
    };
    c["manual, long name, LTE"] = [](const Response& r) {
        auto o = cops(r);
        BOOST_TEST_REQUIRE(o.has_value());
        BOOST_TEST(o->mode == 1);
        BOOST_TEST(holds(o->format, 0));
        BOOST_TEST(o->name == "CHINA MOBILE");
        BOOST_TEST(!o->plmn.has_value());
        BOOST_TEST(holds(o->act, 7));
    };
    c["manual, numeric PLMN 46000"] = [](const Response& r) {
        auto o = cops(r);
        BOOST_TEST_REQUIRE(o.has_value());
        BOOST_TEST(o->mode == 1);
        BOOST_TEST(holds(o->format, 2));
        BOOST_TEST(holds(o->plmn, std::string("46000")), "plmn " << show(o->plmn));
        BOOST_TEST(!o->act.has_value());
    };
    auto sim_is = [](SimStatus expected) {
        return [expected](const Response& r) {
            auto s = cpin(r);
            BOOST_TEST_REQUIRE(s.has_value());
            BOOST_TEST(*s == expected);
        };
    };
    c["SIM ready"] = sim_is(SimStatus::ready);
    c["PIN required"] = sim_is(SimStatus::sim_pin);
    c["PIN required (quoted form)"] = sim_is(SimStatus::sim_pin);
    c["SIM locked, PUK required"] = sim_is(SimStatus::sim_puk);
    c["network personalisation PIN required"] = sim_is(SimStatus::ph_net_pin);
    c["SIM not inserted"] = [](const Response& r) {
        BOOST_TEST(r.info.empty());
        BOOST_TEST(r.final.kind == FinalKind::cme_error);
        BOOST_TEST(holds(r.final.code, cme::sim_not_inserted));
        BOOST_TEST(r.describe_final() == "+CME ERROR: 10 (SIM not inserted)");
        BOOST_TEST(holds(sim_status_from_cme(*r.final.code), SimStatus::not_inserted));
    };
    c["unknown error"] = [](const Response& r) {
        BOOST_TEST(r.final.kind == FinalKind::cme_error);
        BOOST_TEST(holds(r.final.code, cme::unknown));
        BOOST_TEST(cme_error_text(100) == "unknown");
        BOOST_TEST(!sim_status_from_cme(100).has_value());
    };
    c["IMEI, Luhn check digit valid"] = [](const Response& r) {
        auto i = imei(r);
        BOOST_TEST_REQUIRE(i.has_value());
        BOOST_TEST(i->digits == "490154203237518");
        BOOST_TEST(i->luhn_valid);
        BOOST_TEST(imei_luhn_valid(i->digits));
    };
    c["IMEI-shaped, Luhn check digit INVALID"] = [](const Response& r) {
        auto i = imei(r);
        BOOST_TEST_REQUIRE(i.has_value());
        BOOST_TEST(i->digits == "354237065082227");
        BOOST_TEST(!i->luhn_valid);
        BOOST_TEST(!imei_luhn_valid(i->digits));
    };
    c["context 1 APN nate.sktelecom.com"] = [](const Response& r) {
        auto p = cgdcont(r);
        BOOST_TEST_REQUIRE(p.has_value());
        BOOST_TEST(p->cid == 1);
        BOOST_TEST(p->pdp_type == "IP");
        BOOST_TEST(p->apn == "nate.sktelecom.com");
    };
    c["context 1 has no APN"] = [](const Response& r) {
        auto p = cgdcont(r);
        BOOST_TEST_REQUIRE(p.has_value());
        BOOST_TEST(p->cid == 1);
        BOOST_TEST(p->apn.empty());
    };
    c["plain error"] = [](const Response& r) {
        BOOST_TEST(r.info.empty());
        BOOST_TEST(r.final.kind == FinalKind::error);
        BOOST_TEST(!r.final.code.has_value());
    };
    c["vendor final code for an unknown command"] = [](const Response& r) {
        BOOST_TEST(r.info.empty());
        BOOST_TEST(r.final.kind == FinalKind::vendor_error);
        BOOST_TEST(r.final.line == "COMMAND NOT SUPPORT");
        BOOST_TEST(!r.ok());
    };
    return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(at_reply)

BOOST_AUTO_TEST_CASE(every_row_decodes_to_its_meaning) {
    auto checks = row_checks();
    std::set<std::string> used;
    BOOST_TEST_REQUIRE(!rows().empty());
    for (const auto& row : rows()) {
        BOOST_TEST_CONTEXT("replies.tsv:" << row.line_number << " " << row.command << " -> "
                                          << row.meaning) {
            const auto it = checks.find(row.meaning);
            BOOST_TEST((it != checks.end()), "no check written for this meaning");
            if (it == checks.end()) {
                continue;
            }
            used.insert(row.meaning);
            const Response r = assemble(row.command, row.raw);
            BOOST_TEST(r.command == row.command);
            BOOST_TEST(!r.echoed);
            BOOST_TEST(!r.truncated);
            it->second(r);
        }
    }
    for (const auto& [meaning, check] : checks) {
        BOOST_TEST(used.count(meaning) == 1u, "check for '" << meaning << "' matched no row");
    }
}

BOOST_AUTO_TEST_CASE(chunking_and_echo_do_not_change_the_response) {
    for (const auto& row : rows()) {
        BOOST_TEST_CONTEXT("replies.tsv:" << row.line_number << " " << row.command) {
            const Response whole = assemble(row.command, row.raw);

            // Complete exactly once, and not before the final line's last character.
            const std::size_t last_char = row.raw.find_last_not_of("\r\n");
            ResponseAssembler bytewise;
            bytewise.expect(row.command);
            std::optional<Response> one_by_one;
            for (std::size_t i = 0; i < row.raw.size(); ++i) {
                bytewise.feed(std::string_view(row.raw).substr(i, 1));
                if (auto r = bytewise.take_response()) {
                    BOOST_TEST(!one_by_one.has_value(), "second response at byte " << i);
                    BOOST_TEST(i > last_char, "complete early, at byte " << i);
                    one_by_one = std::move(r);
                }
            }
            BOOST_TEST_REQUIRE(one_by_one.has_value());
            BOOST_TEST(same(whole, *one_by_one));

            // ATE1: the modem repeats the command line first, here in odd-sized chunks.
            const std::string echoed = row.command + "\r" + row.raw;
            ResponseAssembler chunked;
            chunked.expect(row.command + "\r");
            for (std::size_t i = 0, n = 1; i < echoed.size(); i += n, n = n % 5 + 1) {
                chunked.feed(std::string_view(echoed).substr(i, n));
            }
            const auto with_echo = chunked.take_response();
            BOOST_TEST_REQUIRE(with_echo.has_value());
            BOOST_TEST(with_echo->echoed);
            BOOST_TEST(same(whole, *with_echo));
            BOOST_TEST(chunked.take_urcs().empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(unsolicited_lines_are_set_aside) {
    ResponseAssembler a;
    a.feed("\r\nRDY\r\n"); // boot indication before any command
    a.expect("AT+CSQ");
    a.feed("\r\n+CEREG: 1,\"1F00\",\"79D903\",7\r\n" + reply("rssi -75"));
    const auto r = a.take_response();
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->info == std::vector<std::string>{"+CSQ: 19,99"});
    const auto urcs = a.take_urcs();
    BOOST_TEST_REQUIRE(urcs.size() == 2u);
    BOOST_TEST(urcs[0] == "RDY");
    const auto g = parse_registration(urcs[1], RegForm::unsolicited);
    BOOST_TEST_REQUIRE(g.has_value(), g.error());
    BOOST_TEST(!g->n.has_value());
    BOOST_TEST(g->stat == RegStat::home);
    BOOST_TEST(holds(g->area, 0x1F00u));
    BOOST_TEST(holds(g->act, 7));
}

BOOST_AUTO_TEST_CASE(vendor_final_decided_by_the_commands_info_shape) {
    // Digits are what AT+CGSN answers; a wordy line is the vendor's refusal.
    BOOST_TEST(assemble("AT+CGSN", "\r\nCOMMAND NOT SUPPORT\r\n").final.kind ==
               FinalKind::vendor_error);
    BOOST_TEST(assemble("ATE0", "\r\nCOMMAND NOT SUPPORT\r\n").final.kind ==
               FinalKind::vendor_error);
    // AT+CGMI answers free text: the same kind of line is information, and only a standard
    // final ends the response (the manager's timeout is the backstop).
    ResponseAssembler a;
    a.expect("AT+CGMI");
    a.feed("\r\nSIMCOM INCORPORATED\r\n");
    BOOST_TEST(!a.take_response().has_value());
    BOOST_TEST(a.partial_lines() == std::vector<std::string>{"SIMCOM INCORPORATED"});
    a.feed(kOk);
    const auto r = a.take_response();
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->ok());
    // CME text form (AT+CMEE=2) maps back to its number.
    const auto t = assemble("AT+CPIN?", "\r\n+CME ERROR: SIM not inserted\r\n");
    BOOST_TEST(holds(t.final.code, cme::sim_not_inserted));
    BOOST_TEST(t.describe_final() == "+CME ERROR: SIM not inserted");
    BOOST_TEST(assemble("AT+CMGS=5", "\r\n+CMS ERROR: 500\r\n").final.kind == FinalKind::cms_error);
}

BOOST_AUTO_TEST_CASE(buffers_are_bounded) {
    ResponseAssembler a;
    a.expect("AT+COPS=?");
    a.feed("\r\n+COPS: " + std::string(2000, 'x') + "\r\n");
    for (std::size_t i = 0; i < ResponseAssembler::max_info_lines + 10; ++i) {
        a.feed("+COPS: 1\r\n");
    }
    a.feed(kOk);
    const auto r = a.take_response();
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->truncated);
    BOOST_TEST(r->info.size() == ResponseAssembler::max_info_lines);
    BOOST_TEST(r->info.front().size() == ResponseAssembler::max_line_length);

    for (std::size_t i = 0; i < ResponseAssembler::max_queued_urcs + 3; ++i) {
        a.feed("+CEREG: 2\r\n");
    }
    BOOST_TEST(a.take_urcs().size() == ResponseAssembler::max_queued_urcs);
    BOOST_TEST(a.dropped_urcs() == 3u);
}

BOOST_AUTO_TEST_CASE(stray_spaces_and_quotes_are_tolerated) {
    const auto g = parse_registration("  +CEREG: 2, 1 ,\" 1F00\" , \"79D903 \",\"7\"");
    BOOST_TEST_REQUIRE(g.has_value(), g.error());
    BOOST_TEST(g->stat == RegStat::home);
    BOOST_TEST(holds(g->area, 0x1F00u), show(g->area));
    BOOST_TEST(holds(g->cell_id, 0x79D903u), show(g->cell_id));
    BOOST_TEST(holds(g->act, 7));
    const auto empty_fields = parse_registration("+CEREG: 2,1,,,7");
    BOOST_TEST_REQUIRE(empty_fields.has_value(), empty_fields.error());
    BOOST_TEST(!empty_fields->area.has_value());
    BOOST_TEST(holds(empty_fields->act, 7));
    const auto s = parse_cpin("+CPIN: \" SIM PIN \"");
    BOOST_TEST_REQUIRE(s.has_value(), s.error());
    BOOST_TEST(*s == SimStatus::sim_pin);
    const auto o = parse_cops("+COPS: 0,0,\"Tele, Net\",7"); // comma inside the quotes
    BOOST_TEST_REQUIRE(o.has_value(), o.error());
    BOOST_TEST(o->name == "Tele, Net");
    const auto i = parse_imei("+CGSN: \"490154203237518\"");
    BOOST_TEST_REQUIRE(i.has_value(), i.error());
    BOOST_TEST(i->luhn_valid);
}

BOOST_AUTO_TEST_CASE(bad_values_are_errors_naming_the_line) {
    const auto csq_bad = parse_csq("+CSQ: 40,99");
    BOOST_TEST(!csq_bad.has_value());
    BOOST_TEST(csq_bad.error().find("'+CSQ: 40,99'") != std::string::npos, csq_bad.error());
    BOOST_TEST(!parse_csq("+CESQ: 1,2").has_value());
    BOOST_TEST(!parse_registration("+CEREG: 2,1,\"1G00\",\"79D903\",7").has_value());
    BOOST_TEST(!parse_registration("+CEREG: 2,11").has_value());
    BOOST_TEST(!parse_cops("+COPS: 0,2,\"46A00\"").has_value());
    BOOST_TEST(!parse_cpin("+CPIN: MAYBE").has_value());
    BOOST_TEST(!parse_imei("49015420323751").has_value()); // 14 digits
    BOOST_TEST(!parse_imsi("12345").has_value());
    BOOST_TEST(!parse_cgdcont("+CGDCONT: 1,\"IP").has_value()); // open quote
    BOOST_TEST(!imei_luhn_valid("49015420323751a"));
    BOOST_TEST(!imei_luhn_valid("4901542032375180"));
    BOOST_TEST(imei_luhn_valid("356938035643809"));
    const auto ctrl = parse_csq("+CSQ: 1\x01,99");
    BOOST_TEST(ctrl.error().find("\\x01") != std::string::npos, ctrl.error());
}

BOOST_AUTO_TEST_SUITE_END()

// --- LTE ---------------------------------------------------------------------

namespace {

/// A modem that answers each command line with the next scripted reply (the
/// last one repeats); a command with no script gets silence.
class FakeModem : public ModemPort {
public:
    void on(const std::string& command, std::string raw) {
        script_[command].push_back(std::move(raw));
    }
    void only(const std::string& command, std::string raw) { script_[command] = {std::move(raw)}; }
    void silence(const std::string& command) { script_.erase(command); }

    void send(std::string_view line) override {
        sent.emplace_back(line);
        std::string command(line);
        BOOST_TEST(command.ends_with("\r"), "command not terminated by CR: " << command);
        while (!command.empty() && command.back() == '\r') {
            command.pop_back();
        }
        const auto it = script_.find(command);
        if (it == script_.end() || it->second.empty()) {
            return;
        }
        output_ += it->second.front();
        if (it->second.size() > 1) {
            it->second.pop_front();
        }
    }
    std::string take_output() { return std::exchange(output_, {}); }
    std::size_t count(const std::string& command) const {
        return static_cast<std::size_t>(std::count(sent.begin(), sent.end(), command + "\r"));
    }

    std::vector<std::string> sent;

private:
    std::map<std::string, std::deque<std::string>> script_;
    std::string output_;
};

const std::string kApn = "nate.sktelecom.com";
const std::string kSetApn = "AT+CGDCONT=1,\"IP\",\"nate.sktelecom.com\"";

/// Every command of a good start answered with the table's rows.
void script_happy_path(FakeModem& m) {
    m.on("AT", kOk);
    m.on("ATE0", kOk);
    m.on("AT+CGSN", reply("IMEI, Luhn check digit valid"));
    m.on("AT+CPIN?", reply("SIM ready"));
    m.on("AT+CIMI", "\r\n460001234567890\r\n" + kOk); // no +CIMI row in the table
    m.on(kSetApn, kOk);
    m.on("AT+CGDCONT?", reply("context 1 APN nate.sktelecom.com"));
    m.on("AT+CEREG=2", kOk);
    m.on("AT+CEREG?", reply("home network, TAC 0x1F00"));
    m.on("AT+CSQ", reply("rssi -75"));
    m.on("AT+CESQ", reply("RSRQ -10"));
    m.on("AT+COPS?", reply("manual, long name"));
}

LteConfig config_with_apn() {
    LteConfig c;
    c.apn = kApn;
    return c;
}

/// The modem, the manager and virtual time. Replies go back at the same instant.
struct LteBench {
    explicit LteBench(LteConfig config = config_with_apn()) : lte(modem, std::move(config)) {
        script_happy_path(modem);
    }

    void deliver() {
        for (int guard = 0; guard < 10'000; ++guard) {
            const std::string out = modem.take_output();
            if (out.empty()) {
                return;
            }
            if (bytewise) {
                for (char c : out) {
                    lte.on_bytes(std::string_view(&c, 1), now);
                }
            } else {
                lte.on_bytes(out, now);
            }
        }
        BOOST_FAIL("modem and manager talk forever");
    }
    void start() {
        lte.power(true, now);
        deliver();
    }
    /// Discrete-event run: jump from deadline to deadline up to `until`.
    void run_until(Millis until) {
        deliver();
        for (int guard = 0; guard < 100'000; ++guard) {
            const auto next = lte.next_deadline();
            if (!next || *next > until) {
                now = until;
                lte.advance(now);
                deliver();
                return;
            }
            now = std::max(now, *next);
            lte.advance(now);
            deliver();
        }
        BOOST_FAIL("deadlines never pass " << until.count() << " ms");
    }

    FakeModem modem;
    LteManager lte;
    Millis now{0};
    bool bytewise = false;
};

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(lte_manager)

BOOST_AUTO_TEST_CASE(happy_path_registers_with_bars) {
    LteBench b;
    BOOST_TEST(b.lte.icon() == (MobileIcon{MobileIconKind::off, 0}));
    b.start();
    const auto& s = b.lte.status();
    BOOST_TEST(s.state == LteState::registered, s.last_error);
    BOOST_TEST(b.modem.sent == (std::vector<std::string>{
                                   "AT\r", "ATE0\r", "AT+CGSN\r", "AT+CPIN?\r", "AT+CIMI\r",
                                   kSetApn + "\r", "AT+CGDCONT?\r", "AT+CEREG=2\r", "AT+CEREG?\r",
                                   "AT+CSQ\r", "AT+CESQ\r", "AT+COPS?\r"}),
               boost::test_tools::per_element());
    BOOST_TEST(s.imei == "490154203237518");
    BOOST_TEST(s.imei_luhn_valid);
    BOOST_TEST(s.sim == SimStatus::ready);
    BOOST_TEST(b.lte.sim_present());
    BOOST_TEST(s.imsi == "460001234567890");
    BOOST_TEST(s.apn == kApn);
    BOOST_TEST(holds(s.registration, RegStat::home));
    BOOST_TEST(holds(s.tac, 0x1F00u));
    BOOST_TEST(holds(s.cell_id, 0x79D903u));
    BOOST_TEST(!s.roaming);
    BOOST_TEST(s.operator_name == "CHINA MOBILE");
    BOOST_TEST(holds(s.rssi_dbm, -75), show(s.rssi_dbm));
    BOOST_TEST(holds(s.rsrp_dbm, -61), show(s.rsrp_dbm));
    BOOST_TEST(holds(s.rsrq_db, -10.0), show(s.rsrq_db));
    // RSRP -61 dBm is at or above the 4-bar threshold.
    BOOST_TEST(rsrp_bar_thresholds.four_bars_dbm <= -61);
    BOOST_TEST(s.bars == 4);
    BOOST_TEST(b.lte.icon() == (MobileIcon{MobileIconKind::bars, 4}));

    // Registered: the next thing due is the periodic refresh.
    BOOST_TEST(holds(b.lte.next_deadline(), default_signal_poll_period));
    b.run_until(default_signal_poll_period);
    BOOST_TEST(b.modem.count("AT+CEREG?") == 2u);
    BOOST_TEST(b.modem.count("AT+CSQ") == 2u);

    b.lte.power(false, b.now);
    BOOST_TEST(b.lte.status().state == LteState::off);
    BOOST_TEST(!b.lte.next_deadline().has_value());
}

BOOST_AUTO_TEST_CASE(byte_by_byte_delivery_registers_too) {
    LteBench b;
    b.bytewise = true;
    b.start();
    BOOST_TEST(b.lte.status().state == LteState::registered, b.lte.status().last_error);
    BOOST_TEST(b.lte.status().bars == 4);
}

BOOST_AUTO_TEST_CASE(bars_from_rssi_without_cesq) {
    LteBench b;
    b.modem.only("AT+CESQ", reply("plain error"));
    b.start();
    const auto& s = b.lte.status();
    BOOST_TEST(s.state == LteState::registered, s.last_error);
    BOOST_TEST(!s.rsrp_dbm.has_value());
    // -75 dBm: at least the 3-bar level (-83), below the 4-bar level (-73).
    BOOST_TEST(s.bars == 3);
    BOOST_TEST(signal_bars(-73, rssi_bar_thresholds) == 4);
    BOOST_TEST(signal_bars(-74, rssi_bar_thresholds) == 3);
    BOOST_TEST(signal_bars(-110, rssi_bar_thresholds) == 0);
}

BOOST_AUTO_TEST_CASE(sim_pin_is_sent_once) {
    LteConfig c = config_with_apn();
    c.sim_pin = "1234";
    LteBench b(c);
    b.modem.only("AT+CPIN?", reply("PIN required (quoted form)"));
    b.modem.on("AT+CPIN?", reply("SIM ready"));
    b.modem.on("AT+CPIN=\"1234\"", kOk);
    b.start();
    BOOST_TEST(b.lte.status().state == LteState::registered, b.lte.status().last_error);
    BOOST_TEST(b.modem.count("AT+CPIN=\"1234\"") == 1u);
    BOOST_TEST(b.modem.count("AT+CPIN?") == 2u);
}

BOOST_AUTO_TEST_CASE(sim_pin_without_configured_pin_waits) {
    LteBench b;
    b.modem.only("AT+CPIN?", reply("PIN required"));
    b.start();
    BOOST_TEST(b.lte.status().state == LteState::sim_pin_required);
    BOOST_TEST(b.lte.status().sim == SimStatus::sim_pin);
    BOOST_TEST(b.lte.icon() == (MobileIcon{MobileIconKind::error, 0}));
    BOOST_TEST(b.modem.sent.back() == "AT+CPIN?\r");
}

BOOST_AUTO_TEST_CASE(wrong_pin_is_an_error_and_never_retried) {
    LteConfig c = config_with_apn();
    c.sim_pin = "0000";
    LteBench b(c);
    b.modem.only("AT+CPIN?", reply("PIN required"));
    b.modem.on("AT+CPIN=\"0000\"", "\r\n+CME ERROR: 16\r\n");
    b.start();
    const auto& s = b.lte.status();
    BOOST_TEST(s.state == LteState::error);
    BOOST_TEST(contains(s.last_error, "+CME ERROR: 16 (incorrect password)"), s.last_error);
    BOOST_TEST(!contains(s.last_error, "0000"), "the PIN leaked: " << s.last_error);
    BOOST_TEST(b.lte.icon() == (MobileIcon{MobileIconKind::error, 0}));
    b.run_until(1h);
    BOOST_TEST(b.modem.count("AT+CPIN=\"0000\"") == 1u);

    // Not even a power cycle sends the same PIN again.
    b.lte.power(false, b.now);
    b.start();
    BOOST_TEST(b.lte.status().state == LteState::sim_pin_required);
    BOOST_TEST(b.modem.count("AT+CPIN=\"0000\"") == 1u);

    // A different PIN is a new attempt.
    c.sim_pin = "1234";
    b.lte.set_config(c);
    b.modem.on("AT+CPIN=\"1234\"", "\r\n+CME ERROR: 16\r\n");
    b.lte.power(false, b.now);
    b.start();
    BOOST_TEST(b.modem.count("AT+CPIN=\"1234\"") == 1u);
    BOOST_TEST(b.lte.status().state == LteState::error);
}

BOOST_AUTO_TEST_CASE(puk_required) {
    LteConfig c = config_with_apn();
    c.sim_pin = "1234";
    LteBench b(c);
    b.modem.only("AT+CPIN?", reply("SIM locked, PUK required"));
    b.start();
    const auto& s = b.lte.status();
    BOOST_TEST(s.state == LteState::sim_puk_required);
    BOOST_TEST(s.sim == SimStatus::sim_puk);
    BOOST_TEST(contains(s.last_error, "+CPIN: SIM PUK"), s.last_error);
    BOOST_TEST(b.modem.count("AT+CPIN=\"1234\"") == 0u);
    BOOST_TEST(b.lte.icon() == (MobileIcon{MobileIconKind::error, 0}));
}

BOOST_AUTO_TEST_CASE(no_sim) {
    LteBench b;
    b.modem.only("AT+CPIN?", reply("SIM not inserted"));
    b.start();
    const auto& s = b.lte.status();
    BOOST_TEST(s.state == LteState::no_sim);
    BOOST_TEST(s.sim == SimStatus::not_inserted);
    BOOST_TEST(!b.lte.sim_present());
    BOOST_TEST(contains(s.last_error, "SIM not inserted"), s.last_error);
    BOOST_TEST(b.lte.icon() == (MobileIcon{MobileIconKind::off, 0}));
    BOOST_TEST(!b.lte.next_deadline().has_value());
}

BOOST_AUTO_TEST_CASE(roaming_follows_the_setting) {
    LteConfig allowed = config_with_apn();
    allowed.roaming_allowed = true;
    LteBench yes(allowed);
    yes.modem.only("AT+CEREG?", reply("roaming"));
    yes.start();
    BOOST_TEST(yes.lte.status().state == LteState::registered, yes.lte.status().last_error);
    BOOST_TEST(yes.lte.status().roaming);

    LteBench no; // default: roaming not allowed
    BOOST_TEST(!no.lte.config().roaming_allowed);
    no.modem.only("AT+CEREG?", reply("roaming"));
    no.start();
    const auto& s = no.lte.status();
    BOOST_TEST(s.state == LteState::error);
    BOOST_TEST(contains(s.last_error, "roaming disabled"), s.last_error);
    BOOST_TEST(contains(s.last_error, "+CEREG: 0,5"), s.last_error);
    BOOST_TEST(no.lte.icon() == (MobileIcon{MobileIconKind::error, 0}));
}

BOOST_AUTO_TEST_CASE(registration_denied) {
    LteBench b;
    b.modem.only("AT+CEREG?", reply("registration denied"));
    b.start();
    const auto& s = b.lte.status();
    BOOST_TEST(s.state == LteState::error);
    BOOST_TEST(holds(s.registration, RegStat::denied));
    BOOST_TEST(contains(s.last_error, "denied"), s.last_error);
    BOOST_TEST(contains(s.last_error, "+CEREG: 1,3"), s.last_error);
}

BOOST_AUTO_TEST_CASE(searching_until_registered_or_timeout) {
    LteBench found;
    found.modem.only("AT+CEREG?", reply("searching"));
    found.modem.on("AT+CEREG?", reply("searching"));
    found.modem.on("AT+CEREG?", reply("home network, TAC"));
    found.start();
    BOOST_TEST(found.lte.status().state == LteState::searching);
    BOOST_TEST(found.lte.icon() == (MobileIcon{MobileIconKind::searching, 0}));
    found.run_until(2 * default_registration_poll_period - 1ms);
    BOOST_TEST(found.lte.status().state == LteState::searching);
    found.run_until(2 * default_registration_poll_period);
    BOOST_TEST(found.lte.status().state == LteState::registered, found.lte.status().last_error);

    LteBench lost;
    lost.modem.only("AT+CEREG?", reply("searching"));
    lost.start();
    lost.run_until(default_registration_timeout - 1ms);
    BOOST_TEST(lost.lte.status().state == LteState::searching);
    BOOST_TEST(
        lost.modem.count("AT+CEREG?") ==
        static_cast<std::size_t>(default_registration_timeout / default_registration_poll_period));
    lost.run_until(default_registration_timeout + 1ms);
    BOOST_TEST(lost.lte.status().state == LteState::error);
    BOOST_TEST(contains(lost.lte.status().last_error, "not registered within 180000 ms"),
               lost.lte.status().last_error);
}

BOOST_AUTO_TEST_CASE(silent_modem_times_out) {
    LteBench b;
    b.modem.silence("AT+CPIN?");
    b.start(); // AT+CPIN? goes out at t = 0 and gets no answer
    BOOST_TEST(b.modem.sent.back() == "AT+CPIN?\r");
    BOOST_TEST(holds(b.lte.next_deadline(), default_command_timeout));
    b.run_until(default_command_timeout - 1ms);
    BOOST_TEST(b.lte.status().state == LteState::starting);
    b.run_until(default_command_timeout + 1ms);
    const auto& s = b.lte.status();
    BOOST_TEST(s.state == LteState::error);
    BOOST_TEST(contains(s.last_error, "no final reply to AT+CPIN? within 5000 ms"), s.last_error);
    BOOST_TEST(!b.lte.next_deadline().has_value());
}

BOOST_AUTO_TEST_CASE(vendor_refusal_of_optional_command_is_tolerated) {
    LteBench b;
    b.modem.only("AT+CEREG=2", reply("vendor final code"));
    b.start(); // no timeout needed: the refusal is recognised as a final at once
    BOOST_TEST(b.lte.status().state == LteState::registered, b.lte.status().last_error);
    BOOST_TEST(b.now == 0ms);
}

BOOST_AUTO_TEST_CASE(invalid_imei_and_missing_apn_are_errors) {
    LteBench imei_bad;
    imei_bad.modem.only("AT+CGSN", reply("IMEI-shaped"));
    imei_bad.start();
    BOOST_TEST(imei_bad.lte.status().state == LteState::error);
    BOOST_TEST(!imei_bad.lte.status().imei_luhn_valid);
    BOOST_TEST(contains(imei_bad.lte.status().last_error, "354237065082227 fails the Luhn"),
               imei_bad.lte.status().last_error);

    LteConfig required;
    required.apn_required = true;
    LteBench no_apn(required);
    no_apn.modem.only("AT+CGDCONT?", reply("context 1 has no APN"));
    no_apn.start();
    BOOST_TEST(no_apn.lte.status().state == LteState::error);
    BOOST_TEST(contains(no_apn.lte.status().last_error, "APN required"),
               no_apn.lte.status().last_error);
    BOOST_TEST(no_apn.modem.count(kSetApn) == 0u);

    LteConfig bad = config_with_apn();
    bad.apn = "inter\"net";
    LteBench injected(bad);
    injected.start();
    BOOST_TEST(injected.lte.status().state == LteState::error);
    BOOST_TEST(injected.modem.sent.empty());
}

BOOST_AUTO_TEST_SUITE_END()

// --- Wi-Fi -------------------------------------------------------------------

namespace {

/// A radio that sees `visible` and accepts a join when the PSK is right.
class FakeRadio : public WifiRadio {
public:
    std::vector<AccessPoint> scan() override {
        ++scans;
        return visible;
    }
    JoinResult join(const AccessPoint& ap, std::string_view psk) override {
        joins.push_back(ap.bssid);
        const auto it = passwords.find(ap.ssid);
        if (it == passwords.end() || it->second != psk) {
            return {JoinOutcome::authentication_failed, "", "4-way handshake timed out"};
        }
        return {JoinOutcome::joined, "192.168.1.23", ""};
    }

    std::vector<AccessPoint> visible;
    std::map<std::string, std::string> passwords;
    std::vector<std::string> joins; // BSSIDs tried
    int scans = 0;
};

AccessPoint ap(std::string ssid, std::string bssid, int rssi, WifiBand band = WifiBand::ghz_2_4,
               int channel = 6, WifiSecurity security = WifiSecurity::wpa2_psk) {
    return AccessPoint{std::move(ssid), std::move(bssid), band, channel, security, rssi};
}

WifiNetworkConfig net(std::string ssid, std::string psk, NetworkSource source) {
    return WifiNetworkConfig{std::move(ssid), std::move(psk), source};
}

WifiConfig w100() {
    return WifiConfig{};
} // 2.4 GHz only
WifiConfig w120() {
    Capabilities caps;
    caps.wifi_5ghz = true;
    return wifi_config_for(caps);
}

} // namespace

BOOST_AUTO_TEST_SUITE(wifi_manager)

BOOST_AUTO_TEST_CASE(app_beats_user_beats_profile) {
    FakeRadio radio;
    radio.visible = {ap("Depot", "00:00:00:00:00:01", -40), ap("Home", "00:00:00:00:00:02", -70),
                     ap("Phone", "00:00:00:00:00:03", -80)};
    radio.passwords = {{"Depot", "depot-pass"}, {"Home", "home-pass"}, {"Phone", "phone-pass"}};
    WifiManager wifi(radio, w100());
    Millis now{0};
    // Listed lowest priority last on purpose: the order of the list must not decide.
    BOOST_TEST(wifi.set_networks({net("Phone", "phone-pass", NetworkSource::App),
                                  net("Home", "home-pass", NetworkSource::User),
                                  net("Depot", "depot-pass", NetworkSource::Profile)},
                                 now)
                   .empty());
    wifi.power(true, now);
    BOOST_TEST(wifi.status().state == WifiState::connected, wifi.status().reason);
    BOOST_TEST(wifi.status().ssid == "Phone"); // weakest signal, highest priority
    BOOST_TEST(holds(wifi.status().source, NetworkSource::App));

    wifi.set_networks({net("Home", "home-pass", NetworkSource::User),
                       net("Depot", "depot-pass", NetworkSource::Profile)},
                      now);
    wifi.advance(now);
    BOOST_TEST(wifi.status().ssid == "Home");

    wifi.set_networks({net("Depot", "depot-pass", NetworkSource::Profile)}, now);
    wifi.advance(now);
    BOOST_TEST(wifi.status().ssid == "Depot");

    // Same SSID from two sources: the app's PSK wins over the profile's stale one.
    radio.joins.clear();
    wifi.set_networks({net("Depot", "old-pass-1", NetworkSource::Profile),
                       net("Depot", "depot-pass", NetworkSource::App)},
                      now);
    wifi.on_link_lost(now);
    BOOST_TEST(wifi.icon() == (WifiIcon{WifiIconKind::searching, 0}));
    wifi.advance(now);
    BOOST_TEST(wifi.status().state == WifiState::connected, wifi.status().reason);
    BOOST_TEST(radio.joins.size() == 1u);
    BOOST_TEST(holds(wifi.status().source, NetworkSource::App));
}

BOOST_AUTO_TEST_CASE(five_ghz_only_network_needs_a_5ghz_model) {
    FakeRadio radio;
    radio.visible = {ap("Station", "00:00:00:00:05:01", -50, WifiBand::ghz_5, 36)};
    radio.passwords = {{"Station", "station-pass"}};

    WifiManager narrow(radio, w100());
    narrow.set_networks({net("Station", "station-pass", NetworkSource::Profile)}, 0ms);
    narrow.power(true, 0ms);
    BOOST_TEST(narrow.status().state == WifiState::error);
    BOOST_TEST(narrow.status().reason.starts_with("5 GHz not supported"), narrow.status().reason);
    BOOST_TEST(radio.joins.empty());

    WifiManager wide(radio, w120());
    wide.set_networks({net("Station", "station-pass", NetworkSource::Profile)}, 0ms);
    wide.power(true, 0ms);
    BOOST_TEST(wide.status().state == WifiState::connected, wide.status().reason);
    BOOST_TEST(holds(wide.status().band, WifiBand::ghz_5));
    BOOST_TEST(wide.status().channel == 36);
}

BOOST_AUTO_TEST_CASE(only_wpa2_is_accepted) {
    FakeRadio radio;
    radio.visible = {
        ap("Cafe", "00:00:00:00:0c:01", -40, WifiBand::ghz_2_4, 1, WifiSecurity::wep),
        ap("New", "00:00:00:00:0c:02", -40, WifiBand::ghz_2_4, 1, WifiSecurity::wpa3_sae)};
    radio.passwords = {{"Cafe", "cafe-pass"}, {"New", "new-pass1"}};
    WifiManager wifi(radio, w100());
    wifi.set_networks({net("Cafe", "cafe-pass", NetworkSource::User),
                       net("New", "new-pass1", NetworkSource::Profile)},
                      0ms);
    wifi.power(true, 0ms);
    BOOST_TEST(wifi.status().state == WifiState::error);
    BOOST_TEST(contains(wifi.status().reason, "'Cafe'"), wifi.status().reason);
    BOOST_TEST(contains(wifi.status().reason, "uses WEP, only WPA2-PSK is accepted"),
               wifi.status().reason);
    BOOST_TEST(radio.joins.empty());
    BOOST_TEST(!security_acceptable(WifiSecurity::open));
    BOOST_TEST(!security_acceptable(WifiSecurity::wpa3_sae));

    // Configuring an open network or an impossible passphrase is refused up front.
    const auto refused = wifi.set_networks({net("Open", "", NetworkSource::App),
                                            net("Short", "1234567", NetworkSource::App),
                                            net("Fine", "12345678", NetworkSource::App)},
                                           0ms);
    BOOST_TEST_REQUIRE(refused.size() == 2u);
    BOOST_TEST(contains(refused[0], "'Open'"), refused[0]);
    BOOST_TEST(contains(refused[0], "only WPA2-PSK"), refused[0]);
    BOOST_TEST(contains(refused[1], "8-63 characters"), refused[1]);
}

BOOST_AUTO_TEST_CASE(strongest_bssid_is_chosen) {
    FakeRadio radio;
    radio.visible = {ap("Office", "00:00:00:00:00:a1", -70), ap("Office", "00:00:00:00:00:a2", -50),
                     ap("Office", "00:00:00:00:00:a3", -60, WifiBand::ghz_2_4, 13),
                     ap("Office", "00:00:00:00:00:a4", -30, WifiBand::ghz_5, 40)};
    radio.passwords = {{"Office", "office-pass"}};
    WifiManager wifi(radio, w100()); // the -30 dBm BSS is on 5 GHz: not for a W100
    wifi.set_networks({net("Office", "office-pass", NetworkSource::Profile)}, 0ms);
    wifi.power(true, 0ms);
    const auto& s = wifi.status();
    BOOST_TEST(s.state == WifiState::connected, s.reason);
    BOOST_TEST(radio.joins == std::vector<std::string>{"00:00:00:00:00:a2"});
    BOOST_TEST(s.bssid == "00:00:00:00:00:a2");
    BOOST_TEST(holds(s.rssi_dbm, -50));
    BOOST_TEST(s.auth == "WPA2-PSK");
    BOOST_TEST(s.ipv4 == "192.168.1.23");
    BOOST_TEST(s.bars == 4);
    BOOST_TEST(wifi.icon() == (WifiIcon{WifiIconKind::bars, 4}));
    BOOST_TEST(wifi_signal_bars(-55) == 4);
    BOOST_TEST(wifi_signal_bars(-56) == 3);
    BOOST_TEST(wifi_signal_bars(-89) == 0);

    // Europe's channel 13 counts; channel 14 does not.
    radio.visible = {ap("Office", "00:00:00:00:00:a3", -60, WifiBand::ghz_2_4, 13)};
    wifi.on_link_lost(1s);
    wifi.advance(1s);
    BOOST_TEST(wifi.status().channel == 13);
    radio.visible = {ap("Office", "00:00:00:00:00:a5", -60, WifiBand::ghz_2_4, 14)};
    wifi.on_link_lost(2s);
    wifi.advance(2s);
    BOOST_TEST(wifi.status().state == WifiState::error);
    BOOST_TEST(wifi.status().reason.starts_with("channel not allowed"), wifi.status().reason);
}

BOOST_AUTO_TEST_CASE(nothing_joinable_shows_red_and_retries) {
    FakeRadio radio;
    radio.passwords = {{"Depot", "depot-pass"}};
    WifiManager wifi(radio, w100());
    BOOST_TEST(wifi.icon() == (WifiIcon{WifiIconKind::off, 0}));
    wifi.power(true, 0ms);
    BOOST_TEST(wifi.status().reason == "no Wi-Fi network configured");

    wifi.set_networks({net("Depot", "depot-pass", NetworkSource::Profile)}, 0ms);
    wifi.advance(0ms);
    BOOST_TEST(wifi.status().state == WifiState::error);
    BOOST_TEST(wifi.status().reason == "no configured network visible");
    BOOST_TEST(wifi.icon() == (WifiIcon{WifiIconKind::error, 0}));
    BOOST_TEST(holds(wifi.next_deadline(), wifi_retry_period));

    radio.visible = {ap("Depot", "00:00:00:00:00:d1", -80)};
    wifi.advance(wifi_retry_period - 1ms); // not due yet: no scan
    BOOST_TEST(wifi.status().state == WifiState::error);
    wifi.advance(wifi_retry_period);
    BOOST_TEST(wifi.status().state == WifiState::connected, wifi.status().reason);
    BOOST_TEST(wifi.icon() == (WifiIcon{WifiIconKind::bars, 1}));

    // Connected: a refresh updates the RSSI.
    radio.visible = {ap("Depot", "00:00:00:00:00:d1", -60)};
    wifi.advance(wifi_retry_period + wifi_refresh_period);
    BOOST_TEST(wifi.status().bars == 3);

    wifi.power(false, 0ms);
    BOOST_TEST(wifi.icon() == (WifiIcon{WifiIconKind::off, 0}));
    BOOST_TEST(!wifi.next_deadline().has_value());
}

BOOST_AUTO_TEST_CASE(authentication_failure_falls_back_then_reports) {
    FakeRadio radio;
    radio.visible = {ap("Phone", "00:00:00:00:00:f1", -50), ap("Depot", "00:00:00:00:00:f2", -50)};
    radio.passwords = {{"Phone", "right-pass"}, {"Depot", "depot-pass"}};
    WifiManager wifi(radio, w100());
    wifi.set_networks({net("Phone", "wrong-pass", NetworkSource::App),
                       net("Depot", "depot-pass", NetworkSource::Profile)},
                      0ms);
    wifi.power(true, 0ms);
    BOOST_TEST(wifi.status().state == WifiState::connected);
    BOOST_TEST(wifi.status().ssid == "Depot");

    wifi.set_networks({net("Phone", "wrong-pass", NetworkSource::App)}, 0ms);
    wifi.on_link_lost(0ms);
    wifi.advance(0ms);
    BOOST_TEST(wifi.status().state == WifiState::error);
    BOOST_TEST(wifi.status().reason.starts_with("authentication failed on 'Phone'"),
               wifi.status().reason);
    BOOST_TEST(wifi.icon() == (WifiIcon{WifiIconKind::error, 0}));
}

BOOST_AUTO_TEST_SUITE_END()
