// The face renderer: what the fixture camera above the test nest sees of a device at a given
// device time — nest, ArUco markers, body, LEDs with their pattern phase, the W120 display with
// icons, progress bars and text — through a camera with configurable exposure, white balance,
// noise, blur, tilt and LED bloom. It returns the image together with the ground truth (where
// every region of face_layout.hpp landed in the image), so vision tests know what to expect.
//
// Contract: render_face() is a pure function of its arguments (the noise comes from
// RenderConditions::seed), so the same inputs give a bit-identical image. It reads the
// snapshot's lights and display only; patterns are phased from device time zero (a flashing
// light is on during the first half of each period, counted from `at` = 0), because the
// firmware reports patterns without a start time. Faults (FaceFaults) alter what is drawn, never
// the snapshot: the firmware's readout and the face can thus disagree, which is what a bench
// must detect.
//
// Rendering order, as light travels: the scene seen in the perspective of the tilted nest
// (surfaces, emitters, a glow around lit LEDs), with exposure and white balance applied to its
// colours and clipped to 8 bits → lens blur → sensor noise. (A real sensor clips after the
// blur; drawing the gains into the colours makes them free, and only the halo of an
// overexposed light differs.)
#pragma once

#include "firmware/core/snapshot.hpp"
#include "firmware/emu/face/face_layout.hpp"

#include <cstdint>
#include <map>
#include <opencv2/core.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::emu {

/// Limits of RenderConditions; render_face() rejects values outside them (std::invalid_argument)
/// rather than silently drawing something nobody asked for.
inline constexpr double kMaxExposureEv = 1.0;
inline constexpr double kMinWhiteBalanceK = 3000.0;
inline constexpr double kMaxWhiteBalanceK = 7500.0;
inline constexpr double kNeutralWhiteBalanceK = 6500.0;
inline constexpr double kMaxNoiseSigma = 8.0;
inline constexpr double kMaxBlurPx = 2.0;
inline constexpr double kMaxTiltDeg = 5.0;
inline constexpr double kMaxBloomPx = 40.0;

/// How the fixture camera sees the nest. The defaults are neutral: a clean, square-on view.
struct RenderConditions {
    double exposure_ev = 0.0; // −1 … +1: every channel scaled by 2^ev before clipping
    // 3000 … 7500 K: the camera's fixed white balance setting. The scene (LEDs, display,
    // fixture lighting) is 6500 K; a lower setting gives a blue cast, a higher one a warm cast.
    double white_balance_k = kNeutralWhiteBalanceK;
    // 0 … 8 grey levels: additive Gaussian sensor noise per channel and pixel (truncated at
    // ±2.9 sigma; see add_noise).
    double noise_sigma = 0.0;
    double blur_px = 0.0;        // 0 … 2: Gaussian sigma of the lens blur, output pixels
    double tilt_deg = 0.0;       // 0 … 5: nest plane tilted away from square-on
    double tilt_axis_deg = 30.0; // direction of the tilt axis in the image (0 = horizontal)
    double led_bloom_px = 6.0;   // 0 … 40: glow radius around lit LEDs, output pixels
    cv::Size size{1920, 1080};   // output image size (any; the nest is fitted and centred)
    std::uint64_t seed = 1;      // noise generator seed
};

/// Faults the emulator applies between the firmware and the face: the firmware believes it
/// lights an LED, the fixture camera sees something else.
struct DeadRows {
    int first_row; // panel rows (FaceLayout::panel_rows), inclusive, 0 = top
    int last_row;
};

struct FaceFaults {
    std::set<fw::Indicator> dead_leds;                   // never light
    std::map<fw::Indicator, fw::Colour> colour_override; // light in this colour instead
    bool display_dead = false;                           // black whatever it shows
    std::optional<DeadRows> display_dead_rows;           // a band of black rows
};

/// A face region's outline in the output image. LEDs are polygons approximating the (now
/// elliptical) lens outline; rectangles and markers have four corners, in the order top-left,
/// top-right, bottom-right, bottom-left of the face (cv::aruco's corner order).
struct ImageRegion {
    RegionKind kind;
    std::string name;
    int marker_id = -1;
    std::vector<cv::Point2f> polygon;
};

struct RenderedFace {
    cv::Mat image;             // CV_8UC3, BGR
    cv::Matx33d face_to_image; // homography: face millimetres → image pixels
    std::vector<ImageRegion> regions;

    const ImageRegion* find(RegionKind, std::string_view name) const;
};

/// Renders what the fixture camera sees of the device whose readout is `snapshot`, at device
/// time `at`. Throws std::invalid_argument when a condition is out of range.
RenderedFace render_face(const fw::Snapshot& snapshot, fw::Millis at,
                         const RenderConditions& conditions = {}, const FaceFaults& faults = {});

/// Homography from face millimetres to image pixels for that layout under those conditions
/// (the nest fitted into the image with a margin, then the tilt).
cv::Matx33d face_homography(const FaceLayout&, const RenderConditions&);

/// Every region of the layout projected by `face_to_image`.
std::vector<ImageRegion> project_regions(const FaceLayout&, const cv::Matx33d& face_to_image);

/// How bright a light with this pattern is at `at`, 0 (dark) … 1 (fully lit): steady 1; off 0;
/// flashing 1 in the first half of each period, 0 in the second; pulsing a raised cosine,
/// 0 at the start of each period and 1 at its middle. A flashing or pulsing light with a zero
/// period is drawn steady.
double pattern_intensity(fw::Pattern, fw::Millis period, fw::Millis at);

/// The BGR colour a lit light (or icon) of that colour emits, at full intensity.
cv::Scalar emitted_bgr(fw::Colour);

} // namespace bwc::emu
