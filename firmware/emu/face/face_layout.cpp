// The face layout tables (see face_layout.hpp for the contract). Numbers are millimetres in the
// nest plane; one row per region. The nest is 160 × 90 mm (16:9, the fixture camera's frame).
//
// Shared by both models: markers 18 mm (4×4 bits + border = 6 modules of 3 mm) with a 3 mm white
// quiet zone, centred 14 mm in from each nest edge; the body 100 × 80 mm in the middle, clear of
// the marker plates.
//
// W120 display: 72 × 72 mm, panel 240 × 240 px (0.3 mm per panel row). Icon slots 7.5 mm on an
// 8.5 mm pitch, 2.5 mm from the display edge; bars 67 × 3 mm on a 4.5 mm pitch below the icons;
// text lines 67 × 4.2 mm on a 4.6 mm pitch below the bars.
#include "firmware/emu/face/face_layout.hpp"

#include <array>

namespace bwc::emu {
namespace {

constexpr float kNestW = 160.0f;
constexpr float kNestH = 90.0f;

// clang-format off
constexpr std::array kW100Regions{
    // kind               name                    cx       cy      w       h      marker
    FaceRegion{RegionKind::Marker, "marker_tl",   14.0f,  14.0f,  18.0f,  18.0f,  0},
    FaceRegion{RegionKind::Marker, "marker_tr",  146.0f,  14.0f,  18.0f,  18.0f,  1},
    FaceRegion{RegionKind::Marker, "marker_br",  146.0f,  76.0f,  18.0f,  18.0f,  2},
    FaceRegion{RegionKind::Marker, "marker_bl",   14.0f,  76.0f,  18.0f,  18.0f,  3},
    FaceRegion{RegionKind::Body,   "body",        80.0f,  45.0f, 100.0f,  80.0f},
    // The seven status LEDs in a row, model-table order, 12 mm apart, 7 mm lenses.
    FaceRegion{RegionKind::Led, "docking_led",           44.0f,  25.0f,  7.0f,  7.0f},
    FaceRegion{RegionKind::Led, "recording_status_led",  56.0f,  25.0f,  7.0f,  7.0f},
    FaceRegion{RegionKind::Led, "operation_led",         68.0f,  25.0f,  7.0f,  7.0f},
    FaceRegion{RegionKind::Led, "battery_led",           80.0f,  25.0f,  7.0f,  7.0f},
    FaceRegion{RegionKind::Led, "storage_led",           92.0f,  25.0f,  7.0f,  7.0f},
    FaceRegion{RegionKind::Led, "microphone_led",       104.0f,  25.0f,  7.0f,  7.0f},
    FaceRegion{RegionKind::Led, "extension_led",        116.0f,  25.0f,  7.0f,  7.0f},
};

constexpr std::array kW120Regions{
    // kind               name                    cx       cy      w       h      marker
    FaceRegion{RegionKind::Marker, "marker_tl",   14.0f,  14.0f,  18.0f,  18.0f,  4},
    FaceRegion{RegionKind::Marker, "marker_tr",  146.0f,  14.0f,  18.0f,  18.0f,  5},
    FaceRegion{RegionKind::Marker, "marker_br",  146.0f,  76.0f,  18.0f,  18.0f,  6},
    FaceRegion{RegionKind::Marker, "marker_bl",   14.0f,  76.0f,  18.0f,  18.0f,  7},
    FaceRegion{RegionKind::Body,   "body",        80.0f,  45.0f, 100.0f,  80.0f},
    FaceRegion{RegionKind::Led, "recording_led",   37.0f, 15.0f,  6.0f,  6.0f},
    FaceRegion{RegionKind::Led, "status_led",      37.0f, 27.0f,  6.0f,  6.0f},
    FaceRegion{RegionKind::Led, "front_indicator", 123.0f, 15.0f, 6.0f,  6.0f},
    FaceRegion{RegionKind::Display, "display",     80.0f, 45.0f, 72.0f, 72.0f},
    // Icon slots: 8 × 3, Icon enum order, row by row.
    FaceRegion{RegionKind::Icon, "logo",              50.25f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "docked",            58.75f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "charging",          67.25f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "user_assigned",     75.75f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "firmware_upgrade",  84.25f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "data_transfer",     92.75f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "no_user",          101.25f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "not_added",        109.75f, 15.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "general_error",     50.25f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "lost_controller",   58.75f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "battery",           67.25f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "usb_charging",      75.75f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "storage",           84.25f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "storage_error",     92.75f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "holster_sensor",   101.25f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "app_link",         109.75f, 23.75f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "mini_sensor",       50.25f, 32.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "microphone_off",    58.75f, 32.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "live_link",         67.25f, 32.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "gps",               75.75f, 32.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "mobile",            84.25f, 32.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "wifi",              92.75f, 32.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "locked",           101.25f, 32.25f, 7.5f, 7.5f},
    FaceRegion{RegionKind::Icon, "recording",        109.75f, 32.25f, 7.5f, 7.5f},
    // Progress bars, one row per activity that has one.
    FaceRegion{RegionKind::Bar, "charging",          80.0f, 40.0f, 67.0f, 3.0f},
    FaceRegion{RegionKind::Bar, "firmware_upgrade",  80.0f, 44.5f, 67.0f, 3.0f},
    FaceRegion{RegionKind::Bar, "data_transfer",     80.0f, 49.0f, 67.0f, 3.0f},
    // Text lines, top to bottom (the troubleshooting pages need six).
    FaceRegion{RegionKind::Text, "text_0",           80.0f, 54.5f, 67.0f, 4.2f},
    FaceRegion{RegionKind::Text, "text_1",           80.0f, 59.1f, 67.0f, 4.2f},
    FaceRegion{RegionKind::Text, "text_2",           80.0f, 63.7f, 67.0f, 4.2f},
    FaceRegion{RegionKind::Text, "text_3",           80.0f, 68.3f, 67.0f, 4.2f},
    FaceRegion{RegionKind::Text, "text_4",           80.0f, 72.9f, 67.0f, 4.2f},
    FaceRegion{RegionKind::Text, "text_5",           80.0f, 77.5f, 67.0f, 4.2f},
};
// clang-format on

constexpr FaceLayout kW100Layout{fw::Model::W100, kNestW, kNestH, 0, 0, kW100Regions};
constexpr FaceLayout kW120Layout{fw::Model::W120, kNestW, kNestH, 240, 240, kW120Regions};

constexpr std::array<std::string_view, kTextSlots> kTextNames{"text_0", "text_1", "text_2",
                                                              "text_3", "text_4", "text_5"};

} // namespace

const FaceLayout& face_layout(fw::Model model) {
    return model == fw::Model::W100 ? kW100Layout : kW120Layout;
}

const FaceRegion* find_region(const FaceLayout& layout, RegionKind kind, std::string_view name) {
    for (const FaceRegion& r : layout.regions)
        if (r.kind == kind && r.name == name)
            return &r;
    return nullptr;
}

std::optional<fw::Model> model_for_marker(int marker_id) {
    for (fw::Model m : fw::all_models())
        for (const FaceRegion& r : face_layout(m).regions)
            if (r.kind == RegionKind::Marker && r.marker_id == marker_id)
                return m;
    return std::nullopt;
}

std::string_view text_slot_name(int line) {
    if (line < 0 || line >= kTextSlots)
        return {};
    return kTextNames[static_cast<std::size_t>(line)];
}

std::string_view to_string(RegionKind k) {
    switch (k) {
    case RegionKind::Marker:
        return "marker";
    case RegionKind::Body:
        return "body";
    case RegionKind::Led:
        return "led";
    case RegionKind::Display:
        return "display";
    case RegionKind::Icon:
        return "icon";
    case RegionKind::Bar:
        return "bar";
    case RegionKind::Text:
        return "text";
    }
    return "?";
}

} // namespace bwc::emu
