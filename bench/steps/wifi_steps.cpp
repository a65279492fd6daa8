// Wi-Fi step types (SPEC §7 "Wi-Fi"): the station's shared RF shield box
// radiates one access point, the unit is told to join it over its diag
// port (`WIFI CONNECT`, `WIFI STATUS`; firmware/PROTOCOL.md) and the bench
// watches, in device time, whether and how it associates.
//   wifi.join  one AP (ssid, psk, band, channel, security, level), join,
//              poll until associated or the timeout.
// The box is shared by every bay: the runner holds its lock while the step
// runs, and the step clears and sets the AP each time because another bay
// may have changed it since.
//
// "Associated" means connected to the requested SSID. Use a distinct SSID
// per AP a unit is asked to join in one run: a camera still connected to an
// earlier network that has left the box (bwc-emu does not report the lost
// link to the firmware) stays "connected" to it, which this step reports
// as not associated, naming that network in `reason`.
#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "fixtures/rfbox/driver.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

namespace bwc::bench {
namespace {

// --- Named choices (no manual gives them; see procedures/examples/radios.yaml) ---

/// A strong AP in a shield box, as the box defaults it.
constexpr std::int64_t kDefaultLevelDbm = fixtures::rfbox::kDefaultWifiLevelDbm;
/// A WPA2-PSK association with DHCP takes 1-3 s on a real radio; 10 s of
/// device time leaves room without reaching the firmware's 30 s retry.
constexpr std::int64_t kDefaultTimeoutMs = 10'000;
constexpr std::int64_t kDefaultPollMs = 500;
/// IEEE 802.11 channel numbers the box takes (fixtures/PROTOCOL.md).
constexpr std::int64_t kMax2g4Channel = 14;
constexpr std::int64_t kMin5gChannel = 36;
constexpr std::int64_t kMax5gChannel = 177;

ArgSpec integer_arg(const char* name, std::int64_t fallback, const char* help) {
    return {.name = name, .kind = ArgSpec::Kind::Integer, .default_value = fallback, .help = help};
}
ArgSpec text_arg(const char* name, const char* fallback, std::vector<std::string> choices,
                 const char* help) {
    return {.name = name,
            .kind = ArgSpec::Kind::Text,
            .default_value = fallback,
            .choices = std::move(choices),
            .help = help};
}

bool printable(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

/// Everything the box and the camera need of one AP that the arguments can
/// get wrong, as "" or why not (also for bench check, where "${…}" is skipped).
std::vector<std::string> ap_problems(const nlohmann::json& args) {
    std::vector<std::string> problems;
    const auto literal_text = [&](const char* name) -> std::optional<std::string> {
        auto it = args.find(name);
        if (it == args.end() || !it->is_string() ||
            it->get<std::string>().find("${") != std::string::npos)
            return std::nullopt;
        return it->get<std::string>();
    };
    const auto literal_int = [&](const char* name) -> std::optional<std::int64_t> {
        auto it = args.find(name);
        if (it == args.end() || !it->is_number_integer())
            return std::nullopt;
        return it->get<std::int64_t>();
    };
    if (auto ssid = literal_text("ssid");
        ssid && (ssid->empty() || ssid->size() > 32 || !printable(*ssid)))
        problems.push_back("argument 'ssid' must be 1-32 printable characters, not '" + *ssid +
                           "'");
    const auto security = literal_text("security").value_or("wpa2");
    if (auto psk = literal_text("psk")) {
        const bool wpa = security == "wpa2" || security == "wpa3";
        if (!printable(*psk) || (wpa && (psk->size() < 8 || psk->size() > 63)) ||
            (security == "wep" && (psk->size() < 5 || psk->size() > 26)) ||
            (security == "open" && !psk->empty()))
            problems.push_back("argument 'psk' does not fit security " + security +
                               " (wpa2/wpa3: 8-63 printable characters, wep: 5-26, open: none)");
    }
    const std::string band = literal_text("band").value_or("2.4");
    if (auto ch = literal_int("channel")) {
        const bool ok = band == "5" ? (*ch >= kMin5gChannel && *ch <= kMax5gChannel)
                                    : (*ch >= 1 && *ch <= kMax2g4Channel);
        if (!ok)
            problems.push_back("argument 'channel' " + std::to_string(*ch) + " is not a " + band +
                               " GHz channel (" +
                               (band == "5" ? std::string("36..177") : std::string("1..14")) + ")");
    }
    if (auto level = literal_int("level_dbm");
        level &&
        (*level < fixtures::rfbox::kMinWifiLevelDbm || *level > fixtures::rfbox::kMaxWifiLevelDbm))
        problems.push_back("argument 'level_dbm' must be -120..0, not " + std::to_string(*level));
    for (const char* name : {"timeout_ms", "poll_ms"})
        if (auto v = literal_int(name); v && (*v < 1 || *v > 600'000))
            problems.push_back(std::string("argument '") + name + "' must be 1..600000, not " +
                               std::to_string(*v));
    return problems;
}

/// The camera's `WIFI STATUS` reply, checked field by field.
struct WifiReading {
    std::string state; // off, searching, connected, error
    std::string ssid, bssid, band;
    std::int64_t channel = 0;
    std::optional<std::int64_t> rssi_dbm;
    std::string ipv4, reason;
};

bool mac_well_formed(const std::string& mac) {
    if (mac.size() != 17)
        return false;
    for (std::size_t i = 0; i < mac.size(); ++i) {
        const auto c = static_cast<unsigned char>(mac[i]);
        if (i % 3 == 2 ? c != ':' : !std::isxdigit(c))
            return false;
    }
    return true;
}

DeviceResult<WifiReading> read_wifi(DeviceClient& diag) {
    auto payload = diag.command("WIFI STATUS");
    if (!payload)
        return payload.error();
    auto kv = parse_key_values(*payload);
    const auto bad = [&](const std::string& what) {
        return device_error(diag, DeviceError::Kind::Protocol,
                            "the WIFI STATUS reply " + what + " (reply " +
                                quote_for_message(*payload) + ")");
    };
    if (!kv)
        return bad("is not key=value words: " + kv.error());
    WifiReading r;
    for (const char* key :
         {"state", "ssid", "bssid", "band", "channel", "rssi_dbm", "ipv4", "reason"})
        if (!kv->find(key))
            return bad("lacks '" + std::string(key) + "='");
    r.state = kv->get("state");
    if (r.state != "off" && r.state != "searching" && r.state != "connected" && r.state != "error")
        return bad("gives 'state' as " + quote_for_message(r.state) +
                   ", not off, searching, connected or error");
    r.ssid = kv->get("ssid");
    r.bssid = kv->get("bssid");
    r.ipv4 = kv->get("ipv4");
    r.reason = kv->get("reason");
    const std::string band = kv->get("band");
    if (band == "2.4 GHz")
        r.band = "2.4";
    else if (band == "5 GHz")
        r.band = "5";
    else if (!band.empty())
        return bad("gives 'band' as " + quote_for_message(band) + ", not 2.4 GHz or 5 GHz");
    const std::string channel = kv->get("channel");
    const auto ch = parse_whole_number(channel);
    if (!ch || *ch < 0 || *ch > 196) // 802.11 channel numbers (0: none)
        return bad("gives 'channel' as " + quote_for_message(channel) + ", not 0..196");
    r.channel = *ch;
    const std::string rssi = kv->get("rssi_dbm");
    if (!rssi.empty()) {
        const auto v = parse_whole_number(rssi);
        if (!v || *v < -150 || *v > 0)
            return bad("gives 'rssi_dbm' as " + quote_for_message(rssi) + ", not -150..0");
        r.rssi_dbm = *v;
    }
    if (r.state == "connected" && (r.ssid.empty() || !mac_well_formed(r.bssid) || r.band.empty() ||
                                   r.channel == 0 || !r.rssi_dbm))
        return bad("says connected without an SSID, BSSID, band, channel and RSSI");
    return r;
}

class WifiJoinStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "wifi.join",
            .family = "wifi",
            .help =
                "Clears the RF shield box's access points and adds one (ssid, psk, band, "
                "channel, security, level_dbm), sends WIFI CONNECT <ssid> <psk> on the diag "
                "port, then reads WIFI STATUS every poll_ms of device time until the camera is "
                "connected to that SSID or timeout_ms has passed. band, channel and rssi_dbm "
                "are those of the association (none without one); join_ms the device time from "
                "WIFI CONNECT to the first reply showing it; reason the camera's reason when it "
                "is not associated. Use a distinct SSID per AP in one procedure.",
            .args = {{.name = "ssid",
                      .kind = ArgSpec::Kind::Text,
                      .required = true,
                      .help = "1-32 printable characters"},
                     {.name = "psk",
                      .kind = ArgSpec::Kind::Text,
                      .required = true,
                      .help = "passphrase: 8-63 characters for WPA2"},
                     text_arg("band", "2.4", {"2.4", "5"}, "GHz (quote it: \"2.4\")"),
                     {.name = "channel",
                      .kind = ArgSpec::Kind::Integer,
                      .help = "2.4 GHz: 1..14 (default 6); 5 GHz: 36..177 (default 36)"},
                     text_arg("security", "wpa2", {"wpa2", "wpa3", "open", "wep"},
                              "what the AP offers (the camera takes WPA2-PSK only)"),
                     integer_arg("level_dbm", kDefaultLevelDbm, "AP level, -120..0 dBm"),
                     integer_arg("timeout_ms", kDefaultTimeoutMs,
                                 "device time to wait for the association, 1..600000"),
                     integer_arg("poll_ms", kDefaultPollMs,
                                 "device time between WIFI STATUS reads, 1..600000")},
            .measurements =
                {{.name = "associated", .unit = "", .help = "connected to the requested SSID"},
                 {.name = "state", .unit = "", .help = "off, searching, connected, error"},
                 {.name = "band", .unit = "", .help = "2.4 or 5 (GHz)"},
                 {.name = "channel", .unit = "C62", .help = "channel of the association"},
                 {.name = "rssi_dbm", .unit = "DBM", .help = "the AP as the camera hears it"},
                 {.name = "join_ms", .unit = "C26", .help = "WIFI CONNECT to associated"},
                 {.name = "reason", .unit = "", .help = "why not associated (the camera's words)"}},
            .fixtures = {"rfbox"}};
        return i;
    }

    std::vector<std::string> check(const nlohmann::json& args) const override {
        return ap_problems(args);
    }

    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto ssid = arg_text(args, "ssid");
        auto psk = arg_text(args, "psk");
        auto band = arg_text(args, "band", std::string("2.4"));
        if (!band)
            return StepOutput::failed(band.error());
        auto security = arg_text(args, "security", std::string("wpa2"));
        // The box's defaults: channel 6 at 2.4 GHz, 36 at 5 GHz.
        auto channel =
            arg_integer(args, "channel", *band == "5" ? kMin5gChannel : 6, 1, kMax5gChannel);
        auto level =
            arg_integer(args, "level_dbm", kDefaultLevelDbm, fixtures::rfbox::kMinWifiLevelDbm,
                        fixtures::rfbox::kMaxWifiLevelDbm);
        auto timeout = arg_integer(args, "timeout_ms", kDefaultTimeoutMs, 1, 600'000);
        auto poll = arg_integer(args, "poll_ms", kDefaultPollMs, 1, 600'000);
        for (const std::string* e :
             {&ssid.error(), &psk.error(), &band.error(), &security.error(), &channel.error(),
              &level.error(), &timeout.error(), &poll.error()})
            if (!e->empty())
                return StepOutput::failed(*e);
        if (*band != "2.4" && *band != "5")
            return StepOutput::failed("argument 'band' must be \"2.4\" or \"5\", not '" + *band +
                                      "'");
        // The resolved values, checked as bench check checks literals.
        nlohmann::json resolved{{"ssid", *ssid},       {"psk", *psk},
                                {"band", *band},       {"security", *security},
                                {"channel", *channel}, {"level_dbm", *level}};
        if (auto problems = ap_problems(resolved); !problems.empty())
            return StepOutput::failed(problems.front());

        FixtureLink* link = ctx.fixture("rfbox");
        if (!link)
            return StepOutput::failed("the station has no RF shield box (fixture 'rfbox')");
        fixtures::rfbox::Driver box(link->control());
        if (auto cleared = box.clear_wifi(); !cleared)
            return StepOutput::failed(cleared.error().message);
        fixtures::rfbox::AccessPoint ap;
        ap.ssid = *ssid;
        ap.psk = *psk;
        ap.band = *band;
        ap.channel = *channel;
        ap.security = *security;
        ap.level_dbm = *level;
        auto status = box.add_access_point(ap);
        if (!status)
            return StepOutput::failed(status.error().message);
        if (status->access_points != 1)
            return StepOutput::failed(link->control().describe() + ": after WIFI CLEAR and " +
                                      fixtures::rfbox::format_request(ap) + " the box reports " +
                                      fixtures::rfbox::format_reply(*status) +
                                      ", not one access point");

        DeviceClient& diag = ctx.camera();
        auto start = ctx.advance(0);
        if (!start)
            return StepOutput::failed(start.error().message);
        auto connect = diag.command("WIFI CONNECT " + fixtures::quote_word(*ssid) + " " +
                                    fixtures::quote_word(*psk));
        if (!connect)
            return StepOutput::failed(connect.error().message);
        if (!connect->empty())
            return StepOutput::failed(diag.describe() + ": WIFI CONNECT answered " +
                                      quote_for_message(*connect) + ", expected a bare OK");

        std::int64_t now = *start;
        WifiReading seen;
        bool associated = false;
        for (;;) {
            auto reading = read_wifi(diag);
            if (!reading)
                return StepOutput::failed(reading.error().message);
            seen = std::move(*reading);
            associated = seen.state == "connected" && seen.ssid == *ssid;
            if (associated || now - *start >= *timeout)
                break;
            auto next = ctx.advance(std::min(*poll, *timeout - (now - *start)));
            if (!next)
                return StepOutput::failed(next.error().message);
            now = *next;
        }

        std::string reason = seen.reason;
        if (!associated && seen.state == "connected")
            reason =
                "connected to '" + seen.ssid + "' (" + seen.bssid + "), not to '" + *ssid + "'";
        StepOutput out;
        out.add("associated", Value(associated))
            .add("state", Value(seen.state))
            .add("band", Value(associated ? seen.band : std::string()))
            .add("channel", associated ? Value(static_cast<double>(seen.channel)) : Value{})
            .add("rssi_dbm",
                 associated && seen.rssi_dbm ? Value(static_cast<double>(*seen.rssi_dbm)) : Value{})
            .add("join_ms", associated ? Value(static_cast<double>(now - *start)) : Value{})
            .add("reason", Value(associated ? std::string() : reason));
        return out;
    }
};
REGISTER_STEP_TYPE(WifiJoinStep);

} // namespace
} // namespace bwc::bench
