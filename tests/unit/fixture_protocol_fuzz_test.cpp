// Robustness of the fixture protocols and emulated instruments: thousands of
// random and mutated reply lines into every reply parser, and random and
// mutated command lines into every emulated instrument, whose bwc-emu ports
// are in-process scripted ports that sometimes answer garbage. Never a crash:
// always a value or an error naming the field; an instrument's OK reply always
// parses with its driver's parser, and it refuses exactly what its protocol
// refuses. Also: the drivers never send a command their protocol refuses.
#include "bench/transport/transport.hpp"
#include "fixtures/actuator/driver.hpp"
#include "fixtures/actuator/emulator.hpp"
#include "fixtures/bayinst/driver.hpp"
#include "fixtures/bayinst/emulator.hpp"
#include "fixtures/common/emulator_support.hpp"
#include "fixtures/gnss/driver.hpp"
#include "fixtures/gnss/emulator.hpp"
#include "fixtures/psu/driver.hpp"
#include "fixtures/psu/emulator.hpp"
#include "fixtures/rfbox/driver.hpp"
#include "fixtures/rfbox/emulator.hpp"
#include "fixtures/thermal/driver.hpp"
#include "fixtures/thermal/emulator.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <deque>
#include <functional>
#include <random>
#include <set>

using namespace bwc;
using namespace bwc::fixtures;

namespace {

using Rng = std::mt19937_64;

/// A device port inside the test: a banner on open, `OK <protocol> 1` to
/// HELLO, and `answer(line)` to every other command. No reply pending reads
/// as a closed connection (so an answer that is only an EVT line loses the
/// device, as a silent one would, and the client reconnects).
class ScriptedPort final : public bench::Transport {
public:
    using Answer = std::function<std::string(const std::string& line)>;
    ScriptedPort(std::string protocol, Answer answer, std::vector<std::string>* sent = nullptr)
        : protocol_(std::move(protocol)), answer_(std::move(answer)), sent_(sent) {}

