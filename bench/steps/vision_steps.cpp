// Vision step types: what the bay's fixture camera sees of the unit, read
// through the station's calibration (the nest's registration and colour
// reference), never through a guess. Every frame is first checked against
// the calibrated registration (a frame of a moved nest is rejected with its
// reason); the frames a verdict rests on are kept as evidence: the first
// frame whole, and a strip of the region read in every frame.
//
//   vision.led      one LED: its colour and intensity, and over several
//                   frames its pattern (off, steady, flashing, pulsing) and period
//   vision.ledtest  every LED lit in one colour by the factory LED test: the
//                   colour each LED shows, by name
//   vision.display  the W120 display: named icons (their colour, "off" when not
//                   shown), progress bars (percent), a text line against an
//                   expected string (the user name)
//
// This file also gives the runner its vision fixture link: the control
// port and the media pipeline of fixtures/vision/driver.hpp as one.
#include "bench/steps/step_args.hpp"
#include "bench/steps/step_context.hpp"
#include "bench/steps/step_type.hpp"
#include "bench/vision/colour_reference.hpp"
#include "bench/vision/display_reader.hpp"
#include "bench/vision/face_sampler.hpp"
#include "bench/vision/led_reader.hpp"
#include "bench/vision/pattern_classifier.hpp"
#include "bench/vision/registration.hpp"
#include "fixtures/vision/driver.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace bwc::bench {
namespace {

/// The vision camera as a station fixture: VisionCamera owns the control
/// client and the pipeline; connect() opens both.
class VisionLink final : public FixtureLink {
public:
    VisionLink(const FixtureRef& ref, const ClientOptions& options)
        : FixtureLink(ref), options_(options) {}
    DeviceClient& control() override {
        // Before connect() the link has no client yet; give a closed one so
        // callers that set flags before connecting have something to hold.
        return camera_ ? camera_->control() : placeholder_;
    }
    DeviceStatus connect() override {
        fixtures::vision::VisionCameraOptions o;
        o.control = options_;
        auto cam = fixtures::vision::VisionCamera::open(ref().uri, ref().pipeline, o);
        if (!cam)
            return DeviceStatus::failure(cam.error());
        camera_ = std::move(cam).value();
        camera_->set_cancel_flag(cancel_);
        return DeviceStatus(std::monostate{});
    }
    void set_cancel(const std::atomic<bool>* flag) {
        cancel_ = flag;
        if (camera_)
            camera_->set_cancel_flag(flag);
    }
    fixtures::vision::VisionCamera* camera() { return camera_.get(); }

private:
    ClientOptions options_;
    std::unique_ptr<fixtures::vision::VisionCamera> camera_;
    DeviceClient placeholder_{Uri{}, "BWC-VISION"};
    const std::atomic<bool>* cancel_ = nullptr;
};

const bool kVisionOpener = [] {
    register_fixture_opener("vision", [](const FixtureRef& ref, const ClientOptions& options) {
        return std::make_unique<VisionLink>(ref, options);
    });
    return true;
}();

/// The bay's calibrated view: registration and colour reference.
struct CalibratedView {
    vision::Registration registration;
    vision::ColourReference colour;
};

Result<CalibratedView> calibrated_view(const StepContext& ctx) {
    using R = Result<CalibratedView>;
    const CalibrationRecord* reg = ctx.calibration("vision.registration");
    const CalibrationRecord* col = ctx.calibration("vision.colour");
    if (!reg || !col)
        return R::failure("bay " + std::to_string(ctx.bay()) + " has no " +
                          (!reg ? "vision.registration" : "vision.colour") +
                          " calibration (bench calibrate vision)");
    auto r = vision::registration_from_json(reg->data);
    if (!r)
        return R::failure("calibration record " + reg->id + ": " + r.error());
    auto c = vision::colour_reference_from_json(col->data);
    if (!c)
        return R::failure("calibration record " + col->id + ": " + c.error());
    return CalibratedView{*r, *c};
}

Result<fixtures::vision::VisionCamera*> vision_camera(StepContext& ctx) {
    using R = Result<fixtures::vision::VisionCamera*>;
    auto* link = dynamic_cast<VisionLink*>(ctx.fixture("vision"));
    if (!link || !link->camera())
        return R::failure("the bay has no connected vision camera fixture");
    link->set_cancel(&ctx.cancel_flag());
    return link->camera();
}

std::string png_bytes(const cv::Mat& image) {
    std::vector<unsigned char> buf;
    cv::imencode(".png", image, buf);
    return std::string(buf.begin(), buf.end());
}

/// Each frame's crop of `region`, side by side, each labelled with its device time.
cv::Mat region_strip(const std::vector<fixtures::vision::Frame>& frames,
                     const vision::Registration& reg, const vision::FaceRect& region) {
    std::vector<cv::Mat> tiles;
    const vision::FaceRect padded{region.x0 - region.w, region.y0 - region.h, region.w * 3,
                                  region.h * 3};
    for (const auto& f : frames) {
        cv::Rect box = vision::pixel_bounds(reg.face_to_image, padded, f.bgr.size(), 4);
        if (box.empty())
            continue;
        cv::Mat tile;
        cv::resize(f.bgr(box), tile, cv::Size(96, 96));
        cv::putText(tile, std::to_string(f.pts_ms), {2, 92}, cv::FONT_HERSHEY_PLAIN, 0.8,
                    cv::Scalar(255, 255, 255));
        tiles.push_back(tile);
    }
    cv::Mat strip;
    if (!tiles.empty())
        cv::hconcat(tiles, strip);
    return strip;
}

class LedStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "vision.led",
            .family = "indicators",
            .help = "Reads one LED through the bay's vision camera: its colour (off, red, green, "
                    "amber, blue, white) and intensity in the first frame and, over `frames` "
                    "frames `interval_ms` apart in device time, its pattern (off, steady, "
                    "flashing, pulsing) and period. A pattern needs at least 3 frames per phase "
                    "over 2 periods, else the step is an error saying what is missing. The "
                    "frames are kept as evidence.",
            .args = {{.name = "led",
                      .kind = ArgSpec::Kind::Text,
                      .required = true,
                      .help = "the LED's name in the model's face layout (status_led, …)"},
                     {.name = "frames",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 1,
                      .help = "frames to take (1: colour only)"},
                     {.name = "interval_ms",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 100,
                      .help = "device time between frames"}},
            .measurements = {{.name = "colour", .unit = "", .help = "colour in the first frame"},
                             {.name = "intensity", .unit = "C62", .help = "0 (dark) … 1"},
                             {.name = "pattern",
                              .unit = "",
                              .help = "off, steady, flashing or pulsing (frames > 1)"},
                             {.name = "period_ms",
                              .unit = "C26",
                              .help = "flashing or pulsing period (frames > 1)"}},
            .fixtures = {"vision"},
            .calibrations = {"vision.registration", "vision.colour"}};
        return i;
    }

    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto led = arg_text(args, "led");
        auto count = arg_integer(args, "frames", 1, 1, 600);
        auto interval = arg_integer(args, "interval_ms", 100, 1, 60000);
        if (!led || !count || !interval)
            return StepOutput::failed(!led     ? led.error()
                                      : !count ? count.error()
                                               : interval.error());
        auto view = calibrated_view(ctx);
        if (!view)
            return StepOutput::failed(view.error());
        const emu::FaceLayout& layout = emu::face_layout(view->registration.model);
        const emu::FaceRegion* region = emu::find_region(layout, emu::RegionKind::Led, *led);
        if (!region)
            return StepOutput::failed("the " + std::string(fw::to_string(layout.model)) +
                                      " has no LED '" + *led + "' (its LEDs: " + led_list(layout) +
                                      ")");
        auto camera = vision_camera(ctx);
        if (!camera)
            return StepOutput::failed(camera.error());
        auto frames = (*camera)->capture(static_cast<int>(*count), *interval);
        if (!frames)
            return StepOutput::failed(frames.error().message);
        (void)ctx.advance(0); // the capture moved the bay's clock: learn where it is now

        // Evidence first: a verdict without its frames is not kept.
        const std::string what = "LED " + *led;
        auto first = ctx.save_evidence("frame.png", png_bytes(frames->front().bgr),
                                       what + ": first frame, at " +
                                           std::to_string(frames->front().pts_ms) + " ms");
        if (!first)
            return StepOutput::failed(first.error());
        if (frames->size() > 1) {
            cv::Mat strip =
                region_strip(*frames, view->registration, vision::FaceRect::of(*region));
            if (!strip.empty())
                if (auto s = ctx.save_evidence("strip.png", png_bytes(strip),
                                               what + ": the LED in each of " +
                                                   std::to_string(frames->size()) + " frames");
                    !s)
                    return StepOutput::failed(s.error());
        }

        std::vector<vision::TimedLed> readings;
        for (const auto& f : *frames) {
            auto check = vision::verify_registration(f.bgr, view->registration);
            if (!check)
                return StepOutput::failed("frame at " + std::to_string(f.pts_ms) +
                                          " ms rejected (" +
                                          std::string(vision::to_string(check.error().code)) +
                                          "): " + check.error().message);
            auto leds = vision::read_leds(f.bgr, view->registration, view->colour);
            if (!leds)
                return StepOutput::failed("frame at " + std::to_string(f.pts_ms) +
                                          " ms rejected (" +
                                          std::string(vision::to_string(leds.error().code)) +
                                          "): " + leds.error().message);
            for (const vision::LedReading& r : *leds)
                if (r.name == *led)
                    readings.push_back({fw::Millis{f.pts_ms}, r});
        }
        if (readings.size() != frames->size())
            return StepOutput::failed("the LED reader returned no reading for '" + *led + "'");
        StepOutput out;
        out.add("colour", Value(std::string(fw::to_string(readings.front().reading.colour))));
        out.add("intensity", Value(readings.front().reading.intensity));
        if (readings.size() > 1) {
            auto pattern = vision::classify_pattern(readings, vision::pattern_limits(layout.model));
            if (!pattern)
                return StepOutput::failed("pattern of " + what + ": " + pattern.error().message);
            out.add("pattern", Value(std::string(fw::to_string(pattern->pattern))));
            // A steady or dark LED has no period: recorded as none, so a
            // period limit fails on it instead of the step erroring.
            out.add("period_ms", pattern->period
                                     ? Value(static_cast<double>(pattern->period->count()))
                                     : Value{});
        }
        return out;
    }

