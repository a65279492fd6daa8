// Boost.Test printing for the radio enumerations (bwc::fw::radio), shared by
// the radio tests: a failed check prints the value's name where it has one,
// its number otherwise.
#pragma once

#include "firmware/core/radio/lte_manager.hpp"
#include "firmware/core/radio/wifi_manager.hpp"

#include <ostream>
#include <type_traits>

namespace bwc::fw::radio {

template <class E>
requires std::is_enum_v<E> std::ostream& boost_test_print_type(std::ostream& os, const E& e) {
    if constexpr (requires { to_string(e); })
        return os << to_string(e);
    else
        return os << static_cast<int>(e);
}

inline std::ostream& boost_test_print_type(std::ostream& os, const MobileIcon& i) {
    return os << "MobileIcon(" << static_cast<int>(i.kind) << ", " << i.bars << " bars)";
}

inline std::ostream& boost_test_print_type(std::ostream& os, const WifiIcon& i) {
    return os << "WifiIcon(" << static_cast<int>(i.kind) << ", " << i.bars << " bars)";
}

} // namespace bwc::fw::radio
