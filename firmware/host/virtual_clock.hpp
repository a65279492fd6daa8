// A deterministic virtual clock for the host: time moves only when the
// simulation says so, to the next due event, as fast as the CPU allows.
#pragma once

#include "firmware/core/time.hpp"

namespace bwc::host {

using fw::Millis;

class VirtualClock final : public fw::Clock {
public:
    Millis now() const override { return now_; }
    /// Move forward; moving backwards is ignored (the clock is monotonic).
    void set(Millis t) {
        if (t > now_)
            now_ = t;
    }

private:
    Millis now_{0};
};

} // namespace bwc::host
