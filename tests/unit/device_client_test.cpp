// The device client (bench/device/device_client.hpp) and its typed helpers
// over an in-process fake Transport that plays the device side of
// firmware/PROTOCOL.md from a script: handshake and version checks, reply
// and error mapping, events interleaved with replies, timeouts, cancel and
// deadline, a lost connection and reconnecting; the protocol's key=value
// quoting and C escapes; field validation of IDENTIFY, GAUGE, STATE, BAYS.
#include "bench/device/camera_protocol.hpp"
#include "bench/device/device_client.hpp"
#include "bench/device/dock_protocol.hpp"

#include <boost/test/unit_test.hpp>
#include <deque>
#include <map>
#include <memory>
#include <thread>

using namespace bwc::bench;
using Kind = DeviceError::Kind;

namespace {

/// The device side of a fake connection, shared by the test and the transport.
struct FakeDevice {
    std::string banner = "BWC-DIAG 1 model=W120 serial=SN0001";
    /// Lines the device sends back for a command; commands not listed get
    /// the protocol's standard answers (HELLO, PING, SUBSCRIBE) or ERR.
    std::map<std::string, std::vector<std::string>> script;
    std::deque<std::string> incoming; // sent by the device, not yet read
    std::vector<std::string> written; // every line the client sent
    std::vector<Millis> read_timeouts;
    bool open = false;
    bool hangs_up = false; // gone: no more answers, reads find the connection closed
    int opens = 0;
    int refused_opens = 0; // this many open() calls fail first

    std::vector<std::string> answer(const std::string& line) const {
        if (auto it = script.find(line); it != script.end())
            return it->second;
        const std::string protocol = banner.substr(0, banner.find(' '));
        if (line == "HELLO " + protocol + " 1")
            return {"OK " + protocol + " 1"};
        if (line == "PING")
            return {"OK PONG"};
        if (line == "SUBSCRIBE")
            return {"OK"};
        return {"ERR unknown_command '" + line + "'"};
    }
};

class FakeTransport final : public Transport {
public:
    explicit FakeTransport(std::shared_ptr<FakeDevice> device) : device_(std::move(device)) {}

    Status open() override {
        ++device_->opens;
        if (device_->refused_opens > 0) {
            --device_->refused_opens;
            return error(TransportError::Kind::Io, "connect: Connection refused");
        }
        device_->open = true;
        device_->hangs_up = false;
        device_->incoming = {device_->banner};
        return ok_status();
    }
    Status write_line(std::string_view line) override {
        if (!device_->open)
            return error(TransportError::Kind::Closed, "not open");
        device_->written.emplace_back(line);
        if (device_->hangs_up)
            return ok_status(); // the bytes leave, nobody answers
        for (const std::string& reply : device_->answer(std::string(line)))
            device_->incoming.push_back(reply);
        return ok_status();
    }
    Result<std::string, TransportError> read_line(Millis timeout) override {
        device_->read_timeouts.push_back(timeout);
        if (!device_->open)
            return error(TransportError::Kind::Closed, "not open");
        if (!device_->incoming.empty()) {
            std::string line = std::move(device_->incoming.front());
            device_->incoming.pop_front();
            return line;
        }
        if (device_->hangs_up) {
            device_->open = false;
            return error(TransportError::Kind::Closed, "peer closed the connection");
        }
        std::this_thread::sleep_for(timeout);
        return error(TransportError::Kind::Timeout, "no line");
    }
    void close() override { device_->open = false; }
    std::string describe() const override { return "tcp://127.0.0.1:7100"; }

private:
    std::shared_ptr<FakeDevice> device_;
};

struct Fixture {
    std::shared_ptr<FakeDevice> device = std::make_shared<FakeDevice>();

