// Marker registration and its cheap steady-state check (see registration.hpp).
#include "bench/vision/registration.hpp"

#include "bench/vision/face_sampler.hpp"
#include "firmware/emu/face/face_layout.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <opencv2/aruco.hpp>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace bwc::vision {
namespace {

const cv::Ptr<cv::aruco::Dictionary>& dictionary() {
    static const cv::Ptr<cv::aruco::Dictionary> d =
        cv::aruco::getPredefinedDictionary(emu::kMarkerDictionary);
    return d;
}

std::string id_list(const std::vector<int>& ids) {
    std::ostringstream s;
    for (std::size_t i = 0; i < ids.size(); ++i)
        s << (i ? ", " : "") << ids[i];
    return s.str();
}

constexpr double kDetectWidth = 640.0;

Rejection unregistered(std::string message) {
    return {RejectionCode::Unregistered, std::move(message)};
}

/// The four corners of a marker's black square in face mm, in cv::aruco's order.
std::array<cv::Point2f, 4> marker_corners_mm(const emu::FaceRegion& r) {
    const float x0 = r.cx_mm - r.w_mm / 2, y0 = r.cy_mm - r.h_mm / 2;
    const float x1 = x0 + r.w_mm, y1 = y0 + r.h_mm;
    return {cv::Point2f{x0, y0}, cv::Point2f{x1, y0}, cv::Point2f{x1, y1}, cv::Point2f{x0, y1}};
}

const emu::FaceRegion* marker_region(const emu::FaceLayout& layout, int id) {
    for (const emu::FaceRegion& r : layout.regions)
        if (r.kind == emu::RegionKind::Marker && r.marker_id == id)
            return &r;
    return nullptr;
}

int nest_marker_count(const emu::FaceLayout& layout) {
    return static_cast<int>(
        std::count_if(layout.regions.begin(), layout.regions.end(),
                      [](const emu::FaceRegion& r) { return r.kind == emu::RegionKind::Marker; }));
}

/// Mean of the three channels at a sub-pixel point (bilinear); -1 outside the frame.
double grey_at(const cv::Mat& bgr, cv::Point2d p) {
    const int x = static_cast<int>(std::floor(p.x)), y = static_cast<int>(std::floor(p.y));
    if (x < 0 || y < 0 || x + 1 >= bgr.cols || y + 1 >= bgr.rows)
        return -1;
    const double fx = p.x - x, fy = p.y - y;
    const auto grey = [&](int xx, int yy) {
        const cv::Vec3b& v = bgr.at<cv::Vec3b>(yy, xx);
        return (v[0] + v[1] + v[2]) / 3.0;
    };
    return (1 - fy) * ((1 - fx) * grey(x, y) + fx * grey(x + 1, y)) +
           fy * ((1 - fx) * grey(x, y + 1) + fx * grey(x + 1, y + 1));
}

/// The marker's 8 × 8 modules with its quiet zone: true = white.
std::array<std::array<bool, 8>, 8> marker_cells(int id) {
    cv::Mat bits;
    cv::aruco::drawMarker(dictionary(), id, 6, bits, 1);
    std::array<std::array<bool, 8>, 8> cells{};
    for (int r = 0; r < 8; ++r)
        for (int c = 0; c < 8; ++c)
            cells[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] =
                r == 0 || c == 0 || r == 7 || c == 7 || bits.at<std::uint8_t>(r - 1, c - 1) > 127;
    return cells;
}

struct MarkerCheck {
    bool ok = false;
    int samples = 0;
    int agreed = 0;
};

/// Samples one marker's module centres (id and polarity) and both sides of its outer edge
/// `edge_mm` in and out (position): both must read as expected.
MarkerCheck check_marker(const cv::Mat& bgr, const cv::Matx33d& h, const emu::FaceRegion& r,
                         double edge_mm) {
    const auto cells = marker_cells(r.marker_id);
    const double module = r.w_mm / 6.0;
    const double x0 = r.cx_mm - r.w_mm / 2 - module, y0 = r.cy_mm - r.h_mm / 2 - module;
    std::array<std::array<double, 8>, 8> value{};
    double white = 0, black = 0;
    int n_white = 0, n_black = 0;
    for (std::size_t i = 0; i < 8; ++i)
        for (std::size_t j = 0; j < 8; ++j) {
            const double v =
                grey_at(bgr, face_to_pixel(h, {x0 + (static_cast<double>(j) + 0.5) * module,
                                               y0 + (static_cast<double>(i) + 0.5) * module}));
            if (v < 0)
                return {};
            value[i][j] = v;
            (cells[i][j] ? white : black) += v;
            ++(cells[i][j] ? n_white : n_black);
        }
    white /= n_white;
    black /= n_black;
    MarkerCheck check;
    constexpr double kMinContrast = 25.0;
    if (white - black < kMinContrast)
        return check;
    const double mid = (white + black) / 2;
    for (std::size_t i = 0; i < 8; ++i)
        for (std::size_t j = 0; j < 8; ++j) {
            ++check.samples;
            check.agreed += (value[i][j] > mid) == cells[i][j] ? 1 : 0;
        }
    const int cell_agreed = check.agreed;
    // The black square's outer edge: 5 points per side, a sample just inside (black) and just
    // outside (white quiet zone).
    const double left = r.cx_mm - r.w_mm / 2, top = r.cy_mm - r.h_mm / 2;
    const double right = left + r.w_mm, bottom = top + r.h_mm;
    int edge_agreed = 0, edge_samples = 0;
    for (int k = 1; k <= 5; ++k) {
        const double t = k / 6.0;
        const double x = left + t * r.w_mm, y = top + t * r.h_mm;
        const std::array<std::pair<cv::Point2d, cv::Point2d>, 4> pairs{
            std::pair{cv::Point2d{x, top + edge_mm}, cv::Point2d{x, top - edge_mm}},
            std::pair{cv::Point2d{x, bottom - edge_mm}, cv::Point2d{x, bottom + edge_mm}},
            std::pair{cv::Point2d{left + edge_mm, y}, cv::Point2d{left - edge_mm, y}},
            std::pair{cv::Point2d{right - edge_mm, y}, cv::Point2d{right + edge_mm, y}}};
        for (const auto& [in, out] : pairs) {
            const double vi = grey_at(bgr, face_to_pixel(h, in));
            const double vo = grey_at(bgr, face_to_pixel(h, out));
            edge_samples += 2;
            edge_agreed += (vi >= 0 && vi < mid ? 1 : 0) + (vo > mid ? 1 : 0);
        }
    }
    check.samples += edge_samples;
    check.agreed += edge_agreed;
    check.ok = edge_agreed == edge_samples && cell_agreed >= 61; // ≤ 3 of 64 cells off
    return check;
}

} // namespace

