// GNSS step types (SPEC §7 "GPS"): the station's shared GNSS simulator
// radiates a synthetic sky into the nest, the unit's receiver has to find
// it, and what the camera reports on its diag port (`GNSS`,
// firmware/PROTOCOL.md) is compared with what was simulated.
//   gnss.fix  set a scenario, let device time pass until a fix or the
//             timeout; report the fix, the time to it, the position error
//             and the signal the receiver saw.
// The simulator is shared by every bay (one antenna over the station): the
// runner holds its lock while the step runs, and the step sets its scenario
// each time because another bay may have changed it since.
#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "fixtures/gnss/driver.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>
#include <optional>
#include <string>

namespace bwc::bench {
namespace {

// --- Named choices (no manual gives them; see procedures/examples/radios.yaml) ---

/// Mean Earth radius (IUGG) for the haversine distance. A sphere is within
/// 0.5 % of the ellipsoid's distances, far inside any position limit.
constexpr double kEarthRadiusM = 6'371'008.8;
/// Default scenario: an open sky over the bench (Stockholm, matching the
/// emulated SIM's home network 240 01), eight satellites at 45 dB-Hz — a
/// typical open-sky C/N0 (40-50 dB-Hz).
constexpr double kDefaultLat = 59.3293;
constexpr double kDefaultLon = 18.0686;
constexpr double kDefaultAltM = 30.0;
constexpr std::int64_t kDefaultSatellites = 8;
constexpr double kDefaultCn0DbHz = 45.0;
/// A cold start takes 26-30 s on a u-blox M8-class receiver at open sky; two
/// of them fit in the default timeout.
constexpr std::int64_t kDefaultTimeoutMs = 60'000;
/// Receivers report once a second: polling faster learns nothing new.
constexpr std::int64_t kDefaultPollMs = 1'000;
/// The simulator takes coordinates with at most 7 decimals (fixtures/PROTOCOL.md).
constexpr double kCoordinateEcho = 1e-7;

ArgSpec number_arg(const char* name, double fallback, const char* help) {
    return {.name = name, .kind = ArgSpec::Kind::Number, .default_value = fallback, .help = help};
}
ArgSpec integer_arg(const char* name, std::int64_t fallback, const char* help) {
    return {.name = name, .kind = ArgSpec::Kind::Integer, .default_value = fallback, .help = help};
}

/// A number argument in low..high; `fallback` when absent.
Result<double> arg_number(const nlohmann::json& args, const char* name, double fallback, double low,
                          double high) {
    auto it = args.find(name);
    double v = fallback;
    if (it != args.end() && !it->is_null()) {
        if (!it->is_number() || !std::isfinite(it->get<double>()))
            return Result<double>::failure(std::string("argument '") + name +
                                           "' must be a number, not " + it->dump());
        v = it->get<double>();
    }
    if (v < low || v > high)
        return Result<double>::failure(
            std::string("argument '") + name + "' must be " + fixtures::format_decimal(low, 7) +
            ".." + fixtures::format_decimal(high, 7) + ", not " + fixtures::format_decimal(v, 7));
    return v;
}

/// bench check: a literal argument outside its range (a "${…}" is checked when it runs).
void check_range(const nlohmann::json& args, const char* name, double low, double high,
                 std::vector<std::string>& problems) {
    auto it = args.find(name);
    if (it == args.end() || !it->is_number())
        return;
    const double v = it->get<double>();
    if (!(v >= low && v <= high))
        problems.push_back(std::string("argument '") + name + "' must be " +
                           fixtures::format_decimal(low, 7) + ".." +
                           fixtures::format_decimal(high, 7) + ", not " + it->dump());
}

/// Great-circle distance on the sphere of kEarthRadiusM (haversine).
double haversine_m(double lat1, double lon1, double lat2, double lon2) {
    const double rad = std::numbers::pi / 180.0;
    const double dlat = (lat2 - lat1) * rad;
    const double dlon = (lon2 - lon1) * rad;
    const double a =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

/// The camera's `GNSS` diag reply, every field checked.
struct GnssReading {
    std::string fix; // none, 2d, 3d (PROTOCOL.md); "yes" from bwc-emu (see below)
    std::optional<double> lat, lon;
    std::int64_t sats_used = 0;
    std::int64_t sats_in_view = 0;
    std::optional<std::int64_t> best_cn0;
    std::optional<std::int64_t> ttff_ms;
};

/// A decimal as the devices write numbers (JSON number syntax), finite.
std::optional<double> parse_decimal_text(std::string_view text) {
    if (text.empty() || text.front() == '+')
        return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

DeviceResult<GnssReading> read_gnss(DeviceClient& diag) {
    auto payload = diag.command("GNSS");
    if (!payload)
        return payload.error();
    auto kv = parse_key_values(*payload);
    const auto bad = [&](const std::string& what) {
        return device_error(diag, DeviceError::Kind::Protocol,
                            "the GNSS reply " + what + " (reply " + quote_for_message(*payload) +
                                ")");
    };
    if (!kv)
        return bad("is not key=value words: " + kv.error());
    GnssReading r;
    const std::string* fix = kv->find("fix");
    if (!fix)
        return bad("lacks 'fix='");
    // PROTOCOL.md says none|2d|3d; bwc-emu answers "yes" for a fix whose
    // dimension it does not report. Both are taken; the procedure judges.
    if (*fix != "none" && *fix != "2d" && *fix != "3d" && *fix != "yes")
        return bad("gives 'fix' as " + quote_for_message(*fix) + ", not none, 2d or 3d");
    r.fix = *fix;
    for (const char* key : {"lat", "lon"}) {
        const std::string* text = kv->find(key);
        if (!text)
            return bad("lacks '" + std::string(key) + "='");
        if (text->empty())
            continue;
        const auto v = parse_decimal_text(*text);
        const double limit = std::string_view(key) == "lat" ? 90.0 : 180.0;
        if (!v || *v < -limit || *v > limit)
            return bad("gives '" + std::string(key) + "' as " + quote_for_message(*text) +
                       ", not a coordinate");
        (std::string_view(key) == "lat" ? r.lat : r.lon) = *v;
    }
    if (r.fix == "none" && (r.lat || r.lon))
        return bad("gives a position without a fix");
    if (r.fix != "none" && (!r.lat || !r.lon))
        return bad("reports a fix without a position");
    const auto whole = [&](const char* key, bool may_be_empty, std::int64_t low, std::int64_t high,
                           std::optional<std::int64_t>& out) -> std::optional<DeviceError> {
        const std::string* text = kv->find(key);
        if (!text)
            return bad("lacks '" + std::string(key) + "='");
        if (text->empty()) {
            if (may_be_empty)
                return std::nullopt;
            return bad("has an empty '" + std::string(key) + "='");
        }
        const auto v = parse_whole_number(*text);
        if (!v || *v < low || *v > high)
            return bad("gives '" + std::string(key) + "' as " + quote_for_message(*text) +
                       ", not a whole number in " + std::to_string(low) + ".." +
                       std::to_string(high));
        out = *v;
        return std::nullopt;
    };
    std::optional<std::int64_t> used, in_view;
    // GNSS receivers have at most a few hundred channels; C/N0 is 0-99 dB-Hz (NMEA GSV).
    if (auto e = whole("sats_used", true, 0, 255, used))
        return *e;
    if (auto e = whole("sats_in_view", true, 0, 255, in_view))
        return *e;
    if (auto e = whole("best_cn0", true, 0, 99, r.best_cn0))
        return *e;
    if (auto e = whole("ttff_ms", true, 0, std::int64_t{1} << 52, r.ttff_ms))
        return *e;
    r.sats_used = used.value_or(0);
    r.sats_in_view = in_view.value_or(0);
    return r;
}

class GnssFixStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "gnss.fix",
            .family = "gnss",
            .help = "Sets a scenario on the station's GNSS simulator (lat, lon, alt, sats at "
                    "cn0), then lets device time pass, reading the camera's GNSS reply every "
                    "poll_ms, until it reports a fix or timeout_ms has passed. ttff_ms is the "
                    "device time from the scenario to the first reply with a fix (to within "
                    "poll_ms); error_m the haversine distance from the simulated position. No "
                    "fix: ttff_ms and error_m are none and fail any range limit. A model without "
                    "GNSS (W100) is a step error: skip the step for it.",
            .args = {number_arg("lat", kDefaultLat, "simulated latitude, -90..90 degrees"),
                     number_arg("lon", kDefaultLon, "simulated longitude, -180..180 degrees"),
                     number_arg("alt", kDefaultAltM, "simulated altitude, -1000..50000 m"),
                     integer_arg("sats", kDefaultSatellites, "satellites up, 0..12"),
                     number_arg("cn0", kDefaultCn0DbHz, "their C/N0, 0..99 dB-Hz"),
                     integer_arg("timeout_ms", kDefaultTimeoutMs,
                                 "device time to wait for a fix, 1..600000"),
                     integer_arg("poll_ms", kDefaultPollMs,
                                 "device time between readings, 1..60000")},
            .measurements =
                {{.name = "fix", .unit = "", .help = "none, 2d or 3d (bwc-emu: yes)"},
                 {.name = "ttff_ms", .unit = "C26", .help = "scenario to first fix"},
                 {.name = "error_m", .unit = "MTR", .help = "reported to simulated, horizontal"},
                 {.name = "best_cn0", .unit = "2N", .help = "strongest satellite's C/N0, dB-Hz"},
                 {.name = "sats_used", .unit = "C62", .help = "satellites in the solution"},
                 {.name = "sats_in_view", .unit = "C62", .help = "satellites in view"},
                 {.name = "lat", .unit = "DD", .help = "reported latitude"},
                 {.name = "lon", .unit = "DD", .help = "reported longitude"}},
            .fixtures = {"gnss"}};
        return i;
    }

