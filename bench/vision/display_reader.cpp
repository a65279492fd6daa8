// W120 display reading (see display_reader.hpp). Every region is sampled as a small patch in
// face millimetres (face_sampler.hpp); nothing runs over the whole frame.
#include "bench/vision/display_reader.hpp"

#include "bench/vision/display_templates.hpp"
#include "bench/vision/face_sampler.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

namespace bwc::vision {
namespace {

constexpr double kBarPxPerMm = 3.0;
constexpr double kBarMarginMm = 0.6; // sampled above and below the bar, for its outline
constexpr double kIconShown = 0.3;   // strength below which a slot reads empty
constexpr double kLevelZeroBelow = 0.5;
constexpr double kGlyphMatch = 0.3;
// Corrected grey levels by which a slot's glyph pixels must outshine its background before a
// colour fit is worth it (a shown glyph, even red at 0.3 strength, is ~20 above).
constexpr double kSurelyEmpty = 4.0;  // a levelled glyph this faint is drawn all dim
constexpr double kBarContrast = 30.0; // corrected grey levels: a fill
constexpr double kOutlineContrast = 8.0;
constexpr double kTextWindowMm = 3.0;
constexpr double kTextStepMm = 0.5;
// Lens blurs tried on the reference (frame pixels), to match the frame's own.
constexpr std::array kTextBlursPx{0.0, 0.6, 1.2, 1.8, 2.4};
constexpr double kTextSmoothPx = 1.5;
constexpr double kRefInk = 0.03; // reference window std (ink weight) that counts as ink

cv::Mat luminance(const cv::Mat& bgr, const cv::Vec3d& gain = {1, 1, 1}) {
    cv::Mat out;
    cv::transform(bgr, out,
                  cv::Matx13f(static_cast<float>(1 / (3 * gain[0])),
                              static_cast<float>(1 / (3 * gain[1])),
                              static_cast<float>(1 / (3 * gain[2]))));
    return out; // CV_32F via the float matrix? transform keeps depth: convert below
}

cv::Mat luminance_f(const cv::Mat& bgr, const cv::Vec3d& gain = {1, 1, 1}) {
    cv::Mat f;
    bgr.convertTo(f, CV_32FC3);
    return luminance(f, gain);
}

cv::Vec3d weighted_mean(const cv::Mat& bgr, const cv::Mat& weight) {
    cv::Vec3d sum{0, 0, 0};
    double wsum = 0;
    for (int v = 0; v < bgr.rows; ++v) {
        const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(v);
        const float* w = weight.ptr<float>(v);
        for (int u = 0; u < bgr.cols; ++u) {
            if (w[u] <= 0)
                continue;
            sum += cv::Vec3d(p[u][0], p[u][1], p[u][2]) * w[u];
            wsum += w[u];
        }
    }
    return wsum > 0 ? sum / wsum : sum;
}

double ncc(const cv::Mat& a, const cv::Mat& b) {
    cv::Scalar ma, sa, mb, sb;
    cv::meanStdDev(a, ma, sa);
    cv::meanStdDev(b, mb, sb);
    if (sa[0] <= 1e-9 || sb[0] <= 1e-9)
        return 0;
    return (cv::mean(a.mul(b))[0] - ma[0] * mb[0]) / (sa[0] * sb[0]);
}

/// Correlation of a luminance patch with a glyph template, in one pass.
double ncc(const cv::Mat& l, const GlyphTemplate& t) {
    double sum = 0, sum_sq = 0, cross = 0;
    for (int v = 0; v < l.rows; ++v) {
        const float* p = l.ptr<float>(v);
        const float* w = t.weight.ptr<float>(v);
        for (int u = 0; u < l.cols; ++u) {
            sum += p[u];
            sum_sq += static_cast<double>(p[u]) * p[u];
            cross += static_cast<double>(p[u]) * w[u];
        }
    }
    const double n = static_cast<double>(l.total());
    const double mean = sum / n, var = sum_sq / n - mean * mean;
    if (var <= 1e-9 || t.sd <= 1e-9)
        return 0;
    return (cross / n - mean * t.mean) / (std::sqrt(var) * t.sd);
}

cv::Vec3d mean3(const cv::Scalar& s) {
    return {s[0], s[1], s[2]};
}

double lum(const cv::Vec3d& v, const cv::Vec3d& gain) {
    return (v[0] / gain[0] + v[1] / gain[1] + v[2] / gain[2]) / 3;
}

struct SlotFit {
    const GlyphTemplate* t = nullptr;
    ColourFit fit;
};

SlotFit fit_slot(const cv::Mat& patch, const GlyphTemplate& t, const cv::Vec3d& background,
                 const ColourReference& ref) {
    return {&t, fit_on_background(weighted_mean(patch, t.weight), background, t.coverage, ref,
                                  kIconShown)};
}

IconReading read_icon(fw::Icon icon, const cv::Mat& patch, const cv::Mat& l,
                      const DisplayTemplates& templates, const ColourReference& ref,
                      bool identify) {
    IconReading out{icon};
    const GlyphTemplate& full = templates.glyph(icon);
    const cv::Vec3d background = mean3(cv::mean(patch, full.background_mask));
    const cv::Vec3d fg = weighted_mean(patch, full.weight);
    if (!has_level(icon) && lum(fg, ref.gain) - lum(background, ref.gain) < kSurelyEmpty)
        return out; // nothing there: no fit needed
    SlotFit chosen{&full, fit_on_background(fg, background, full.coverage, ref, kIconShown)};
    int level = -1;
    if (const auto levels = templates.levels(icon); !levels.empty()) {
        // The level is the shape that fits best; only when levels 0 and 4 look alike (all dim
        // or all lit in the same strokes) does the brightness decide.
        std::vector<double> scores;
        for (const GlyphTemplate* t : levels)
            scores.push_back(ncc(l, *t));
        level = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
        chosen = fit_slot(patch, *levels[static_cast<std::size_t>(level)], background, ref);
        if ((level == 0 || level == 4) && std::abs(scores.front() - scores.back()) < 0.02) {
            const SlotFit as_full = fit_slot(patch, *levels.back(), background, ref);
            level = as_full.fit.intensity < kLevelZeroBelow ? 0 : 4;
            chosen = level == 0 ? fit_slot(patch, *levels.front(), background, ref) : as_full;
        }
        if (chosen.fit.colour == fw::Colour::Off) { // too faint for its shape: all dim?
            const SlotFit as_dim = fit_slot(patch, *levels.front(), background, ref);
            if (as_dim.fit.colour != fw::Colour::Off) {
                level = 0;
                chosen = as_dim;
            }
        }
    }
    // Shown: bright enough, and shaped like the glyph (a LED's glow spilling into the slot is
    // bright but shapeless).
    out.match = ncc(l, *chosen.t);
    out.shown = chosen.fit.colour != fw::Colour::Off && out.match >= kGlyphMatch;
    out.colour = out.shown ? chosen.fit.colour : fw::Colour::Off;
    out.strength = chosen.fit.intensity;
    if (out.shown && level >= 0)
        out.level = level;
    if (out.shown && identify) {
        const auto consider = [&](const GlyphTemplate& g) {
            if (const double s = ncc(l, g); !out.looks_like || s > out.looks_like_score) {
                out.looks_like = g.icon;
                out.looks_like_score = s;
            }
        };
        for (const GlyphTemplate& g : templates.glyphs)
            consider(g);
        for (const GlyphTemplate& g : templates.level_glyphs)
            consider(g);
    }
    return out;
}

BarReading read_bar(const emu::FaceRegion& r, const cv::Mat& bgr, const Registration& reg,
                    const ColourReference& ref, const cv::Vec3d& background) {
    BarReading out;
    for (fw::Icon icon : all_icons())
        if (fw::to_string(icon) == r.name)
            out.activity = icon;
    FaceRect rect = FaceRect::of(r);
    rect.y0 -= kBarMarginMm;
    rect.h += 2 * kBarMarginMm;
    const cv::Mat patch = sample_rect(bgr, reg.face_to_image, rect, kBarPxPerMm);
    if (patch.empty())
        return out;
    const cv::Mat l = luminance_f(patch, ref.gain);
    const double bg = lum(background, ref.gain);
    const int margin = static_cast<int>(std::lround(kBarMarginMm * kBarPxPerMm));
    const int bar_rows = patch.rows - 2 * margin;
    const int r0 = margin + bar_rows * 3 / 10, r1 = margin + bar_rows * 7 / 10;
    cv::Mat profile;
    cv::reduce(l.rowRange(r0, std::max(r0 + 1, r1)), profile, 0, cv::REDUCE_AVG);
    cv::blur(profile, profile, cv::Size(3, 1), cv::Point(-1, -1), cv::BORDER_REPLICATE);
    double top = 0;
    cv::minMaxLoc(profile, nullptr, &top);
    if (top - bg >= kBarContrast) {
        // Fill level: the median of the clearly lit columns (robust to noise), then the fill
        // fraction as the area under the normalised profile (blur moves no area).
        const double half = bg + (top - bg) / 2;
        std::vector<float> lit;
        cv::Mat fill_mask(patch.size(), CV_8U, cv::Scalar(0));
        for (int u = 0; u < profile.cols; ++u)
            if (profile.at<float>(0, u) > half) {
                lit.push_back(profile.at<float>(0, u));
                fill_mask(cv::Rect(u, r0, 1, std::max(1, r1 - r0))).setTo(255);
            }
        std::nth_element(lit.begin(), lit.begin() + static_cast<long>(lit.size() / 2), lit.end());
        const double level = lit[lit.size() / 2];
        double area = 0;
        for (int u = 0; u < profile.cols; ++u)
            area += std::clamp((profile.at<float>(0, u) - bg) / (level - bg), 0.0, 1.0);
        out.percent = 100.0 * area / profile.cols;
        out.shown = true;
        out.colour =
            fit_on_background(mean3(cv::mean(patch, fill_mask)), background, 1.0, ref, kIconShown)
                .colour;
        return out;
    }
    // No fill: the bar is shown if its outline is (top or bottom edge brighter than the inside).
    cv::Mat rows;
    cv::reduce(l, rows, 1, cv::REDUCE_AVG);
    double edge = 0;
    for (int v = 0; v < rows.rows; ++v)
        if (v < 2 * margin || v >= rows.rows - 2 * margin)
            edge = std::max(edge, static_cast<double>(rows.at<float>(v, 0)));
    out.shown = edge - bg >= kOutlineContrast;
    return out;
}

double window_std(const cv::Mat& m) {
    cv::Scalar mean, sd;
    cv::meanStdDev(m, mean, sd);
    return sd[0];
}

TextReading read_text(int line, const std::string& expected, const cv::Mat& bgr,
                      const Registration& reg) {
    TextReading out{line, expected};
    const emu::FaceRegion* slot = emu::find_region(
        emu::face_layout(reg.model), emu::RegionKind::Text, emu::text_slot_name(line));
    if (slot == nullptr)
        return out;
    cv::Mat reference = text_reference(reg.image_size, line, expected);
    const cv::Mat patch = sample_rect(bgr, reg.face_to_image, FaceRect::of(*slot), kTextPxPerMm);
    if (reference.empty() || patch.empty() || reference.size() != patch.size())
        return out;
    cv::Mat observed = luminance_f(patch);
    // Blur the reference like the frame (the blur that correlates best over the whole line),
    // then smooth both a little against noise.
    const double scale =
        kTextPxPerMm / pixels_per_mm(reg.face_to_image, {slot->cx_mm, slot->cy_mm});
    cv::Mat best_ref;
    double best = -2;
    for (double blur : kTextBlursPx) {
        cv::Mat candidate; // never reference's buffer: it is shared with the cache
        if (blur > 0)
            cv::GaussianBlur(reference, candidate, cv::Size(0, 0), blur * scale);
        else
            candidate = reference.clone();
        if (const double s = ncc(candidate, observed); s > best) {
            best = s;
            best_ref = candidate;
        }
    }
    reference = best_ref;
    cv::GaussianBlur(observed, observed, cv::Size(0, 0), kTextSmoothPx);
    cv::GaussianBlur(reference, reference, cv::Size(0, 0), kTextSmoothPx);
    const int width = static_cast<int>(std::lround(kTextWindowMm * kTextPxPerMm));
    const int step = static_cast<int>(std::lround(kTextStepMm * kTextPxPerMm));
    struct Window {
        double ref_std, obs_std, ncc;
    };
    std::vector<Window> windows;
    for (int x = 0; x + width <= observed.cols; x += step) {
        const cv::Rect w(x, 0, width, observed.rows);
        windows.push_back(
            {window_std(reference(w)), window_std(observed(w)), ncc(reference(w), observed(w))});
    }
    if (windows.empty())
        return out;
    std::vector<double> obs_stds;
    for (const Window& w : windows)
        obs_stds.push_back(w.obs_std);
    std::sort(obs_stds.begin(), obs_stds.end());
    // The quietest windows show the line's noise; ink stands well above it.
    const double noise = obs_stds[obs_stds.size() / 10];
    out.ink = obs_stds.back() > 3 * noise + 2;
    // Ink where the expected string has none: a window as busy as half the typical window
    // where it has some (or, expecting nothing, clearly above the noise).
    std::vector<double> inked;
    for (const Window& w : windows)
        if (w.ref_std > kRefInk)
            inked.push_back(w.obs_std);
    std::sort(inked.begin(), inked.end());
    const double ink_level =
        inked.empty() ? 3 * noise + 2 : std::max(3 * noise + 2, inked[inked.size() / 2] / 2);
    double score = 1;
    for (const Window& w : windows) {
        if (w.ref_std > kRefInk)
            score = std::min(score, w.ncc);
        else if (w.ref_std < kRefInk / 4 && w.obs_std > ink_level)
            score = std::min(score, 0.0); // ink where the expected string has none
    }
    out.score = score;
    out.matches = score >= kTextMatchScore;
    return out;
}

} // namespace

const IconReading* DisplayReading::icon(fw::Icon i) const {
    for (const IconReading& r : icons)
        if (r.icon == i)
            return &r;
    return nullptr;
}

const BarReading* DisplayReading::bar(fw::Icon i) const {
    for (const BarReading& r : bars)
        if (r.activity == i)
            return &r;
    return nullptr;
}

Reading<DisplayReading> read_display(const cv::Mat& bgr, const Registration& reg,
                                     const ColourReference& ref, const DisplayOptions& options) {
    const emu::FaceLayout& layout = emu::face_layout(reg.model);
    if (emu::find_region(layout, emu::RegionKind::Display, "display") == nullptr)
        return Rejection{RejectionCode::WrongModel,
                         "the " + std::string(fw::to_string(reg.model)) + " has no display"};
    const DisplayTemplates& templates = display_templates(reg.image_size);
    DisplayReading out;
    const IconGrid grid = sample_icon_grid(bgr, reg.face_to_image);
    if (grid.image.empty())
        return Rejection{RejectionCode::Unregistered, "the icon grid is outside the frame"};
    std::vector<cv::Mat> patches;
    std::vector<cv::Vec3d> backgrounds;
    for (fw::Icon icon : all_icons()) {
        cv::Mat patch = grid.image(grid.slots[static_cast<std::size_t>(icon)]);
        if (patch.size() != templates.glyph(icon).weight.size())
            return Rejection{RejectionCode::Unregistered, "icon slot " +
                                                              std::string(fw::to_string(icon)) +
                                                              " is outside the frame"};
        backgrounds.push_back(mean3(cv::mean(patch, templates.glyph(icon).background_mask)));
        patches.push_back(std::move(patch));
    }
    // The display's background: lit (backlit black) or dark, whichever explains it better.
    cv::Vec3d background;
    for (int c = 0; c < 3; ++c) {
        std::vector<double> ch;
        for (const cv::Vec3d& b : backgrounds)
            ch.push_back(b[c]);
        std::nth_element(ch.begin(), ch.begin() + static_cast<long>(ch.size() / 2), ch.end());
        background[c] = ch[ch.size() / 2];
    }
    double d_on = 0, d_off = 0;
    for (int c = 0; c < 3; ++c) {
        const double on = sensor_mean(ref.gain[c] * templates.background_bgr[c], ref.noise_sigma);
        const double off = sensor_mean(0, ref.noise_sigma);
        d_on += std::pow(background[c] - on, 2);
        d_off += std::pow(background[c] - off, 2);
    }
    out.on = d_on < d_off;
    const cv::Mat grid_luminance = out.on ? luminance_f(grid.image) : cv::Mat();
    for (std::size_t i = 0; i < all_icons().size(); ++i) {
        IconReading icon{all_icons()[i]};
        if (out.on)
            icon = read_icon(all_icons()[i], patches[i], grid_luminance(grid.slots[i]), templates,
                             ref, options.identify_glyphs);
        out.icons.push_back(icon);
    }
    for (const emu::FaceRegion& r : layout.regions)
        if (r.kind == emu::RegionKind::Bar) {
            BarReading bar = read_bar(r, bgr, reg, ref, background);
            if (!out.on)
                bar = BarReading{bar.activity};
            out.bars.push_back(bar);
        }
    for (const auto& [line, expected] : options.expected_text)
        out.text.push_back(read_text(line, expected, bgr, reg));
    return out;
}

void to_json(nlohmann::json& j, const IconReading& r) {
    j = nlohmann::json{{"icon", fw::to_string(r.icon)},
                       {"shown", r.shown},
                       {"colour", fw::to_string(r.colour)},
                       {"strength", std::round(r.strength * 100) / 100},
                       {"match", std::round(r.match * 1000) / 1000}};
    if (r.level)
        j["level"] = *r.level;
    if (r.looks_like) {
        j["looks_like"] = fw::to_string(*r.looks_like);
        j["looks_like_score"] = std::round(r.looks_like_score * 1000) / 1000;
    }
}

void to_json(nlohmann::json& j, const BarReading& r) {
    j = nlohmann::json{{"bar", fw::to_string(r.activity)},
                       {"shown", r.shown},
                       {"percent", std::round(r.percent * 10) / 10},
                       {"colour", fw::to_string(r.colour)}};
}

void to_json(nlohmann::json& j, const TextReading& r) {
    j = nlohmann::json{{"line", r.line},
                       {"expected", r.expected},
                       {"score", std::round(r.score * 1000) / 1000},
                       {"matches", r.matches},
                       {"ink", r.ink}};
}

void to_json(nlohmann::json& j, const DisplayReading& r) {
    j = nlohmann::json{{"on", r.on}, {"icons", r.icons}, {"bars", r.bars}, {"text", r.text}};
}

} // namespace bwc::vision
