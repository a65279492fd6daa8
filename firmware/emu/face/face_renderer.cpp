// The face renderer (see face_renderer.hpp). The scene is drawn once, straight into the output
// image through the face → image homography (tilt included) with anti-aliased, sub-pixel OpenCV
// primitives; only small rasters (marker prints, text lines, LED glows) are warped, never the
// whole frame. The camera effects are whole-image vectorised calls done in place (GaussianBlur,
// LUT, add), so a 1080p frame stays in the milliseconds.
#include "firmware/emu/face/face_renderer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <opencv2/aruco.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace bwc::emu {
namespace {

static_assert(kMarkerDictionary == cv::aruco::DICT_4X4_50);

// Fraction of the frame left around the nest on each side, so a tilted nest stays in view.
constexpr double kViewMargin = 0.03;
// Focal length of the fixture camera in image widths (about 45° horizontal field of view);
// only the perspective of the tilt depends on it.
constexpr double kFocalPerWidth = 1.2;
// Sub-pixel bits for OpenCV's drawing calls.
constexpr int kShift = 4;
constexpr double kShiftScale = 1 << kShift;

// Reflective surfaces under the fixture lighting, and emitters (BGR).
const cv::Scalar kNestColour{22, 22, 22};
const cv::Scalar kBodyColour{48, 48, 48};
const cv::Scalar kBodyEdgeColour{72, 72, 72};
const cv::Scalar kPaperColour{235, 235, 235}; // marker quiet zone
const cv::Scalar kInkColour{12, 12, 12};      // marker modules
const cv::Scalar kBezelColour{26, 26, 28};
const cv::Scalar kLensColour{74, 74, 74}; // an unlit LED: milky grey lens
const cv::Scalar kDisplayOffColour{0, 0, 0};
const cv::Scalar kDisplayOnColour{30, 26, 24}; // backlit black
const cv::Scalar kTextColour{235, 235, 235};

constexpr float kBodyCornerMm = 6.0f;
constexpr float kBezelMm = 0.7f;
constexpr double kBloomStrength = 0.8;
constexpr double kDimLevel = 0.3; // unlit signal bars / battery segments

void check(bool ok, const char* what) {
    if (!ok)
        throw std::invalid_argument(what);
}

void validate(const RenderConditions& c) {
    check(std::abs(c.exposure_ev) <= kMaxExposureEv, "exposure_ev outside -1 … +1");
    check(c.white_balance_k >= kMinWhiteBalanceK && c.white_balance_k <= kMaxWhiteBalanceK,
          "white_balance_k outside 3000 … 7500");
    check(c.noise_sigma >= 0 && c.noise_sigma <= kMaxNoiseSigma, "noise_sigma outside 0 … 8");
    check(c.blur_px >= 0 && c.blur_px <= kMaxBlurPx, "blur_px outside 0 … 2");
    check(c.tilt_deg >= 0 && c.tilt_deg <= kMaxTiltDeg, "tilt_deg outside 0 … 5");
    check(c.led_bloom_px >= 0 && c.led_bloom_px <= kMaxBloomPx, "led_bloom_px outside 0 … 40");
    check(c.size.width >= 64 && c.size.height >= 36, "image size too small");
}

cv::Point2d apply(const cv::Matx33d& h, cv::Point2d p) {
    const cv::Vec3d q = h * cv::Vec3d{p.x, p.y, 1.0};
    return {q[0] / q[2], q[1] / q[2]};
}

cv::Scalar mix(const cv::Scalar& from, const cv::Scalar& to, double t) {
    return from + (to - from) * t;
}

/// Face millimetres → scene pixels (square-on) for the whole nest fitted in the frame.
cv::Matx33d nest_to_scene(const FaceLayout& layout, cv::Size size) {
    const double usable = 1.0 - 2.0 * kViewMargin;
    const double s =
        std::min(size.width * usable / layout.nest_w_mm, size.height * usable / layout.nest_h_mm);
    // Pixel centres are at integer coordinates, so the frame spans −0.5 … size − 0.5.
    const double ox = (size.width - s * layout.nest_w_mm) / 2.0 - 0.5;
    const double oy = (size.height - s * layout.nest_h_mm) / 2.0 - 0.5;
    return {s, 0, ox, 0, s, oy, 0, 0, 1};
}

/// Scene → image for a nest plane tilted by tilt_deg about an in-plane axis through the frame
/// centre, seen by a pinhole camera whose square-on view is the scene.
cv::Matx33d tilt_homography(const RenderConditions& c) {
    if (c.tilt_deg == 0.0)
        return cv::Matx33d::eye();
    const double f = kFocalPerWidth * c.size.width;
    const double cx = (c.size.width - 1) / 2.0;
    const double cy = (c.size.height - 1) / 2.0;
    const double axis = c.tilt_axis_deg * std::numbers::pi / 180.0;
    const double angle = c.tilt_deg * std::numbers::pi / 180.0;
    // Rotation by `angle` about the unit axis k in the image plane (Rodrigues' formula).
    const cv::Vec3d k{std::cos(axis), std::sin(axis), 0.0};
    const cv::Matx33d cross{0, -k[2], k[1], k[2], 0, -k[0], -k[1], k[0], 0};
    const cv::Matx33d r = cv::Matx33d::eye() * std::cos(angle) + cross * std::sin(angle) +
                          (k * k.t()) * (1.0 - std::cos(angle));
    std::array<cv::Point2f, 4> from{cv::Point2f{0, 0}, cv::Point2f{1, 0}, cv::Point2f{1, 1},
                                    cv::Point2f{0, 1}};
    std::array<cv::Point2f, 4> to;
    for (std::size_t i = 0; i < from.size(); ++i) {
        from[i].x *= static_cast<float>(c.size.width - 1);
        from[i].y *= static_cast<float>(c.size.height - 1);
        const cv::Vec3d p = r * cv::Vec3d{from[i].x - cx, from[i].y - cy, 0.0};
        to[i] = {static_cast<float>(cx + f * p[0] / (f + p[2])),
                 static_cast<float>(cy + f * p[1] / (f + p[2]))};
    }
    return cv::Matx33d(cv::getPerspectiveTransform(from.data(), to.data()));
}

/// Draws in face millimetres straight into the image through the face → image homography, so
/// a tilted nest costs nothing extra and every edge lands exactly where the ground truth says.
/// Straight edges stay straight under a homography; circles and arcs are drawn as polygons of
/// projected points. Stroke widths are in pixels at the nominal scale (a 5° tilt changes them by
/// far less than a pixel).
///
/// The camera's exposure and white balance are per-channel gains; the painter applies them to
/// every colour it draws (clipping at 255 as the 8-bit image does), which costs nothing per
/// pixel. Blur after clipping is the one approximation: a real sensor blurs before it clips, so
/// an overexposed LED's halo would be a touch wider.
class Painter {
public:
    Painter(cv::Mat& image, const cv::Matx33d& face_to_image, double px_per_mm, cv::Vec3d gain)
        : img_(image), h_(face_to_image), s_(px_per_mm), gain_(gain) {}