    std::vector<std::string> check(const nlohmann::json& args) const override {
        std::vector<std::string> problems;
        check_range(args, "lat", -90, 90, problems);
        check_range(args, "lon", -180, 180, problems);
        check_range(args, "alt", fixtures::gnss::kMinAltM, fixtures::gnss::kMaxAltM, problems);
        check_range(args, "sats", 0, static_cast<double>(fixtures::gnss::kMaxSatellites), problems);
        check_range(args, "cn0", 0, fixtures::gnss::kMaxCn0DbHz, problems);
        check_range(args, "timeout_ms", 1, 600'000, problems);
        check_range(args, "poll_ms", 1, 60'000, problems);
        return problems;
    }

    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto lat = arg_number(args, "lat", kDefaultLat, -90, 90);
        auto lon = arg_number(args, "lon", kDefaultLon, -180, 180);
        auto alt = arg_number(args, "alt", kDefaultAltM, fixtures::gnss::kMinAltM,
                              fixtures::gnss::kMaxAltM);
        auto sats =
            arg_integer(args, "sats", kDefaultSatellites, 0, fixtures::gnss::kMaxSatellites);
        auto cn0 = arg_number(args, "cn0", kDefaultCn0DbHz, 0, fixtures::gnss::kMaxCn0DbHz);
        auto timeout = arg_integer(args, "timeout_ms", kDefaultTimeoutMs, 1, 600'000);
        auto poll = arg_integer(args, "poll_ms", kDefaultPollMs, 1, 60'000);
        for (const std::string* e : {&lat.error(), &lon.error(), &alt.error(), &sats.error(),
                                     &cn0.error(), &timeout.error(), &poll.error()})
            if (!e->empty())
                return StepOutput::failed(*e);

        FixtureLink* link = ctx.fixture("gnss");
        if (!link)
            return StepOutput::failed("the station has no GNSS simulator (fixture 'gnss')");
        fixtures::gnss::Driver simulator(link->control());
        fixtures::gnss::Scenario want;
        want.lat = *lat;
        want.lon = *lon;
        want.alt_m = *alt;
        want.satellites = *sats;
        want.cn0_dbhz = *cn0;
        auto status = simulator.scenario(want);
        if (!status)
            return StepOutput::failed(status.error().message);
        // The simulator answers with what it now radiates: it must be ours.
        const auto& got = status->scenario;
        if (status->mode != fixtures::gnss::Mode::Scenario || !got ||
            std::fabs(got->lat - want.lat) > kCoordinateEcho ||
            std::fabs(got->lon - want.lon) > kCoordinateEcho || got->satellites != want.satellites)
            return StepOutput::failed(
                link->control().describe() + ": asked for " + fixtures::gnss::format_request(want) +
                ", the simulator reports " + fixtures::gnss::format_reply(*status));

        // Device time from here on; advance(0) also reads it on real hardware.
        auto start = ctx.advance(0);
        if (!start)
            return StepOutput::failed(start.error().message);
        std::int64_t now = *start;
        GnssReading seen;
        for (;;) {
            auto reading = read_gnss(ctx.camera());
            if (!reading)
                return StepOutput::failed(reading.error().message);
            seen = std::move(*reading);
            if (seen.fix != "none" || now - *start >= *timeout)
                break;
            auto next = ctx.advance(std::min(*poll, *timeout - (now - *start)));
            if (!next)
                return StepOutput::failed(next.error().message);
            now = *next;
        }

        const bool fixed = seen.fix != "none";
        const auto number = [](const std::optional<std::int64_t>& v) {
            return v ? Value(static_cast<double>(*v)) : Value{};
        };
        StepOutput out;
        out.add("fix", Value(seen.fix))
            .add("ttff_ms", fixed ? Value(static_cast<double>(now - *start)) : Value{})
            .add("error_m",
                 fixed ? Value(haversine_m(want.lat, want.lon, *seen.lat, *seen.lon)) : Value{})
            .add("best_cn0", number(seen.best_cn0))
            .add("sats_used", Value(static_cast<double>(seen.sats_used)))
            .add("sats_in_view", Value(static_cast<double>(seen.sats_in_view)))
            .add("lat", seen.lat ? Value(*seen.lat) : Value{})
            .add("lon", seen.lon ? Value(*seen.lon) : Value{});
        return out;
    }
};
REGISTER_STEP_TYPE(GnssFixStep);

} // namespace
} // namespace bwc::bench
