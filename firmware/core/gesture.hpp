// Gesture recognition for one button: debounce, press, double press and
// holds that fire when their threshold is reached (not on release).
//
// Rules (SPEC §2, assumptions named in GestureTiming):
//  - a closure shorter than or equal to the debounce time is ignored;
//  - each hold threshold fires once, at press time + threshold, while held;
//  - a release after any hold fired produces nothing more;
//  - a release before the first hold threshold is a press; if the button has
//    a double-press binding the press is held back until the double-press
//    window after its release has passed, and two presses whose releases are
//    at most the window apart are one double press.
//
// The recogniser is driven by its owner: press()/release() on edges, and
// advance() at or after next_deadline(). It reads no clock of its own.
#pragma once

#include "firmware/core/model.hpp"

#include <optional>
#include <vector>

namespace bwc::fw {

struct Gesture {
    Button button;
    GestureKind kind;
    Millis hold_threshold; // for Hold
    Millis at;             // when it was recognised
};

struct GestureConfig {
    GestureTiming timing;
    bool double_press_enabled = false;
    std::vector<Millis> hold_thresholds; // any order; duplicates ignored
};

class GestureRecognizer {
public:
    GestureRecognizer(Button button, GestureConfig config);

    /// Contact closed / opened at `now`. Edges must come in order; a repeated
    /// edge (press while pressed) is ignored, as a real switch would bounce.
    void press(Millis now, std::vector<Gesture>& out);
    void release(Millis now, std::vector<Gesture>& out);

    /// Fire everything due at or before `now`, each at its own due time.
    void advance(Millis now, std::vector<Gesture>& out);
    std::optional<Millis> next_deadline() const;

    bool is_down() const { return down_since_.has_value(); }
    /// Forget a half-finished gesture (power loss, restart).
    void reset();

private:
    std::optional<Millis> next_hold_due() const;

    Button button_;
    GestureConfig config_;
    std::optional<Millis> down_since_;
    std::size_t holds_fired_ = 0;           // thresholds are sorted ascending
    std::optional<Millis> pending_release_; // a press waiting for a second one
};

} // namespace bwc::fw
