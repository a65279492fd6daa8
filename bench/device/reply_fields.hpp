// Typed reading of reply payloads for the camera and dock helpers: key=value
// fields with validated numbers, and JSON payloads. Every problem becomes a
// Protocol error naming the device, the command, the field and quoting the
// reply, so a bad reply is never read as a silent default.
#pragma once

#include "bench/device/device_client.hpp"

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace bwc::bench {

/// An error of `kind` about `device` (its describe() leads the message).
DeviceError device_error(const DeviceClient& device, DeviceError::Kind kind, std::string what);

/// The key=value fields of one reply. Getters record the first problem and
/// return a placeholder after it; read every field, then check problem().
class ReplyFields {
public:
    /// Sends `command` and parses its payload as key=value words.
    static DeviceResult<ReplyFields> query(DeviceClient& device, std::string_view command);

    static constexpr std::int64_t kIntMin = std::numeric_limits<int>::min();
    static constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();

    /// The value; a missing key is a problem, so is an empty value unless allowed.
    std::string text(std::string_view key, bool may_be_empty = false);
    /// A whole number in [min, max]; missing, empty or not a number is a problem.
    std::int64_t integer(std::string_view key, std::int64_t min = kIntMin,
                         std::int64_t max = kIntMax);
    /// As integer(), but an empty value (the device does not know) is nullopt.
    std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min = kIntMin,
                                                 std::int64_t max = kIntMax);
    /// 0 or 1.
    bool flag(std::string_view key);
    /// One of `choices`; anything else is a problem.
    std::string one_of(std::string_view key, std::initializer_list<std::string_view> choices);

    /// The first problem met, if any.
    const std::optional<DeviceError>& problem() const { return problem_; }
    /// `value` read from these fields, or the first problem met reading it.
    template <class T>
    DeviceResult<T> result(T value) const {
        if (problem_)
            return *problem_;
        return value;
    }
    const KeyValues& fields() const { return fields_; }

private:
    ReplyFields(const DeviceClient& device, std::string_view command, std::string payload,
                KeyValues fields);
    const std::string* require(std::string_view key);
    void fail(std::string what);
    std::optional<std::int64_t> number(std::string_view key, std::string_view text,
                                       std::int64_t min, std::int64_t max);

    const DeviceClient* device_;
    std::string command_;
    std::string payload_;
    KeyValues fields_;
    std::optional<DeviceError> problem_;
};

/// Sends `command` and parses its payload as JSON (Json: nlohmann::json or
/// nlohmann::ordered_json); a parse failure is a Protocol error quoting it.
template <class Json>
DeviceResult<Json> query_json(DeviceClient& device, std::string_view command);

} // namespace bwc::bench