    cv::Scalar tone(const cv::Scalar& c) const {
        return {std::min(255.0, c[0] * gain_[0]), std::min(255.0, c[1] * gain_[1]),
                std::min(255.0, c[2] * gain_[2])};
    }

    cv::Point2d to_px(cv::Point2d mm) const { return apply(h_, mm); }
    double px(double mm) const { return mm * s_; }

    cv::Point fixed(cv::Point2d mm) const {
        const cv::Point2d p = to_px(mm) * kShiftScale;
        return {static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y))};
    }

    void fill(const std::vector<cv::Point2d>& mm, const cv::Scalar& colour) {
        cv::fillPoly(img_, std::vector<std::vector<cv::Point>>{fixed(mm)}, tone(colour),
                     cv::LINE_AA, kShift);
    }
    void outline(const std::vector<cv::Point2d>& mm, const cv::Scalar& colour, int thickness,
                 bool closed = true) {
        cv::polylines(img_, std::vector<std::vector<cv::Point>>{fixed(mm)}, closed, tone(colour),
                      thickness, cv::LINE_AA, kShift);
    }
    void rect(cv::Point2d a, cv::Point2d b, const cv::Scalar& colour) {
        fill({a, {b.x, a.y}, b, {a.x, b.y}}, colour);
    }
    void disk(cv::Point2d c, double r_mm, const cv::Scalar& colour) {
        fill(arc_points(c, r_mm, 0, 360), colour);
    }
    void ring(cv::Point2d c, double r_mm, const cv::Scalar& colour, int thickness) {
        outline(arc_points(c, r_mm, 0, 360), colour, thickness);
    }
    void line(cv::Point2d a, cv::Point2d b, const cv::Scalar& colour, int thickness) {
        cv::line(img_, fixed(a), fixed(b), tone(colour), thickness, cv::LINE_AA, kShift);
    }
    /// Angles in degrees, clockwise from +x (y points down), as cv::ellipse takes them.
    void arc(cv::Point2d c, double r_mm, double from_deg, double to_deg, const cv::Scalar& colour,
             int thickness) {
        outline(arc_points(c, r_mm, from_deg, to_deg), colour, thickness, false);
    }
    void sector(cv::Point2d c, double r_mm, double from_deg, double to_deg,
                const cv::Scalar& colour) {
        fill(arc_points(c, r_mm, from_deg, to_deg), colour);
    }

    /// Points along a circle arc in millimetres, dense enough for a smooth outline in pixels.
    std::vector<cv::Point2d> arc_points(cv::Point2d c, double r_mm, double from_deg,
                                        double to_deg) const {
        const double span = to_deg - from_deg;
        const int n =
            std::clamp(static_cast<int>(std::abs(span) / 360.0 * px(r_mm) * 1.5), 12, 180);
        std::vector<cv::Point2d> pts;
        pts.reserve(static_cast<std::size_t>(n) + 1);
        for (int i = 0; i <= n; ++i) {
            const double a = (from_deg + span * i / n) * std::numbers::pi / 180.0;
            pts.push_back(c + cv::Point2d{std::cos(a), std::sin(a)} * r_mm);
        }
        return pts;
    }

    /// Pastes a flat raster `src` (already toned) that covers the face rectangle [tl, tl + size_mm)
    /// through the homography into the image (used for text, which OpenCV can only draw square-on).
    void paste(const cv::Mat& src, cv::Point2d tl, cv::Size2d size_mm) {
        // Source pixel centres sit at tl + (i + 0.5) · pixel size.
        const double sx = size_mm.width / src.cols, sy = size_mm.height / src.rows;
        const cv::Matx33d src_to_face{sx, 0, tl.x + sx / 2, 0, sy, tl.y + sy / 2, 0, 0, 1};
        blit(src, h_ * src_to_face, cv::INTER_LINEAR);
    }
    /// Warps `src` into the image with the source-pixel → image-pixel map `m`, touching only the
    /// bounding box of where it lands.
    void blit(const cv::Mat& src, const cv::Matx33d& m, int interpolation) {
        const std::array<cv::Point2d, 4> corners{
            cv::Point2d{-0.5, -0.5}, cv::Point2d{src.cols - 0.5, -0.5},
            cv::Point2d{src.cols - 0.5, src.rows - 0.5}, cv::Point2d{-0.5, src.rows - 0.5}};
        double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
        for (const cv::Point2d& c : corners) {
            const cv::Point2d q = apply(m, c);
            x0 = std::min(x0, q.x);
            y0 = std::min(y0, q.y);
            x1 = std::max(x1, q.x);
            y1 = std::max(y1, q.y);
        }
        const cv::Rect roi =
            cv::Rect(cv::Point(static_cast<int>(std::floor(x0)), static_cast<int>(std::floor(y0))),
                     cv::Point(static_cast<int>(std::ceil(x1)) + 1,
                               static_cast<int>(std::ceil(y1)) + 1)) &
            cv::Rect(0, 0, img_.cols, img_.rows);
        if (roi.empty())
            return;
        const cv::Matx33d shift{
            1, 0, -static_cast<double>(roi.x), 0, 1, -static_cast<double>(roi.y), 0, 0, 1};
        cv::Mat dst = img_(roi);
        cv::warpPerspective(src, dst, shift * m, roi.size(), interpolation, cv::BORDER_TRANSPARENT);
    }
    cv::Mat& image() { return img_; }

