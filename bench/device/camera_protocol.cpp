// Typed camera calls (see camera_protocol.hpp).
#include "bench/device/camera_protocol.hpp"

#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"

#include <algorithm>

namespace bwc::bench {

namespace {

using Kind = DeviceError::Kind;
constexpr std::int64_t kMaxMs = std::numeric_limits<std::int64_t>::max();

std::optional<int> narrow(std::optional<std::int64_t> v) {
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

/// TIME, TIME ADVANCE and TIME UNTIL all answer now_ms=.
DeviceResult<std::int64_t> time_command(DeviceClient& port, std::string_view verb,
                                        std::int64_t ms) {
    const std::string command = "TIME " + std::string(verb) + " " + std::to_string(ms);
    if (ms < 0)
        return device_error(port, Kind::Protocol,
                            "will not send '" + command + "': the time must not be negative");
    auto reply = ReplyFields::query(port, command);
    if (!reply)
        return reply.error();
    const std::int64_t now = reply->integer("now_ms", 0, kMaxMs);
    return reply->result(now);
}

/// A button name is one plain word, so the command stays one well-formed line.
std::optional<DeviceError> check_button(const DeviceClient& physical, std::string_view button) {
    const bool plain = !button.empty() && std::all_of(button.begin(), button.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
    if (plain)
        return std::nullopt;
    return device_error(physical, Kind::Protocol,
                        "button name " + quote_for_message(button) +
                            " is not one word of letters, digits, '_' or '-'");
}

DeviceStatus no_payload(DeviceResult<std::string> reply) {
    if (!reply)
        return reply.error();
    return std::monostate{};
}

} // namespace

DeviceResult<CameraIdentity> identify_camera(DeviceClient& diag) {
    auto reply = ReplyFields::query(diag, "IDENTIFY");
    if (!reply)
        return reply.error();
    CameraIdentity id;
    id.model = reply->text("model");
    id.serial = reply->text("serial");
    id.firmware = reply->text("firmware");
    id.hardware = reply->text("hardware");
    id.imei = reply->text("imei", /*may_be_empty=*/true);
    id.mac = reply->text("mac", /*may_be_empty=*/true);
    id.battery_id = reply->text("battery_id", /*may_be_empty=*/true);
    return reply->result(std::move(id));
}

DeviceResult<DeviceTime> read_time(DeviceClient& port) {
    auto reply = ReplyFields::query(port, "TIME");
    if (!reply)
        return reply.error();
    DeviceTime t;
    t.now_ms = reply->integer("now_ms", 0, kMaxMs);
    t.virtual_time = reply->one_of("mode", {"virtual", "realtime"}) == "virtual";
    return reply->result(t);
}

DeviceResult<std::int64_t> advance_time(DeviceClient& port, std::int64_t ms) {
    return time_command(port, "ADVANCE", ms);
}

DeviceResult<std::int64_t> advance_until(DeviceClient& port, std::int64_t at_ms) {
    return time_command(port, "UNTIL", at_ms);
}

DeviceResult<nlohmann::json> read_state(DeviceClient& diag) {
    auto state = query_json<nlohmann::json>(diag, "STATE");
    if (!state)
        return state;
    const auto problem = [&](Kind kind, const std::string& what) {
        return device_error(diag, kind,
                            "the STATE snapshot " + what + ": " + quote_for_message(state->dump()));
    };
    if (!state->is_object())
        return problem(Kind::Protocol, "is not a JSON object");
    const auto schema = state->find("schema");
    if (schema == state->end() || !schema->is_number_integer())
        return problem(Kind::Protocol, "has no whole-number \"schema\"");
    if (*schema != kSnapshotSchema)
        return problem(Kind::VersionMismatch, "has schema " + schema->dump() +
                                                  ", the bench reads schema " +
                                                  std::to_string(kSnapshotSchema));
    return state;
}

DeviceStatus press_button(DeviceClient& physical, std::string_view button, std::int64_t ms) {
    if (auto bad = check_button(physical, button))
        return *bad;
    if (ms < 0)
        return device_error(physical, Kind::Protocol,
                            "a press of " + std::to_string(ms) + " ms cannot be sent");
    return no_payload(physical.command("PRESS " + std::string(button) + " " + std::to_string(ms)));
}

DeviceStatus set_button(DeviceClient& physical, std::string_view button, bool down) {
    if (auto bad = check_button(physical, button))
        return *bad;
    return no_payload(physical.command("BUTTON " + std::string(button) + (down ? " DOWN" : " UP")));
}

DeviceResult<GaugeReading> read_gauge(DeviceClient& diag) {
    auto reply = ReplyFields::query(diag, "GAUGE");
    if (!reply)
        return reply.error();
    GaugeReading g;
    g.voltage_mv = narrow(reply->optional_integer("voltage_mv"));
    g.current_ma = narrow(reply->optional_integer("current_ma"));
    g.temperature_dc = narrow(reply->optional_integer("temperature_dc"));
    g.soc_percent = narrow(reply->optional_integer("soc"));
    g.remaining_mah = narrow(reply->optional_integer("remaining_mah"));
    g.full_charge_mah = narrow(reply->optional_integer("full_charge_mah"));
    g.cycle_count = narrow(reply->optional_integer("cycle_count"));
    g.battery_id = reply->text("battery_id", /*may_be_empty=*/true);
    g.present = reply->flag("present");
    return reply->result(std::move(g));
}

} // namespace bwc::bench