Reading<Registration> register_frame(const cv::Mat& bgr, std::optional<fw::Model> expected) {
    if (bgr.empty() || bgr.type() != CV_8UC3)
        return unregistered("not an 8-bit colour image");
    cv::Mat grey;
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
    // Detection on a copy at most kDetectWidth wide (area-averaged, which also averages the
    // noise): the markers are still 60+ px there, and the detector's cost on a noisy 1080p frame
    // drops from ~250 ms to ~5 ms. The corners are then refined on the full-resolution image.
    const double scale = std::min(1.0, kDetectWidth / bgr.cols);
    cv::Mat small = grey;
    if (scale < 1.0)
        cv::resize(grey, small, {}, scale, scale, cv::INTER_AREA);
    cv::Ptr<cv::aruco::DetectorParameters> params = cv::aruco::DetectorParameters::create();
    params->cornerRefinementMethod = cv::aruco::CORNER_REFINE_NONE;
    std::vector<std::vector<cv::Point2f>> corners;
    std::vector<int> ids;
    cv::aruco::detectMarkers(small, dictionary(), corners, ids, params);
    std::vector<cv::Point2f> all;
    for (const auto& quad : corners)
        for (const cv::Point2f& p : quad)
            all.emplace_back(static_cast<float>((p.x + 0.5) / scale - 0.5),
                             static_cast<float>((p.y + 0.5) / scale - 0.5));
    if (!all.empty())
        cv::cornerSubPix(
            grey, all, cv::Size(5, 5), cv::Size(-1, -1),
            cv::TermCriteria(cv::TermCriteria::EPS + cv::TermCriteria::COUNT, 30, 0.01));
    for (std::size_t q = 0, k = 0; q < corners.size(); ++q)
        for (cv::Point2f& p : corners[q])
            p = all[k++];

    // Nest markers by model; ids no nest uses are ignored (another fixture's, a label).
    std::map<fw::Model, std::vector<std::size_t>> by_model;
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (const auto m = emu::model_for_marker(ids[i]))
            by_model[*m].push_back(i);
    const auto ids_of = [&](const std::vector<std::size_t>& found) {
        std::vector<int> out;
        for (std::size_t i : found)
            out.push_back(ids[i]);
        std::sort(out.begin(), out.end());
        return out;
    };
    if (by_model.empty())
        return unregistered("found no nest markers (ArUco DICT_4X4_50 ids 0-7)");
    if (by_model.size() > 1) {
        std::string what = "markers of two models in view:";
        for (const auto& [model, found] : by_model)
            what += std::string(" ") + std::string(fw::to_string(model)) + " (ids " +
                    id_list(ids_of(found)) + ")";
        return unregistered(what);
    }
    const fw::Model model = by_model.begin()->first;
    const std::vector<int> found_ids = ids_of(by_model.begin()->second);
    const emu::FaceLayout& layout = emu::face_layout(model);
    if (expected && *expected != model)
        return Rejection{RejectionCode::WrongModel,
                         "expected the " + std::string(fw::to_string(*expected)) +
                             " nest, the markers are the " + std::string(fw::to_string(model)) +
                             " nest's (ids " + id_list(found_ids) + ")"};
    for (std::size_t i = 1; i < found_ids.size(); ++i)
        if (found_ids[i] == found_ids[i - 1])
            return unregistered("marker id " + std::to_string(found_ids[i]) +
                                " seen more than once");
    const int needed = nest_marker_count(layout) - 1;
    if (static_cast<int>(found_ids.size()) < needed)
        return unregistered("found " + std::to_string(found_ids.size()) + " of " +
                            std::to_string(nest_marker_count(layout)) + " markers of the " +
                            std::string(fw::to_string(model)) + " nest (ids " + id_list(found_ids) +
                            "); need at least " + std::to_string(needed));

    std::vector<cv::Point2f> face_pts, image_pts;
    for (std::size_t i : by_model.begin()->second) {
        const emu::FaceRegion* region = marker_region(layout, ids[i]);
        if (region == nullptr) // model_for_marker() found it in this layout: cannot happen
            continue;
        const auto mm = marker_corners_mm(*region);
        face_pts.insert(face_pts.end(), mm.begin(), mm.end());
        image_pts.insert(image_pts.end(), corners[i].begin(), corners[i].end());
    }
    const cv::Mat h = cv::findHomography(face_pts, image_pts, 0);
    if (h.empty())
        return unregistered("the markers' corners give no homography (degenerate layout)");

    Registration reg;
    reg.model = model;
    reg.face_to_image = cv::Matx33d(h);
    reg.image_size = bgr.size();
    reg.marker_ids = found_ids;
    double sum_sq = 0;
    for (std::size_t i = 0; i < face_pts.size(); ++i) {
        const cv::Point2d d =
            face_to_pixel(reg.face_to_image, face_pts[i]) - cv::Point2d(image_pts[i]);
        sum_sq += d.dot(d);
    }
    reg.reprojection_error_px = std::sqrt(sum_sq / static_cast<double>(face_pts.size()));
    if (reg.reprojection_error_px > kMaxReprojectionErrorPx) {
        std::ostringstream s;
        s.precision(2);
        s << std::fixed << "marker corners reproject with " << reg.reprojection_error_px
          << " px RMS error (limit " << kMaxReprojectionErrorPx
          << " px): a marker moved, or the nest is not flat";
        return unregistered(s.str());
    }
    return reg;
}

