// Identification step types: `identify` reads who the unit says it is over
// its diag port (IDENTIFY) and hands the identity to the record; limits in
// the procedure compare it with the label and the model table.
#include "bench/device/camera_protocol.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "firmware/core/radio/at_reply.hpp"

#include <cctype>

namespace bwc::bench {
namespace {

/// Six colon-separated pairs of hex digits.
bool mac_well_formed(const std::string& mac) {
    if (mac.size() != 17)
        return false;
    for (std::size_t i = 0; i < mac.size(); ++i) {
        const bool colon_slot = i % 3 == 2;
        const auto c = static_cast<unsigned char>(mac[i]);
        if (colon_slot ? c != ':' : !std::isxdigit(c))
            return false;
    }
    return true;
}

class IdentifyStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "identify",
            .family = "identification",
            .help =
                "Reads the unit's identity (IDENTIFY on the diag port) into the record and reports "
                "each "
                "field; imei_valid is 15 digits with a correct Luhn check digit (3GPP TS 23.003), "
                "mac_valid six hex pairs.",
            .args = {},
            .measurements = {
                {.name = "model", .unit = "", .help = "W100 / W120"},
                {.name = "serial", .unit = "", .help = "serial number"},
                {.name = "firmware", .unit = "", .help = "firmware version"},
                {.name = "hardware", .unit = "", .help = "hardware revision"},
                {.name = "imei", .unit = "", .help = "modem IMEI; empty without a modem"},
                {.name = "imei_valid", .unit = "", .help = "15 digits, Luhn check digit right"},
                {.name = "mac", .unit = "", .help = "Wi-Fi MAC address"},
                {.name = "mac_valid", .unit = "", .help = "six colon-separated hex pairs"},
                {.name = "battery_id", .unit = "", .help = "the fitted battery's id"}}};
        return i;
    }
    StepOutput measure(StepContext& ctx, const nlohmann::json&) const override {
        auto id = identify_camera(ctx.camera());
        if (!id)
            return StepOutput::failed(id.error().message);
        ctx.set_identity(UnitIdentity{id->serial, id->model, id->firmware, id->hardware, id->imei,
                                      id->mac, id->battery_id});
        StepOutput out;
        out.add("model", Value(id->model))
            .add("serial", Value(id->serial))
            .add("firmware", Value(id->firmware))
            .add("hardware", Value(id->hardware))
            .add("imei", Value(id->imei))
            .add("imei_valid", Value(fw::radio::imei_luhn_valid(id->imei)))
            .add("mac", Value(id->mac))
            .add("mac_valid", Value(mac_well_formed(id->mac)))
            .add("battery_id", Value(id->battery_id));
        return out;
    }
};
REGISTER_STEP_TYPE(IdentifyStep);

} // namespace
} // namespace bwc::bench
