// Shared by the vision unit test files: how Boost.Test prints the firmware's
// and the vision code's enums in failure messages ("red", not 3), and the
// harshest render conditions the vision code must hold over.
#pragma once

#include "bench/vision/face_reader.hpp"
#include "firmware/core/indicators.hpp"
#include "firmware/core/model.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <ostream>

namespace bwc::fw {
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Colour c) {
    return os << to_string(c);
}
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Pattern p) {
    return os << to_string(p);
}
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Icon i) {
    return os << to_string(i);
}
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, Model m) {
    return os << to_string(m);
}
} // namespace bwc::fw
namespace bwc::vision {
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, RejectionCode c) {
    return os << to_string(c);
}
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os,
                                                            ColourReference::Source s) {
    return os << to_string(s);
}
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os,
                                                            Registration::Source s) {
    return os << to_string(s);
}
} // namespace bwc::vision

namespace bwc::test {
/// 1280×720 at the limits of every documented range: exposure and white
/// balance as given, noise σ 8, blur 2 px, tilt 5° about `tilt_axis_deg`.
inline emu::RenderConditions harsh_conditions(double ev, double wb, double tilt_axis_deg) {
    emu::RenderConditions c;
    c.size = {1280, 720};
    c.exposure_ev = ev;
    c.white_balance_k = wb;
    c.noise_sigma = emu::kMaxNoiseSigma;
    c.blur_px = emu::kMaxBlurPx;
    c.tilt_deg = emu::kMaxTiltDeg;
    c.tilt_axis_deg = tilt_axis_deg;
    return c;
}
} // namespace bwc::test