    std::unique_ptr<DeviceClient> client(ClientOptions options = {},
                                         std::string protocol = "BWC-DIAG") {
        return std::make_unique<DeviceClient>(std::make_unique<FakeTransport>(device),
                                              std::move(protocol), options);
    }
    std::unique_ptr<DeviceClient> connected(ClientOptions options = {},
                                            std::string protocol = "BWC-DIAG") {
        auto c = client(options, std::move(protocol));
        const auto st = c->connect();
        BOOST_TEST_REQUIRE(st.ok(), st.error().message);
        return c;
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

template <class T>
DeviceError failure(const DeviceResult<T>& r) {
    BOOST_TEST_REQUIRE(!r.ok(), "expected an error, got a value");
    return r.error();
}

ClientOptions quick(Millis reply_timeout = Millis{100}) {
    ClientOptions o;
    o.reply_timeout = reply_timeout;
    o.reconnect_backoff = Millis{1};
    return o;
}

} // namespace

BOOST_AUTO_TEST_SUITE(device_client_unit)

BOOST_FIXTURE_TEST_CASE(handshake_reads_banner_and_says_hello, Fixture) {
    auto c = client();
    BOOST_TEST(!c->connected());
    const auto st = c->connect();
    BOOST_TEST_REQUIRE(st.ok(), st.error().message);
    BOOST_TEST(c->connected());
    BOOST_TEST(device->written == std::vector<std::string>{"HELLO BWC-DIAG 1"});
    BOOST_TEST(c->banner().get("model") == "W120");
    BOOST_TEST(c->banner().get("serial") == "SN0001");
    BOOST_TEST(c->describe() == "BWC-DIAG W120 SN0001 at tcp://127.0.0.1:7100");
    const auto pong = c->command("PING");
    BOOST_TEST_REQUIRE(pong.ok(), pong.error().message);
    BOOST_TEST(*pong == "PONG");
}

BOOST_FIXTURE_TEST_CASE(banner_of_another_protocol_is_a_protocol_error, Fixture) {
    device->banner = "BWC-DOCK 1 model=W701 serial=D1";
    auto c = client();
    const DeviceError e = failure(c->connect());
    BOOST_TEST((e.kind == Kind::Protocol));
    BOOST_TEST(contains(e.message, "'BWC-DOCK 1 model=W701 serial=D1'"), e.message);
    BOOST_TEST(contains(e.message, "tcp://127.0.0.1:7100"), e.message);
    BOOST_TEST(device->written.empty()); // no HELLO to a device of the wrong kind
    BOOST_TEST(!c->connected());
}

BOOST_FIXTURE_TEST_CASE(garbage_banner_is_a_protocol_error, Fixture) {
    device->banner = "login:";
    const DeviceError e = failure(client()->connect());
    BOOST_TEST((e.kind == Kind::Protocol));
    BOOST_TEST(contains(e.message, "'login:'"), e.message);
}

BOOST_FIXTURE_TEST_CASE(banner_of_another_version_is_a_version_mismatch, Fixture) {
    device->banner = "BWC-DIAG 2 model=W130 serial=SN9";
    const DeviceError e = failure(client()->connect());
    BOOST_TEST((e.kind == Kind::VersionMismatch));
    BOOST_TEST(contains(e.message, "'2'"), e.message);
    BOOST_TEST(contains(e.message, "BWC-DIAG 2 model=W130"), e.message);
    BOOST_TEST(device->written.empty());
}

BOOST_FIXTURE_TEST_CASE(hello_refused_for_version_is_a_version_mismatch, Fixture) {
    device->script["HELLO BWC-DIAG 1"] = {"ERR version_mismatch device speaks 3, client asked 1"};
    auto c = client();
    const DeviceError e = failure(c->connect());
    BOOST_TEST((e.kind == Kind::VersionMismatch));
    BOOST_TEST(e.code == "version_mismatch");
    BOOST_TEST(contains(e.message, "device speaks 3"), e.message);
    BOOST_TEST(!c->connected());
}

BOOST_FIXTURE_TEST_CASE(hello_answered_oddly_is_a_protocol_error, Fixture) {
    device->script["HELLO BWC-DIAG 1"] = {"OK BWC-DIAG 7"};
    const DeviceError e = failure(client()->connect());
    BOOST_TEST((e.kind == Kind::Protocol));
    BOOST_TEST(contains(e.message, "'OK BWC-DIAG 7'"), e.message);
}

BOOST_FIXTURE_TEST_CASE(err_reply_is_refused_with_the_device_code, Fixture) {
    device->script["AT+CSQ"] = {"ERR not_supported the W100 has no modem"};
    auto c = connected();
    const DeviceError e = failure(c->command("AT+CSQ"));
    BOOST_TEST((e.kind == Kind::Refused));
    BOOST_TEST(e.code == "not_supported");
    BOOST_TEST(contains(e.message, "the W100 has no modem"), e.message);
    BOOST_TEST(contains(e.message, "SN0001"), e.message);
    BOOST_TEST(contains(e.message, "AT+CSQ"), e.message);
    BOOST_TEST(c->connected()); // a refusal is an answer, not a fault
}

BOOST_FIXTURE_TEST_CASE(events_before_the_reply_are_queued, Fixture) {
    device->script["TIME ADVANCE 400"] = {"EVT 300 gesture power.press", "EVT 300 action power_on",
                                          "EVT 350 refused power_on \"battery empty\"",
                                          "OK now_ms=400"};
    auto c = connected();
    const auto r = c->command("TIME ADVANCE 400");
    BOOST_TEST_REQUIRE(r.ok(), r.error().message);
    BOOST_TEST(*r == "now_ms=400");
    const auto events = c->take_events();
    BOOST_TEST_REQUIRE(events.size() == 3u);
    BOOST_TEST(events[0].at_ms == 300);
    BOOST_TEST(events[0].kind == "gesture");
    BOOST_TEST(events[0].what == "power.press");
    BOOST_TEST(events[0].detail.empty());
    BOOST_TEST(events[1].what == "power_on");
    BOOST_TEST(events[2].at_ms == 350);
    BOOST_TEST(events[2].kind == "refused");
    BOOST_TEST(events[2].detail == "battery empty");
    BOOST_TEST(c->take_events().empty());
}

BOOST_FIXTURE_TEST_CASE(events_arriving_between_commands_are_picked_up, Fixture) {
    auto c = connected();
    device->incoming.push_back("EVT 5000 state power on");
    const auto events = c->take_events();
    BOOST_TEST_REQUIRE(events.size() == 1u);
    BOOST_TEST(events[0].at_ms == 5000);
    BOOST_TEST(events[0].detail == "on");
}

BOOST_FIXTURE_TEST_CASE(malformed_event_fails_the_command_but_keeps_step, Fixture) {
    device->script["STATE"] = {"EVT soon gesture x", "OK {}"};
    auto c = connected();
    const DeviceError e = failure(c->command("STATE"));
    BOOST_TEST((e.kind == Kind::Protocol));
    BOOST_TEST(contains(e.message, "'soon'"), e.message);
    const auto pong = c->command("PING"); // the STATE reply was consumed with it
    BOOST_TEST_REQUIRE(pong.ok(), pong.error().message);
    BOOST_TEST(*pong == "PONG");
}

BOOST_FIXTURE_TEST_CASE(garbage_reply_is_a_protocol_error_quoting_it, Fixture) {
    device->script["IDENTIFY"] = {"HELLO?"};
    device->script["GAUGE"] = {"OKAY"};
    device->script["STORAGE"] = {"ERR"};
    device->script["FAULTS"] = {std::string(5000, 'x')};
    auto c = connected();
    for (const char* command : {"IDENTIFY", "GAUGE", "STORAGE"}) {
        const DeviceError e = failure(c->command(command));
        BOOST_TEST((e.kind == Kind::Protocol), command);
        BOOST_TEST(contains(e.message, device->script[command].front()), e.message);
        BOOST_TEST(contains(e.message, "SN0001"), e.message);
    }
    const DeviceError long_one = failure(c->command("FAULTS"));
    BOOST_TEST((long_one.kind == Kind::Protocol));
    BOOST_TEST(long_one.message.size() < 600u, long_one.message);
    BOOST_TEST(contains(long_one.message, "more bytes"), long_one.message);
}

BOOST_FIXTURE_TEST_CASE(no_reply_is_a_timeout_and_the_late_reply_is_skipped, Fixture) {
    device->script["STATE"] = {}; // the device stays silent
    auto c = connected(quick());
    const DeviceError e = failure(c->command("STATE"));
    BOOST_TEST((e.kind == Kind::Timeout));
    BOOST_TEST(contains(e.message, "'STATE'"), e.message);
    BOOST_TEST(contains(e.message, "SN0001"), e.message);
    device->incoming.push_back("OK {\"late\":true}"); // STATE's reply, after all
    const auto pong = c->command("PING");
    BOOST_TEST_REQUIRE(pong.ok(), pong.error().message);
    BOOST_TEST(*pong == "PONG");
}

BOOST_FIXTURE_TEST_CASE(raising_the_cancel_flag_ends_a_wait, Fixture) {
    device->script["TIME ADVANCE 86400000"] = {};
    auto c = connected(quick(Millis{600'000}));
    std::atomic<bool> cancel{false};
    c->set_cancel_flag(&cancel);
    std::thread operator_presses_ctrl_c([&] {
        std::this_thread::sleep_for(Millis{100});
        cancel = true;
    });
    const auto r = c->command("TIME ADVANCE 86400000");
    operator_presses_ctrl_c.join();
    const DeviceError e = failure(r);
    BOOST_TEST((e.kind == Kind::Cancelled));
    BOOST_TEST(contains(e.message, "TIME ADVANCE 86400000"), e.message);
    for (Millis slice : device->read_timeouts)
        BOOST_TEST(slice.count() <= 50);
}

BOOST_FIXTURE_TEST_CASE(a_passed_deadline_ends_a_wait, Fixture) {
    device->script["STATE"] = {};
    auto c = connected(quick(Millis{600'000}));
    c->set_deadline(std::chrono::steady_clock::now() + Millis{100});
    const DeviceError e = failure(c->command("STATE"));
    BOOST_TEST((e.kind == Kind::Timeout));
    BOOST_TEST(contains(e.message, "deadline"), e.message);
    c->set_deadline(std::nullopt);
    device->incoming.push_back("OK {}"); // STATE's late reply
    BOOST_TEST(c->command("PING").ok());
}

BOOST_FIXTURE_TEST_CASE(lost_connection_is_a_transport_error_naming_the_device, Fixture) {
    auto c = connected();
    device->hangs_up = true;
    const DeviceError e = failure(c->command("IDENTIFY"));
    BOOST_TEST((e.kind == Kind::Transport));
    BOOST_TEST(contains(e.message, "device lost"), e.message);
    BOOST_TEST(contains(e.message, "BWC-DIAG W120 SN0001"), e.message);
    BOOST_TEST(contains(e.message, "peer closed"), e.message);
    BOOST_TEST(!c->connected());
    const std::size_t sent = device->written.size();
    const DeviceError again = failure(c->command("PING"));
    BOOST_TEST((again.kind == Kind::Transport));
    BOOST_TEST(contains(again.message, "peer closed"), again.message); // the cause, still
    BOOST_TEST(device->written.size() == sent);
}

BOOST_FIXTURE_TEST_CASE(reconnect_retries_and_resubscribes, Fixture) {
    auto c = connected(quick());
    BOOST_TEST_REQUIRE(c->subscribe().ok());
    device->hangs_up = true;
    BOOST_TEST(!c->command("PING").ok());
    device->refused_opens = 2;
    device->written.clear();
    const int opens_before = device->opens;
    const auto st = c->reconnect();
    BOOST_TEST_REQUIRE(st.ok(), st.error().message);
    BOOST_TEST(c->connected());
    BOOST_TEST(device->opens - opens_before == 3);
    BOOST_TEST(device->written == (std::vector<std::string>{"HELLO BWC-DIAG 1", "SUBSCRIBE"}));
}

BOOST_FIXTURE_TEST_CASE(reconnect_gives_up_after_its_attempts, Fixture) {
    auto c = connected(quick());
    c->close();
    device->refused_opens = 10;
    const int opens_before = device->opens;
    const DeviceError e = failure(c->reconnect());
    BOOST_TEST((e.kind == Kind::Transport));
    BOOST_TEST(contains(e.message, "Connection refused"), e.message);
    BOOST_TEST(contains(e.message, "3 attempts"), e.message);
    BOOST_TEST(device->opens - opens_before == 3);
}

BOOST_FIXTURE_TEST_CASE(reconnect_without_subscription_does_not_subscribe, Fixture) {
    auto c = connected(quick());
    c->close();
    device->written.clear();
    BOOST_TEST_REQUIRE(c->reconnect().ok());
    BOOST_TEST(device->written == std::vector<std::string>{"HELLO BWC-DIAG 1"});
}

BOOST_FIXTURE_TEST_CASE(unsendable_commands_are_refused_before_sending, Fixture) {
    auto c = connected();
    const std::size_t sent = device->written.size();
    for (const std::string& bad :
         {std::string("IDENTIFY\nFACTORY SHIPPING"), std::string(), std::string("AT\x01"),
          std::string("WIFI CONNECT caf\xc3\xa9 x"), std::string(2000, 'A')}) {
        const DeviceError e = failure(c->command(bad));
        BOOST_TEST((e.kind == Kind::Protocol));
        BOOST_TEST(contains(e.message, "SN0001"), e.message);
    }
    BOOST_TEST(device->written.size() == sent);
}

BOOST_FIXTURE_TEST_CASE(a_line_nobody_asked_for_is_reported_by_the_next_command, Fixture) {
    auto c = connected();
    device->incoming.push_back("OK surprise");
    BOOST_TEST(c->take_events().empty());
    const DeviceError e = failure(c->command("PING"));
    BOOST_TEST((e.kind == Kind::Protocol));
    BOOST_TEST(contains(e.message, "'OK surprise'"), e.message);
}

BOOST_AUTO_TEST_CASE(error_kinds_have_names) {
    BOOST_TEST(to_string(Kind::Transport) == "transport");
    BOOST_TEST(to_string(Kind::VersionMismatch) == "version_mismatch");
    BOOST_TEST(to_string(Kind::Cancelled) == "cancelled");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(device_protocol_text_unit)

BOOST_AUTO_TEST_CASE(key_values_unquote_in_order) {
    const auto kv = parse_key_values(R"(a=1 b="x y" c= d="say \"hi\" \\o/" e="" f=x=y)");
    BOOST_TEST_REQUIRE(kv.ok(), kv.error());
    const std::vector<std::pair<std::string, std::string>> expected{
        {"a", "1"}, {"b", "x y"}, {"c", ""}, {"d", R"(say "hi" \o/)"}, {"e", ""}, {"f", "x=y"}};
    BOOST_TEST(kv->items() == expected);
    BOOST_TEST(kv->find("c") != nullptr);
    BOOST_TEST(kv->find("z") == nullptr);
    BOOST_TEST(kv->get("z").empty());
    BOOST_TEST(parse_key_values("").ok());
}

BOOST_AUTO_TEST_CASE(key_values_undo_the_escapes_devices_write) {
    const auto kv = parse_key_values(R"(reason="line\r\nbreak\ttab\x21")");
    BOOST_TEST_REQUIRE(kv.ok(), kv.error());
    BOOST_TEST(kv->get("reason") == "line\r\nbreak\ttab!");
}

BOOST_AUTO_TEST_CASE(bare_words_only_where_allowed) {
    const auto banner = parse_key_values("BWC-DIAG 1 model=W120 serial=SN0001", true);
    BOOST_TEST_REQUIRE(banner.ok(), banner.error());
    BOOST_TEST(banner->items().size() == 2u);
    BOOST_TEST(banner->get("serial") == "SN0001");
    const auto strict = parse_key_values("BWC-DIAG 1 model=W120");
    BOOST_TEST_REQUIRE(!strict.ok());
    BOOST_TEST(contains(strict.error(), "'BWC-DIAG' is not key=value"), strict.error());
}

BOOST_AUTO_TEST_CASE(malformed_key_values_are_errors_naming_the_problem) {
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"(a="open)", "never closed"},      {R"(a="bad \q escape")", "unknown escape"},
        {R"(a="\x4")", "two hex digits"},    {"a=1 a=2", "'a' appears twice"},
        {"a=1 =2", "'=2' is not key=value"}, {"a=\x01", "control byte 0x01"},
    };
    for (const auto& [text, problem] : cases) {
        const auto kv = parse_key_values(text);
        BOOST_TEST_REQUIRE(!kv.ok(), text);
        BOOST_TEST(contains(kv.error(), problem), text << " -> " << kv.error());
    }
}

BOOST_AUTO_TEST_CASE(c_unescape_restores_an_at_reply) {
    const auto r = c_unescape(R"("\r\n+CSQ: 19,99\r\n\r\nOK\r\n")");
    BOOST_TEST_REQUIRE(r.ok(), r.error());
    BOOST_TEST(*r == "\r\n+CSQ: 19,99\r\n\r\nOK\r\n");
    const auto all = c_unescape(R"("q\"b\\t\tx\x7f")");
    BOOST_TEST_REQUIRE(all.ok(), all.error());
    BOOST_TEST(*all == "q\"b\\t\tx\x7f");
    BOOST_TEST(c_unescape(R"("")").value().empty());
}

BOOST_AUTO_TEST_CASE(c_unescape_rejects_what_a_device_cannot_mean) {
    for (const std::string& bad :
         {std::string("no quotes"), std::string("\""), std::string(R"("ends in a backslash\")"),
          std::string(R"("\z")"), std::string(R"("in"side")")}) {
        const auto r = c_unescape(bad);
        BOOST_TEST(!r.ok(), bad);
        BOOST_TEST(contains(r.error(), "'"), r.error()); // quotes the text
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(device_helpers_unit)

BOOST_FIXTURE_TEST_CASE(identify_camera_reads_every_field, Fixture) {
    device->script["IDENTIFY"] = {"OK model=W100 serial=SN-100 firmware=1.9.0-ref hardware=A "
                                  "imei=\"\" mac=00:11:22:33:44:55 battery_id=ID1058-0001"};
    auto c = connected();
    const auto id = identify_camera(*c);
    BOOST_TEST_REQUIRE(id.ok(), id.error().message);
    BOOST_TEST(id->model == "W100");
    BOOST_TEST(id->serial == "SN-100");
    BOOST_TEST(id->firmware == "1.9.0-ref");
    BOOST_TEST(id->imei.empty());
    BOOST_TEST(id->mac == "00:11:22:33:44:55");
    BOOST_TEST(id->battery_id == "ID1058-0001");
}

BOOST_FIXTURE_TEST_CASE(identify_camera_names_a_missing_or_empty_field, Fixture) {
    device->script["IDENTIFY"] = {"OK model=W120 serial=SN1 firmware=2.4.0-ref hardware=A mac= "
                                  "battery_id=B"};
    auto c = connected();
    const DeviceError e = failure(identify_camera(*c));
    BOOST_TEST((e.kind == Kind::Protocol));
    BOOST_TEST(contains(e.message, "'imei='"), e.message);
    BOOST_TEST(contains(e.message, "'model=W120 serial=SN1"), e.message);
    device->script["IDENTIFY"] = {"OK model=W120 serial=SN1 firmware= hardware=A imei= mac= "
                                  "battery_id=B"};
    const DeviceError empty = failure(identify_camera(*c));
    BOOST_TEST(contains(empty.message, "empty 'firmware='"), empty.message);
}

BOOST_FIXTURE_TEST_CASE(gauge_numbers_are_validated_and_empty_is_unknown, Fixture) {
    device->script["GAUGE"] = {"OK voltage_mv=3948 current_ma=-120 temperature_dc= soc=80 "
                               "remaining_mah=2400 full_charge_mah=3000 cycle_count=0 "
                               "battery_id=ID1 present=1"};
    auto c = connected();
    const auto g = read_gauge(*c);
    BOOST_TEST_REQUIRE(g.ok(), g.error().message);
    BOOST_TEST(g->voltage_mv.value_or(0) == 3948);
    BOOST_TEST(g->current_ma.value_or(0) == -120);
    BOOST_TEST(!g->temperature_dc.has_value());
    BOOST_TEST(g->cycle_count.value_or(-1) == 0);
    BOOST_TEST(g->present);
    for (const char* bad : {"soc=8O", "soc=1e3", "soc=99999999999", "soc=+80"}) {
        device->script["GAUGE"] = {std::string("OK voltage_mv=1 current_ma=1 temperature_dc=1 ") +
                                   bad +
                                   " remaining_mah=1 full_charge_mah=1 cycle_count=1 "
                                   "battery_id=x present=1"};
        const DeviceError e = failure(read_gauge(*c));
        BOOST_TEST((e.kind == Kind::Protocol));
        BOOST_TEST(contains(e.message, "'soc'"), e.message);
        BOOST_TEST(contains(e.message, "GAUGE"), e.message);
        BOOST_TEST(contains(e.message, "SN0001"), e.message);
    }
}

BOOST_FIXTURE_TEST_CASE(time_replies_are_checked, Fixture) {
    device->script["TIME"] = {"OK now_ms=1234 mode=realtime"};
    device->script["TIME ADVANCE 100"] = {"OK now_ms=12x4"};
    auto c = connected();
    const auto t = read_time(*c);
    BOOST_TEST_REQUIRE(t.ok(), t.error().message);
    BOOST_TEST(t->now_ms == 1234);
    BOOST_TEST(!t->virtual_time);
    BOOST_TEST(contains(failure(advance_time(*c, 100)).message, "'now_ms'"));
    const std::size_t sent = device->written.size();
    BOOST_TEST((failure(advance_until(*c, -1)).kind == Kind::Protocol));
    BOOST_TEST(device->written.size() == sent);
    device->script["TIME"] = {"OK now_ms=1 mode=warp"};
    BOOST_TEST(contains(failure(read_time(*c)).message, "'warp'"));
}

BOOST_FIXTURE_TEST_CASE(state_schema_is_checked, Fixture) {
    auto c = connected();
    device->script["STATE"] = {R"(OK {"schema":1,"power":"on"})"};
    const auto s = read_state(*c);
    BOOST_TEST_REQUIRE(s.ok(), s.error().message);
    BOOST_TEST((*s)["power"] == "on");
    device->script["STATE"] = {R"(OK {"schema":2,"power":"on"})"};
    BOOST_TEST((failure(read_state(*c)).kind == Kind::VersionMismatch));
    device->script["STATE"] = {R"(OK {"power":"on"})"};
    BOOST_TEST((failure(read_state(*c)).kind == Kind::Protocol));
    device->script["STATE"] = {R"(OK {"schema":1,)"};
    const DeviceError e = failure(read_state(*c));
    BOOST_TEST((e.kind == Kind::Protocol));
    BOOST_TEST(contains(e.message, "not JSON"), e.message);
}

BOOST_FIXTURE_TEST_CASE(buttons_send_one_plain_word, Fixture) {
    device->banner = "BWC-PHYS 1 model=W120 serial=SN0001";
    auto c = connected(ClientOptions{}, "BWC-PHYS");
    device->script["PRESS power 300"] = {"OK release_at_ms=300"};
    device->script["BUTTON record DOWN"] = {"OK"};
    BOOST_TEST(press_button(*c, "power", 300).ok());
    BOOST_TEST(set_button(*c, "record", true).ok());
    const std::size_t sent = device->written.size();
    BOOST_TEST((failure(press_button(*c, "power 1 x=", 300)).kind == Kind::Protocol));
    BOOST_TEST(!set_button(*c, "", false).ok());
    BOOST_TEST(!press_button(*c, "power", -1).ok());
    BOOST_TEST(device->written.size() == sent);
    BOOST_TEST((failure(set_button(*c, "elbow", false)).kind == Kind::Refused));
}

BOOST_FIXTURE_TEST_CASE(dock_identity_and_bays_are_validated, Fixture) {
    device->banner = "BWC-DOCK 1 model=W701 serial=D1";
    device->script["IDENTIFY"] = {"OK model=W701 serial=D1 bays=2"};
    device->script["BAYS"] = {
        R"(OK [{"bay":1,"serial":"SN1","present":true,"vbus_mv":5010,"charge_ma":900,"link":true,)"
        R"("pins":{"vbus":20,"gnd":25,"dp":20,"dm":20,"id":20}},)"
        R"({"bay":2,"serial":null,"present":false,"vbus_mv":0,"charge_ma":0,"link":false,)"
        R"("pins":{"vbus":20,"gnd":20,"dp":20,"dm":20,"id":20}}])"};
    auto c = connected(ClientOptions{}, "BWC-DOCK");
    const auto id = identify_dock(*c);
    BOOST_TEST_REQUIRE(id.ok(), id.error().message);
    BOOST_TEST(id->bays == 2);
    const auto bays = read_bays(*c);
    BOOST_TEST_REQUIRE(bays.ok(), bays.error().message);
    BOOST_TEST_REQUIRE(bays->size() == 2u);
    BOOST_TEST((*bays)[0].serial.value_or("") == "SN1");
    BOOST_TEST((*bays)[0].vbus_mv == 5010);
    BOOST_TEST((*bays)[0].link);
    const std::vector<std::pair<std::string, int>> pins{
        {"vbus", 20}, {"gnd", 25}, {"dp", 20}, {"dm", 20}, {"id", 20}};
    BOOST_TEST((*bays)[0].pins_mohm == pins);
    BOOST_TEST(!(*bays)[1].serial.has_value());
    BOOST_TEST(!(*bays)[1].present);
}

BOOST_FIXTURE_TEST_CASE(bad_bays_name_the_element_and_field, Fixture) {
    device->banner = "BWC-DOCK 1 model=W701 serial=D1";
    auto c = connected(ClientOptions{}, "BWC-DOCK");
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"(OK {"bay":1})", "not a JSON array"},
        {R"(OK [{"bay":1,"serial":null,"present":true,"vbus_mv":"5V","charge_ma":0,"link":false,"pins":{}}])",
         "\"vbus_mv\" as \"5V\""},
        {R"(OK [{"bay":1,"serial":7,"present":true,"vbus_mv":1,"charge_ma":0,"link":false,"pins":{}}])",
         "\"serial\" as 7"},
        {R"(OK [{"bay":1,"serial":null,"present":true,"vbus_mv":1,"charge_ma":0,"link":false}])",
         "no \"pins\""},
        {R"(OK [{"bay":1,"serial":null,"present":1,"vbus_mv":1,"charge_ma":0,"link":false,"pins":{}}])",
         "\"present\" as 1"},
        {R"(OK [{"bay":1,"serial":null,"present":true,"vbus_mv":1,"charge_ma":0,"link":false,"pins":{"gnd":2.5}}])",
         "\"gnd\" as 2.5"},
        {R"(OK [{"bay":1,"serial":null,"present":true,"vbus_mv":1,"charge_ma":0,"link":false,"pins":{}},)"
         R"({"bay":1,"serial":null,"present":true,"vbus_mv":1,"charge_ma":0,"link":false,"pins":{}}])",
         "bay 1 twice"},
    };
    for (const auto& [reply, problem] : cases) {
        device->script["BAYS"] = {reply};
        const DeviceError e = failure(read_bays(*c));
        BOOST_TEST((e.kind == Kind::Protocol));
        BOOST_TEST(contains(e.message, problem), e.message);
        BOOST_TEST(contains(e.message, "BWC-DOCK W701 D1"), e.message);
    }
}

BOOST_AUTO_TEST_SUITE_END()