private:
    std::vector<cv::Point> fixed(const std::vector<cv::Point2d>& mm) const {
        std::vector<cv::Point> pts;
        pts.reserve(mm.size());
        for (const cv::Point2d& p : mm)
            pts.push_back(fixed(p));
        return pts;
    }

    cv::Mat& img_;
    cv::Matx33d h_;
    double s_;
    cv::Vec3d gain_;
};

/// Draws an icon glyph into a square slot: coordinates are unit fractions of the slot.
class Glyph {
public:
    Glyph(Painter& p, const FaceRegion& slot, cv::Scalar colour, cv::Scalar background)
        : p_(p), colour_(colour), dim_(mix(background, colour, kDimLevel)), bg_(background),
          x0_(slot.cx_mm - slot.w_mm / 2), y0_(slot.cy_mm - slot.h_mm / 2), size_(slot.w_mm),
          stroke_(std::max(1, static_cast<int>(std::lround(p.px(slot.w_mm) * 0.07)))) {}

    cv::Point2d at(double u, double v) const { return {x0_ + u * size_, y0_ + v * size_}; }
    double len(double u) const { return u * size_; }

    void poly(std::initializer_list<cv::Point2d> uv, bool filled = true, bool dim = false) {
        std::vector<cv::Point2d> mm;
        for (const cv::Point2d& q : uv)
            mm.push_back(at(q.x, q.y));
        if (filled)
            p_.fill(mm, dim ? dim_ : colour_);
        else
            p_.outline(mm, dim ? dim_ : colour_, dim ? std::max(1, stroke_ / 2) : stroke_);
    }
    void box(double u0, double v0, double u1, double v1, bool filled = true, bool dim = false) {
        poly({{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}}, filled, dim);
    }
    void line(double u0, double v0, double u1, double v1, double weight = 1.0) {
        p_.line(at(u0, v0), at(u1, v1), colour_,
                std::max(1, static_cast<int>(std::lround(stroke_ * weight))));
    }
    void disk(double u, double v, double r, bool dim = false) {
        p_.disk(at(u, v), len(r), dim ? dim_ : colour_);
    }
    void hole(double u, double v, double r) { p_.disk(at(u, v), len(r), bg_); }
    void ring(double u, double v, double r) { p_.ring(at(u, v), len(r), colour_, stroke_); }
    void arc(double u, double v, double r, double from, double to, bool dim = false) {
        p_.arc(at(u, v), len(r), from, to, dim ? dim_ : colour_,
               dim ? std::max(1, stroke_ / 2) : stroke_);
    }
    void person(double u) { // head and shoulders centred at u
        disk(u, 0.30, 0.15);
        p_.sector(at(u, 0.85), len(0.28), 180, 360, colour_);
    }
    void arrow(double u, bool up) {
        const double tip = up ? 0.08 : 0.92, base = up ? 0.42 : 0.58, end = up ? 0.88 : 0.12;
        poly({{u, tip}, {u - 0.17, base}, {u + 0.17, base}});
        box(u - 0.06, std::min(base, end), u + 0.06, std::max(base, end));
    }
    void cross(double u0, double v0, double u1, double v1) {
        line(u0, v0, u1, v1);
        line(u0, v1, u1, v0);
    }

private:
    Painter& p_;
    cv::Scalar colour_, dim_, bg_;
    double x0_, y0_, size_;
    int stroke_;
};

/// Level -1 means "no level": draw the glyph full.
bool level_lit(int level, int index) {
    return level < 0 || index < level;
}

