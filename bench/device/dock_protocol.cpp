// Typed dock calls (see dock_protocol.hpp).
#include "bench/device/dock_protocol.hpp"

#include "bench/device/protocol_text.hpp"
#include "bench/device/reply_fields.hpp"

#include <limits>
#include <nlohmann/json.hpp>
#include <set>

namespace bwc::bench {

namespace {

using Json = nlohmann::ordered_json;

/// Reads the members of one BAYS element; the first problem is kept.
class BayReader {
public:
    BayReader(const Json& element, std::size_t index) : element_(element), index_(index) {}

    const Json* member(const char* key) {
        const auto it = element_.find(key);
        if (it == element_.end()) {
            fail(std::string("has no \"") + key + "\"");
            return nullptr;
        }
        return &*it;
    }
    int integer(const char* key, const Json* value = nullptr) {
        if (!value)
            value = member(key);
        if (!value)
            return 0;
        if (!value->is_number_integer() || *value < std::numeric_limits<int>::min() ||
            *value > std::numeric_limits<int>::max()) {
            fail(std::string("gives \"") + key + "\" as " + value->dump() + ", not a whole number");
            return 0;
        }
        return value->get<int>();
    }
    bool boolean(const char* key) {
        const Json* value = member(key);
        if (value && !value->is_boolean())
            fail(std::string("gives \"") + key + "\" as " + value->dump() + ", not true/false");
        return value && value->is_boolean() && value->get<bool>();
    }
    void fail(std::string what) {
        if (!problem_)
            problem_ = "element " + std::to_string(index_ + 1) + " " + what;
    }
    const std::optional<std::string>& problem() const { return problem_; }

private:
    const Json& element_;
    std::size_t index_;
    std::optional<std::string> problem_;
};

std::optional<std::string> read_bay(const Json& element, std::size_t index, BayStatus& out) {
    BayReader r(element, index);
    if (!element.is_object()) {
        r.fail("is not a JSON object");
        return r.problem();
    }
    out.bay = r.integer("bay");
    if (r.problem() == std::nullopt && out.bay < 1)
        r.fail("gives bay number " + std::to_string(out.bay));
    if (const Json* serial = r.member("serial")) {
        if (serial->is_string())
            out.serial = serial->get<std::string>();
        else if (!serial->is_null())
            r.fail("gives \"serial\" as " + serial->dump() + ", not a string or null");
    }
    out.present = r.boolean("present");
    out.vbus_mv = r.integer("vbus_mv");
    out.charge_ma = r.integer("charge_ma");
    out.link = r.boolean("link");
    if (const Json* pins = r.member("pins")) {
        if (!pins->is_object())
            r.fail("gives \"pins\" as " + pins->dump() + ", not an object");
        else
            for (const auto& [name, value] : pins->items())
                out.pins_mohm.emplace_back(name, r.integer(name.c_str(), &value));
    }
    return r.problem();
}

} // namespace

DeviceResult<DockIdentity> identify_dock(DeviceClient& dock) {
    auto reply = ReplyFields::query(dock, "IDENTIFY");
    if (!reply)
        return reply.error();
    DockIdentity id;
    id.model = reply->text("model");
    id.serial = reply->text("serial");
    id.bays = static_cast<int>(reply->integer("bays", 1, 64));
    return reply->result(std::move(id));
}

DeviceResult<std::vector<BayStatus>> read_bays(DeviceClient& dock) {
    auto bays = query_json<Json>(dock, "BAYS");
    if (!bays)
        return bays.error();
    const auto problem = [&](const std::string& what) {
        return device_error(dock, DeviceError::Kind::Protocol,
                            "the BAYS reply " + what + ": " + quote_for_message(bays->dump()));
    };
    if (!bays->is_array())
        return problem("is not a JSON array");
    std::vector<BayStatus> out;
    out.reserve(bays->size());
    std::set<int> seen;
    for (std::size_t i = 0; i < bays->size(); ++i) {
        BayStatus bay;
        if (auto bad = read_bay((*bays)[i], i, bay))
            return problem(*bad);
        if (!seen.insert(bay.bay).second)
            return problem("lists bay " + std::to_string(bay.bay) + " twice");
        out.push_back(std::move(bay));
    }
    return out;
}

} // namespace bwc::bench
