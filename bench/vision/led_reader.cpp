// LED reading (see led_reader.hpp).
#include "bench/vision/led_reader.hpp"

#include "bench/vision/face_sampler.hpp"

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace bwc::vision {
namespace {

constexpr double kLedPxPerMm = 6.0;
constexpr double kInnerRadius = 0.6;
// Below this margin (chi²) a saturated observation is not trusted to name its colour.
constexpr double kSaturatedMargin = 25.0;

const cv::Mat& inner_disk(cv::Size size) {
    thread_local std::map<std::pair<int, int>, cv::Mat> cache;
    const auto key = std::pair{size.width, size.height};
    if (auto it = cache.find(key); it != cache.end())
        return it->second;
    cv::Mat mask(size, CV_8U, cv::Scalar(0));
    const cv::Point2d c{(size.width - 1) / 2.0, (size.height - 1) / 2.0};
    const double r = kInnerRadius * std::min(size.width, size.height) / 2.0;
    for (int v = 0; v < size.height; ++v)
        for (int u = 0; u < size.width; ++u)
            mask.at<std::uint8_t>(v, u) = std::hypot(u - c.x, v - c.y) <= r ? 255 : 0;
    return cache.emplace(key, mask).first->second;
}

} // namespace

std::vector<std::string> led_names(fw::Model model) {
    std::vector<std::string> names;
    for (const emu::FaceRegion& r : emu::face_layout(model).regions)
        if (r.kind == emu::RegionKind::Led)
            names.emplace_back(r.name);
    return names;
}

Reading<std::vector<LedReading>> read_leds(const cv::Mat& bgr, const Registration& reg,
                                           const ColourReference& ref) {
    const cv::Vec3d unlit = emitted(fw::Colour::Off);
    std::vector<LedReading> out;
    for (const emu::FaceRegion& r : emu::face_layout(reg.model).regions) {
        if (r.kind != emu::RegionKind::Led)
            continue;
        const cv::Mat patch = sample_rect(bgr, reg.face_to_image, FaceRect::of(r), kLedPxPerMm);
        if (patch.empty())
            return Rejection{RejectionCode::Unregistered,
                             std::string(r.name) + " is outside the frame"};
        const cv::Scalar m = cv::mean(patch, inner_disk(patch.size()));
        LedReading led;
        led.name = std::string(r.name);
        led.mean_bgr = {m[0], m[1], m[2]};
        const ColourFit f = fit_emitter(led.mean_bgr, unlit, ref);
        led.colour = f.colour;
        led.intensity = f.intensity;
        led.intensity_determined = f.intensity_determined;
        led.saturated = f.saturated;
        led.margin = f.margin;
        if (f.saturated && f.colour != fw::Colour::Off && f.margin < kSaturatedMargin) {
            std::ostringstream s;
            s.precision(0);
            s << std::fixed << led.name << " is saturated (B " << m[0] << " G " << m[1] << " R "
              << m[2] << "): its colour cannot be told apart; lower the exposure";
            return Rejection{RejectionCode::Clipped, s.str()};
        }
        out.push_back(std::move(led));
    }
    return out;
}

void to_json(nlohmann::json& j, const LedReading& r) {
    j = nlohmann::json{{"name", r.name},
                       {"colour", fw::to_string(r.colour)},
                       {"intensity", std::round(r.intensity * 1000) / 1000},
                       {"intensity_is_lower_bound", !r.intensity_determined},
                       {"saturated", r.saturated},
                       {"mean_bgr",
                        {std::round(r.mean_bgr[0] * 10) / 10, std::round(r.mean_bgr[1] * 10) / 10,
                         std::round(r.mean_bgr[2] * 10) / 10}}};
}

} // namespace bwc::vision