void draw_glyph(Glyph& g, fw::Icon icon, int level) {
    using fw::Icon;
    switch (icon) {
    case Icon::Logo: // a lens
        g.ring(0.5, 0.5, 0.40);
        g.disk(0.5, 0.5, 0.18);
        return;
    case Icon::Docked: // a camera standing in a cradle
        g.box(0.30, 0.12, 0.70, 0.70, false);
        g.box(0.10, 0.74, 0.90, 0.90);
        return;
    case Icon::Charging: // lightning bolt
        g.poly({{0.60, 0.04},
                {0.22, 0.56},
                {0.46, 0.56},
                {0.38, 0.96},
                {0.80, 0.42},
                {0.55, 0.42},
                {0.70, 0.04}});
        return;
    case Icon::UserAssigned: // person with a tick
        g.person(0.38);
        g.line(0.62, 0.60, 0.74, 0.74);
        g.line(0.74, 0.74, 0.95, 0.42);
        return;
    case Icon::FirmwareUpgrade: // up arrow onto a base line
        g.arrow(0.5, true);
        g.box(0.15, 0.90, 0.85, 0.97);
        return;
    case Icon::DataTransfer: // up and down arrows
        g.arrow(0.30, true);
        g.arrow(0.70, false);
        return;
    case Icon::NoUser: // person struck through
        g.person(0.5);
        g.line(0.08, 0.92, 0.92, 0.08, 1.3);
        return;
    case Icon::NotAdded: // plus in a square
        g.box(0.12, 0.12, 0.88, 0.88, false);
        g.line(0.5, 0.28, 0.5, 0.72, 1.4);
        g.line(0.28, 0.5, 0.72, 0.5, 1.4);
        return;
    case Icon::GeneralError: // warning triangle
        g.poly({{0.5, 0.06}, {0.95, 0.90}, {0.05, 0.90}}, false);
        g.line(0.5, 0.36, 0.5, 0.64, 1.3);
        g.disk(0.5, 0.76, 0.06);
        return;
    case Icon::LostController: // two boxes, link crossed out
        g.box(0.04, 0.35, 0.30, 0.65);
        g.box(0.70, 0.35, 0.96, 0.65);
        g.cross(0.40, 0.36, 0.60, 0.64);
        return;
    case Icon::Battery: // outline, terminal, four segments
        g.box(0.06, 0.25, 0.82, 0.75, false);
        g.box(0.84, 0.40, 0.94, 0.60);
        for (int i = 0; i < 4; ++i) {
            const double u = 0.13 + i * 0.17;
            g.box(u, 0.33, u + 0.13, 0.67, true, !level_lit(level, i));
        }
        return;
    case Icon::UsbCharging: // USB trident
        g.line(0.5, 0.15, 0.5, 0.82);
        g.poly({{0.5, 0.04}, {0.40, 0.20}, {0.60, 0.20}});
        g.disk(0.5, 0.86, 0.09);
        g.line(0.5, 0.62, 0.25, 0.46);
        g.line(0.25, 0.46, 0.25, 0.36);
        g.box(0.19, 0.26, 0.31, 0.38);
        g.line(0.5, 0.52, 0.75, 0.38);
        g.line(0.75, 0.38, 0.75, 0.30);
        g.disk(0.75, 0.26, 0.07);
        return;
    case Icon::Storage: // memory card
        g.poly({{0.25, 0.08}, {0.62, 0.08}, {0.78, 0.24}, {0.78, 0.92}, {0.25, 0.92}}, false);
        for (int i = 0; i < 3; ++i)
            g.box(0.34 + i * 0.12, 0.18, 0.40 + i * 0.12, 0.36);
        return;
    case Icon::StorageError: // memory card, crossed
        g.poly({{0.25, 0.08}, {0.62, 0.08}, {0.78, 0.24}, {0.78, 0.92}, {0.25, 0.92}}, false);
        g.cross(0.36, 0.42, 0.67, 0.80);
        return;
    case Icon::HolsterSensor: // holster with the sensor dot
        g.poly({{0.28, 0.08}, {0.72, 0.08}, {0.72, 0.70}, {0.5, 0.94}, {0.28, 0.70}}, false);
        g.disk(0.5, 0.42, 0.11);
        return;
    case Icon::AppLink: // phone
        g.box(0.28, 0.05, 0.72, 0.95, false);
        g.box(0.36, 0.16, 0.64, 0.72);
        g.disk(0.5, 0.84, 0.05);
        return;
    case Icon::MiniSensor: // bullet camera on a cable
        g.box(0.12, 0.36, 0.64, 0.64);
        g.ring(0.78, 0.5, 0.14);
        g.line(0.02, 0.5, 0.12, 0.5);
        return;
    case Icon::MicrophoneOff: { // microphone struck through
        g.box(0.40, 0.08, 0.60, 0.55);
        g.disk(0.5, 0.10, 0.10);
        g.disk(0.5, 0.53, 0.10);
        g.arc(0.5, 0.50, 0.25, 0, 180);
        g.line(0.5, 0.75, 0.5, 0.92);
        g.line(0.08, 0.08, 0.92, 0.92, 1.3);
        return;
    }
    case Icon::LiveLink: // broadcast: dot and waves both sides
        g.disk(0.5, 0.5, 0.10);
        g.arc(0.5, 0.5, 0.24, 135, 225);
        g.arc(0.5, 0.5, 0.24, -45, 45);
        g.arc(0.5, 0.5, 0.42, 140, 220);
        g.arc(0.5, 0.5, 0.42, -40, 40);
        return;
    case Icon::Gps: // location pin
        g.poly({{0.26, 0.48}, {0.74, 0.48}, {0.5, 0.96}});
        g.disk(0.5, 0.36, 0.28);
        g.hole(0.5, 0.36, 0.10);
        return;
    case Icon::Mobile: // four ascending bars, lit up to the level
        for (int i = 0; i < 4; ++i) {
            const double u = 0.08 + i * 0.23;
            const double top = 0.72 - i * 0.20;
            g.box(u, top, u + 0.16, 0.92, level_lit(level, i), !level_lit(level, i));
        }
        return;
    case Icon::Wifi: // dot and three arcs, lit up to the level
        g.disk(0.5, 0.84, 0.08, !level_lit(level, 0));
        for (int i = 1; i < 4; ++i)
            g.arc(0.5, 0.84, 0.22 * i, 225, 315, !level_lit(level, i));
        return;
    case Icon::Locked: // padlock
        g.arc(0.5, 0.46, 0.20, 180, 360);
        g.line(0.30, 0.46, 0.30, 0.50);
        g.line(0.70, 0.46, 0.70, 0.50);
        g.box(0.22, 0.48, 0.78, 0.92);
        g.hole(0.5, 0.66, 0.06);
        return;
    case Icon::Recording: // record dot
        g.disk(0.5, 0.5, 0.36);
        return;
    }
}

