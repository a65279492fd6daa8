// Typed fields of reply payloads (see reply_fields.hpp).
#include "bench/device/reply_fields.hpp"

#include "bench/device/protocol_text.hpp"

#include <nlohmann/json.hpp>

namespace bwc::bench {

DeviceError device_error(const DeviceClient& device, DeviceError::Kind kind, std::string what) {
    return DeviceError{kind, {}, device.describe() + ": " + what};
}

ReplyFields::ReplyFields(const DeviceClient& device, std::string_view command, std::string payload,
                         KeyValues fields)
    : device_(&device), command_(command), payload_(std::move(payload)),
      fields_(std::move(fields)) {}

DeviceResult<ReplyFields> ReplyFields::query(DeviceClient& device, std::string_view command) {
    auto payload = device.command(command);
    if (!payload)
        return payload.error();
    auto fields = parse_key_values(*payload);
    if (!fields)
        return device_error(device, DeviceError::Kind::Protocol,
                            "the " + std::string(command) +
                                " reply is not key=value words: " + fields.error());
    return ReplyFields(device, command, std::move(*payload), std::move(*fields));
}

void ReplyFields::fail(std::string what) {
    if (!problem_)
        problem_ = device_error(*device_, DeviceError::Kind::Protocol,
                                "the " + command_ + " reply " + what + " (reply " +
                                    quote_for_message(payload_) + ")");
}

const std::string* ReplyFields::require(std::string_view key) {
    const std::string* value = fields_.find(key);
    if (!value)
        fail("lacks '" + std::string(key) + "='");
    return value;
}

std::string ReplyFields::text(std::string_view key, bool may_be_empty) {
    const std::string* value = require(key);
    if (!value)
        return {};
    if (value->empty() && !may_be_empty)
        fail("has an empty '" + std::string(key) + "='");
    return *value;
}

std::optional<std::int64_t> ReplyFields::number(std::string_view key, std::string_view text,
                                                std::int64_t min, std::int64_t max) {
    const auto value = parse_whole_number(text);
    if (!value) {
        fail("gives '" + std::string(key) + "' as " + quote_for_message(text) +
             ", not a whole number");
        return std::nullopt;
    }
    if (*value < min || *value > max) {
        fail("gives '" + std::string(key) + "' as " + std::string(text) + ", outside " +
             std::to_string(min) + ".." + std::to_string(max));
        return std::nullopt;
    }
    return value;
}

std::int64_t ReplyFields::integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const std::string* value = require(key);
    if (!value)
        return 0;
    return number(key, *value, min, max).value_or(0);
}

std::optional<std::int64_t> ReplyFields::optional_integer(std::string_view key, std::int64_t min,
                                                          std::int64_t max) {
    const std::string* value = require(key);
    if (!value || value->empty())
        return std::nullopt;
    return number(key, *value, min, max);
}

bool ReplyFields::flag(std::string_view key) {
    return integer(key, 0, 1) == 1;
}

std::string ReplyFields::one_of(std::string_view key,
                                std::initializer_list<std::string_view> choices) {
    std::string value = text(key, true);
    std::string listed;
    for (std::string_view choice : choices) {
        if (value == choice)
            return value;
        listed += (listed.empty() ? "" : "|") + std::string(choice);
    }
    if (fields_.find(key))
        fail("gives '" + std::string(key) + "' as " + quote_for_message(value) + ", not " + listed);
    return value;
}

template <class Json>
DeviceResult<Json> query_json(DeviceClient& device, std::string_view command) {
    auto payload = device.command(command);
    if (!payload)
        return payload.error();
    try {
        return Json::parse(*payload);
    } catch (const nlohmann::json::exception& e) {
        return device_error(device, DeviceError::Kind::Protocol,
                            "the " + std::string(command) + " reply is not JSON (" + e.what() +
                                "): " + quote_for_message(*payload));
    }
}

template DeviceResult<nlohmann::json> query_json<nlohmann::json>(DeviceClient&, std::string_view);
template DeviceResult<nlohmann::ordered_json> query_json<nlohmann::ordered_json>(DeviceClient&,
                                                                                 std::string_view);

} // namespace bwc::bench
