// Colour reference measurement (see colour_reference.hpp). The white is sampled on a band in
// the middle of each marker's quiet zone (clear of the black square's and the plate's blurred
// edges); the grey on small cells of the body chosen from the layout: inside the body, away from
// its rounded corners, the LEDs (and their glow) and the display. Each surface's value is the
// median over its patches, so one patch spoiled by a reflection or a glow does not move it.
#include "bench/vision/colour_reference.hpp"

#include "bench/vision/face_sampler.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace bwc::vision {
namespace {

constexpr double kWhitePxPerMm = 2.0;
constexpr double kGreyPxPerMm = 2.0;
constexpr double kCellMm = 4.0;
constexpr double kBodyInsetMm = 3.0;
constexpr double kBodyCornerKeepOutMm = 9.0; // corner radius 6 mm + margin
constexpr double kLedKeepOutMm = 6.0;        // beyond the lens radius: bezel and glow
constexpr double kDisplayKeepOutMm = 2.0;
constexpr std::size_t kMaxGreyCells = 24;
constexpr std::size_t kNoiseCells = 3;

struct Patches {
    std::vector<FaceRect> white;       // marker plates
    std::vector<double> white_band_mm; // per plate: band from … to (distance from centre)
    std::vector<FaceRect> grey;        // body cells
};

bool near_led_or_display(const emu::FaceLayout& layout, const FaceRect& cell) {
    const double cx = cell.x0 + cell.w / 2, cy = cell.y0 + cell.h / 2;
    for (const emu::FaceRegion& r : layout.regions) {
        if (r.kind == emu::RegionKind::Led) {
            const double reach = r.w_mm / 2 + kLedKeepOutMm + cell.w / 2 * std::sqrt(2.0);
            if (std::hypot(cx - r.cx_mm, cy - r.cy_mm) < reach)
                return true;
        } else if (r.kind == emu::RegionKind::Display) {
            const double hw = r.w_mm / 2 + kDisplayKeepOutMm + cell.w / 2;
            const double hh = r.h_mm / 2 + kDisplayKeepOutMm + cell.h / 2;
            if (std::abs(cx - r.cx_mm) < hw && std::abs(cy - r.cy_mm) < hh)
                return true;
        }
    }
    return false;
}

const Patches& patches(fw::Model model) {
    static std::mutex mutex;
    static std::map<fw::Model, Patches> cache;
    const std::lock_guard lock(mutex);
    if (auto it = cache.find(model); it != cache.end())
        return it->second;
    const emu::FaceLayout& layout = emu::face_layout(model);
    Patches p;
    for (const emu::FaceRegion& r : layout.regions)
        if (r.kind == emu::RegionKind::Marker) {
            const double module = r.w_mm / 6.0;
            p.white.push_back(FaceRect::of(r).inset(-module));
        }
    std::vector<FaceRect> cells;
    if (const emu::FaceRegion* body = emu::find_region(layout, emu::RegionKind::Body, "body")) {
        const FaceRect area = FaceRect::of(*body).inset(kBodyInsetMm);
        const FaceRect b = FaceRect::of(*body);
        for (double y = area.y0; y + kCellMm <= area.y0 + area.h; y += kCellMm)
            for (double x = area.x0; x + kCellMm <= area.x0 + area.w; x += kCellMm) {
                const FaceRect cell{x, y, kCellMm, kCellMm};
                const double cx = x + kCellMm / 2, cy = y + kCellMm / 2;
                const bool corner =
                    (cx < b.x0 + kBodyCornerKeepOutMm || cx > b.x0 + b.w - kBodyCornerKeepOutMm) &&
                    (cy < b.y0 + kBodyCornerKeepOutMm || cy > b.y0 + b.h - kBodyCornerKeepOutMm);
                if (!corner && !near_led_or_display(layout, cell))
                    cells.push_back(cell);
            }
    }
    // An even spread of at most kMaxGreyCells: enough for a robust median, cheap per frame.
    const std::size_t stride =
        std::max<std::size_t>(1, (cells.size() + kMaxGreyCells - 1) / kMaxGreyCells);
    for (std::size_t i = 0; i < cells.size(); i += stride)
        p.grey.push_back(cells[i]);
    return cache.emplace(model, std::move(p)).first->second;
}

/// The band in the middle of a marker plate's quiet zone, as a mask of its sampled patch.
const cv::Mat& quiet_zone_mask(cv::Size size, double plate_mm) {
    thread_local std::map<std::pair<int, int>, cv::Mat> cache;
    const auto key = std::pair{size.width, size.height};
    if (auto it = cache.find(key); it != cache.end())
        return it->second;
    // Plate = marker (6 modules) + 1 module each side: the quiet zone is the outer 1/8 each side.
    const double module = plate_mm / 8.0;
    const double from = 3 * module + 0.2 * module, to = 4 * module - 0.2 * module;
    cv::Mat mask(size, CV_8U, cv::Scalar(0));
    for (int v = 0; v < size.height; ++v)
        for (int u = 0; u < size.width; ++u) {
            const double x = (u + 0.5) / size.width * plate_mm - plate_mm / 2;
            const double y = (v + 0.5) / size.height * plate_mm - plate_mm / 2;
            const double d = std::max(std::abs(x), std::abs(y));
            mask.at<std::uint8_t>(v, u) = d >= from && d <= to ? 255 : 0;
        }
    return cache.emplace(key, mask).first->second;
}

cv::Vec3d median_of(std::vector<cv::Vec3d> values) {
    cv::Vec3d out;
    for (int c = 0; c < 3; ++c) {
        std::vector<double> ch;
        for (const cv::Vec3d& v : values)
            ch.push_back(v[c]);
        std::nth_element(ch.begin(), ch.begin() + static_cast<long>(ch.size() / 2), ch.end());
        out[c] = ch[ch.size() / 2];
    }
    return out;
}

struct Surfaces {
    cv::Vec3d white, grey;
    double noise_sigma = 0;
};

std::optional<Surfaces> measure_surfaces(const cv::Mat& bgr, const cv::Matx33d& h,
                                         fw::Model model) {
    const Patches& p = patches(model);
    std::vector<cv::Vec3d> whites, greys;
    for (const FaceRect& plate : p.white) {
        const cv::Mat patch = sample_rect(bgr, h, plate, kWhitePxPerMm);
        if (patch.empty())
            continue;
        const cv::Scalar m = cv::mean(patch, quiet_zone_mask(patch.size(), plate.w));
        whites.emplace_back(m[0], m[1], m[2]);
    }
    for (const FaceRect& cell : p.grey) {
        const cv::Mat patch = sample_rect(bgr, h, cell.inset(0.5), kGreyPxPerMm);
        if (patch.empty())
            continue;
        const cv::Scalar m = cv::mean(patch);
        greys.emplace_back(m[0], m[1], m[2]);
    }
    if (whites.empty() || greys.empty())
        return std::nullopt;
    Surfaces s{median_of(whites), median_of(greys), 0};
    // Noise from raw pixels of a few grey cells (not resampled: interpolation would smooth
    // it), in the channel least truncated at black.
    int brightest = 0;
    for (int c = 1; c < 3; ++c)
        brightest = s.grey[c] > s.grey[brightest] ? c : brightest;
    std::vector<double> sigmas;
    for (std::size_t i = 0; i < p.grey.size() && sigmas.size() < kNoiseCells;
         i += std::max<std::size_t>(1, p.grey.size() / kNoiseCells)) {
        const cv::Rect roi = pixel_bounds(h, p.grey[i].inset(1.0), bgr.size(), 0);
        if (roi.area() < 16)
            continue;
        cv::Scalar mean, sd;
        cv::meanStdDev(bgr(roi), mean, sd);
        sigmas.push_back(sd[brightest]);
    }
    if (!sigmas.empty()) {
        std::sort(sigmas.begin(), sigmas.end());
        s.noise_sigma = sigmas[sigmas.size() / 2];
    }
    return s;
}

const char* channel_name(int c) {
    return c == 0 ? "blue" : c == 1 ? "green" : "red";
}

} // namespace