private:
    static std::string led_list(const emu::FaceLayout& layout) {
        std::string s;
        for (const emu::FaceRegion& r : layout.regions)
            if (r.kind == emu::RegionKind::Led)
                s += (s.empty() ? "" : ", ") + std::string(r.name);
        return s;
    }
};
REGISTER_STEP_TYPE(LedStep);

/// One frame read through the calibration, checked against it; evidence kept.
struct ReadFrame {
    fixtures::vision::Frame frame;
    std::vector<vision::LedReading> leds;
};

Result<ReadFrame> read_one_frame(StepContext& ctx, const CalibratedView& view,
                                 const std::string& what) {
    using R = Result<ReadFrame>;
    auto camera = vision_camera(ctx);
    if (!camera)
        return R::failure(camera.error());
    auto frames = (*camera)->capture(1, 100);
    if (!frames)
        return R::failure(frames.error().message);
    const fixtures::vision::Frame& f = frames->front();
    auto kept = ctx.save_evidence("frame.png", png_bytes(f.bgr),
                                  what + ", at " + std::to_string(f.pts_ms) + " ms");
    if (!kept)
        return R::failure(kept.error());
    const auto rejected = [&](const vision::Rejection& r) {
        return R::failure("frame at " + std::to_string(f.pts_ms) + " ms rejected (" +
                          std::string(vision::to_string(r.code)) + "): " + r.message);
    };
    if (auto check = vision::verify_registration(f.bgr, view.registration); !check)
        return rejected(check.error());
    auto leds = vision::read_leds(f.bgr, view.registration, view.colour);
    if (!leds)
        return rejected(leds.error());
    return ReadFrame{f, std::move(*leds)};
}

class LedTestStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "vision.ledtest",
            .family = "indicators",
            .help = "Lights every LED of the unit in one colour (diag FACTORY LEDTEST), reads the "
                    "frame through the bay's vision camera and reports the colour each LED shows, "
                    "as a measurement named after the LED (status_led, …), and how many are lit; "
                    "the LED test is switched off again. The frame is kept as evidence.",
            .args = {{.name = "colour",
                      .kind = ArgSpec::Kind::Text,
                      .required = true,
                      .choices = {"red", "green", "amber", "blue", "white", "off"},
                      .help = "the colour every LED is lit in"}},
            .measurements = {{.name = "lit", .unit = "C62", .help = "LEDs seen lit"},
                             {.name = "all",
                              .unit = "",
                              .help = "the colour every LED shows, or 'mixed'"}},
            .any_measurement = true,
            .fixtures = {"vision"},
            .calibrations = {"vision.registration", "vision.colour"}};
        return i;
    }

    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto colour = arg_text(args, "colour");
        if (!colour)
            return StepOutput::failed(colour.error());
        auto view = calibrated_view(ctx);
        if (!view)
            return StepOutput::failed(view.error());
        if (auto r = ctx.camera().command("FACTORY LEDTEST " + *colour); !r)
            return StepOutput::failed(r.error().message);
        auto read = read_one_frame(ctx, *view, "LED test " + *colour);
        if (*colour != "off")
            if (auto r = ctx.camera().command("FACTORY LEDTEST off"); !r && read)
                return StepOutput::failed(r.error().message);
        (void)ctx.advance(0);
        if (!read)
            return StepOutput::failed(read.error());
        StepOutput out;
        int lit = 0;
        std::string all;
        for (const vision::LedReading& led : read->leds) {
            const std::string seen(fw::to_string(led.colour));
            out.add(led.name, Value(seen));
            lit += led.colour == fw::Colour::Off ? 0 : 1;
            all = all.empty() || all == seen ? seen : "mixed";
        }
        out.add("lit", Value(static_cast<double>(lit)));
        out.add("all", Value(all));
        return out;
    }
};
REGISTER_STEP_TYPE(LedTestStep);

