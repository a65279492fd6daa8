// Display references (see display_templates.hpp).
#include "bench/vision/display_templates.hpp"

#include "bench/vision/face_sampler.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <opencv2/imgproc.hpp>
#include <tuple>

namespace bwc::vision {
namespace {

constexpr int kLevelledTemplates = 4; // levels 0 … 3; level 4 draws like the full glyph
constexpr float kClearOfGlyph = 0.02f;
constexpr int kClearancePx = 3; // background pixels are this far from any ink

emu::RenderConditions neutral(cv::Size size) {
    emu::RenderConditions c;
    c.size = size;
    c.led_bloom_px = 0;
    return c;
}

fw::Snapshot lit_display() {
    fw::Snapshot s;
    s.model = fw::Model::W120;
    s.power = fw::PowerState::On;
    s.display.on = true;
    return s;
}

/// Luminance (channel mean) of a patch as CV_32F.
cv::Mat luminance(const cv::Mat& bgr) {
    cv::Mat f;
    bgr.convertTo(f, CV_32FC3);
    cv::Mat out;
    cv::transform(f, out, cv::Matx13f(1.0f / 3, 1.0f / 3, 1.0f / 3));
    return out;
}

/// Ink weight: 0 at the empty display's luminance, 1 at full white.
cv::Mat ink_weight(const cv::Mat& patch, const cv::Mat& empty_patch) {
    const cv::Scalar e = emu::emitted_bgr(fw::Colour::White);
    const double white_lum = (e[0] + e[1] + e[2]) / 3.0;
    cv::Mat lum = luminance(patch), bg = luminance(empty_patch);
    cv::Mat w = (lum - bg) / (white_lum - cv::mean(bg)[0]);
    cv::max(w, 0.0, w);
    cv::min(w, 1.0, w);
    return w;
}

GlyphTemplate make_template(fw::Icon icon, int level, const cv::Mat& patch,
                            const cv::Mat& empty_patch) {
    GlyphTemplate t{icon, level, ink_weight(patch, empty_patch), {}, 0};
    cv::Mat ink = t.weight > kClearOfGlyph, grown;
    cv::dilate(ink, grown, cv::Mat(), cv::Point(-1, -1), kClearancePx);
    t.background_mask = grown == 0;
    const double sum = cv::sum(t.weight)[0];
    t.coverage = sum > 0 ? cv::sum(t.weight.mul(t.weight))[0] / sum : 0;
    cv::Scalar mean, sd;
    cv::meanStdDev(t.weight, mean, sd);
    t.mean = mean[0];
    t.sd = sd[0];
    return t;
}

const emu::FaceRegion& slot_of(fw::Icon icon) {
    const emu::FaceRegion* r = emu::find_region(emu::face_layout(fw::Model::W120),
                                                emu::RegionKind::Icon, fw::to_string(icon));
    static const emu::FaceRegion none{emu::RegionKind::Icon, "", 0, 0, 1, 1};
    return r ? *r : none;
}

std::unique_ptr<DisplayTemplates> build(cv::Size size) {
    auto out = std::make_unique<DisplayTemplates>();
    const emu::RenderedFace empty = emu::render_face(lit_display(), fw::Millis{0}, neutral(size));
    const emu::FaceRegion* display =
        emu::find_region(emu::face_layout(fw::Model::W120), emu::RegionKind::Display, "display");
    if (display) {
        const cv::Mat d = sample_rect(empty.image, empty.face_to_image,
                                      FaceRect::of(*display).inset(display->w_mm / 4), 1.0);
        const cv::Scalar m = d.empty() ? cv::Scalar() : cv::mean(d);
        out->background_bgr = {m[0], m[1], m[2]};
    }
    const auto render_icons = [&](int level) {
        fw::Snapshot s = lit_display();
        for (fw::Icon icon : all_icons())
            if (level < 0 || has_level(icon))
                s.display.icons.push_back(
                    {icon, fw::Colour::White, fw::Pattern::Steady, fw::Millis{0}, level});
        return emu::render_face(s, fw::Millis{0}, neutral(size));
    };
    const IconGrid empty_grid = sample_icon_grid(empty.image, empty.face_to_image);
    const auto slot_patch = [&](const IconGrid& g, fw::Icon icon) {
        return g.image(g.slots[static_cast<std::size_t>(icon)]);
    };
    const emu::RenderedFace full = render_icons(-1);
    const IconGrid full_grid = sample_icon_grid(full.image, full.face_to_image);
    for (fw::Icon icon : all_icons())
        out->glyphs.push_back(
            make_template(icon, -1, slot_patch(full_grid, icon), slot_patch(empty_grid, icon)));
    for (int level = 0; level < kLevelledTemplates; ++level) {
        const emu::RenderedFace f = render_icons(level);
        const IconGrid grid = sample_icon_grid(f.image, f.face_to_image);
        for (fw::Icon icon : all_icons())
            if (has_level(icon))
                out->level_glyphs.push_back(make_template(icon, level, slot_patch(grid, icon),
                                                          slot_patch(empty_grid, icon)));
    }
    return out;
}

} // namespace

IconGrid sample_icon_grid(const cv::Mat& frame, const cv::Matx33d& h) {
    double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
    for (fw::Icon icon : all_icons()) {
        const FaceRect r = FaceRect::of(slot_of(icon));
        x0 = std::min(x0, r.x0);
        y0 = std::min(y0, r.y0);
        x1 = std::max(x1, r.x0 + r.w);
        y1 = std::max(y1, r.y0 + r.h);
    }
    IconGrid grid;
    grid.image = sample_rect(frame, h, {x0, y0, x1 - x0, y1 - y0}, kIconPxPerMm);
    if (grid.image.empty())
        return grid;
    for (fw::Icon icon : all_icons()) {
        const FaceRect r = FaceRect::of(slot_of(icon));
        grid.slots.emplace_back(static_cast<int>(std::lround((r.x0 - x0) * kIconPxPerMm)),
                                static_cast<int>(std::lround((r.y0 - y0) * kIconPxPerMm)),
                                static_cast<int>(std::lround(r.w * kIconPxPerMm)),
                                static_cast<int>(std::lround(r.h * kIconPxPerMm)));
        grid.slots.back() &= cv::Rect(cv::Point(0, 0), grid.image.size());
    }
    return grid;
}

const std::vector<fw::Icon>& all_icons() {
    static const std::vector<fw::Icon> icons = [] {
        std::vector<fw::Icon> v;
        for (int i = 0; i <= static_cast<int>(fw::Icon::Recording); ++i)
            v.push_back(static_cast<fw::Icon>(i));
        return v;
    }();
    return icons;
}

bool has_level(fw::Icon icon) {
    return icon == fw::Icon::Battery || icon == fw::Icon::Mobile || icon == fw::Icon::Wifi;
}

const GlyphTemplate& DisplayTemplates::glyph(fw::Icon icon) const {
    return glyphs[static_cast<std::size_t>(icon)];
}

std::vector<const GlyphTemplate*> DisplayTemplates::levels(fw::Icon icon) const {
    std::vector<const GlyphTemplate*> out;
    if (!has_level(icon))
        return out;
    for (const GlyphTemplate& t : level_glyphs)
        if (t.icon == icon)
            out.push_back(&t);
    out.push_back(&glyph(icon));
    return out;
}

const DisplayTemplates& display_templates(cv::Size frame_size) {
    static std::mutex mutex;
    static std::map<std::pair<int, int>, std::unique_ptr<DisplayTemplates>> cache;
    const std::lock_guard lock(mutex);
    auto& slot = cache[{frame_size.width, frame_size.height}];
    if (!slot)
        slot = build(frame_size);
    return *slot;
}

cv::Mat text_reference(cv::Size frame_size, int line, const std::string& text) {
    static std::mutex mutex;
    static std::map<std::tuple<int, int, int, std::string>, cv::Mat> cache;
    const std::lock_guard lock(mutex);
    const auto key = std::tuple{frame_size.width, frame_size.height, line, text};
    if (auto it = cache.find(key); it != cache.end())
        return it->second.clone(); // callers may write into theirs
    const emu::FaceRegion* slot = emu::find_region(
        emu::face_layout(fw::Model::W120), emu::RegionKind::Text, emu::text_slot_name(line));
    if (slot == nullptr)
        return {};
    fw::Snapshot s = lit_display();
    s.display.text.assign(static_cast<std::size_t>(line) + 1, "");
    s.display.text[static_cast<std::size_t>(line)] = text;
    const emu::RenderedFace f = emu::render_face(s, fw::Millis{0}, neutral(frame_size));
    const emu::RenderedFace empty =
        emu::render_face(lit_display(), fw::Millis{0}, neutral(frame_size));
    const cv::Mat patch = sample_rect(f.image, f.face_to_image, FaceRect::of(*slot), kTextPxPerMm);
    const cv::Mat empty_patch =
        sample_rect(empty.image, empty.face_to_image, FaceRect::of(*slot), kTextPxPerMm);
    if (patch.empty() || empty_patch.empty())
        return {};
    if (cache.size() > 256) // names change per unit; keep the cache bounded
        cache.clear();
    return cache.emplace(key, ink_weight(patch, empty_patch)).first->second.clone();
}

} // namespace bwc::vision