/// The marker with a one-module white quiet zone: 8 × 8 modules, 0 = black, 255 = white.
cv::Mat marker_modules(int id) {
    static const cv::Ptr<cv::aruco::Dictionary> dictionary =
        cv::aruco::getPredefinedDictionary(cv::aruco::DICT_4X4_50);
    cv::Mat modules;
    cv::aruco::drawMarker(dictionary, id, 6, modules, 1);
    cv::copyMakeBorder(modules, modules, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(255));
    return modules;
}

void draw_marker(Painter& p, const FaceRegion& r) {
    const double module = r.w_mm / 6.0;
    const cv::Point2d tl{r.cx_mm - r.w_mm / 2 - module, r.cy_mm - r.h_mm / 2 - module};
    const cv::Point2d br{r.cx_mm + r.w_mm / 2 + module, r.cy_mm + r.h_mm / 2 + module};
    p.rect(tl, br, kPaperColour);
    // The printed pattern at about one source pixel per image pixel, so bilinear sampling gives
    // edges anti-aliased over one pixel, exactly at the module boundaries.
    const int k = std::max(4, static_cast<int>(std::ceil(p.px(module))));
    cv::Mat bits;
    cv::resize(marker_modules(r.marker_id), bits, {8 * k, 8 * k}, 0, 0, cv::INTER_NEAREST);
    cv::Mat print(bits.size(), CV_8UC3, p.tone(kInkColour));
    print.setTo(p.tone(kPaperColour), bits);
    p.paste(print, tl, {br.x - tl.x, br.y - tl.y});
}

std::vector<cv::Point2d> rounded_rect(const FaceRegion& r, double radius) {
    std::vector<cv::Point2d> pts;
    const double x0 = r.cx_mm - r.w_mm / 2 + radius, x1 = r.cx_mm + r.w_mm / 2 - radius;
    const double y0 = r.cy_mm - r.h_mm / 2 + radius, y1 = r.cy_mm + r.h_mm / 2 - radius;
    const std::array<cv::Point2d, 4> centres{cv::Point2d{x1, y0}, cv::Point2d{x1, y1},
                                             cv::Point2d{x0, y1}, cv::Point2d{x0, y0}};
    constexpr int kSteps = 8;
    for (std::size_t c = 0; c < centres.size(); ++c)
        for (int i = 0; i <= kSteps; ++i) {
            const double a = (-90.0 + 90.0 * static_cast<double>(c) + 90.0 * i / kSteps) *
                             std::numbers::pi / 180.0;
            pts.push_back(centres[c] + cv::Point2d{std::cos(a), std::sin(a)} * radius);
        }
    return pts;
}

cv::Point2d centre(const FaceRegion& r) {
    return {r.cx_mm, r.cy_mm};
}
cv::Point2d top_left(const FaceRegion& r) {
    return {r.cx_mm - r.w_mm / 2, r.cy_mm - r.h_mm / 2};
}
cv::Point2d bottom_right(const FaceRegion& r) {
    return {r.cx_mm + r.w_mm / 2, r.cy_mm + r.h_mm / 2};
}

/// A soft glow around a lit LED: its disk, blurred, kept wherever it is brighter than the
/// scene (max, not add, so the lens itself keeps its colour).
void add_bloom(Painter& p, const FaceRegion& r, const cv::Scalar& colour, double bloom_px) {
    if (bloom_px <= 0)
        return;
    cv::Mat& img = p.image();
    const cv::Point2d c = p.to_px(centre(r));
    const int half = static_cast<int>(std::ceil(p.px(r.w_mm / 2) * 1.1 + 2.5 * bloom_px));
    const cv::Rect roi =
        cv::Rect(static_cast<int>(std::lround(c.x)) - half,
                 static_cast<int>(std::lround(c.y)) - half, 2 * half + 1, 2 * half + 1) &
        cv::Rect(0, 0, img.cols, img.rows);
    if (roi.empty())
        return;
    cv::Mat glow = cv::Mat::zeros(roi.size(), CV_8UC3);
    std::vector<cv::Point> pts;
    for (const cv::Point2d& q : p.arc_points(centre(r), r.w_mm / 2, 0, 360)) {
        const cv::Point2d l = (p.to_px(q) - cv::Point2d(roi.tl())) * kShiftScale;
        pts.emplace_back(static_cast<int>(std::lround(l.x)), static_cast<int>(std::lround(l.y)));
    }
    cv::fillPoly(glow, std::vector<std::vector<cv::Point>>{pts}, p.tone(colour * kBloomStrength),
                 cv::LINE_AA, kShift);
    cv::GaussianBlur(glow, glow, cv::Size(0, 0), bloom_px / 2.0);
    cv::Mat dst = img(roi);
    cv::max(dst, glow, dst);
}

