// Reading small parts of a frame in face millimetres: a face rectangle is warped onto a patch of
// a fixed number of pixels per millimetre, touching only the image pixels under it. This is what
// keeps the per-frame cost proportional to the regions read, never to the frame size.
#pragma once

#include "firmware/emu/face/face_layout.hpp"

#include <opencv2/core.hpp>

namespace bwc::vision {

/// An axis-aligned rectangle in face millimetres (top-left corner and size).
struct FaceRect {
    double x0 = 0;
    double y0 = 0;
    double w = 0;
    double h = 0;

    static FaceRect of(const emu::FaceRegion&);
    FaceRect inset(double mm) const { return {x0 + mm, y0 + mm, w - 2 * mm, h - 2 * mm}; }
};

/// Face millimetres → image pixels through a homography.
cv::Point2d face_to_pixel(const cv::Matx33d& face_to_image, cv::Point2d mm);

/// The image pixels a face rectangle covers, padded by `pad_px` and clipped to the frame
/// (empty when the rectangle is outside it).
cv::Rect pixel_bounds(const cv::Matx33d& face_to_image, const FaceRect&, cv::Size frame,
                      int pad_px = 2);

/// `rect` resampled (bilinear) onto a patch of `px_per_mm` pixels per millimetre, same type as
/// `frame`; pixel (u, v) of the patch is face point (x0 + (u + ½)/s, y0 + (v + ½)/s). Empty when
/// the rectangle is not wholly inside the frame.
cv::Mat sample_rect(const cv::Mat& frame, const cv::Matx33d& face_to_image, const FaceRect& rect,
                    double px_per_mm);

/// Approximate image pixels per face millimetre at a face point (the homography's local scale).
double pixels_per_mm(const cv::Matx33d& face_to_image, cv::Point2d mm);

} // namespace bwc::vision