    bench::Status open() override {
        open_ = true;
        pending_ = {protocol_ + " 1 model=FAKE serial=FAKE1"};
        return bench::ok_status();
    }
    bench::Status write_line(std::string_view line) override {
        if (!open_)
            return bench::Status::failure(error(bench::TransportError::Kind::Closed, "not open"));
        if (sent_)
            sent_->emplace_back(line);
        const std::string reply =
            line.starts_with("HELLO ") ? "OK " + protocol_ + " 1" : answer_(std::string(line));
        std::size_t start = 0;
        for (std::size_t nl; (nl = reply.find('\n', start)) != std::string::npos; start = nl + 1)
            pending_.push_back(reply.substr(start, nl - start));
        pending_.push_back(reply.substr(start));
        return bench::ok_status();
    }
    bench::Result<std::string, bench::TransportError> read_line(bench::Millis) override {
        if (!open_ || pending_.empty())
            return bench::Result<std::string, bench::TransportError>::failure(
                error(bench::TransportError::Kind::Closed, "no reply"));
        std::string line = std::move(pending_.front());
        pending_.pop_front();
        return line;
    }
    void close() override {
        open_ = false;
        pending_.clear();
    }
    std::string describe() const override { return "fake://" + protocol_; }

private:
    std::string protocol_;
    Answer answer_;
    std::vector<std::string>* sent_;
    bool open_ = false;
    std::deque<std::string> pending_;
};

std::unique_ptr<bench::DeviceClient> scripted_client(std::string protocol,
                                                     ScriptedPort::Answer answer,
                                                     std::vector<std::string>* sent = nullptr) {
    bench::ClientOptions options;
    options.reply_timeout = bench::Millis{200};
    options.reconnect_backoff = bench::Millis{1};
    return std::make_unique<bench::DeviceClient>(
        std::make_unique<ScriptedPort>(protocol, std::move(answer), sent), protocol, options);
}

// --- random text --------------------------------------------------------------

std::size_t pick(Rng& rng, std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

template <class T>
const T& pick_from(Rng& rng, const std::vector<T>& items) {
    return items[pick(rng, items.size())];
}

bool chance(Rng& rng, double p) {
    return std::uniform_real_distribution<double>(0, 1)(rng) < p;
}

std::string random_bytes(Rng& rng, std::size_t max_len) {
    std::string out(pick(rng, max_len + 1), ' ');
    for (char& c : out)
        c = chance(rng, 0.9) ? static_cast<char>(0x20 + pick(rng, 95))
                             : static_cast<char>(pick(rng, 256));
    return out;
}

const std::vector<std::string> kTricky{"",
                                       "0",
                                       "-0",
                                       "-1",
                                       "1.5",
                                       "1e3",
                                       "nan",
                                       "inf",
                                       "+7",
                                       "99999999999999999999999",
                                       "-9223372036854775808",
                                       "4503599627370497",
                                       "\"\"",
                                       "\"a b\"",
                                       "\"unterminated",
                                       "=",
                                       "x=y",
                                       "\\",
                                       std::string(1, '\0'),
                                       std::string(300, '9')};

/// One random edit of `line`: a character changed, dropped or added, a word
/// dropped, duplicated or swapped, a value replaced by a tricky one.
std::string mutate(Rng& rng, std::string line) {
    switch (pick(rng, 7)) {
    case 0:
        if (!line.empty())
            line[pick(rng, line.size())] = static_cast<char>(pick(rng, 256));
        break;
    case 1:
        if (!line.empty())
            line.erase(pick(rng, line.size()), 1 + pick(rng, 4));
        break;
    case 2:
        line.insert(pick(rng, line.size() + 1), 1, " =\"\\-.09aZ"[pick(rng, 11)]);
        break;
    case 3: { // drop or duplicate a word
        std::vector<std::string> words;
        for (std::size_t at = 0; at <= line.size();) {
            const std::size_t sp = std::min(line.find(' ', at), line.size());
            words.push_back(line.substr(at, sp - at));
            at = sp + 1;
        }
        const std::size_t i = pick(rng, words.size());
        if (chance(rng, 0.5))
            words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
        else
            words.insert(words.begin() + static_cast<std::ptrdiff_t>(pick(rng, words.size())),
                         words[i]);
        line.clear();
        for (const auto& w : words)
            line += (line.empty() ? "" : " ") + w;
        break;
    }
    case 4: { // a value becomes a tricky one
        const std::size_t eq = line.find('=', pick(rng, line.size() + 1));
        if (eq != std::string::npos) {
            const std::size_t end = std::min(line.find(' ', eq), line.size());
            line.replace(eq + 1, end - eq - 1, pick_from(rng, kTricky));
        }
        break;
    }
    case 5:
        line += " " + pick_from(rng, kTricky);
        break;
    default:
        line = line.substr(0, pick(rng, line.size() + 1));
    }
    return line;
}

/// A field error must say something, and name its field when it has one.
void check_error(const FieldError& e, const std::string& line) {
    BOOST_TEST_REQUIRE(!e.message.empty(), "empty message for " << line);
    if (!e.field.empty())
        BOOST_TEST_REQUIRE(e.message.find(e.field) != std::string::npos,
                           "'" << e.message << "' does not name '" << e.field << "' (" << line
                               << ")");
}

// --- the instruments under test ---------------------------------------------------

/// One instrument as the fuzz drives it: how its commands are made, parsed and
/// answered, and its emulator on scripted bwc-emu ports.
struct Subject {
    std::string name;
    std::vector<std::string> samples; // good command lines to mutate
    std::vector<std::string> verbs;   // and words to build random ones from
    std::vector<std::string> keys;
    /// The protocol's own view of a command: nullopt when it refuses it,
    /// else the parser of the reply to it.
    std::function<std::optional<std::function<std::optional<FieldError>(const std::string&)>>(
        const emu::CommandLine&)>
        classify;
    std::unique_ptr<EmulatedInstrument> emulator;
};

template <class Reply>
std::function<std::optional<FieldError>(const std::string&)>
reply_check(Parsed<Reply> (*parse)(std::string_view)) {
    return [parse](const std::string& payload) -> std::optional<FieldError> {
        auto parsed = parse(payload);
        return parsed ? std::nullopt : std::optional<FieldError>(parsed.error());
    };
}

/// What the cameras' physical ports and the dock port answer, and sometimes
/// garbage instead (never to a plain TIME, so the actuator keeps to virtual
/// time and the run stays fast).
struct EmuAnswers {
    Rng rng{20240601};
    std::int64_t now_ms = 0;
    double garbage = 0.25;

    std::string correct(const std::string& line) {
        if (line == "TIME")
            return "OK now_ms=" + std::to_string(now_ms) + " mode=virtual";
        if (line.starts_with("TIME ADVANCE ")) {
            now_ms += std::stoll(line.substr(13));
            return "OK now_ms=" + std::to_string(now_ms);
        }
        if (line == "SUPPLY")
            return "OK external=1 charge_ma=900 system_ma=120 supply_ma=1020";
        if (line.starts_with("GNSS REPLAY"))
            return "OK epochs=73 sentences=365";
        if (line == "BAYS") {
            std::string bays = "[";
            for (int b = 1; b <= 8; ++b)
                bays += std::string(b > 1 ? "," : "") + "{\"bay\":" + std::to_string(b) +
                        ",\"serial\":null,\"present\":true,\"vbus_mv\":5000,\"charge_ma\":800,"
                        "\"link\":true,\"pins\":{\"vbus\":20,\"gnd\":20,\"dp\":20,\"dm\":20,"
                        "\"id\":20}}";
            return "OK " + bays + "]";
        }
        return "OK";
    }
    std::string operator()(const std::string& line) {
        const std::string good = correct(line);
        if (line == "TIME" || !chance(rng, garbage))
            return good;
        switch (pick(rng, 6)) {
        case 0:
            return random_bytes(rng, 80);
        case 1:
            return "ERR not_supported the W100 has no such part";
        case 2:
            return "ERR bad_argument " + random_bytes(rng, 20);
        case 3:
            return "EVT 5 gesture power.press"; // and then nothing: the port is lost
        case 4:
            return good + "\n" + good; // a reply too many
        default:
            return mutate(rng, good);
        }
    }
};

ScriptedPort::Answer shared_answer(const std::shared_ptr<EmuAnswers>& answers) {
    return [answers](const std::string& line) { return (*answers)(line); };
}

std::vector<std::unique_ptr<bench::DeviceClient>>
cameras(const std::shared_ptr<EmuAnswers>& answers, int count) {
    std::vector<std::unique_ptr<bench::DeviceClient>> out;
    for (int i = 0; i < count; ++i)
        out.push_back(scripted_client("BWC-PHYS", shared_answer(answers)));
    return out;
}

template <class Request>
std::optional<Request> protocol_view(const emu::CommandLine& cmd,
                                     Parsed<Request> (*parse)(Fields)) {
    auto request = parse_command<Request>(cmd, parse);
    return request ? std::optional<Request>(*request) : std::nullopt;
}

std::vector<Subject> subjects(const std::shared_ptr<EmuAnswers>& answers) {
    std::vector<Subject> out;
    {
        using namespace actuator;
        Subject s{"actuator",
                  {"PRESS power 300", "DOWN record", "UP record", "DOUBLE top 100 250",
                   "PRESS function 3150"},
                  {"PRESS", "DOWN", "UP", "DOUBLE", "press", "HOLD"},
                  {"ms"},
                  {},
                  {}};
        s.classify = [](const emu::CommandLine& cmd)
            -> std::optional<std::function<std::optional<FieldError>(const std::string&)>> {
            const auto r = protocol_view<Request>(cmd, parse_request);
            if (!r)
                return std::nullopt;
            switch (r->index()) {
            case 0:
                return reply_check(parse_press_reply);
            case 1:
                return reply_check(parse_down_reply);
            case 2:
                return reply_check(parse_up_reply);
            default:
                return reply_check(parse_double_press_reply);
            }
        };
        s.emulator =
            std::make_unique<Emulator>(EmulatorOptions{1, {"SN1", "127.0.0.1", 1}, 40},
                                       scripted_client("BWC-PHYS", shared_answer(answers)));
        out.push_back(std::move(s));
    }
    {
        using namespace thermal;
        Subject s{"thermal", {"SET 41", "READ", "SET -12.5"}, {"SET", "READ"}, {}, {}, {}};
        s.classify = [](const emu::CommandLine& cmd)
            -> std::optional<std::function<std::optional<FieldError>(const std::string&)>> {
            const auto r = protocol_view<Request>(cmd, parse_request);
            if (!r)
                return std::nullopt;
            return r->index() == 0 ? reply_check(parse_set_reply) : reply_check(parse_reading);
        };
        s.emulator =
            std::make_unique<Emulator>(EmulatorOptions{{}, 0.5, 25.0}, cameras(answers, 3));
        out.push_back(std::move(s));
    }
    {
        using namespace psu;
        Subject s{"psu",
                  {"OUTPUT ON", "OUTPUT OFF", "VOLTAGE 5000", "LIMIT 500", "READ", "LIMIT 10"},
                  {"OUTPUT", "VOLTAGE", "LIMIT", "READ"},
                  {},
                  {},
                  {}};
        s.classify = [](const emu::CommandLine& cmd)
            -> std::optional<std::function<std::optional<FieldError>(const std::string&)>> {
            const auto r = protocol_view<Request>(cmd, parse_request);
            if (!r)
                return std::nullopt;
            return r->index() == 3 ? reply_check(parse_reading) : reply_check(parse_settings);
        };
        EmulatorOptions options;
        options.camera = {"SN1", "127.0.0.1", 1};
        s.emulator = std::make_unique<Emulator>(
            options, scripted_client("BWC-PHYS", shared_answer(answers)));
        out.push_back(std::move(s));
    }
    {
        using namespace gnss;
        Subject s{"gnss",
                  {"SCENARIO lat=59.3 lon=18.1 alt=20 utc=2024-06-01T12:30:00 sats=8 cn0=40",
                   "SCENARIO lat=-33.9 lon=151.2 level=-130", "REPLAY ublox-8.log", "REPLAY nope",
                   "OFF", "STATUS"},
                  {"SCENARIO", "REPLAY", "OFF", "STATUS"},
                  {"lat", "lon", "alt", "utc", "sats", "cn0", "level"},
                  {},
                  {}};
        s.classify = [](const emu::CommandLine& cmd)
            -> std::optional<std::function<std::optional<FieldError>(const std::string&)>> {
            if (!protocol_view<Request>(cmd, parse_request))
                return std::nullopt;
            return reply_check(parse_status);
        };
        s.emulator = std::make_unique<Emulator>(EmulatorOptions{{}, BWC_SHARED_DIR "/data/nmea"},
                                                cameras(answers, 2));
        out.push_back(std::move(s));
    }
    {
        using namespace rfbox;
        Subject s{"rfbox",
                  {"WIFI ADD ssid=\"Bench AP\" psk=secret123 band=5 level=-50", "WIFI CLEAR",
                   "LTE plmn=24001 band=3 level=-90 name=Telia", "LTE OFF", "STATUS",
                   "WIFI ADD ssid=Open security=open"},
                  {"WIFI", "LTE", "STATUS", "ADD", "CLEAR", "OFF"},
                  {"ssid", "psk", "band", "channel", "security", "level", "plmn", "name"},
                  {},
                  {}};
        s.classify = [](const emu::CommandLine& cmd)
            -> std::optional<std::function<std::optional<FieldError>(const std::string&)>> {
            if (!protocol_view<Request>(cmd, parse_request))
                return std::nullopt;
            return reply_check(parse_status);
        };
        s.emulator = std::make_unique<Emulator>(EmulatorOptions{}, cameras(answers, 2));
        out.push_back(std::move(s));
    }
    {
        using namespace bayinst;
        Subject s{"bayinst",   {"MEASURE 1", "MEASURE 8 load_ma=500", "MEASURE 9"},
                  {"MEASURE"}, {"load_ma"},
                  {},          {}};
        s.classify = [](const emu::CommandLine& cmd)
            -> std::optional<std::function<std::optional<FieldError>(const std::string&)>> {
            if (!protocol_view<Request>(cmd, parse_request))
                return std::nullopt;
            return reply_check(parse_measurement);
        };
        s.emulator =
            std::make_unique<Emulator>(EmulatorOptions{"D1", "127.0.0.1", 1},
                                       scripted_client("BWC-DOCK", shared_answer(answers)));
        out.push_back(std::move(s));
    }
    return out;
}

std::string random_command(Rng& rng, const Subject& s) {
    if (chance(rng, 0.25))
        return pick_from(rng, s.samples);
    if (chance(rng, 0.5))
        return mutate(rng, pick_from(rng, s.samples));
    std::string line = pick_from(rng, s.verbs);
    const std::vector<std::string> words{"power", "record", "function", "top", "ON",
                                         "off",   "1",      "100",      "-5",  "ublox-8.log"};
    for (std::size_t n = pick(rng, 5); n > 0; --n) {
        if (chance(rng, 0.5) && !s.keys.empty())
            line += " " + pick_from(rng, s.keys) + "=" +
                    (chance(rng, 0.5) ? pick_from(rng, words) : pick_from(rng, kTricky));
        else
            line += " " + (chance(rng, 0.7) ? pick_from(rng, words) : pick_from(rng, kTricky));
    }
    return line;
}

const std::set<std::string> kRefusalCodes{"bad_argument", "missing_argument", "unknown_command"};
const std::set<std::string> kActionCodes{"device", "wrong_state", "not_supported", "bad_argument"};

} // namespace

BOOST_AUTO_TEST_SUITE(fixture_protocol_fuzz)

BOOST_AUTO_TEST_CASE(random_and_mutated_replies_give_a_value_or_an_error_naming_the_field) {
    using Check = std::function<std::optional<FieldError>(const std::string&)>;
    struct Parser {
        const char* name;
        Check check;
        std::vector<std::string> good;
    };
    const std::vector<Parser> parsers{
        {"actuator PRESS",
         reply_check(actuator::parse_press_reply),
         {"closed_at_ms=1040 press_ms=3150"}},
        {"actuator DOWN", reply_check(actuator::parse_down_reply), {"closed_at_ms=3"}},
        {"actuator UP", reply_check(actuator::parse_up_reply), {"opened_at_ms=9 press_ms="}},
        {"actuator DOUBLE",
         reply_check(actuator::parse_double_press_reply),
         {"closed_at_ms=1 press_ms=100 gap_ms=250 second_press_ms=100"}},
        {"thermal SET", reply_check(thermal::parse_set_reply), {"setpoint_c=41"}},
        {"thermal READ",
         reply_check(thermal::parse_reading),
         {"setpoint_c=41 temp_c=40.75 settled=1", "setpoint_c= temp_c=25 settled=0"}},
        {"psu settings", reply_check(psu::parse_settings), {"output=1 set_mv=5000 limit_ma=3000"}},
        {"psu READ",
         reply_check(psu::parse_reading),
         {"output=1 set_mv=5000 limit_ma=100 voltage_mv=500 current_ma=100 mode=cc"}},
        {"gnss status",
         reply_check(gnss::parse_status),
         {"mode=scenario lat=59.3 lon=18.1 alt=20 utc=2024-06-01T12:30:00 sats=8 cn0=40 "
          "level_dbm= log= epochs=",
          "mode=replay lat= lon= alt= utc= sats= cn0= level_dbm= log=ublox-8.log epochs=73"}},
        {"rfbox status",
         reply_check(rfbox::parse_status),
         {"aps=2 lte=1 plmn=24001 band=20 level_dbm=-85", "aps=0 lte=0 plmn= band= level_dbm="}},
        {"bayinst MEASURE",
         reply_check(bayinst::parse_measurement),
         {"bay=2 present=1 vbus_mohm=21 gnd_mohm=20000 dp_mohm=19 dm_mohm=20 id_mohm=22 "
          "vbus_mv=4960 load_ma=500 charge_ma=1200 link=1"}},
    };
    Rng rng(77);
    std::size_t accepted = 0, refused = 0;
    for (const Parser& p : parsers) {
        for (const std::string& good : p.good)
            BOOST_TEST_REQUIRE(!p.check(good), p.name << " refuses its own sample " << good);
        for (int i = 0; i < 3000; ++i) {
            std::string line = chance(rng, 0.2) ? random_bytes(rng, 120) : pick_from(rng, p.good);
            for (std::size_t n = 1 + pick(rng, 3); n > 0; --n)
                line = mutate(rng, line);
            if (const auto problem = p.check(line)) {
                check_error(*problem, line);
                ++refused;
            } else {
                ++accepted;
            }
        }
    }
    BOOST_TEST_MESSAGE("replies: " << accepted << " accepted, " << refused << " refused");
    BOOST_TEST(refused > 1000u); // the mutations do hit
}

BOOST_AUTO_TEST_CASE(emulators_answer_every_command_as_their_protocol_says) {
    auto answers = std::make_shared<EmuAnswers>();
    Rng rng(4242);
    for (Subject& s : subjects(answers)) {
        std::size_t ok = 0, refused = 0, failed = 0;
        for (int i = 0; i < 1500; ++i) {
            const std::string line = random_command(rng, s);
            auto cmd = emu::parse_command_line(line);
            if (!cmd || cmd->words.empty())
                continue; // the framing answers these before an instrument sees them
            const auto expected = s.classify(*cmd);
            const auto result = s.emulator->command(*cmd);
            BOOST_TEST_CONTEXT(s.name << ": " << line) {
                if (!expected) {
                    BOOST_TEST_REQUIRE(!result.ok(), "accepted a command its protocol refuses");
                    BOOST_TEST(kRefusalCodes.count(result.error().code) == 1u, result.error().code);
                    BOOST_TEST(!result.error().message.empty());
                    ++refused;
                } else if (result) {
                    const auto problem = (*expected)(*result);
                    BOOST_TEST_REQUIRE(!problem, "its reply '"
                                                     << *result << "' does not parse: "
                                                     << (problem ? problem->message : ""));
                    ++ok;
                } else {
                    BOOST_TEST(kActionCodes.count(result.error().code) == 1u,
                               result.error().code << " " << result.error().message);
                    BOOST_TEST(!result.error().message.empty());
                    ++failed;
                }
            }
        }
        BOOST_TEST_MESSAGE(s.name << ": " << ok << " done, " << refused << " refused, " << failed
                                  << " failed at the device");
        BOOST_TEST(ok > 0u, s.name);
        BOOST_TEST(refused > 0u, s.name);
        BOOST_TEST(failed > 0u, s.name); // the scripted ports' garbage was met and reported
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixture_drivers_unit)

BOOST_AUTO_TEST_CASE(drivers_never_send_what_their_protocol_refuses) {
    std::vector<std::string> sent;
    const auto connected = [&](const std::string& protocol) {
        auto client = scripted_client(
            protocol, [](const std::string&) { return "OK"; }, &sent);
        BOOST_REQUIRE(client->connect().ok());
        return client;
    };
    const auto refused = [&](const auto& result, const std::string& field) {
        BOOST_REQUIRE(!result.ok());
        BOOST_TEST((result.error().kind == bench::DeviceError::Kind::Protocol));
        BOOST_TEST(result.error().message.find("will not send") != std::string::npos,
                   result.error().message);
        BOOST_TEST(result.error().message.find(field) != std::string::npos, result.error().message);
    };
    auto act = connected("BWC-ACT");
    auto therm = connected("BWC-THERM");
    auto supply = connected("BWC-PSU");
    auto sim = connected("BWC-GNSS");
    auto box = connected("BWC-RF");
    auto bays = connected("BWC-BAYI");
    sent.clear();
    refused(actuator::Driver(*act).press(actuator::Button::Record, 0), "ms");
    refused(actuator::Driver(*act).double_press(actuator::Button::Top, 100, 20'000), "gap_ms");
    refused(thermal::Driver(*therm).set(90), "celsius");
    refused(thermal::Driver(*therm).set(std::nan("")), "celsius");
    refused(psu::Driver(*supply).set_voltage(-1), "mv");
    refused(psu::Driver(*supply).set_current_limit(6000), "ma");
    refused(gnss::Driver(*sim).replay("../../etc/passwd"), "log");
    refused(gnss::Driver(*sim).scenario({91, 0}), "lat");
    rfbox::AccessPoint short_key{"AP", "1234567"};
    refused(rfbox::Driver(*box).add_access_point(short_key), "psk");
    refused(rfbox::Driver(*box).set_lte_cell({"12"}), "plmn");
    refused(bayinst::Driver(*bays).measure(0), "bay");
    refused(bayinst::Driver(*bays).measure(1, 5000), "load_ma");
    BOOST_TEST(sent.empty(), "sent: " << (sent.empty() ? "" : sent.front()));
}

BOOST_AUTO_TEST_CASE(drivers_read_good_replies_into_values) {
    auto act = scripted_client("BWC-ACT", [](const std::string& line) {
        return line == "PRESS power 300" ? "OK closed_at_ms=1040 press_ms=300" : "ERR x";
    });
    BOOST_REQUIRE(act->connect().ok());
    const auto press = actuator::Driver(*act).press(actuator::Button::Power, 300);
    BOOST_REQUIRE_MESSAGE(press.ok(), press.error().message);
    BOOST_TEST(press->closed_at_ms == 1040);
    auto bays = scripted_client("BWC-BAYI", [](const std::string&) {
        return "OK bay=3 present=1 vbus_mohm=20 gnd_mohm=20 dp_mohm=20 dm_mohm=20 id_mohm=20 "
               "vbus_mv=5000 load_ma=0 charge_ma=0 link=1";
    });
    BOOST_REQUIRE(bays->connect().ok());
    BOOST_TEST(bayinst::Driver(*bays).measure(3).ok());
    // The reply of another bay than the one measured is not a measurement of it.
    const auto other = bayinst::Driver(*bays).measure(2);
    BOOST_REQUIRE(!other.ok());
    BOOST_TEST(other.error().message.find("bay=3") != std::string::npos, other.error().message);
}

BOOST_AUTO_TEST_SUITE_END()