void draw_leds(Painter& p, const fw::Snapshot& snap, fw::Millis at, const FaceLayout& layout,
               const RenderConditions& cond, const FaceFaults& faults) {
    for (fw::Indicator ind : fw::model_spec(snap.model).indicators) {
        const FaceRegion* r = find_region(layout, RegionKind::Led, fw::to_string(ind));
        if (r == nullptr)
            continue; // the display, drawn on its own
        const double radius = r->w_mm / 2;

        double intensity = 0.0;
        fw::Colour colour = fw::Colour::Off;
        if (const fw::LightState* l = snap.light(ind); l && !faults.dead_leds.contains(ind)) {
            intensity = pattern_intensity(l->pattern, l->period, at);
            colour = l->colour;
            if (auto o = faults.colour_override.find(ind); o != faults.colour_override.end())
                colour = o->second;
        }
        if (colour == fw::Colour::Off)
            intensity = 0.0;
        const cv::Scalar lit = emitted_bgr(colour);
        p.disk(centre(*r), radius, mix(kLensColour, lit, intensity));
        if (intensity > 0.0)
            add_bloom(p, *r, lit * intensity, cond.led_bloom_px);
    }
}

void draw_text(Painter& p, const FaceRegion& r, const std::string& text) {
    constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
    // Drawn square-on into a raster of the slot at the nominal scale, then pasted through the
    // homography: OpenCV's text cannot be drawn in perspective.
    const cv::Size slot{std::max(1, static_cast<int>(std::lround(p.px(r.w_mm)))),
                        std::max(1, static_cast<int>(std::lround(p.px(r.h_mm))))};
    const int thickness = std::max(1, static_cast<int>(std::lround(slot.height / 18.0)));
    int baseline = 0;
    const cv::Size unit =
        cv::getTextSize(text.empty() ? "H" : text, kFont, 1.0, thickness, &baseline);
    // Cap height ~ 60 % of the line; long lines shrink to fit rather than being cut off.
    double scale = 0.6 * slot.height / std::max(1, unit.height);
    scale = std::min(scale, (slot.width - 1.0) / std::max(1, unit.width));
    cv::Mat raster(slot, CV_8UC3, p.tone(kDisplayOnColour));
    cv::putText(raster, text, {0, static_cast<int>(std::lround(0.8 * slot.height))}, kFont, scale,
                p.tone(kTextColour), thickness, cv::LINE_AA);
    p.paste(raster, top_left(r), {r.w_mm, r.h_mm});
}

void draw_display(Painter& p, const fw::Snapshot& snap, fw::Millis at, const FaceLayout& layout,
                  const FaceFaults& faults) {
    const FaceRegion* disp = find_region(layout, RegionKind::Display, "display");
    if (disp == nullptr)
        return;
    const fw::DisplayState& d = snap.display;
    if (!d.on || faults.display_dead) {
        p.rect(top_left(*disp), bottom_right(*disp), kDisplayOffColour);
        return;
    }
    p.rect(top_left(*disp), bottom_right(*disp), kDisplayOnColour);

    for (const fw::IconState& icon : d.icons) {
        const FaceRegion* slot = find_region(layout, RegionKind::Icon, fw::to_string(icon.icon));
        const double i = pattern_intensity(icon.pattern, icon.period, at);
        if (slot == nullptr || i <= 0.0 || icon.colour == fw::Colour::Off)
            continue;
        Glyph g(p, *slot, mix(kDisplayOnColour, emitted_bgr(icon.colour), i), kDisplayOnColour);
        draw_glyph(g, icon.icon, icon.level);
    }

    for (const fw::ProgressBar& bar : d.bars) {
        const FaceRegion* slot = find_region(layout, RegionKind::Bar, fw::to_string(bar.icon));
        if (slot == nullptr)
            continue;
        // The bar takes its activity icon's colour and blinking (the charging bar follows the
        // charge level colour); without that icon, white.
        cv::Scalar colour = emitted_bgr(fw::Colour::White);
        if (const fw::IconState* icon = d.find(bar.icon))
            colour = mix(kDisplayOnColour, emitted_bgr(icon->colour),
                         pattern_intensity(icon->pattern, icon->period, at));
        const cv::Point2d a = top_left(*slot), b = bottom_right(*slot);
        p.outline({a, {b.x, a.y}, b, {a.x, b.y}}, mix(kDisplayOnColour, colour, 0.5), 1);
        const double fraction = std::clamp(bar.percent, 0, 100) / 100.0;
        if (fraction > 0)
            p.rect(a, {a.x + (b.x - a.x) * fraction, b.y}, colour);
    }

    for (int line = 0; line < kTextSlots && line < static_cast<int>(d.text.size()); ++line)
        if (const FaceRegion* slot = find_region(layout, RegionKind::Text, text_slot_name(line)))
            draw_text(p, *slot, d.text[static_cast<std::size_t>(line)]);

    if (faults.display_dead_rows && layout.panel_rows > 0) {
        const double row_mm = static_cast<double>(disp->h_mm) / layout.panel_rows;
        const int first = std::clamp(faults.display_dead_rows->first_row, 0, layout.panel_rows);
        const int last = std::clamp(faults.display_dead_rows->last_row, 0, layout.panel_rows - 1);
        if (last >= first) {
            const cv::Point2d tl = top_left(*disp);
            p.rect({tl.x, tl.y + first * row_mm}, {tl.x + disp->w_mm, tl.y + (last + 1) * row_mm},
                   kDisplayOffColour);
        }
    }
}

