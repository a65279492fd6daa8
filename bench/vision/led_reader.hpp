// LED reading: for every LED region of the model's layout, the colour it shows (off, red,
// green, amber, blue, white) and how bright (0 … 1), from the mean inside the lens (the inner
// 60 % of its radius, clear of the bezel, the blurred edge and the glow around it) fitted with
// fit_emitter(). A lit LED whose observation is saturated so that two colours fit it alike is
// rejected as `clipped`: the frame cannot tell them apart.
#pragma once

#include "bench/vision/colour_fit.hpp"
#include "bench/vision/registration.hpp"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace bwc::vision {

struct LedReading {
    std::string name; // the layout's region name, e.g. "status_led"
    fw::Colour colour = fw::Colour::Off;
    double intensity = 0; // 0 … 1; a lower bound when !intensity_determined
    bool intensity_determined = true;
    bool saturated = false;
    double margin = 0;  // chi² by which the runner-up colour fits worse
    cv::Vec3d mean_bgr; // observed mean inside the lens
};

/// Every LED of `registration.model`, in layout order.
Reading<std::vector<LedReading>> read_leds(const cv::Mat& bgr, const Registration&,
                                           const ColourReference&);

/// The LED region names of a model, in layout order.
std::vector<std::string> led_names(fw::Model);

void to_json(nlohmann::json&, const LedReading&);

} // namespace bwc::vision