Reading<RegistrationCheck> verify_registration(const cv::Mat& bgr, const Registration& reg) {
    if (bgr.empty() || bgr.type() != CV_8UC3)
        return unregistered("not an 8-bit colour image");
    if (bgr.size() != reg.image_size)
        return unregistered("frame is " + std::to_string(bgr.cols) + "x" +
                            std::to_string(bgr.rows) + ", the registration is for " +
                            std::to_string(reg.image_size.width) + "x" +
                            std::to_string(reg.image_size.height));
    const emu::FaceLayout& layout = emu::face_layout(reg.model);
    RegistrationCheck result;
    int samples = 0, agreed = 0, markers = 0;
    for (const emu::FaceRegion& r : layout.regions) {
        if (r.kind != emu::RegionKind::Marker)
            continue;
        ++markers;
        // Half a millimetre, but never closer than 2.5 px to the edge (blur).
        const double scale = pixels_per_mm(reg.face_to_image, {r.cx_mm, r.cy_mm});
        const MarkerCheck c =
            check_marker(bgr, reg.face_to_image, r, std::max(0.5, 2.5 / std::max(scale, 1e-6)));
        samples += std::max(c.samples, 1);
        agreed += c.agreed;
        result.markers_ok += c.ok ? 1 : 0;
    }
    result.agreement = samples ? static_cast<double>(agreed) / samples : 0.0;
    if (result.markers_ok < markers - 1) {
        std::ostringstream s;
        s.precision(0);
        s << std::fixed << "the frame no longer matches the " << to_string(reg.source)
          << " registration: " << result.markers_ok << " of " << markers
          << " markers where expected (" << result.agreement * 100
          << " % of samples agree); register again";
        return unregistered(s.str());
    }
    return result;
}

