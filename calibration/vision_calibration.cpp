// vision.registration and vision.colour: a few frames of the nest from the
// bay's vision camera, exposure and white balance locked at the station's
// settings. Registration fits the face → image homography on the nest's
// markers (every frame must agree); the colour reference is measured on the
// white and grey reference surfaces and averaged over the frames. Steps then
// read every frame through these instead of searching for markers.
#include "calibration/routines.hpp"

#include "bench/vision/colour_reference.hpp"
#include "bench/vision/registration.hpp"
#include "fixtures/vision/driver.hpp"

#include <cmath>

namespace bwc::calibration {
namespace {
constexpr int kFrames = 3;
constexpr std::int64_t kIntervalMs = 100;
// The station's locked camera settings (what a real fixture's lens and
// lighting were set up for; the emulated camera echoes them).
constexpr std::int64_t kExposureUs = 8000;
constexpr std::int64_t kWhiteBalanceK = 6500;
constexpr double kMaxCornerDriftPx = 1.0; // between frames of one calibration
} // namespace

Outcome calibrate_vision(const Session& s, int bay) {
    Outcome out;
    const std::string who = "bay " + std::to_string(bay) + " vision";
    const bench::FixtureRef* f = fixture_of_kind(s.station, "vision", bay);
    if (!f) {
        out.problems.push_back(who + ": station " + s.station.id + " has no vision camera for bay " +
                               std::to_string(bay));
        return out;
    }
    fixtures::vision::VisionCameraOptions options;
    options.control = s.client;
    auto camera = fixtures::vision::VisionCamera::open(f->uri, f->pipeline, options);
    if (!camera) {
        out.problems.push_back(who + ": " + camera.error().message);
        return out;
    }
    if (auto lock = (*camera)->lock(kExposureUs, kWhiteBalanceK); !lock) {
        out.problems.push_back(who + ": " + lock.error().message);
        return out;
    }
    auto frames = (*camera)->capture(kFrames, kIntervalMs);
    if (!frames) {
        out.problems.push_back(who + ": " + frames.error().message);
        return out;
    }
    std::optional<vision::Registration> first;
    cv::Vec3d gain_sum{0, 0, 0};
    std::vector<vision::ColourReference> references;
    for (const fixtures::vision::Frame& frame : *frames) {
        auto reg = vision::register_frame(frame.bgr);
        if (!reg) {
            out.problems.push_back(who + ": frame at " + std::to_string(frame.pts_ms) +
                                   " ms: " + reg.error().message);
            return out;
        }
        if (first) {
            // The nest must not move while it is being calibrated.
            const cv::Matx33d a = first->face_to_image, b = reg->face_to_image;
            const cv::Vec3d pa = a * cv::Vec3d(0, 0, 1), pb = b * cv::Vec3d(0, 0, 1);
            const double drift =
                std::hypot(pa[0] / pa[2] - pb[0] / pb[2], pa[1] / pa[2] - pb[1] / pb[2]);
            if (drift > kMaxCornerDriftPx) {
                out.problems.push_back(who + ": the nest moved " + std::to_string(drift) +
                                       " px between calibration frames");
                return out;
            }
        } else {
            first = *reg;
        }
        auto ref = vision::measure_colour_reference(frame.bgr, *reg);
        if (!ref) {
            out.problems.push_back(who + ": frame at " + std::to_string(frame.pts_ms) +
                                   " ms: " + ref.error().message);
            return out;
        }
        gain_sum += ref->gain;
        references.push_back(*ref);
    }
    vision::ColourReference colour = references.front();
    colour.gain = gain_sum / static_cast<double>(references.size());
    colour.exposure_ev = std::log2(colour.gain[1]);
    colour.source = vision::ColourReference::Source::Calibration;
    first->source = vision::Registration::Source::Calibration;

    const std::string instrument = "vision " + (*camera)->describe();
    nlohmann::json reg_json, colour_json;
    vision::to_json(reg_json, *first);
    vision::to_json(colour_json, colour);
    reg_json["frames"] = kFrames;
    colour_json["frames"] = kFrames;
    colour_json["exposure_us"] = kExposureUs;
    colour_json["white_balance_k"] = kWhiteBalanceK;
    s.progress(who + ": registered " + std::string(fw::to_string(first->model)) + " nest, error " +
               std::to_string(first->reprojection_error_px) + " px");
    out.records.push_back(make_record(s, "vision.registration", bay, {instrument}, reg_json));
    out.records.push_back(make_record(s, "vision.colour", bay, {instrument}, colour_json));
    return out;
}

} // namespace bwc::calibration
