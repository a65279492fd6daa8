// Evidence for records: the frame a verdict was made on, as PNG bytes or a file — whole, or
// cropped to the nest with every region read outlined (green: read as expected / lit, grey:
// dark or not shown), so a person looking at a failed record sees what the bench saw.
#pragma once

#include "bench/vision/face_reader.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

namespace bwc::vision {

/// PNG bytes of a BGR (or grey) image; empty when OpenCV cannot encode it.
std::vector<std::uint8_t> encode_png(const cv::Mat& image);

/// The nest's bounding box of `frame` with the LEDs, icon slots, bars and text lines of
/// `reading` outlined: lit/shown regions in their read colour, dark ones grey.
cv::Mat annotated_crop(const cv::Mat& frame, const FaceReading& reading);

/// Writes `image` as PNG to `path`; the error names the file.
fw::Result<std::filesystem::path> write_png(const cv::Mat& image,
                                            const std::filesystem::path& path);

} // namespace bwc::vision
