// The colour reference: how the fixture camera's exposure and white balance scale each colour
// channel, measured on surfaces of the nest whose colour is known — the white quiet zones around
// the markers, and the grey of the device body where nothing else is drawn.
//
// Gains are per channel (B, G, R) relative to the nominal camera (neutral exposure and white
// balance, which calibration measures the reference surfaces under; for the emulated nest that
// is a neutral render, see nominal_surfaces()). A channel takes its gain from the white patch
// unless the white is saturated there (overexposure, a warm or cold white balance), then from
// the grey. When both are saturated, or the white is too dark to measure, the frame is rejected
// as `clipped`: nothing of its colours can be trusted.
//
// A station measures it once at calibration and stores it (JSON, the "colour reference"
// record); every frame can also measure its own (a few thousand pixels, well under a
// millisecond).
#pragma once

#include "bench/vision/registration.hpp"

#include <array>
#include <nlohmann/json_fwd.hpp>
#include <opencv2/core.hpp>

namespace bwc::vision {

struct ColourReference {
    enum class Source { Frame, Calibration };

    cv::Vec3d gain{1, 1, 1}; // observed = gain × nominal, per channel B, G, R
    double exposure_ev = 0;  // log2 of the green gain
    double noise_sigma = 0;  // sensor noise, grey levels per pixel (flat grey patch)
    cv::Vec3d white_bgr;     // observed mean of the white quiet zones
    cv::Vec3d grey_bgr;      // observed mean of the grey body patches
    std::array<bool, 3> gain_from_white{true, true, true}; // else from the grey (white clipped)
    Source source = Source::Frame;

    /// Blue gain over red gain: below 1 the camera's white balance is set warmer than the scene
    /// light (a cold cast), above 1 colder (a warm cast).
    double blue_red_ratio() const { return gain[0] / gain[2]; }
};

/// What the nominal camera sees of the reference surfaces (BGR means).
struct ReferenceSurfaces {
    cv::Vec3d white_bgr;
    cv::Vec3d grey_bgr;
};

/// The emulated nest's reference surfaces, measured once per model on a neutral render.
const ReferenceSurfaces& nominal_surfaces(fw::Model);

/// Measures the reference in `bgr` where `registration` places the nest.
Reading<ColourReference> measure_colour_reference(const cv::Mat& bgr, const Registration&);

std::string_view to_string(ColourReference::Source);
void to_json(nlohmann::json&, const ColourReference&);
fw::Result<ColourReference> colour_reference_from_json(const nlohmann::json&);

} // namespace bwc::vision
