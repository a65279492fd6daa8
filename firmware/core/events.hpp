// The camera's event stream: gestures recognised, actions taken, state
// changes, sounds, conditions raised and cleared. The emulator forwards it on
// the diag port; tests read it to see *what happened when*. Bounded: when the
// host does not drain it, the oldest events go and a counter says how many.
#pragma once

#include "firmware/core/time.hpp"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::fw {

enum class EventKind { Gesture, Action, Refused, State, Sound, ConditionRaised, ConditionCleared };
std::string_view to_string(EventKind);

struct Event {
    Millis at;
    EventKind kind;
    std::string what;   // e.g. "record.hold.3000", "start_recording", "power:booting->on"
    std::string detail; // free text for people, e.g. why an action was refused
};

class EventQueue {
public:
    static constexpr std::size_t kCapacity = 4096;
    void push(Event e);
    std::vector<Event> drain();
    std::uint64_t dropped() const { return dropped_; }
    std::uint64_t total() const { return total_; }

private:
    std::deque<Event> events_;
    std::uint64_t dropped_ = 0;
    std::uint64_t total_ = 0;
};

} // namespace bwc::fw
