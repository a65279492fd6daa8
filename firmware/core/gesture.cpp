// Gesture recognition for one button (see gesture.hpp for the rules).
#include "firmware/core/gesture.hpp"

#include <algorithm>

namespace bwc::fw {

GestureRecognizer::GestureRecognizer(Button button, GestureConfig config)
    : button_(button), config_(std::move(config)) {
    auto& t = config_.hold_thresholds;
    std::sort(t.begin(), t.end());
    t.erase(std::unique(t.begin(), t.end()), t.end());
}

void GestureRecognizer::reset() {
    down_since_.reset();
    pending_release_.reset();
    holds_fired_ = 0;
}

std::optional<Millis> GestureRecognizer::next_hold_due() const {
    if (!down_since_ || holds_fired_ >= config_.hold_thresholds.size())
        return std::nullopt;
    return *down_since_ + config_.hold_thresholds[holds_fired_];
}

std::optional<Millis> GestureRecognizer::next_deadline() const {
    std::optional<Millis> due = next_hold_due();
    if (pending_release_) {
        Millis single_due = *pending_release_ + config_.timing.double_press_window;
        // A new press in progress may still become the second press; the
        // single press is only decided once that press is released or the
        // window closes with the button up.
        if (!down_since_ && (!due || single_due < *due))
            due = single_due;
    }
    return due;
}

void GestureRecognizer::advance(Millis now, std::vector<Gesture>& out) {
    while (auto due = next_deadline()) {
        if (*due > now)
            break;
        if (auto hold = next_hold_due(); hold && *hold == *due) {
            // The second closure became a hold, so the earlier press was a
            // single press after all; report it first.
            if (pending_release_) {
                out.push_back({button_, GestureKind::Press, 0ms, *due});
                pending_release_.reset();
            }
            out.push_back(
                {button_, GestureKind::Hold, config_.hold_thresholds[holds_fired_], *due});
            ++holds_fired_;
        } else {
            out.push_back({button_, GestureKind::Press, 0ms, *due});
            pending_release_.reset();
        }
    }
}

void GestureRecognizer::press(Millis now, std::vector<Gesture>& out) {
    advance(now, out);
    if (down_since_)
        return;
    down_since_ = now;
    holds_fired_ = 0;
}

void GestureRecognizer::release(Millis now, std::vector<Gesture>& out) {
    advance(now, out);
    if (!down_since_)
        return;
    const Millis held = now - *down_since_;
    const bool any_hold_fired = holds_fired_ > 0;
    down_since_.reset();
    holds_fired_ = 0;
    if (held <= config_.timing.debounce || any_hold_fired)
        return; // bounce, or the hold already was the gesture

    if (!config_.double_press_enabled) {
        out.push_back({button_, GestureKind::Press, 0ms, now});
        return;
    }
    if (pending_release_) {
        if (now - *pending_release_ <= config_.timing.double_press_window) {
            out.push_back({button_, GestureKind::DoublePress, 0ms, now});
            pending_release_.reset();
            return;
        }
        // The second closure outlasted the window: the first was a single
        // press, decided only now because the button was down meanwhile.
        out.push_back({button_, GestureKind::Press, 0ms, now});
    }
    pending_release_ = now;
}

} // namespace bwc::fw
