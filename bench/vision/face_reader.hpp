// One call that reads everything a frame shows of a device: registration (from the markers, or
// a stored one verified cheaply), the colour reference (the frame's own, or a stored one), every
// LED and, on a W120, the display. This is what `bench vision inspect` prints and what step types
// call per frame.
//
// Steady state (a station with a fixed camera): pass the calibration's Registration (and
// ColourReference if the camera's exposure is locked); then a frame costs only its regions.
#pragma once

#include "bench/vision/display_reader.hpp"
#include "bench/vision/led_reader.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>

namespace bwc::vision {

struct ReadOptions {
    std::optional<fw::Model> expected_model;
    std::optional<Registration> registration;        // else: detect the markers
    std::optional<ColourReference> colour_reference; // else: the frame's own
    DisplayOptions display;
};

struct FaceReading {
    Registration registration;
    ColourReference colour;
    std::vector<LedReading> leds;
    std::optional<DisplayReading> display; // models with a display

    const LedReading* led(std::string_view name) const;
};

Reading<FaceReading> read_face(const cv::Mat& bgr, const ReadOptions& = {});

void to_json(nlohmann::json&, const FaceReading&);

} // namespace bwc::vision
