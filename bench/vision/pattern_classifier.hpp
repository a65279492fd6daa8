// Blink patterns from a sequence of LED readings: off, steady, flashing (on in the first half
// of each period, off in the second) or pulsing (a smooth rise and fall), with the colour and the
// period measured from the frames' own timestamps (the peak of a periodogram over the
// intensities, so frames need not be evenly spaced).
//
// What a sequence must show to be classified (else `too_few_frames`, saying what is missing):
// at least `frames_per_phase` frames in every half period of the fastest pattern (no gap
// between frames longer than shortest_phase / frames_per_phase), over at least `periods` periods
// of the slowest pattern. pattern_limits() takes both from the model table's indicator timing.
// Flashing and pulsing differ by the frames caught part-way: a flashing light is either off or
// fully lit, a pulsing one spends half its time in between (frames whose brightness is hidden by
// clipping are not counted either way).
#pragma once

#include "bench/vision/led_reader.hpp"
#include "firmware/core/indicators.hpp"
#include "firmware/core/model.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>

namespace bwc::vision {

struct TimedLed {
    fw::Millis at;
    LedReading reading;
};

struct PatternLimits {
    fw::Millis shortest_phase; // half the fastest pattern's period
    fw::Millis longest_period; // the slowest pattern's period
    int frames_per_phase = 3;
    int periods = 2;
};

/// The limits for the patterns of a model (its IndicatorTiming).
PatternLimits pattern_limits(fw::Model);

struct PatternReading {
    fw::Pattern pattern = fw::Pattern::Off;
    fw::Colour colour = fw::Colour::Off;
    std::optional<fw::Millis> period; // flashing and pulsing
    int frames = 0;
    int lit_frames = 0;
    int intermediate_frames = 0; // lit, brightness measured, clearly below full
    double frames_per_phase = 0; // over the measured (or shortest) phase, at the largest gap
};

Reading<PatternReading> classify_pattern(std::span<const TimedLed>, const PatternLimits&);

void to_json(nlohmann::json&, const PatternReading&);

} // namespace bwc::vision
