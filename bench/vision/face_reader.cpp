// read_face (see face_reader.hpp): registration, colour reference, LEDs, display, in that
// order; the first rejection ends the frame.
#include "bench/vision/face_reader.hpp"

#include <nlohmann/json.hpp>

namespace bwc::vision {

const LedReading* FaceReading::led(std::string_view name) const {
    for (const LedReading& l : leds)
        if (l.name == name)
            return &l;
    return nullptr;
}

Reading<FaceReading> read_face(const cv::Mat& bgr, const ReadOptions& options) {
    FaceReading out;
    if (options.registration) {
        if (options.expected_model && *options.expected_model != options.registration->model)
            return Rejection{RejectionCode::WrongModel,
                             "expected a " + std::string(fw::to_string(*options.expected_model)) +
                                 ", the registration is for a " +
                                 std::string(fw::to_string(options.registration->model))};
        const auto check = verify_registration(bgr, *options.registration);
        if (!check)
            return check.error();
        out.registration = *options.registration;
    } else {
        auto reg = register_frame(bgr, options.expected_model);
        if (!reg)
            return reg.error();
        out.registration = std::move(reg).value();
    }
    if (options.colour_reference) {
        out.colour = *options.colour_reference;
    } else {
        auto ref = measure_colour_reference(bgr, out.registration);
        if (!ref)
            return ref.error();
        out.colour = std::move(ref).value();
    }
    auto leds = read_leds(bgr, out.registration, out.colour);
    if (!leds)
        return leds.error();
    out.leds = std::move(leds).value();
    if (fw::model_spec(out.registration.model).caps.display) {
        auto display = read_display(bgr, out.registration, out.colour, options.display);
        if (!display)
            return display.error();
        out.display = std::move(display).value();
    }
    return out;
}

void to_json(nlohmann::json& j, const FaceReading& r) {
    j = nlohmann::json{{"model", fw::to_string(r.registration.model)},
                       {"registration", r.registration},
                       {"colour_reference", r.colour},
                       {"leds", r.leds}};
    if (r.display)
        j["display"] = *r.display;
}

} // namespace bwc::vision
