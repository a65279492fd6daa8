// Face-rectangle sampling (see face_sampler.hpp). The warp runs on the region's bounding box of
// the frame only (a view, no copy), through a fixed-point map cached per region and registration.
#include "bench/vision/face_sampler.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace bwc::vision {

FaceRect FaceRect::of(const emu::FaceRegion& r) {
    return {r.cx_mm - r.w_mm / 2.0, r.cy_mm - r.h_mm / 2.0, r.w_mm, r.h_mm};
}

cv::Point2d face_to_pixel(const cv::Matx33d& h, cv::Point2d mm) {
    const cv::Vec3d q = h * cv::Vec3d{mm.x, mm.y, 1.0};
    return {q[0] / q[2], q[1] / q[2]};
}

cv::Rect pixel_bounds(const cv::Matx33d& h, const FaceRect& r, cv::Size frame, int pad_px) {
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    const std::array corners{cv::Point2d{r.x0, r.y0}, cv::Point2d{r.x0 + r.w, r.y0},
                             cv::Point2d{r.x0 + r.w, r.y0 + r.h}, cv::Point2d{r.x0, r.y0 + r.h}};
    for (const cv::Point2d& c : corners) {
        const cv::Point2d p = face_to_pixel(h, c);
        x0 = std::min(x0, p.x);
        y0 = std::min(y0, p.y);
        x1 = std::max(x1, p.x);
        y1 = std::max(y1, p.y);
    }
    if (!std::isfinite(x0) || !std::isfinite(y0) || !std::isfinite(x1) || !std::isfinite(y1))
        return {};
    const cv::Rect box(cv::Point(static_cast<int>(std::floor(x0)) - pad_px,
                                 static_cast<int>(std::floor(y0)) - pad_px),
                       cv::Point(static_cast<int>(std::ceil(x1)) + pad_px + 1,
                                 static_cast<int>(std::ceil(y1)) + pad_px + 1));
    return box & cv::Rect(cv::Point(0, 0), frame);
}

namespace {

/// A resampling map for one (homography, rectangle, resolution, frame size): in steady state
/// the registration does not change, so each region's map is built once and every frame costs
/// one fixed-point remap of the patch (several times cheaper than warpPerspective).
struct SamplingMap {
    cv::Matx33d h;
    double x0, y0, w, h_mm, px_per_mm;
    cv::Size frame;
    cv::Rect roi;
    cv::Mat map1, map2; // cv::convertMaps fixed-point form
};

constexpr std::size_t kCachedMaps = 96;

const SamplingMap* find_or_build(const cv::Matx33d& h, const FaceRect& r, double px_per_mm,
                                 cv::Size frame) {
    thread_local std::vector<SamplingMap> cache;
    thread_local std::size_t next_victim = 0;
    for (const SamplingMap& m : cache)
        if (m.px_per_mm == px_per_mm && m.x0 == r.x0 && m.y0 == r.y0 && m.w == r.w &&
            m.h_mm == r.h && m.frame == frame && m.h == h)
            return &m;
    const cv::Size size{std::max(1, static_cast<int>(std::lround(r.w * px_per_mm))),
                        std::max(1, static_cast<int>(std::lround(r.h * px_per_mm)))};
    const cv::Rect inner = pixel_bounds(h, r, frame, 0);
    const cv::Rect roi = pixel_bounds(h, r, frame, 2);
    const cv::Rect unclipped_inner = pixel_bounds(h, r, {1 << 30, 1 << 30}, 0);
    if (roi.empty() || inner != unclipped_inner)
        return nullptr;
    // Patch pixel → face mm → image pixel → ROI pixel.
    const double step_x = r.w / size.width, step_y = r.h / size.height;
    const cv::Matx33d patch_to_face{step_x, 0, r.x0 + step_x / 2, 0, step_y, r.y0 + step_y / 2, 0,
                                    0,      1};
    const cv::Matx33d image_to_roi{
        1, 0, -static_cast<double>(roi.x), 0, 1, -static_cast<double>(roi.y), 0, 0, 1};
    const cv::Matx33d m = image_to_roi * h * patch_to_face;
    cv::Mat map_x(size, CV_32F), map_y(size, CV_32F);
    for (int v = 0; v < size.height; ++v)
        for (int u = 0; u < size.width; ++u) {
            const cv::Vec3d q = m * cv::Vec3d{static_cast<double>(u), static_cast<double>(v), 1};
            map_x.at<float>(v, u) = static_cast<float>(q[0] / q[2]);
            map_y.at<float>(v, u) = static_cast<float>(q[1] / q[2]);
        }
    SamplingMap entry{h, r.x0, r.y0, r.w, r.h, px_per_mm, frame, roi, {}, {}};
    cv::convertMaps(map_x, map_y, entry.map1, entry.map2, CV_16SC2);
    if (cache.size() < kCachedMaps) {
        cache.push_back(std::move(entry));
        return &cache.back();
    }
    SamplingMap& slot = cache[next_victim];
    next_victim = (next_victim + 1) % kCachedMaps;
    slot = std::move(entry);
    return &slot;
}

} // namespace

cv::Mat sample_rect(const cv::Mat& frame, const cv::Matx33d& h, const FaceRect& r,
                    double px_per_mm) {
    const SamplingMap* m = find_or_build(h, r, px_per_mm, frame.size());
    if (m == nullptr)
        return {};
    cv::Mat patch;
    cv::remap(frame(m->roi), patch, m->map1, m->map2, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return patch;
}

double pixels_per_mm(const cv::Matx33d& h, cv::Point2d mm) {
    const cv::Point2d a = face_to_pixel(h, mm);
    const cv::Point2d bx = face_to_pixel(h, mm + cv::Point2d{1, 0});
    const cv::Point2d by = face_to_pixel(h, mm + cv::Point2d{0, 1});
    return std::sqrt(std::abs((bx - a).cross(by - a)));
}

} // namespace bwc::vision
