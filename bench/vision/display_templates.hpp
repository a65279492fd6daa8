// Reference images of the W120 display, rendered from the model table by the emulator's own
// renderer (render_face on a synthetic snapshot, neutral camera, no noise or blur) at the size of
// the frames they will be compared with, then sampled in face millimetres exactly as frames are.
// A glyph template is a weight in 0 … 1 per patch pixel: how much of the glyph covers it. Built
// once per frame size and cached (a few renders, tens of milliseconds); text references once per
// (frame size, line, string).
#pragma once

#include "firmware/core/indicators.hpp"

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace bwc::vision {

/// Patch resolutions (pixels per face millimetre) for display regions.
inline constexpr double kIconPxPerMm = 4.0; // the 8.5 mm slot pitch is a whole 34 px
inline constexpr double kTextPxPerMm = 8.0;

struct GlyphTemplate {
    fw::Icon icon;
    int level = -1;          // -1: drawn full; 0 … 3: signal/segment level (4 looks like -1)
    cv::Mat weight;          // CV_32F, 0 … 1, the icon slot at kIconPxPerMm
    cv::Mat background_mask; // CV_8U: pixels well clear of the glyph
    double coverage = 0;     // Σw² / Σw: the weighted mean's share of the glyph colour
    double mean = 0;         // of weight, for correlations
    double sd = 0;
};

struct DisplayTemplates {
    std::vector<GlyphTemplate> glyphs;       // every icon at level -1, Icon enum order
    std::vector<GlyphTemplate> level_glyphs; // levelled icons at levels 0 … 3
    cv::Vec3d background_bgr;                // the lit, empty display (nominal camera)

    const GlyphTemplate& glyph(fw::Icon) const;
    /// Templates of `icon` at levels 0 … 4 (4 = the full glyph); empty for an icon without one.
    std::vector<const GlyphTemplate*> levels(fw::Icon) const;
};

/// The whole icon grid sampled in one warp at kIconPxPerMm (one call instead of one per slot),
/// and each slot's rectangle in it, Icon enum order. Empty image when outside the frame.
struct IconGrid {
    cv::Mat image;
    std::vector<cv::Rect> slots;
};
IconGrid sample_icon_grid(const cv::Mat& frame, const cv::Matx33d& face_to_image);

/// Icons whose glyph shows a level (signal bars, battery segments).
bool has_level(fw::Icon);

/// The templates for frames of `frame_size` (thread-safe; built on first use).
const DisplayTemplates& display_templates(cv::Size frame_size);

/// Ink weight (CV_32F, 0 … 1) of `text` drawn in text line `line`, sampled at kTextPxPerMm.
cv::Mat text_reference(cv::Size frame_size, int line, const std::string& text);

/// All icons, in enum (and slot) order.
const std::vector<fw::Icon>& all_icons();

} // namespace bwc::vision
