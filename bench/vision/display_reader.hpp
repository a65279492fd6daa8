// W120 display checks against references rendered from the model table (display_templates.hpp):
//
// - icons: every slot of the 8 × 3 grid, whether its icon is shown, in which colour (fitted with
//   fit_on_background() over the slot's glyph template), how well the glyph matches its template
//   (normalised cross-correlation), the level of levelled icons, and on request which of all
//   glyphs the slot looks most like;
// - progress bars: shown or not, and the fill 0 … 100 % (the area under the bar's brightness
//   profile, so blur does not move it), and the fill's colour;
// - text lines: whether a line shows an expected string — a score (the worst normalised
//   correlation over 4 mm windows along the line, so one wrong character fails it) and a
//   verdict. There is no general OCR; a caller with several candidate strings scores each.
#pragma once

#include "bench/vision/colour_fit.hpp"
#include "bench/vision/registration.hpp"

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bwc::vision {

/// A text line matches its expected string at or above this score.
inline constexpr double kTextMatchScore = 0.8;

struct IconReading {
    fw::Icon icon;
    bool shown = false;
    fw::Colour colour = fw::Colour::Off;
    double strength = 0;      // ~1 for a glyph drawn at full intensity; blur lowers it a little
    double match = 0;         // correlation of the slot with its own glyph (meaningful when shown)
    std::optional<int> level; // levelled icons when shown: 0 … 4
    std::optional<fw::Icon> looks_like; // with DisplayOptions::identify_glyphs, when shown
    double looks_like_score = 0;
};

struct BarReading {
    fw::Icon activity;
    bool shown = false;
    double percent = 0;
    fw::Colour colour = fw::Colour::Off; // of the fill, when there is one
};

struct TextReading {
    int line = 0;
    std::string expected;
    double score = 0; // worst window correlation, −1 … 1
    bool matches = false;
    bool ink = false; // anything drawn on the line at all
};

struct DisplayReading {
    bool on = false;
    std::vector<IconReading> icons; // every slot, Icon enum order
    std::vector<BarReading> bars;
    std::vector<TextReading> text; // the lines with an expected string

    const IconReading* icon(fw::Icon) const;
    const BarReading* bar(fw::Icon) const;
};

struct DisplayOptions {
    std::map<int, std::string> expected_text; // line (0 = top) → string
    bool identify_glyphs = false;             // compare every shown slot with every glyph
};

/// Reads the display of a W120 (`registration.model` must have one).
Reading<DisplayReading> read_display(const cv::Mat& bgr, const Registration&,
                                     const ColourReference&, const DisplayOptions& = {});

void to_json(nlohmann::json&, const IconReading&);
void to_json(nlohmann::json&, const BarReading&);
void to_json(nlohmann::json&, const TextReading&);
void to_json(nlohmann::json&, const DisplayReading&);

} // namespace bwc::vision
