// Registration: where the nest (and so every region of face_layout.hpp) lies in a frame.
//
// register_frame() finds the nest's ArUco markers (DICT_4X4_50), learns the model from their ids
// (W100 0–3, W120 4–7), fits the face-mm → image homography over every corner found (at least 3
// of the 4 markers) and reports the corners' RMS reprojection error. It rejects the frame with
// `unregistered` (too few markers, markers of two models, a duplicated id, too high a
// reprojection error) or `wrong_model` (another model than the one expected).
//
// A station whose fixture camera does not move registers once (calibration) and stores the
// Registration as JSON; verify_registration() then checks each steady-state frame cheaply — a
// few hundred samples on the markers' edges and cells instead of a marker detection — and
// rejects it as `unregistered` if the nest has moved by more than about half a millimetre.
#pragma once

#include "bench/vision/rejection.hpp"
#include "firmware/core/model.hpp"

#include <nlohmann/json_fwd.hpp>
#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

namespace bwc::vision {

/// Above this RMS corner reprojection error (image pixels) a homography is not trusted.
inline constexpr double kMaxReprojectionErrorPx = 2.5;

struct Registration {
    enum class Source { Markers, Calibration };

    fw::Model model = fw::Model::W120;
    cv::Matx33d face_to_image = cv::Matx33d::eye();
    cv::Size image_size;
    std::vector<int> marker_ids;      // the markers the homography was fitted on, ascending
    double reprojection_error_px = 0; // RMS over their corners
    Source source = Source::Markers;
};

/// Detects the markers and fits the homography. `expected` (if given) must be the nest's model.
Reading<Registration> register_frame(const cv::Mat& bgr, std::optional<fw::Model> expected = {});

/// How well a frame still matches a registration (see verify_registration).
struct RegistrationCheck {
    int markers_ok = 0;   // markers whose edges and cells all read as expected
    double agreement = 0; // fraction of all samples that agreed, 0 … 1
};

/// Cheap check that `bgr` still shows the nest where `registration` says (same image size, at
/// least 3 markers' edges within ~0.5 mm and their cells reading their ids).
Reading<RegistrationCheck> verify_registration(const cv::Mat& bgr, const Registration&);

std::string_view to_string(Registration::Source);

/// JSON for calibration records; registration_from_json() names the key that is missing or bad.
void to_json(nlohmann::json&, const Registration&);
fw::Result<Registration> registration_from_json(const nlohmann::json&);

} // namespace bwc::vision
