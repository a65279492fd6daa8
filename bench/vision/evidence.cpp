// Evidence images (see evidence.hpp).
#include "bench/vision/evidence.hpp"

#include "bench/vision/colour_fit.hpp"
#include "bench/vision/face_sampler.hpp"

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace bwc::vision {
namespace {

cv::Scalar outline_colour(bool lit, fw::Colour colour) {
    if (!lit || colour == fw::Colour::Off)
        return {128, 128, 128};
    const cv::Vec3d e = emitted(colour);
    return {e[0], e[1], e[2]};
}

void outline(cv::Mat& img, const cv::Matx33d& h, const emu::FaceRegion& r, cv::Point offset,
             const cv::Scalar& colour) {
    const FaceRect f = FaceRect::of(r);
    std::vector<cv::Point> pts;
    for (const cv::Point2d& mm :
         {cv::Point2d{f.x0, f.y0}, cv::Point2d{f.x0 + f.w, f.y0},
          cv::Point2d{f.x0 + f.w, f.y0 + f.h}, cv::Point2d{f.x0, f.y0 + f.h}}) {
        const cv::Point2d p = face_to_pixel(h, mm);
        pts.emplace_back(static_cast<int>(std::lround(p.x)) - offset.x,
                         static_cast<int>(std::lround(p.y)) - offset.y);
    }
    cv::polylines(img, pts, true, colour, 2, cv::LINE_AA);
}

} // namespace

std::vector<std::uint8_t> encode_png(const cv::Mat& image) {
    std::vector<std::uint8_t> bytes;
    if (image.empty() || !cv::imencode(".png", image, bytes))
        bytes.clear();
    return bytes;
}

cv::Mat annotated_crop(const cv::Mat& frame, const FaceReading& reading) {
    const emu::FaceLayout& layout = emu::face_layout(reading.registration.model);
    const cv::Matx33d& h = reading.registration.face_to_image;
    const cv::Rect box =
        pixel_bounds(h, {0, 0, layout.nest_w_mm, layout.nest_h_mm}, frame.size(), 0);
    if (box.empty())
        return frame.clone();
    cv::Mat img = frame(box).clone();
    for (const emu::FaceRegion& r : layout.regions) {
        if (r.kind == emu::RegionKind::Led) {
            const LedReading* led = reading.led(r.name);
            outline(img, h, r, box.tl(),
                    outline_colour(led && led->colour != fw::Colour::Off,
                                   led ? led->colour : fw::Colour::Off));
        } else if (r.kind == emu::RegionKind::Icon && reading.display) {
            for (const IconReading& i : reading.display->icons)
                if (fw::to_string(i.icon) == r.name)
                    outline(img, h, r, box.tl(), outline_colour(i.shown, i.colour));
        } else if (r.kind == emu::RegionKind::Bar && reading.display) {
            for (const BarReading& b : reading.display->bars)
                if (fw::to_string(b.activity) == r.name)
                    outline(img, h, r, box.tl(),
                            outline_colour(b.shown, b.colour == fw::Colour::Off ? fw::Colour::White
                                                                                : b.colour));
        } else if (r.kind == emu::RegionKind::Text && reading.display) {
            for (const TextReading& t : reading.display->text)
                if (emu::text_slot_name(t.line) == r.name)
                    outline(img, h, r, box.tl(),
                            t.matches ? cv::Scalar(70, 255, 60) : cv::Scalar(30, 30, 255));
        }
    }
    return img;
}

fw::Result<std::filesystem::path> write_png(const cv::Mat& image,
                                            const std::filesystem::path& path) {
    using R = fw::Result<std::filesystem::path>;
    const std::vector<std::uint8_t> bytes = encode_png(image);
    if (bytes.empty())
        return R::failure(path.string() + ": cannot encode the image as PNG");
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        return R::failure(path.string() + ": cannot write the file");
    return path;
}

} // namespace bwc::vision