/// What does not depend on the device's state: nest, markers, body, LED bezels.
void draw_static(Painter& p, const FaceLayout& layout) {
    p.image().setTo(p.tone(kNestColour));
    for (const FaceRegion& r : layout.regions)
        if (r.kind == RegionKind::Marker)
            draw_marker(p, r);
    if (const FaceRegion* body = find_region(layout, RegionKind::Body, "body")) {
        const auto outline = rounded_rect(*body, kBodyCornerMm);
        p.fill(outline, kBodyColour);
        p.outline(outline, kBodyEdgeColour, std::max(1, static_cast<int>(p.px(0.4))));
    }
    for (const FaceRegion& r : layout.regions)
        if (r.kind == RegionKind::Led)
            p.disk(centre(r), r.w_mm / 2 + kBezelMm, kBezelColour);
}

/// The static layer for the last (model, size, homography, gains) this thread rendered: a
/// stream of frames under the same conditions redraws only what changes. Being a pure function
/// of its key, the cache cannot change an image, only how fast it comes.
const cv::Mat& static_layer(const FaceLayout& layout, const RenderConditions& c,
                            const cv::Matx33d& h, const cv::Vec3d& gain, double px_per_mm) {
    struct Entry {
        fw::Model model;
        cv::Size size;
        cv::Matx33d h;
        cv::Vec3d gain;
        cv::Mat layer;
    };
    thread_local std::optional<Entry> cache;
    if (!cache || cache->model != layout.model || cache->size != c.size || cache->h != h ||
        cache->gain != gain) {
        cache = Entry{layout.model, c.size, h, gain, cv::Mat(c.size, CV_8UC3)};
        Painter p(cache->layer, h, px_per_mm, gain);
        draw_static(p, layout);
    }
    return cache->layer;
}

/// Per-channel gains of the camera: exposure, and the white-balance cast of a camera set to
/// `k` looking at a 6500 K scene (gain = its white's response at 6500 K / at k, green kept).
cv::Vec3d camera_gains(const RenderConditions& c) {
    // Approximate sRGB of a black body (Tanner Helland's fit to Mitchell Charity's table),
    // good to a few percent from 1000 K to 40000 K; only ratios are used.
    const auto blackbody = [](double kelvin) {
        const double t = kelvin / 100.0;
        const double r = t <= 66 ? 255.0 : 329.698727446 * std::pow(t - 60, -0.1332047592);
        const double g = t <= 66 ? 99.4708025861 * std::log(t) - 161.1195681661
                                 : 288.1221695283 * std::pow(t - 60, -0.0755148492);
        const double b = t >= 66   ? 255.0
                         : t <= 19 ? 0.0
                                   : 138.5177312231 * std::log(t - 10) - 305.0447927307;
        return cv::Vec3d{std::clamp(b, 1.0, 255.0), std::clamp(g, 1.0, 255.0),
                         std::clamp(r, 1.0, 255.0)};
    };
    const cv::Vec3d scene = blackbody(kNeutralWhiteBalanceK);
    const cv::Vec3d set = blackbody(c.white_balance_k);
    cv::Vec3d gain;
    for (int i = 0; i < 3; ++i)
        gain[i] = (set[1] / set[i]) / (scene[1] / scene[i]);
    return gain * std::exp2(c.exposure_ev);
}

/// Standard normal quantiles at the centres of 256 equal-probability bins, rescaled to unit
/// variance: a uniform byte through this table is Gaussian noise truncated at ±2.9σ. It is
/// three to four times cheaper than cv::randn (a uniform fill and a LUT, both vectorised), and
/// sensor noise beyond 3σ matters to no vision check.
const std::array<double, 256>& normal_quantiles() {
    static const std::array<double, 256> table = [] {
        std::array<double, 256> q{};
        double sum_sq = 0;
        for (std::size_t i = 0; i < q.size(); ++i) {
            // Invert the CDF 0.5·erfc(−z/√2) by bisection; built once.
            const double p = (static_cast<double>(i) + 0.5) / 256.0;
            double lo = -6, hi = 6;
            for (int it = 0; it < 60; ++it) {
                const double mid = (lo + hi) / 2;
                (0.5 * std::erfc(-mid / std::numbers::sqrt2) < p ? lo : hi) = mid;
            }
            q[i] = (lo + hi) / 2;
            sum_sq += q[i] * q[i];
        }
        const double sd = std::sqrt(sum_sq / 256.0);
        for (double& v : q)
            v /= sd;
        return q;
    }();
    return table;
}

