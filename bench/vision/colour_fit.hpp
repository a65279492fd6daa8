// Which colour an emitter shows, by fitting a camera model rather than thresholding hues: for
// each colour the device can emit (fw::Colour, the emulator's emitted_bgr() palette) the
// observation is predicted through the measured channel gains and the sensor's clipping at 255
// (with its noise), and the colour whose best-fitting intensity explains the observation best
// wins. Fitting through the clipping is what keeps an overexposed amber (red and green both at
// 255) from reading as yellow-white, and a white under a cold white balance from reading amber.
//
// Two mixing models: an LED lens mixes its unlit grey and the emitted colour before the sensor
// clips (a pulsing LED at half intensity is a paler colour); a display glyph is thin, so blur
// mixes the clipped glyph with the background after the sensor clipped it.
#pragma once

#include "bench/vision/colour_reference.hpp"
#include "firmware/core/indicators.hpp"

#include <opencv2/core.hpp>

namespace bwc::vision {

struct ColourFit {
    fw::Colour colour = fw::Colour::Off;
    double intensity = 0;             // 0 … 1; a lower bound when !intensity_determined
    bool intensity_determined = true; // false when clipping hides how bright it really is
    bool saturated = false;           // a channel of the observation is at the sensor's limit
    double misfit = 0;                // the best fit's error, in noise units (chi)
    double margin = 0;                // how much worse the runner-up colour fits (chi²)
};

/// Below this intensity an emitter reads as off.
inline constexpr double kLitIntensity = 0.1;

/// A lens whose unlit colour (nominal camera) is `unlit_bgr`, lit at an unknown intensity; off
/// below kLitIntensity.
ColourFit fit_emitter(const cv::Vec3d& observed_bgr, const cv::Vec3d& unlit_bgr,
                      const ColourReference&);

/// A glyph that covers `coverage` (0 … 1) of the weighted sample on a background measured as
/// `background_bgr` (observed), drawn at an unknown strength; off below `shown_strength`.
ColourFit fit_on_background(const cv::Vec3d& observed_bgr, const cv::Vec3d& background_bgr,
                            double coverage, const ColourReference&, double shown_strength);

/// The colour the device emits at full intensity, as the nominal camera sees it.
cv::Vec3d emitted(fw::Colour);

/// The mean an 8-bit sensor reports for a true level `v` under Gaussian noise `sigma`
/// (clipped at 0 and 255).
double sensor_mean(double v, double sigma);

} // namespace bwc::vision
