// Station accessors (see station.hpp).
#include "bench/station/station.hpp"

namespace bwc::bench {

const Bay* Station::bay(int number) const {
    for (const Bay& b : bays)
        if (b.number == number)
            return &b;
    return nullptr;
}

} // namespace bwc::bench