std::string_view to_string(Registration::Source s) {
    return s == Registration::Source::Markers ? "markers" : "calibration";
}

void to_json(nlohmann::json& j, const Registration& r) {
    nlohmann::json h = nlohmann::json::array();
    for (int row = 0; row < 3; ++row)
        h.push_back({r.face_to_image(row, 0), r.face_to_image(row, 1), r.face_to_image(row, 2)});
    j = nlohmann::json{
        {"model", fw::to_string(r.model)},     {"image_width", r.image_size.width},
        {"image_height", r.image_size.height}, {"face_to_image", h},
        {"marker_ids", r.marker_ids},          {"reprojection_error_px", r.reprojection_error_px},
        {"source", to_string(r.source)}};
}

fw::Result<Registration> registration_from_json(const nlohmann::json& j) {
    using R = fw::Result<Registration>;
    if (!j.is_object())
        return R::failure("registration: expected a JSON object");
    Registration r;
    const auto model = j.contains("model") && j["model"].is_string()
                           ? fw::parse_model(j["model"].get<std::string>())
                           : std::nullopt;
    if (!model)
        return R::failure("registration: \"model\" must be \"W100\" or \"W120\"");
    r.model = *model;
    for (const char* key : {"image_width", "image_height"})
        if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<int>() <= 0)
            return R::failure(std::string("registration: \"") + key +
                              "\" must be a positive integer");
    r.image_size = {j["image_width"].get<int>(), j["image_height"].get<int>()};
    const nlohmann::json* h = j.contains("face_to_image") ? &j["face_to_image"] : nullptr;
    bool h_ok = h && h->is_array() && h->size() == 3;
    for (std::size_t row = 0; h_ok && row < 3; ++row) {
        const nlohmann::json& line = (*h)[row];
        h_ok = line.is_array() && line.size() == 3;
        for (std::size_t col = 0; h_ok && col < 3; ++col) {
            h_ok = line[col].is_number();
            if (h_ok)
                r.face_to_image(static_cast<int>(row), static_cast<int>(col)) =
                    line[col].get<double>();
        }
    }
    if (!h_ok)
        return R::failure("registration: \"face_to_image\" must be a 3 x 3 array of numbers");
    if (j.contains("marker_ids")) {
        if (!j["marker_ids"].is_array())
            return R::failure("registration: \"marker_ids\" must be an array of integers");
        for (const nlohmann::json& id : j["marker_ids"]) {
            if (!id.is_number_integer())
                return R::failure("registration: \"marker_ids\" must be an array of integers");
            r.marker_ids.push_back(id.get<int>());
        }
    }
    if (j.contains("reprojection_error_px")) {
        if (!j["reprojection_error_px"].is_number())
            return R::failure("registration: \"reprojection_error_px\" must be a number");
        r.reprojection_error_px = j["reprojection_error_px"].get<double>();
    }
    // Written by a calibration run unless the record says otherwise.
    r.source = Registration::Source::Calibration;
    if (j.contains("source")) {
        if (j["source"] == "markers")
            r.source = Registration::Source::Markers;
        else if (j["source"] != "calibration")
            return R::failure("registration: \"source\" must be \"markers\" or \"calibration\"");
    }
    return r;
}

} // namespace bwc::vision