class DisplayStep final : public StepType {
public:
    const StepTypeInfo& info() const override {
        static const StepTypeInfo i{
            .name = "vision.display",
            .family = "indicators",
            .help = "Reads the W120 display through the bay's vision camera, by template matching "
                    "against references rendered from the model table: `display_on`; for each "
                    "icon in `icons` a measurement named after it holding its colour ('off' when "
                    "not shown); for each bar in `bars` '<bar>_percent'; with `text`, whether "
                    "line `text_line` shows it ('text_match', 'text_score'). The frame is kept "
                    "as evidence.",
            .args = {{.name = "icons",
                      .kind = ArgSpec::Kind::List,
                      .default_value = nlohmann::json::array(),
                      .help = "icon names (docked, charging, user_assigned, …)"},
                     {.name = "bars",
                      .kind = ArgSpec::Kind::List,
                      .default_value = nlohmann::json::array(),
                      .help = "progress bar names (charging, data_transfer, …)"},
                     {.name = "text",
                      .kind = ArgSpec::Kind::Text,
                      .help = "a string a text line must show (the user name)"},
                     {.name = "text_line",
                      .kind = ArgSpec::Kind::Integer,
                      .default_value = 0,
                      .help = "which line (0 = top)"}},
            .measurements = {{.name = "display_on", .unit = "", .help = "anything lit"},
                             {.name = "text_match", .unit = "", .help = "the line shows `text`"},
                             {.name = "text_score",
                              .unit = "C62",
                              .help = "worst window correlation, -1 … 1 (match ≥ 0.8)"}},
            .any_measurement = true,
            .fixtures = {"vision"},
            .calibrations = {"vision.registration", "vision.colour"}};
        return i;
    }