/// Gaussian noise, drawn in fixed horizontal stripes each with its own generator seeded from
/// the seed and the stripe index: parallel, yet the same image whatever the thread count.
void add_noise(cv::Mat& img, double sigma, std::uint64_t seed) {
    if (sigma <= 0)
        return;
    cv::Mat lut(1, 256, CV_16S);
    for (int i = 0; i < 256; ++i)
        lut.at<std::int16_t>(0, i) = cv::saturate_cast<std::int16_t>(
            sigma * normal_quantiles()[static_cast<std::size_t>(i)]);
    constexpr int kStripes = 32;
    cv::parallel_for_(cv::Range(0, kStripes), [&](const cv::Range& range) {
        for (int s = range.start; s < range.end; ++s) {
            const int y0 = img.rows * s / kStripes, y1 = img.rows * (s + 1) / kStripes;
            if (y1 <= y0)
                continue;
            cv::Mat stripe = img.rowRange(y0, y1);
            // splitmix64 mixing so neighbouring stripes get unrelated streams.
            std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(s + 1);
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
            cv::RNG rng(z ^ (z >> 31));
            cv::Mat uniform(stripe.size(), CV_8UC3), noise;
            rng.fill(uniform, cv::RNG::UNIFORM, 0, 256);
            cv::LUT(uniform, lut, noise);
            cv::add(stripe, noise, stripe, cv::noArray(), CV_8U);
        }
    });
}

} // namespace

const ImageRegion* RenderedFace::find(RegionKind kind, std::string_view name) const {
    for (const ImageRegion& r : regions)
        if (r.kind == kind && r.name == name)
            return &r;
    return nullptr;
}

double pattern_intensity(fw::Pattern pattern, fw::Millis period, fw::Millis at) {
    if (pattern == fw::Pattern::Off)
        return 0.0;
    if (pattern == fw::Pattern::Steady || period <= fw::Millis{0})
        return 1.0;
    const std::int64_t p = period.count();
    const double phase = static_cast<double>(((at.count() % p) + p) % p) / static_cast<double>(p);
    if (pattern == fw::Pattern::Flashing)
        return phase < 0.5 ? 1.0 : 0.0;
    return 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * phase);
}

cv::Scalar emitted_bgr(fw::Colour c) {
    switch (c) {
    case fw::Colour::Off:
        return kLensColour;
    case fw::Colour::Red:
        return {30, 30, 255};
    case fw::Colour::Green:
        return {70, 255, 60};
    case fw::Colour::Amber:
        return {0, 170, 255};
    case fw::Colour::Blue:
        return {255, 70, 30};
    case fw::Colour::White:
        return {250, 250, 250};
    }
    return kLensColour;
}

cv::Matx33d face_homography(const FaceLayout& layout, const RenderConditions& c) {
    return tilt_homography(c) * nest_to_scene(layout, c.size);
}

std::vector<ImageRegion> project_regions(const FaceLayout& layout, const cv::Matx33d& h) {
    std::vector<ImageRegion> out;
    out.reserve(layout.regions.size());
    for (const FaceRegion& r : layout.regions) {
        ImageRegion ir{r.kind, std::string(r.name), r.marker_id, {}};
        if (r.kind == RegionKind::Led) {
            constexpr int kPoints = 32;
            for (int i = 0; i < kPoints; ++i) {
                const double a = 2.0 * std::numbers::pi * i / kPoints;
                const cv::Point2d q =
                    apply(h, centre(r) + cv::Point2d{std::cos(a), std::sin(a)} * (r.w_mm / 2.0));
                ir.polygon.emplace_back(static_cast<float>(q.x), static_cast<float>(q.y));
            }
        } else {
            const cv::Point2d a = top_left(r), b = bottom_right(r);
            for (const cv::Point2d& corner : {a, cv::Point2d{b.x, a.y}, b, cv::Point2d{a.x, b.y}}) {
                const cv::Point2d q = apply(h, corner);
                ir.polygon.emplace_back(static_cast<float>(q.x), static_cast<float>(q.y));
            }
        }
        out.push_back(std::move(ir));
    }
    return out;
}

RenderedFace render_face(const fw::Snapshot& snapshot, fw::Millis at,
                         const RenderConditions& conditions, const FaceFaults& faults) {
    validate(conditions);
    const FaceLayout& layout = face_layout(snapshot.model);
    RenderedFace out;
    out.face_to_image = face_homography(layout, conditions);
    out.regions = project_regions(layout, out.face_to_image);

    // One frame buffer, everything after the drawing in place: at 1080p a fresh buffer per
    // step costs more in page faults than the step itself.
    const double px_per_mm = nest_to_scene(layout, conditions.size)(0, 0);
    const cv::Vec3d gain = camera_gains(conditions);
    static_layer(layout, conditions, out.face_to_image, gain, px_per_mm).copyTo(out.image);
    Painter painter(out.image, out.face_to_image, px_per_mm, gain);
    draw_leds(painter, snapshot, at, layout, conditions, faults);
    draw_display(painter, snapshot, at, layout, faults);
    if (conditions.blur_px > 0.0) {
        // Not in place (GaussianBlur would clone the source): blur into a per-thread spare
        // frame and swap, so the spare's pages are reused from frame to frame.
        thread_local cv::Mat spare;
        cv::GaussianBlur(out.image, spare, cv::Size(0, 0), conditions.blur_px);
        std::swap(out.image, spare);
    }

    add_noise(out.image, conditions.noise_sigma, conditions.seed);
    return out;
}

} // namespace bwc::emu