const ReferenceSurfaces& nominal_surfaces(fw::Model model) {
    static std::mutex mutex;
    static std::map<fw::Model, ReferenceSurfaces> cache;
    const std::lock_guard lock(mutex);
    if (auto it = cache.find(model); it != cache.end())
        return it->second;
    fw::Snapshot dark; // power off: no light, display off; only the nest and the body
    dark.model = model;
    emu::RenderConditions neutral;
    neutral.led_bloom_px = 0;
    const emu::RenderedFace face = emu::render_face(dark, fw::Millis{0}, neutral);
    const auto s = measure_surfaces(face.image, face.face_to_image, model);
    ReferenceSurfaces ref{s ? s->white : cv::Vec3d{}, s ? s->grey : cv::Vec3d{}};
    return cache.emplace(model, ref).first->second;
}

Reading<ColourReference> measure_colour_reference(const cv::Mat& bgr, const Registration& reg) {
    const auto s = measure_surfaces(bgr, reg.face_to_image, reg.model);
    if (!s)
        return Rejection{RejectionCode::Unregistered,
                         "the colour reference patches are outside the frame"};
    const ReferenceSurfaces& nominal = nominal_surfaces(reg.model);
    ColourReference ref;
    ref.white_bgr = s->white;
    ref.grey_bgr = s->grey;
    ref.noise_sigma = s->noise_sigma;
    // A channel is saturated when its mean is within reach of 255 given the noise.
    const double ceiling = 255.0 - 2.5 * s->noise_sigma - 3.0;
    constexpr double kTooDark = 10.0;
    for (int c = 0; c < 3; ++c) {
        std::ostringstream why;
        why.precision(0);
        why << std::fixed;
        if (s->white[c] < kTooDark) {
            why << "the white reference reads " << s->white[c] << " in the " << channel_name(c)
                << " channel: too dark to measure colours";
            return Rejection{RejectionCode::Clipped, why.str()};
        }
        if (s->white[c] < ceiling) {
            ref.gain[c] = s->white[c] / nominal.white_bgr[c];
        } else if (s->grey[c] < ceiling) {
            ref.gain[c] = s->grey[c] / nominal.grey_bgr[c];
            ref.gain_from_white[static_cast<std::size_t>(c)] = false;
        } else {
            why << "the white and grey references are saturated in the " << channel_name(c)
                << " channel (white " << s->white[c] << ", grey " << s->grey[c]
                << "): colours cannot be trusted; lower the exposure";
            return Rejection{RejectionCode::Clipped, why.str()};
        }
    }
    ref.exposure_ev = std::log2(ref.gain[1]);
    return ref;
}

