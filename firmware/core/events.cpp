// Bounded event queue (see events.hpp).
#include "firmware/core/events.hpp"

namespace bwc::fw {

std::string_view to_string(EventKind k) {
    switch (k) {
    case EventKind::Gesture:
        return "gesture";
    case EventKind::Action:
        return "action";
    case EventKind::Refused:
        return "refused";
    case EventKind::State:
        return "state";
    case EventKind::Sound:
        return "sound";
    case EventKind::ConditionRaised:
        return "raised";
    case EventKind::ConditionCleared:
        return "cleared";
    }
    return "?";
}

void EventQueue::push(Event e) {
    ++total_;
    if (events_.size() >= kCapacity) {
        events_.pop_front();
        ++dropped_;
    }
    events_.push_back(std::move(e));
}

std::vector<Event> EventQueue::drain() {
    std::vector<Event> out(std::make_move_iterator(events_.begin()),
                           std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
}

} // namespace bwc::fw
