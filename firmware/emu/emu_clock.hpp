// The clock of one emulated bay: virtual (time moves only when the bench
// says TIME ADVANCE, as fast as the CPU allows, boundary presses exact) or
// real time (follows the host's monotonic clock, for demos and the console).
#pragma once

#include "firmware/core/time.hpp"

#include <chrono>

namespace bwc::emu {

using fw::Millis;

enum class ClockMode { Virtual, Realtime };

class EmuClock final : public fw::Clock {
public:
    explicit EmuClock(ClockMode mode) : mode_(mode), start_(std::chrono::steady_clock::now()) {}

    Millis now() const override {
        if (mode_ == ClockMode::Virtual)
            return virtual_now_;
        return offset_ +
               std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - start_);
    }
    ClockMode mode() const { return mode_; }
    /// Virtual mode: move to `t` (never backwards). Real time: ignored.
    void set(Millis t) {
        if (mode_ == ClockMode::Virtual && t > virtual_now_)
            virtual_now_ = t;
    }

private:
    ClockMode mode_;
    std::chrono::steady_clock::time_point start_;
    Millis virtual_now_{0};
    Millis offset_{0};
};

} // namespace bwc::emu
