// The face layout: where things are on a device lying in the test nest, as seen from the fixture
// camera above it — the contract between the emulator's face renderer (which draws them) and the
// bench's vision code (which finds them again after a homography from the four markers).
//
// Coordinates are millimetres in the nest plane ("face coordinates"): origin at the nest's
// top-left corner as the fixture camera sees it, x to the right, y down. Every region is a row
// of one plain table per model: its kind, its name, its centre and its size. LEDs are circles
// inscribed in their box; everything else is an axis-aligned rectangle.
//
// Names: LEDs and the display are named fw::to_string(Indicator); icon slots and progress bars
// fw::to_string(Icon) (so "charging" is both an icon and a bar: look regions up by kind and
// name); text lines "text_0" (top) … "text_5"; markers "marker_tl/tr/br/bl"; the device body
// "body".
//
// The W120 display layout is not in the manuals. The emulated display gives every icon a fixed
// slot (8 × 3 grid in Icon enum order), then three progress-bar rows, then six text lines: a
// reader checks each slot for presence and colour instead of having to classify glyphs, and a
// slot never moves when another icon appears. The glyphs are still distinct shapes, so a
// classifier can be tested too.
//
// Markers: ArUco DICT_4X4_50, one id per corner and distinct ids per model (W100 0–3, W120 4–7),
// so the vision code learns the model from whichever marker it sees. A marker's region is its
// black-bordered square (what cv::aruco reports as corners, in the order top-left, top-right,
// bottom-right, bottom-left); the renderer adds a white quiet zone of one module around it.
#pragma once

#include "firmware/core/indicators.hpp"
#include "firmware/core/model.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace bwc::emu {

enum class RegionKind { Marker, Body, Led, Display, Icon, Bar, Text };

struct FaceRegion {
    RegionKind kind;
    std::string_view name;
    float cx_mm; // centre
    float cy_mm;
    float w_mm; // size; for a LED, the lens diameter (w == h)
    float h_mm;
    int marker_id = -1; // ArUco id for markers, -1 otherwise
};

struct FaceLayout {
    fw::Model model;
    float nest_w_mm; // the nest plane the fixture camera frames
    float nest_h_mm;
    // The W120 display panel's pixel grid (rows count top to bottom); faults such as dead rows
    // are given in panel rows. Zero on a model without a display.
    int panel_cols;
    int panel_rows;
    std::span<const FaceRegion> regions;
};

/// The ArUco dictionary the nest markers come from (cv::aruco::DICT_4X4_50).
inline constexpr int kMarkerDictionary = 0;

const FaceLayout& face_layout(fw::Model);

/// The region of that kind and name, or nullptr when the model has none.
const FaceRegion* find_region(const FaceLayout&, RegionKind, std::string_view name);

/// Which model's nest a marker id belongs to.
std::optional<fw::Model> model_for_marker(int marker_id);

/// Name of the text line slot `line` (0 = top), "text_0" …; empty past the last slot.
std::string_view text_slot_name(int line);
inline constexpr int kTextSlots = 6;

std::string_view to_string(RegionKind);

} // namespace bwc::emu
