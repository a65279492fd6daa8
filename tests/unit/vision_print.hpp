// How Boost.Test prints the firmware's and the vision code's enums in failure
// messages ("red", not 3), shared by the vision unit test files.
#pragma once

#include "bench/vision/face_reader.hpp"
#include "firmware/core/indicators.hpp"
#include "firmware/core/model.hpp"

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
