// The vision camera fixture end to end: bwc-emu with a W120, the emulated vision camera made
// with make_emulator() and served by the fixtures' InstrumentServer, and the bench's real
// driver reading the media stream through the pipeline string the emulator describes. Frames
// carry the bay's device time, show what the camera shows (the LED test lights every LED red,
// checked against the renderer's ground-truth regions) and follow CONDITIONS; frames left over
// from an abandoned capture are not taken for the next one, and a driver that connects while
// the stream runs gets every frame of its first capture. Bad pipeline strings and a control
// port that sends malformed replies give clear errors naming the instrument.
#include "emu_process.hpp"
#include "firmware/emu/face/face_layout.hpp"
#include "firmware/emu/face/face_renderer.hpp"
#include "fixtures/common/emulator_server.hpp"
#include "fixtures/vision/driver.hpp"
#include "fixtures/vision/emulator.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <map>
#include <opencv2/imgproc.hpp>

using namespace bwc::fixtures;
using namespace bwc::fixtures::vision;
using bwc::bench::DeviceError;
using bwc::test::EmuProcess;
using bwc::test::LineClient;

namespace {

bwc::bench::Uri local(std::uint16_t port) {
    bwc::bench::Uri uri;
    uri.host = "127.0.0.1";
    uri.port = port;
    return uri;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// A served instrument and what its ports-file entry says.
struct Served {
    std::unique_ptr<InstrumentServer> server;
    nlohmann::json entry;
};

Served serve(std::unique_ptr<EmulatedInstrument> instrument) {
    auto server = InstrumentServer::listen(std::move(instrument), 0);
    BOOST_REQUIRE_MESSAGE(server, server.error());
    Served served{std::move(*server), nlohmann::json::object()};
    served.server->instrument().describe(served.entry);
    served.server->start();
    return served;
}

/// One bay: bwc-emu with a W120, its emulated vision camera served on a port, and the
/// bench's driver connected to it through the described pipeline.
struct Bay {
    static constexpr int kWidth = 1280;
    static constexpr int kHeight = 720;
    EmuProcess emu{{"--camera", "model=w120,serial=V1"}};
    LineClient diag{emu.cameras().at(0).diag};
    Served served;
    std::unique_ptr<VisionCamera> camera;

    Bay() {
        BOOST_REQUIRE_EQUAL(diag.hello(), "OK BWC-DIAG 1");
        EmulatorOptions options;
        options.bay = 1;
        options.physical_port = static_cast<std::uint16_t>(emu.cameras().at(0).physical);
        options.width = kWidth;
        options.height = kHeight;
        auto instrument = make_emulator(options);
        BOOST_REQUIRE_MESSAGE(instrument, instrument.error());
        served = serve(std::move(*instrument));
        BOOST_REQUIRE(served.entry.contains("pipeline"));
        auto opened = VisionCamera::open(local(served.server->port()),
                                         served.entry["pipeline"].get<std::string>());
        BOOST_REQUIRE_MESSAGE(opened, opened.error().message);
        camera = std::move(*opened);
    }
    std::int64_t bay_time() {
        const std::string reply = diag.command("TIME");
        BOOST_REQUIRE_MESSAGE(reply.rfind("OK", 0) == 0, reply);
        return std::stoll(bwc::test::field(reply, "now_ms"));
    }
    std::vector<Frame> capture(int frames, std::int64_t interval_ms) {
        auto taken = camera->capture(frames, interval_ms);
        BOOST_REQUIRE_MESSAGE(taken, taken.error().message);
        return std::move(*taken);
    }
};

/// Mean BGR inside a ground-truth region, eroded so JPEG and bloom at the edge do not count.
cv::Scalar mean_in(const cv::Mat& image, const bwc::emu::ImageRegion& region) {
    std::vector<cv::Point> polygon(region.polygon.begin(), region.polygon.end());
    cv::Mat mask = cv::Mat::zeros(image.size(), CV_8U);
    cv::fillConvexPoly(mask, polygon, cv::Scalar(255));
    cv::erode(mask, mask, cv::Mat(), cv::Point(-1, -1), 2);
    return cv::mean(image, mask);
}

/// Every LED region of a W120 square-on in a frame of that size, from the renderer's layout.
std::vector<bwc::emu::ImageRegion> led_regions(cv::Size size) {
    const bwc::emu::FaceLayout& layout = bwc::emu::face_layout(bwc::fw::Model::W120);
    bwc::emu::RenderConditions conditions;
    conditions.size = size;
    std::vector<bwc::emu::ImageRegion> leds;
    for (auto& r : bwc::emu::project_regions(layout, bwc::emu::face_homography(layout, conditions)))
        if (r.kind == bwc::emu::RegionKind::Led)
            leds.push_back(std::move(r));
    return leds;
}

bool red(const cv::Scalar& bgr) {
    return bgr[2] > 150 && bgr[1] < 90 && bgr[0] < 90;
}

/// An instrument that answers from a script: to see the driver meet malformed replies.
class ScriptedCamera final : public EmulatedInstrument {
public:
    explicit ScriptedCamera(std::map<std::string, std::string> replies)
        : replies_(std::move(replies)) {}
    std::string protocol() const override { return "BWC-VISION"; }
    std::string banner_fields() const override { return "model=FAKE serial=BAD1"; }
    bwc::emu::Parsed<std::string> command(const bwc::emu::CommandLine& cmd) override {
        const auto it = replies_.find(cmd.word_upper(0));
        if (it == replies_.end())
            return bwc::emu::ProtocolError{"unknown_command", cmd.words.at(0)};
        return it->second;
    }

private:
    std::map<std::string, std::string> replies_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(fixture_vision_emulated)

BOOST_AUTO_TEST_CASE(capture_gives_frames_at_the_bays_device_time) {
    Bay bay;
    auto locked = bay.camera->lock(8000, 6500);
    BOOST_REQUIRE_MESSAGE(locked, locked.error().message);
    BOOST_TEST(locked->exposure_us == 8000);
    const std::int64_t before = bay.bay_time();
    const auto start = std::chrono::steady_clock::now();
    const std::vector<Frame> frames = bay.capture(6, 250);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST_MESSAGE("CAPTURE 6 at 1280x720: " << ms / 6 << " ms per frame (render, BMP, read, "
                                                 << "JPEG, Matroska, TCP, decode)");
    BOOST_REQUIRE_EQUAL(frames.size(), 6u);
    for (std::size_t k = 0; k < frames.size(); ++k) {
        BOOST_TEST(frames[k].pts_ms == before + 250 * static_cast<std::int64_t>(k));
        BOOST_TEST(frames[k].bgr.cols == Bay::kWidth);
        BOOST_TEST(frames[k].bgr.rows == Bay::kHeight);
    }
    // The bay clock moved with the frames: it stands at the last one.
    BOOST_TEST(bay.bay_time() == frames.back().pts_ms);
    auto status = bay.camera->status();
    BOOST_REQUIRE_MESSAGE(status, status.error().message);
    BOOST_TEST(status->frames == 6);
    BOOST_TEST(*status->last_ms == frames.back().pts_ms);
    BOOST_TEST((status->lock == LockSettings{8000, 6500}));
    BOOST_TEST(status->width == Bay::kWidth);
}

BOOST_AUTO_TEST_CASE(led_test_shows_red_where_the_renderer_put_the_leds) {
    Bay bay;
    BOOST_REQUIRE(bay.camera->lock(8000, 6500));
    const auto leds = led_regions({Bay::kWidth, Bay::kHeight});
    BOOST_REQUIRE(!leds.empty());
    // Powered off: no LED is red.
    const Frame dark = bay.capture(1, 100).front();
    for (const auto& led : leds)
        BOOST_TEST(!red(mean_in(dark.bgr, led)), led.name << ": " << mean_in(dark.bgr, led));
    BOOST_REQUIRE_EQUAL(bay.diag.command("FACTORY LEDTEST red"), "OK");
    const Frame lit = bay.capture(1, 100).front();
    BOOST_TEST(lit.pts_ms > dark.pts_ms);
    for (const auto& led : leds)
        BOOST_TEST(red(mean_in(lit.bgr, led)), led.name << ": " << mean_in(lit.bgr, led));
}

BOOST_AUTO_TEST_CASE(conditions_change_the_image_and_read_back) {
    Bay bay;
    BOOST_REQUIRE(bay.camera->lock(8000, 6500));
    const double neutral = cv::mean(bay.capture(1, 100).front().bgr)[1];
    ConditionsUpdate darker;
    darker.exposure = -1.0;
    darker.tilt = 2.5;
    darker.tilt_axis = -60.0;
    auto conditions = bay.camera->set_conditions(darker);
    BOOST_REQUIRE_MESSAGE(conditions, conditions.error().message);
    BOOST_TEST(conditions->exposure == -1.0);
    BOOST_TEST(conditions->tilt_axis == -60.0);
    BOOST_TEST(conditions->wb == Conditions{}.wb); // untouched
    const double dimmed = cv::mean(bay.capture(1, 100).front().bgr)[1];
    BOOST_TEST(dimmed < neutral * 0.8, "neutral " << neutral << ", -1 EV " << dimmed);
    // Outside the renderer's limits: the driver will not send it.
    ConditionsUpdate too_much;
    too_much.noise = 9.0;
    auto refused = bay.camera->set_conditions(too_much);
    BOOST_REQUIRE(!refused);
    BOOST_TEST((refused.error().kind == DeviceError::Kind::Protocol));
    BOOST_TEST(contains(refused.error().message, "noise"), refused.error().message);
}

BOOST_AUTO_TEST_CASE(capture_before_lock_is_refused) {
    Bay bay;
    auto frames = bay.camera->capture(2, 100);
    BOOST_REQUIRE(!frames);
    BOOST_TEST((frames.error().kind == DeviceError::Kind::Refused));
    BOOST_TEST(frames.error().code == "wrong_state");
    BOOST_TEST(contains(frames.error().message, "LOCK"), frames.error().message);
}

BOOST_AUTO_TEST_CASE(frames_left_over_from_an_abandoned_capture_are_not_taken) {
    Bay bay;
    BOOST_REQUIRE(bay.camera->lock(8000, 6500));
    // Another client captures 3 frames the driver never asked for: they wait in its stream.
    LineClient other(bay.served.server->port());
    BOOST_REQUIRE_EQUAL(other.hello(), "OK BWC-VISION 1");
    const std::string stray = other.command("CAPTURE 3 interval_ms=100");
    BOOST_REQUIRE_MESSAGE(stray.rfind("OK", 0) == 0, stray);
    const std::int64_t stray_last = std::stoll(bwc::test::field(stray, "last_ms"));
    // The bay clock has not moved since: the next frame still comes later than the strays.
    const std::vector<Frame> frames = bay.capture(2, 100);
    BOOST_REQUIRE_EQUAL(frames.size(), 2u);
    BOOST_TEST(frames[0].pts_ms == stray_last + 1);
    BOOST_TEST(frames[1].pts_ms == stray_last + 101);
}

BOOST_AUTO_TEST_CASE(a_driver_connecting_between_captures_gets_every_frame_of_the_next) {
    Bay bay;
    BOOST_REQUIRE(bay.camera->lock(8000, 6500));
    const std::int64_t last = bay.capture(2, 100).back().pts_ms; // the stream is running
    // A second bench process (a step after a restart, say) joins the running stream.
    auto joined = VisionCamera::open(local(bay.served.server->port()),
                                     bay.served.entry["pipeline"].get<std::string>());
    BOOST_REQUIRE_MESSAGE(joined, joined.error().message);
    auto frames = (*joined)->capture(3, 100);
    BOOST_REQUIRE_MESSAGE(frames, frames.error().message);
    BOOST_REQUIRE_EQUAL(frames->size(), 3u);
    BOOST_TEST(frames->front().pts_ms == last + 1);
    BOOST_TEST(frames->back().pts_ms == last + 201);
}

BOOST_AUTO_TEST_CASE(the_emulators_options_are_checked) {
    EmulatorOptions options;
    options.physical_port = static_cast<std::uint16_t>(bwc::test::unused_port());
    auto unreachable = make_emulator(options);
    BOOST_REQUIRE(!unreachable);
    BOOST_TEST(contains(unreachable.error(), "bay 1"), unreachable.error());
    BOOST_TEST(contains(unreachable.error(), std::to_string(options.physical_port)),
               unreachable.error());
    options.width = 32;
    BOOST_TEST(contains(make_emulator(options).error(), "32x720"));
    options.width = 1280;
    options.scratch_dir = "/proc/version/faces";
    BOOST_TEST(contains(make_emulator(options).error(), "/proc/version/faces"));
    options = EmulatorOptions{};
    BOOST_TEST(contains(make_emulator(options).error(), "physical port"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixture_vision_driver_errors)

BOOST_AUTO_TEST_CASE(a_bad_pipeline_string_is_a_clear_error) {
    Served served = serve(std::make_unique<ScriptedCamera>(std::map<std::string, std::string>{}));
    auto opened = VisionCamera::open(local(served.server->port()),
                                     "tcpclientsrc port=1 ! matroskademux ! nosuchdecoder ! "
                                     "appsink name=frames");
    BOOST_REQUIRE(!opened);
    BOOST_TEST((opened.error().kind == DeviceError::Kind::Transport));
    BOOST_TEST(contains(opened.error().message, "BWC-VISION FAKE BAD1"), opened.error().message);
    BOOST_TEST(contains(opened.error().message, "no element \"nosuchdecoder\""),
               opened.error().message);
}

BOOST_AUTO_TEST_CASE(malformed_replies_are_protocol_errors_naming_the_instrument) {
    Served served = serve(std::make_unique<ScriptedCamera>(std::map<std::string, std::string>{
        {"LOCK", "exposure_us=abc wb_k=6500"},
        {"STATUS", "locked=1 exposure_us= wb_k= width=1280 height=720 frames=0 last_ms="},
        {"CAPTURE", "frames=2 first_ms=100 last_ms=50"},
        {"CONDITIONS", "exposure=0 wb=6500 noise=0 blur=0 tilt=0 tilt_axis=30 bloom=6 seed=1"},
    }));
    auto opened = VisionCamera::open(local(served.server->port()),
                                     "videotestsrc num-buffers=3 ! video/x-raw,width=64,height=48");
    BOOST_REQUIRE_MESSAGE(opened, opened.error().message);
    VisionCamera& camera = **opened;
    const auto check = [](const DeviceError& e, const std::string& quoted) {
        BOOST_TEST_MESSAGE(e.message);
        BOOST_TEST((e.kind == DeviceError::Kind::Protocol), e.message);
        BOOST_TEST(contains(e.message, "BWC-VISION FAKE BAD1"), e.message);
        BOOST_TEST(contains(e.message, quoted), e.message);
    };
    check(camera.lock(8000, 6500).error(), "exposure_us=abc");
    check(camera.status().error(), "locked=1");
    check(camera.capture(2, 50).error(), "first_ms=100 last_ms=50");
    // A camera that ignores the change it was asked for.
    ConditionsUpdate update;
    update.noise = 2.0;
    check(camera.set_conditions(update).error(), "noise=0");
    // A lock echoed wrong.
    Served liar = serve(std::make_unique<ScriptedCamera>(
        std::map<std::string, std::string>{{"LOCK", "exposure_us=9000 wb_k=6500"}}));
    auto other = VisionCamera::open(local(liar.server->port()), "videotestsrc num-buffers=1");
    BOOST_REQUIRE_MESSAGE(other, other.error().message);
    check((*other)->lock(8000, 6500).error(), "exposure_us=9000");
}

BOOST_AUTO_TEST_CASE(frames_that_do_not_match_the_reply_are_protocol_errors) {
    // videotestsrc at 10 fps stamps 0, 100, 200 ms; the reply promises 0 … 150 ms.
    Served served = serve(std::make_unique<ScriptedCamera>(
        std::map<std::string, std::string>{{"CAPTURE", "frames=2 first_ms=0 last_ms=150"}}));
    auto opened = VisionCamera::open(
        local(served.server->port()),
        "videotestsrc num-buffers=3 ! video/x-raw,width=64,height=48,framerate=10/1");
    BOOST_REQUIRE_MESSAGE(opened, opened.error().message);
    auto frames = (*opened)->capture(2, 150);
    BOOST_REQUIRE(!frames);
    BOOST_TEST((frames.error().kind == DeviceError::Kind::Protocol), frames.error().message);
    BOOST_TEST(contains(frames.error().message, "100 ms"), frames.error().message);
}

BOOST_AUTO_TEST_CASE(a_real_camera_refuses_conditions) {
    Served served = serve(std::make_unique<ScriptedCamera>(std::map<std::string, std::string>{}));
    auto opened = VisionCamera::open(local(served.server->port()), "videotestsrc num-buffers=1");
    BOOST_REQUIRE_MESSAGE(opened, opened.error().message);
    ConditionsUpdate update;
    update.blur = 1.0;
    auto refused = (*opened)->set_conditions(update);
    BOOST_REQUIRE(!refused);
    BOOST_TEST((refused.error().kind == DeviceError::Kind::Refused));
}

BOOST_AUTO_TEST_SUITE_END()