    StepOutput measure(StepContext& ctx, const nlohmann::json& args) const override {
        auto line = arg_integer(args, "text_line", 0, 0, emu::kTextSlots - 1);
        if (!line)
            return StepOutput::failed(line.error());
        std::vector<std::string> icons, bars;
        for (const char* key : {"icons", "bars"}) {
            const auto it = args.find(key);
            if (it == args.end() || it->is_null())
                continue;
            if (!it->is_array())
                return StepOutput::failed(std::string("argument '") + key +
                                          "' must be a list of names, not " + it->dump());
            for (const auto& v : *it) {
                if (!v.is_string())
                    return StepOutput::failed(std::string("argument '") + key +
                                              "' holds a non-text " + v.dump());
                (std::string_view(key) == "icons" ? icons : bars).push_back(v.get<std::string>());
            }
        }
        vision::DisplayOptions options;
        const auto text_it = args.find("text");
        const bool with_text = text_it != args.end() && !text_it->is_null();
        if (with_text) {
            auto text = arg_text(args, "text");
            if (!text)
                return StepOutput::failed(text.error());
            options.expected_text[static_cast<int>(*line)] = *text;
        }
        auto view = calibrated_view(ctx);
        if (!view)
            return StepOutput::failed(view.error());
        if (!emu::face_layout(view->registration.model).panel_rows)
            return StepOutput::failed(
                "the " + std::string(fw::to_string(view->registration.model)) + " has no display");
        auto read = read_one_frame(ctx, *view, "display");
        (void)ctx.advance(0);
        if (!read)
            return StepOutput::failed(read.error());
        auto display =
            vision::read_display(read->frame.bgr, view->registration, view->colour, options);
        if (!display)
            return StepOutput::failed("display rejected (" +
                                      std::string(vision::to_string(display.error().code)) +
                                      "): " + display.error().message);
        StepOutput out;
        out.add("display_on", Value(display->on));
        for (const std::string& name : icons) {
            const vision::IconReading* found = nullptr;
            for (const vision::IconReading& r : display->icons)
                if (fw::to_string(r.icon) == name)
                    found = &r;
            if (!found)
                return StepOutput::failed("no icon '" + name +
                                          "' on the display (icons: " + icon_list(*display) + ")");
            out.add(name, Value(std::string(found->shown ? fw::to_string(found->colour) : "off")));
        }
        for (const std::string& name : bars) {
            const vision::BarReading* found = nullptr;
            for (const vision::BarReading& b : display->bars)
                if (fw::to_string(b.activity) == name)
                    found = &b;
            if (!found)
                return StepOutput::failed("no progress bar '" + name + "' on the display");
            out.add(name + "_percent", Value(found->shown ? found->percent : 0.0));
        }
        if (with_text && !display->text.empty()) {
            out.add("text_match", Value(display->text.front().matches));
            out.add("text_score", Value(display->text.front().score));
        }
        return out;
    }

private:
    static std::string icon_list(const vision::DisplayReading& d) {
        std::string s;
        for (const vision::IconReading& r : d.icons)
            s += (s.empty() ? "" : ", ") + std::string(fw::to_string(r.icon));
        return s;
    }
};
REGISTER_STEP_TYPE(DisplayStep);

} // namespace
} // namespace bwc::bench