std::string_view to_string(ColourReference::Source s) {
    return s == ColourReference::Source::Frame ? "frame" : "calibration";
}

namespace {
nlohmann::json vec_json(const cv::Vec3d& v) {
    return nlohmann::json::array({v[0], v[1], v[2]});
}
bool read_vec(const nlohmann::json& j, const char* key, cv::Vec3d& out) {
    if (!j.contains(key) || !j[key].is_array() || j[key].size() != 3)
        return false;
    for (std::size_t c = 0; c < 3; ++c) {
        if (!j[key][c].is_number())
            return false;
        out[static_cast<int>(c)] = j[key][c].get<double>();
    }
    return true;
}
} // namespace

void to_json(nlohmann::json& j, const ColourReference& r) {
    j = nlohmann::json{{"gain_bgr", vec_json(r.gain)},         {"exposure_ev", r.exposure_ev},
                       {"blue_red_ratio", r.blue_red_ratio()}, {"noise_sigma", r.noise_sigma},
                       {"white_bgr", vec_json(r.white_bgr)},   {"grey_bgr", vec_json(r.grey_bgr)},
                       {"gain_from_white", r.gain_from_white}, {"source", to_string(r.source)}};
}

fw::Result<ColourReference> colour_reference_from_json(const nlohmann::json& j) {
    using R = fw::Result<ColourReference>;
    if (!j.is_object())
        return R::failure("colour reference: expected a JSON object");
    ColourReference r;
    for (const auto& [key, dest] :
         {std::pair{"gain_bgr", &r.gain}, std::pair{"white_bgr", &r.white_bgr},
          std::pair{"grey_bgr", &r.grey_bgr}})
        if (!read_vec(j, key, *dest))
            return R::failure(std::string("colour reference: \"") + key +
                              "\" must be an array of 3 numbers");
    for (int c = 0; c < 3; ++c)
        if (!(r.gain[c] > 0))
            return R::failure("colour reference: \"gain_bgr\" must be positive");
    if (!j.contains("noise_sigma") || !j["noise_sigma"].is_number() ||
        j["noise_sigma"].get<double>() < 0)
        return R::failure("colour reference: \"noise_sigma\" must be a number >= 0");
    r.noise_sigma = j["noise_sigma"].get<double>();
    if (j.contains("gain_from_white")) {
        const nlohmann::json& g = j["gain_from_white"];
        if (!g.is_array() || g.size() != 3 || !g[0].is_boolean() || !g[1].is_boolean() ||
            !g[2].is_boolean())
            return R::failure("colour reference: \"gain_from_white\" must be 3 booleans");
        for (std::size_t c = 0; c < 3; ++c)
            r.gain_from_white[c] = g[c].get<bool>();
    }
    r.exposure_ev = std::log2(r.gain[1]);
    r.source = ColourReference::Source::Calibration;
    if (j.contains("source")) {
        if (j["source"] == "frame")
            r.source = ColourReference::Source::Frame;
        else if (j["source"] != "calibration")
            return R::failure("colour reference: \"source\" must be \"frame\" or \"calibration\"");
    }
    return r;
}

} // namespace bwc::vision
