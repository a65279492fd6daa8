// The fixture instruments' line protocols (fixtures/PROTOCOL.md) as pure
// functions: the shared field reader, every instrument's commands and replies
// (round trips, replies written as a real instrument would send them, every
// field missing, malformed or out of range), and bwc-emu's ports file as the
// fixture emulator program reads it.
#include "fixtures/actuator/protocol.hpp"
#include "fixtures/bayinst/protocol.hpp"
#include "fixtures/common/emulator_ports_file.hpp"
#include "fixtures/common/fields.hpp"
#include "fixtures/gnss/protocol.hpp"
#include "fixtures/psu/protocol.hpp"
#include "fixtures/rfbox/protocol.hpp"
#include "fixtures/thermal/protocol.hpp"

#include <boost/test/unit_test.hpp>
#include <functional>
#include <map>

using namespace bwc::fixtures;

namespace {

/// `payload` with the value of `key` replaced (or the key removed when
/// `value` is nullopt); the key must be there.
std::string with_field(const std::string& payload, const std::string& key,
                       const std::optional<std::string>& value) {
    const std::string needle = key + "=";
    std::size_t at = payload.rfind(" " + needle);
    at = at == std::string::npos ? (payload.rfind(needle, 0) == 0 ? 0 : std::string::npos) : at + 1;
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no " << key << "= in " << payload);
    const std::size_t end = payload.find(' ', at);
    std::string out = payload.substr(0, at);
    if (value)
        out += needle + *value;
    if (end != std::string::npos)
        out += value ? payload.substr(end) : payload.substr(end + 1);
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

/// Every key of a good reply, removed and then given each bad value, must make
/// the parser fail with an error that names the key.
template <class Parse>
void check_every_field(const std::string& good, Parse parse,
                       const std::map<std::string, std::vector<std::string>>& bad_values) {
    BOOST_TEST_CONTEXT("good reply " << good) {
        BOOST_REQUIRE(parse(good));
        for (const auto& [key, values] : bad_values) {
            const std::string missing = with_field(good, key, std::nullopt);
            const auto without = parse(missing);
            BOOST_TEST_CONTEXT("without " << key << ": " << missing) {
                BOOST_REQUIRE(!without);
                BOOST_TEST(without.error().message.find(key) != std::string::npos,
                           without.error().message);
            }
            for (const std::string& value : values) {
                const std::string bad = with_field(good, key, value);
                const auto parsed = parse(bad);
                BOOST_TEST_CONTEXT(bad) {
                    BOOST_REQUIRE(!parsed);
                    BOOST_TEST(parsed.error().message.find(key) != std::string::npos,
                               parsed.error().message);
                }
            }
        }
    }
}

const std::vector<std::string> kNotWhole{"abc", "", "1.5", "+1", "0x10", "1e3", "\"\""};
const std::vector<std::string> kNotFlag{"2", "-1", "yes", "", "true"};

template <class Parse>
FieldError command_error(Parse parse, const std::string& line) {
    auto parsed = parse(line);
    BOOST_TEST_REQUIRE(!parsed, "'" << line << "' parsed");
    return parsed.error();
}

} // namespace

BOOST_AUTO_TEST_SUITE(fixture_fields)

BOOST_AUTO_TEST_CASE(decimals_are_strict) {
    for (const char* good : {"0", "41", "-40", "41.5", "-0.25", "59.3293230"})
        BOOST_TEST(parse_decimal(good).has_value(), good);
    BOOST_TEST(*parse_decimal("-0.25") == -0.25);
    for (const char* bad :
         {"", "-", "+1", "1.", ".5", "1e3", "nan", "inf", " 1", "1 ", "0x1", "1,5", "--1", "1.2.3"})
        BOOST_TEST(!parse_decimal(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(decimals_are_written_short_and_read_back) {
    BOOST_TEST(format_decimal(41.5, 2) == "41.5");
    BOOST_TEST(format_decimal(41.0, 2) == "41");
    BOOST_TEST(format_decimal(-0.0, 2) == "0");
    BOOST_TEST(format_decimal(1.0 / 3.0, 2) == "0.33");
    BOOST_TEST(format_decimal(-12.3456789, 7) == "-12.3456789");
    // Huge values are written out in full, never cut to a wrong number.
    BOOST_TEST(format_decimal(1e300, 2).size() == 301u);
    for (double v : {0.0, 25.0, -39.75, 84.99, 12.5})
        BOOST_TEST(*parse_decimal(format_decimal(v, 2)) == v);
}

BOOST_AUTO_TEST_CASE(words_are_quoted_only_when_needed_and_come_back_whole) {
    BOOST_TEST(quote_word("plain") == "plain");
    for (const std::string text : {"Bench AP", "a\"b", "back\\slash", "k=v", ""}) {
        const std::string line = "X key=" + quote_word(text) + " " + quote_word(text);
        auto fields = Fields::parse(line);
        BOOST_TEST_REQUIRE(fields.ok(), line);
        BOOST_TEST(fields->text_or_empty("key") == text);
        BOOST_TEST(fields->word_count() == 2u);
        BOOST_TEST(fields->words()[1] == text);
    }
}

BOOST_AUTO_TEST_CASE(the_first_problem_is_kept_and_names_its_field) {
    Fields f = *Fields::parse_reply("a=1 b=x c=");
    BOOST_TEST(f.integer("a", 0, 5) == 1);
    f.integer("b", 0, 5);
    f.integer("c", 0, 5);
    f.integer("d", 0, 5);
    BOOST_REQUIRE(f.problem());
    BOOST_TEST(f.problem()->field == "b");
    BOOST_TEST(f.problem()->message == "b wants a whole number, got 'x'");
    BOOST_TEST(!f.result(0).ok());
}

BOOST_AUTO_TEST_CASE(unknown_and_empty_values_are_told_apart) {
    Fields f = *Fields::parse_reply("set= known=3");
    BOOST_TEST(!f.integer_or_unknown("set", 0, 5).has_value());
    BOOST_TEST(*f.integer_or_unknown("known", 0, 5) == 3);
    BOOST_TEST(!f.problem());
    BOOST_TEST(!f.optional_integer("absent", 0, 5).has_value());
    BOOST_TEST(!f.problem());
    f.integer_or_unknown("absent", 0, 5); // a reply must carry the key
    BOOST_REQUIRE(f.problem());
    BOOST_TEST((f.problem()->kind == FieldError::Kind::Missing));
}

BOOST_AUTO_TEST_CASE(malformed_lines_are_errors_not_throws) {
    BOOST_TEST(!Fields::parse("X \"open").ok());
    BOOST_TEST(!Fields::parse("X a=1 a=2").ok());
    BOOST_TEST(!Fields::parse_reply("bare a=1").ok());
    BOOST_TEST(Fields::parse_reply("").ok()); // a bare OK carries no fields
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixture_protocol)

BOOST_AUTO_TEST_CASE(actuator_commands_round_trip_and_bad_ones_name_the_argument) {
    using namespace actuator;
    for (const Request& r :
         std::vector<Request>{Press{Button::Record, 3150}, Down{Button::Top}, Up{Button::Function},
                              DoublePress{Button::Top, 100, 250}})
        BOOST_TEST((*parse_request(format_request(r)) == r), format_request(r));
    BOOST_TEST(format_request(Press{Button::Power, 300}) == "PRESS power 300");
    BOOST_TEST((*parse_request("press record 1") == Request{Press{Button::Record, 1}}));
    const auto parse = [](const std::string& l) { return parse_request(l); };
    BOOST_TEST((command_error(parse, "PRESS").kind == FieldError::Kind::Missing));
    BOOST_TEST(command_error(parse, "PRESS record").field == "ms");
    BOOST_TEST(command_error(parse, "PRESS record x").field == "ms");
    BOOST_TEST(command_error(parse, "PRESS record 0").field == "ms");
    BOOST_TEST(command_error(parse, "PRESS record 600001").field == "ms");
    BOOST_TEST(command_error(parse, "PRESS Record 100").field == "button");
    BOOST_TEST(command_error(parse, "PRESS record 100 more").message.find("more") !=
               std::string::npos);
    BOOST_TEST(command_error(parse, "PRESS record 100 force=3").field == "force");
    BOOST_TEST(command_error(parse, "DOUBLE top 100").field == "gap_ms");
    BOOST_TEST(command_error(parse, "DOUBLE top 100 10001").field == "gap_ms");
    BOOST_TEST((command_error(parse, "TWIST top").kind == FieldError::Kind::UnknownCommand));
    BOOST_TEST((command_error(parse, "").kind == FieldError::Kind::Missing));
}

BOOST_AUTO_TEST_CASE(actuator_replies) {
    using namespace actuator;
    const auto press = parse_press_reply("closed_at_ms=1040 press_ms=3150");
    BOOST_REQUIRE(press);
    BOOST_TEST(press->closed_at_ms == 1040);
    BOOST_TEST(press->press_ms == 3150);
    BOOST_TEST(parse_press_reply("closed_at_ms=1 press_ms=2 force_n=4").ok()); // newer field
    const auto up = parse_up_reply("opened_at_ms=900 press_ms=");
    BOOST_REQUIRE(up);
    BOOST_TEST(!up->press_ms.has_value());
    BOOST_TEST((*parse_double_press_reply(format_reply(DoublePressReply{5, 100, 250, 101})) ==
                DoublePressReply{5, 100, 250, 101}));
    BOOST_TEST((*parse_down_reply(format_reply(DownReply{77})) == DownReply{77}));
    BOOST_TEST((*parse_up_reply(format_reply(UpReply{8, 3})) == UpReply{8, 3}));
    auto bad_ms = kNotWhole;
    bad_ms.push_back("-1");
    check_every_field("closed_at_ms=1040 press_ms=3150", parse_press_reply,
                      {{"closed_at_ms", bad_ms}, {"press_ms", bad_ms}});
    check_every_field("closed_at_ms=1 press_ms=100 gap_ms=250 second_press_ms=100",
                      parse_double_press_reply,
                      {{"closed_at_ms", bad_ms},
                       {"press_ms", bad_ms},
                       {"gap_ms", bad_ms},
                       {"second_press_ms", bad_ms}});
    check_every_field("opened_at_ms=3 press_ms=2", parse_up_reply,
                      {{"opened_at_ms", bad_ms}, {"press_ms", {"x", "-5"}}});
    check_every_field("closed_at_ms=3", parse_down_reply, {{"closed_at_ms", bad_ms}});
}

BOOST_AUTO_TEST_CASE(thermal_commands_and_replies) {
    using namespace thermal;
    BOOST_TEST((*parse_request(format_request(Set{41.5})) == Request{Set{41.5}}));
    BOOST_TEST((*parse_request("read") == Request{Read{}}));
    const auto parse = [](const std::string& l) { return parse_request(l); };
    BOOST_TEST((command_error(parse, "SET").kind == FieldError::Kind::Missing));
    BOOST_TEST(command_error(parse, "SET 85.01").field == "celsius");
    BOOST_TEST(command_error(parse, "SET -40.5").field == "celsius");
    BOOST_TEST(command_error(parse, "SET warm").field == "celsius");
    BOOST_TEST(command_error(parse, "READ now").message.find("now") != std::string::npos);

    const auto r = parse_reading("setpoint_c=41 temp_c=40.75 settled=0");
    BOOST_REQUIRE(r);
    BOOST_TEST(*r->setpoint_c == 41.0);
    BOOST_TEST(r->temp_c == 40.75);
    BOOST_TEST(!r->settled);
    BOOST_TEST(!parse_reading("setpoint_c= temp_c=25 settled=0")->setpoint_c.has_value());
    const Reading sample{-12.25, -12.5, true};
    BOOST_TEST((*parse_reading(format_reply(sample)) == sample));
    check_every_field("setpoint_c=41 temp_c=40.75 settled=1", parse_reading,
                      {{"setpoint_c", {"x", "86", "1e2"}},
                       {"temp_c", {"", "x", "150.5", "-80.01", "nan"}},
                       {"settled", kNotFlag}});
    check_every_field("setpoint_c=41", parse_set_reply, {{"setpoint_c", {"", "-41", "hot"}}});
}

BOOST_AUTO_TEST_CASE(psu_commands_and_replies) {
    using namespace psu;
    for (const Request& r :
         std::vector<Request>{Output{true}, Output{false}, Voltage{5000}, Limit{1500}, Read{}})
        BOOST_TEST((*parse_request(format_request(r)) == r), format_request(r));
    BOOST_TEST((*parse_request("output off") == Request{Output{false}}));
    const auto parse = [](const std::string& l) { return parse_request(l); };
    BOOST_TEST(command_error(parse, "OUTPUT maybe").field == "state");
    BOOST_TEST(command_error(parse, "VOLTAGE 20001").field == "mv");
    BOOST_TEST(command_error(parse, "VOLTAGE 5.0").field == "mv");
    BOOST_TEST(command_error(parse, "LIMIT -1").field == "ma");
    BOOST_TEST((command_error(parse, "LIMIT").kind == FieldError::Kind::Missing));

    const auto r = parse_reading("output=1 set_mv=5000 limit_ma=100 voltage_mv=500 current_ma=100 "
                                 "mode=cc");
    BOOST_REQUIRE(r);
    BOOST_TEST((r->mode == Mode::ConstantCurrent));
    BOOST_TEST(r->settings.limit_ma == 100);
    const Reading sample{{true, 5000, 2000}, 4990, 812, Mode::ConstantVoltage};
    BOOST_TEST((*parse_reading(format_reply(sample)) == sample));
    check_every_field("output=1 set_mv=5000 limit_ma=3000 voltage_mv=5000 current_ma=1000 mode=cv",
                      parse_reading,
                      {{"output", kNotFlag},
                       {"set_mv", {"x", "20001", "-5"}},
                       {"limit_ma", {"", "5001"}},
                       {"voltage_mv", {"5.0", "20001"}},
                       {"current_ma", {"-1", "a"}},
                       {"mode", {"", "CV", "auto"}}});
    // An off output carrying current is a contradiction, not a reading.
    const auto off =
        parse_reading("output=0 set_mv=5000 limit_ma=3000 voltage_mv=0 current_ma=12 mode=off");
    BOOST_REQUIRE(!off);
    BOOST_TEST(off.error().field == "mode");
    check_every_field("output=0 set_mv=5000 limit_ma=3000", parse_settings,
                      {{"output", kNotFlag}, {"set_mv", kNotWhole}, {"limit_ma", kNotWhole}});
}

BOOST_AUTO_TEST_CASE(gnss_commands_and_replies) {
    using namespace gnss;
    Scenario full{59.3293235, 18.0685808, 28.5, "2024-06-01T12:30:00", 8, 42.5, std::nullopt};
    Scenario weak{-33.8688,     151.2093,     std::nullopt, std::nullopt,
                  std::nullopt, std::nullopt, -135.5};
    for (const Request& r :
         std::vector<Request>{full, weak, Replay{"ublox-8.log"}, Off{}, StatusQuery{}})
        BOOST_TEST((*parse_request(format_request(r)) == r), format_request(r));
    const auto parse = [](const std::string& l) { return parse_request(l); };
    BOOST_TEST(command_error(parse, "SCENARIO lon=1").field == "lat");
    BOOST_TEST(command_error(parse, "SCENARIO lat=91 lon=1").field == "lat");
    BOOST_TEST(command_error(parse, "SCENARIO lat=1 lon=1 sats=13").field == "sats");
    BOOST_TEST(command_error(parse, "SCENARIO lat=1 lon=1 cn0=40 level=-130").field == "level");
    BOOST_TEST(command_error(parse, "SCENARIO lat=1 lon=1 sats=4 level=-130").field == "sats");
    BOOST_TEST(command_error(parse, "SCENARIO lat=1 lon=1 utc=2024-13-01T00:00:00").field == "utc");
    BOOST_TEST(command_error(parse, "SCENARIO lat=1 lon=1 utc=2024-06-01 12:00:00").field == "");
    BOOST_TEST(command_error(parse, "SCENARIO lat=1 lon=1 utc=1979-12-31T23:59:59").field == "utc");
    BOOST_TEST(command_error(parse, "SCENARIO lat=1 lon=1 speed=3").field == "speed");
    BOOST_TEST(command_error(parse, "REPLAY ../etc/passwd").field == "log");
    BOOST_TEST(command_error(parse, "REPLAY .hidden").field == "log");
    BOOST_TEST((command_error(parse, "REPLAY").kind == FieldError::Kind::Missing));

    const Status scenario{Mode::Scenario, full, std::nullopt, std::nullopt};
    const Status replay{Mode::Replay, std::nullopt, "neo-m8n.log", 120};
    for (const Status& s : {scenario, replay, Status{}})
        BOOST_TEST((*parse_status(format_reply(s)) == s), format_reply(s));
    const std::string good_scenario =
        "mode=scenario lat=59.3 lon=18.1 alt=20 utc=2024-06-01T12:30:00 sats=8 cn0=40 "
        "level_dbm= log= epochs=";
    check_every_field(good_scenario, parse_status,
                      {{"mode", {"", "sky"}},
                       {"lat", {"", "x", "90.1"}},
                       {"lon", {"", "-180.5"}},
                       {"alt", {"50001", "high"}},
                       {"utc", {"2024-06-01", "2024-06-01T25:00:00"}},
                       {"sats", {"13", "-1"}},
                       {"cn0", {"100", "x"}},
                       {"level_dbm", {"-120", "1"}},
                       {"log", {"ublox-8.log"}},
                       {"epochs", {"3", "-1"}}});
    check_every_field("mode=replay lat= lon= alt= utc= sats= cn0= level_dbm= log=ublox-8.log "
                      "epochs=73",
                      parse_status,
                      {{"lat", {"1"}}, {"log", {"", "a/b"}}, {"epochs", {"x", "-2"}}});
}

BOOST_AUTO_TEST_CASE(rfbox_commands_fill_in_the_protocols_defaults) {
    using namespace rfbox;
    const auto ap = parse_request("WIFI ADD ssid=\"Bench AP\" psk=secret123");
    BOOST_REQUIRE(ap);
    const auto& a = std::get<AccessPoint>(*ap);
    BOOST_TEST(a.ssid == "Bench AP");
    BOOST_TEST(a.band == "2.4");
    BOOST_TEST(a.channel == 6);
    BOOST_TEST(a.security == "wpa2");
    BOOST_TEST(a.level_dbm == kDefaultWifiLevelDbm);
    BOOST_TEST(
        std::get<AccessPoint>(*parse_request("WIFI ADD ssid=x psk=12345678 band=5")).channel == 36);
    const AccessPoint open{"Cafe \"guest\"", "", "5", 44, "open", -70};
    const LteCell cell{"310260", 4, -101, "T Mobile"};
    for (const Request& r : std::vector<Request>{open, ClearWifi{}, cell, LteOff{}, StatusQuery{}})
        BOOST_TEST((*parse_request(format_request(r)) == r), format_request(r));
    const auto parse = [](const std::string& l) { return parse_request(l); };
    BOOST_TEST(command_error(parse, "WIFI ADD psk=12345678").field == "ssid");
    BOOST_TEST(command_error(parse, "WIFI ADD ssid=x").field == "psk");
    BOOST_TEST(command_error(parse, "WIFI ADD ssid=x psk=short").field == "psk");
    BOOST_TEST(command_error(parse, "WIFI ADD ssid=x security=open psk=12345678").field == "psk");
    BOOST_TEST(command_error(parse, "WIFI ADD ssid=x psk=12345678 band=5 channel=6").field ==
               "channel");
    BOOST_TEST(command_error(parse, "WIFI ADD ssid=x psk=12345678 band=6").field == "band");
    BOOST_TEST(command_error(parse, "WIFI ADD ssid=x psk=12345678 level=5").field == "level");
    BOOST_TEST(
        command_error(parse, "WIFI ADD ssid=" + std::string(33, 'a') + " psk=12345678").field ==
        "ssid");
    BOOST_TEST(command_error(parse, "LTE plmn=2400").field == "plmn");
    BOOST_TEST(command_error(parse, "LTE plmn=24001 level=-10").field == "level");
    BOOST_TEST(command_error(parse, "LTE").field == "plmn");
    BOOST_TEST((command_error(parse, "WIFI").kind == FieldError::Kind::Missing));
    BOOST_TEST(command_error(parse, "LTE ON").field == "command");

    const Status on{3, LteCell{"24001", 20, -85, std::nullopt}};
    for (const Status& s : {on, Status{}})
        BOOST_TEST((*parse_status(format_reply(s)) == s), format_reply(s));
    check_every_field("aps=2 lte=1 plmn=24001 band=20 level_dbm=-85", parse_status,
                      {{"aps", {"17", "-1", "x"}},
                       {"lte", kNotFlag},
                       {"plmn", {"", "2400", "24a01"}},
                       {"band", {"", "256", "0"}},
                       {"level_dbm", {"", "-141", "-19"}}});
    check_every_field("aps=0 lte=0 plmn= band= level_dbm=", parse_status,
                      {{"plmn", {"24001"}}, {"band", {"20"}}, {"level_dbm", {"-85"}}});
}

BOOST_AUTO_TEST_CASE(bayinst_commands_and_replies) {
    using namespace bayinst;
    BOOST_TEST((*parse_request(format_request(Measure{3, 500})) == Request{Measure{3, 500}}));
    BOOST_TEST((*parse_request("MEASURE 8") == Request{Measure{8, 0}}));
    const auto parse = [](const std::string& l) { return parse_request(l); };
    BOOST_TEST((command_error(parse, "MEASURE").kind == FieldError::Kind::Missing));
    BOOST_TEST(command_error(parse, "MEASURE 0").field == "bay");
    BOOST_TEST(command_error(parse, "MEASURE 65").field == "bay");
    BOOST_TEST(command_error(parse, "MEASURE 1 load_ma=3001").field == "load_ma");
    BOOST_TEST(command_error(parse, "MEASURE 1 load=1").field == "load");

    const std::string good = "bay=2 present=1 vbus_mohm=21 gnd_mohm=20000 dp_mohm=19 dm_mohm=20 "
                             "id_mohm=22 vbus_mv=4960 load_ma=500 charge_ma=1200 link=1";
    const auto m = parse_measurement(good);
    BOOST_REQUIRE(m);
    BOOST_TEST(m->pins_mohm[1] == 20000);
    BOOST_TEST(m->vbus_mv == 4960);
    BOOST_TEST((*parse_measurement(format_reply(*m)) == *m));
    auto bad_mohm = kNotWhole;
    bad_mohm.push_back("1000000001");
    check_every_field(good, parse_measurement,
                      {{"bay", {"0", "65", "x"}},
                       {"present", kNotFlag},
                       {"vbus_mohm", bad_mohm},
                       {"gnd_mohm", bad_mohm},
                       {"dp_mohm", bad_mohm},
                       {"dm_mohm", bad_mohm},
                       {"id_mohm", bad_mohm},
                       {"vbus_mv", {"30001", "-1", "4.9"}},
                       {"load_ma", {"3001"}},
                       {"charge_ma", {"10001", "a"}},
                       {"link", kNotFlag}});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixture_emu_ports_file)

BOOST_AUTO_TEST_CASE(reads_cameras_in_order_and_the_docks) {
    const auto ports = parse_emu_ports(
        R"({"cameras":[{"serial":"SN1","model":"W120","diag":7100,"physical":7101,"nmea":7102},
                       {"serial":"SN2","model":"W100","diag":7110,"physical":7111,"nmea":7112}],
            "docks":[{"serial":"D1","model":"W701","port":7120,"bays":["SN1","SN2",null]}]})",
        "ports.json");
    BOOST_REQUIRE_MESSAGE(ports, ports.error());
    BOOST_TEST(ports->cameras.size() == 2u);
    BOOST_TEST(ports->cameras[1].serial == "SN2");
    BOOST_TEST(ports->cameras[1].physical == 7111);
    BOOST_TEST(ports->docks.at(0).port == 7120);
    BOOST_TEST(parse_emu_ports(R"({"cameras":[]})", "p")->docks.empty());
}

BOOST_AUTO_TEST_CASE(every_problem_names_the_file_and_what_is_wrong) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "not JSON"},
        {"[1,2]", "is not a JSON object"},
        {R"({"docks":[]})", "no \"cameras\""},
        {R"({"cameras":[{"serial":"SN1"}]})", "cameras[0] has no \"physical\" port"},
        {R"({"cameras":[{"serial":"SN1","physical":70000}]})", "not a port 1-65535"},
        {R"({"cameras":[{"serial":"SN1","physical":"7101"}]})", "\"physical\" as \"7101\""},
        {R"({"cameras":[{"physical":7101}]})", "cameras[0] has no \"serial\""},
        {R"({"cameras":[{"serial":"A","physical":1},{"serial":"A","physical":2}]})",
         "cameras[1] repeats serial 'A'"},
        {R"({"cameras":[3]})", "cameras[0] is not an object"},
        {R"({"cameras":[],"docks":{}})", "\"docks\" is not an array"},
        {R"({"cameras":[],"docks":[{"serial":"D1"}]})", "docks[0] has no \"port\""},
    };
    for (const auto& [text, expected] : cases) {
        const auto parsed = parse_emu_ports(text, "/tmp/emu-ports.json");
        BOOST_TEST_CONTEXT(text) {
            BOOST_REQUIRE(!parsed);
            BOOST_TEST(parsed.error().find("/tmp/emu-ports.json") != std::string::npos,
                       parsed.error());
            BOOST_TEST(parsed.error().find(expected) != std::string::npos, parsed.error());
        }
    }
    const auto missing = read_emu_ports("/nonexistent/ports.json");
    BOOST_REQUIRE(!missing);
    BOOST_TEST(missing.error().find("/nonexistent/ports.json") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
