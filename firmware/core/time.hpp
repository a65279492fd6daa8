// Time as the firmware core sees it: durations and instants in milliseconds,
// and the Clock interface through which the core reads "now".
//
// The core never asks the operating system for time. The host (an emulator,
// a unit test, the real camera's board support) implements Clock; a virtual
// clock lets an 8-week lock-out run in milliseconds and keeps ±150 ms
// boundary presses exact.
#pragma once

#include <chrono>
#include <cstdint>

namespace bwc::fw {

/// A duration, and an instant measured from the clock's epoch (camera boot of
/// the host process, or the simulation's start).
using Millis = std::chrono::milliseconds;
using namespace std::chrono_literals;

/// Contract: now() is monotonic (never goes backwards) and cheap. The core
/// calls it from every entry point; it never sleeps or waits on it.
class Clock {
public:
    virtual ~Clock() = default;
    virtual Millis now() const = 0;
};

constexpr Millis hours(std::int64_t h) {
    return Millis{h * 3'600'000};
}
constexpr Millis days(std::int64_t d) {
    return hours(24 * d);
}
constexpr Millis weeks(std::int64_t w) {
    return days(7 * w);
}

} // namespace bwc::fw
