// The vision media path on real GStreamer pipelines: the bench's frame source alone on
// videotestsrc (frames, colours, timestamps, the appsink rules, end of stream, timeouts, bad
// descriptions of every kind, several sources in several threads), and the emulated camera's
// frame sink read back through the emulated station's pipeline string, including a client
// that connects after the stream began (it gets the last frames sent, then every new one). The
// per-frame cost of encode + stream + decode is logged (never asserted).
#include "emu_process.hpp"
#include "fixtures/vision/frame_emulator_sink.hpp"
#include "fixtures/vision/frame_source.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <opencv2/imgproc.hpp>
#include <thread>

using namespace bwc::fixtures::vision;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kWait{5000};

std::unique_ptr<FrameSource> open_source(const std::string& description) {
    auto source = FrameSource::open(description);
    BOOST_REQUIRE_MESSAGE(source, description << ": " << source.error().message);
    return std::move(*source);
}

FrameError open_error(const std::string& description) {
    auto source = FrameSource::open(description);
    BOOST_REQUIRE_MESSAGE(!source, "opened '" << description << "'");
    BOOST_TEST_MESSAGE(description << " -> " << source.error().message);
    BOOST_TEST((source.error().kind == FrameError::Kind::Pipeline));
    return source.error();
}

std::unique_ptr<FrameEmulatorSink> start_sink(int width, int height) {
    FrameSinkOptions options;
    options.width = width;
    options.height = height;
    auto sink = FrameEmulatorSink::start(options);
    BOOST_REQUIRE_MESSAGE(sink, sink.error());
    return std::move(*sink);
}

/// The error a pipeline that opens gives instead of its first frame.
FrameError first_frame_error(const std::string& description) {
    auto source = open_source(description);
    auto frame = source->next(kWait);
    BOOST_REQUIRE_MESSAGE(!frame, "a frame from '" << description << "'");
    BOOST_TEST_MESSAGE(description << " -> " << frame.error().message);
    return frame.error();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// Mean BGR of a frame's centre (away from any edge effects).
cv::Scalar centre_mean(const cv::Mat& bgr) {
    const cv::Rect centre(bgr.cols / 4, bgr.rows / 4, bgr.cols / 2, bgr.rows / 2);
    return cv::mean(bgr(centre));
}

/// A frame with a distinct solid colour per index, to recognise it after JPEG.
cv::Mat coloured_frame(int width, int height, int index) {
    const cv::Scalar colours[] = {{255, 0, 0},   {0, 255, 0},   {0, 0, 255},     {255, 255, 0},
                                  {0, 255, 255}, {255, 0, 255}, {255, 255, 255}, {40, 40, 40}};
    cv::Mat frame(height, width, CV_8UC3, colours[index % 8]);
    cv::putText(frame, std::to_string(index), {width / 3, height / 2}, cv::FONT_HERSHEY_SIMPLEX,
                2.0, cv::Scalar(128, 128, 128), 3);
    return frame;
}

bool close_to(const cv::Scalar& a, const cv::Scalar& b, double tolerance) {
    for (int i = 0; i < 3; ++i)
        if (std::abs(a[i] - b[i]) > tolerance)
            return false;
    return true;
}

} // namespace

BOOST_AUTO_TEST_SUITE(fixture_vision_frame_source)

BOOST_AUTO_TEST_CASE(videotestsrc_frames_in_bgr_with_timestamps_then_end_of_stream) {
    // videotestsrc is in gst-plugins-base; ARGB 0xffff0000 is pure red.
    auto source = open_source("videotestsrc num-buffers=5 pattern=solid-color "
                              "foreground-color=0xffff0000 ! video/x-raw,width=320,height=240,"
                              "framerate=10/1 ! videoconvert ! video/x-raw,format=BGR ! appsink "
                              "name=frames");
    std::vector<std::int64_t> times;
    for (int i = 0; i < 5; ++i) {
        auto frame = source->next(kWait);
        BOOST_REQUIRE_MESSAGE(frame, frame.error().message);
        BOOST_TEST(frame->bgr.cols == 320);
        BOOST_TEST(frame->bgr.rows == 240);
        BOOST_TEST(frame->bgr.type() == CV_8UC3);
        const cv::Scalar m = centre_mean(frame->bgr);
        BOOST_TEST((m[2] > 240 && m[1] < 15 && m[0] < 15), "not red in BGR: " << m);
        times.push_back(frame->pts_ms);
    }
    // 10 frames per second: one every 100 ms from 0.
    BOOST_TEST((times == std::vector<std::int64_t>{0, 100, 200, 300, 400}));
    auto after = source->next(kWait, "frame 6 of 6");
    BOOST_REQUIRE(!after);
    BOOST_TEST((after.error().kind == FrameError::Kind::Ended), after.error().message);
    BOOST_TEST(contains(after.error().message, "frame 6 of 6"), after.error().message);
    // It stays ended.
    BOOST_TEST((source->next(kWait).error().kind == FrameError::Kind::Ended));
}

BOOST_AUTO_TEST_CASE(a_pipeline_without_an_appsink_gets_one_appended) {
    // ARGB 0xff00ff00: green. No appsink, no BGR caps: the source appends both.
    auto source = open_source("videotestsrc num-buffers=2 pattern=solid-color "
                              "foreground-color=0xff00ff00 ! video/x-raw,width=64,height=48");
    auto frame = source->next(kWait);
    BOOST_REQUIRE_MESSAGE(frame, frame.error().message);
    BOOST_TEST(frame->bgr.cols == 64);
    const cv::Scalar m = centre_mean(frame->bgr);
    BOOST_TEST((m[1] > 240 && m[0] < 15 && m[2] < 15), "not green in BGR: " << m);
}

BOOST_AUTO_TEST_CASE(the_only_appsink_serves_whatever_its_name) {
    auto source =
        open_source("videotestsrc num-buffers=1 ! video/x-raw,width=32,height=32 ! appsink");
    auto frame = source->next(kWait);
    BOOST_REQUIRE_MESSAGE(frame, frame.error().message);
    BOOST_TEST(frame->bgr.cols == 32);
}

BOOST_AUTO_TEST_CASE(bad_descriptions_are_clear_errors) {
    BOOST_TEST(contains(open_error("").message, "empty"));
    BOOST_TEST(contains(open_error("   ").message, "empty"));
    const FrameError missing = open_error("nosuchsrc ! appsink name=frames");
    BOOST_TEST(contains(missing.message, "no element \"nosuchsrc\""), missing.message);
    BOOST_TEST(contains(missing.message, "nosuchsrc ! appsink name=frames"), missing.message);
    const FrameError syntax = open_error("videotestsrc ! ! appsink name=frames");
    BOOST_TEST(contains(syntax.message, "videotestsrc ! ! appsink"), syntax.message);
    const FrameError not_appsink = open_error("videotestsrc name=frames ! fakesink");
    BOOST_TEST(contains(not_appsink.message, "'frames' is a videotestsrc, not an appsink"),
               not_appsink.message);
    const FrameError two = open_error("videotestsrc ! tee name=t ! queue ! appsink t. ! queue ! "
                                      "appsink");
    BOOST_TEST(contains(two.message, "2 appsinks"), two.message);
    const FrameError property = open_error("videotestsrc nosuchproperty=3 ! appsink name=frames");
    BOOST_TEST(contains(property.message, "nosuchproperty"), property.message);
    const FrameError link = open_error("appsink name=frames ! videotestsrc");
    BOOST_TEST(!link.message.empty());
    // Nothing listens there: the source's own words say so.
    const int port = bwc::test::unused_port();
    const FrameError refused =
        open_error("tcpclientsrc host=127.0.0.1 port=" + std::to_string(port) +
                   " ! matroskademux ! jpegdec ! appsink name=frames");
    BOOST_TEST(contains(refused.message, "does not start"), refused.message);
    BOOST_TEST(contains(refused.message, std::to_string(port)), refused.message);
    // Strings that are not pipelines at all.
    for (const std::string junk : {"!", "! ! !", "\"", "(", "videotestsrc ! (", "=====", "a b c d",
                                   "videotestsrc num-buffers=abc ! appsink"}) {
        auto source = FrameSource::open(junk);
        if (source)
            continue; // GStreamer made sense of it; reading it must not crash either
        BOOST_TEST(!source.error().message.empty(), junk);
    }
}

BOOST_AUTO_TEST_CASE(frames_the_bench_cannot_use_are_errors) {
    // The appsink asks for I420: the bench refuses the frame rather than misreading it.
    const FrameError i420 =
        first_frame_error("videotestsrc num-buffers=1 ! video/x-raw,format=I420,"
                          "width=32,height=32 ! appsink name=frames "
                          "caps=video/x-raw,format=I420");
    BOOST_TEST((i420.kind == FrameError::Kind::Format), i420.message);
    BOOST_TEST(contains(i420.message, "I420"), i420.message);
    // No converter before the appsink, which wants BGR: negotiation fails while running.
    const FrameError unmet = first_frame_error("videotestsrc num-buffers=1 ! video/x-raw,"
                                               "format=I420,width=32,height=32 ! appsink "
                                               "name=frames");
    BOOST_TEST((unmet.kind == FrameError::Kind::Failed), unmet.message);
    BOOST_TEST(contains(unmet.message, "videotestsrc"), unmet.message);
}

BOOST_AUTO_TEST_CASE(no_frame_in_time_is_a_timeout_naming_the_frame_and_the_pipeline) {
    // An appsrc nobody feeds: the pipeline runs and never delivers.
    auto source = open_source("appsrc ! appsink name=frames");
    auto frame = source->next(milliseconds(300), "frame 3 of 10");
    BOOST_REQUIRE(!frame);
    BOOST_TEST((frame.error().kind == FrameError::Kind::Timeout));
    BOOST_TEST(frame.error().message ==
               "waited 300 ms for frame 3 of 10 from \"appsrc ! appsink name=frames\"");
    std::atomic<bool> cancel{true};
    source->set_cancel_flag(&cancel);
    BOOST_TEST((source->next(kWait).error().kind == FrameError::Kind::Cancelled));
    BOOST_TEST(describe_wait(milliseconds(5000)) == "5 s");
    BOOST_TEST(describe_wait(milliseconds(1500)) == "1.5 s");
}

BOOST_AUTO_TEST_CASE(sources_in_several_threads_at_once) {
    std::vector<std::thread> threads;
    std::atomic<int> frames{0};
    std::vector<std::string> errors(6);
    for (std::size_t t = 0; t < errors.size(); ++t)
        threads.emplace_back([&, t] {
            auto source = FrameSource::open("videotestsrc num-buffers=4 ! video/x-raw,width=64,"
                                            "height=48");
            if (!source) {
                errors[t] = source.error().message;
                return;
            }
            for (int i = 0; i < 4; ++i) {
                auto frame = (*source)->next(kWait);
                if (!frame) {
                    errors[t] = frame.error().message;
                    return;
                }
                ++frames;
            }
        });
    for (std::thread& t : threads)
        t.join();
    for (const std::string& e : errors)
        BOOST_TEST(e.empty(), e);
    BOOST_TEST(frames.load() == 24);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(fixture_vision_frame_sink)

BOOST_AUTO_TEST_CASE(frames_arrive_with_their_device_time_and_colours) {
    auto sink = start_sink(320, 240);
    auto source = open_source(media_client_pipeline("127.0.0.1", sink->port()));
    // The stream starts with the first frame; this client was there before it.
    const std::int64_t first_ms = 31'000;
    for (int i = 0; i < 5; ++i) {
        auto pushed = sink->push(coloured_frame(320, 240, i), first_ms + 250 * i);
        BOOST_REQUIRE_MESSAGE(pushed, pushed.error());
    }
    for (int i = 0; i < 5; ++i) {
        auto frame = source->next(kWait);
        BOOST_REQUIRE_MESSAGE(frame, frame.error().message);
        BOOST_TEST(frame->pts_ms == first_ms + 250 * i);
        BOOST_TEST(frame->bgr.cols == 320);
        BOOST_TEST(frame->bgr.rows == 240);
        const cv::Scalar expected = cv::mean(coloured_frame(320, 240, i));
        BOOST_TEST(close_to(cv::mean(frame->bgr), expected, 3.0),
                   "frame " << i << ": " << cv::mean(frame->bgr) << " vs " << expected);
    }
}

BOOST_AUTO_TEST_CASE(pushes_that_break_the_stream_are_refused) {
    auto sink = start_sink(64, 64);
    BOOST_TEST(!sink->push(cv::Mat(32, 64, CV_8UC3), 0));
    BOOST_TEST(!sink->push(cv::Mat(64, 64, CV_8UC1), 0));
    BOOST_TEST(sink->push(cv::Mat(64, 64, CV_8UC3, cv::Scalar(1, 2, 3)), 100).ok());
    const auto again = sink->push(cv::Mat(64, 64, CV_8UC3), 100);
    BOOST_TEST(!again);
    BOOST_TEST(contains(again.error(), "100 ms"), again.error());
    // The port is taken now: a second sink on it says so.
    FrameSinkOptions same_port;
    same_port.width = 64;
    same_port.height = 64;
    same_port.port = sink->port();
    auto second = FrameEmulatorSink::start(same_port);
    BOOST_REQUIRE(!second);
    BOOST_TEST(contains(second.error(), std::to_string(same_port.port)), second.error());
}

BOOST_AUTO_TEST_CASE(a_client_joining_a_running_stream_misses_nothing_sent_after_it_was_added) {
    auto sink = start_sink(320, 240);
    const std::string pipeline = media_client_pipeline("127.0.0.1", sink->port());
    auto early = open_source(pipeline);
    std::map<std::int64_t, int> index_at; // every frame pushed: time → colour index
    int index = 0;
    std::int64_t at_ms = 1000;
    const auto push_next = [&] {
        index_at[at_ms] = index;
        BOOST_REQUIRE(sink->push(coloured_frame(320, 240, index), at_ms));
        ++index;
        at_ms += 100;
    };
    const int before = kBurstFrames + 4;
    for (int i = 0; i < before; ++i)
        push_next();
    auto late = open_source(pipeline);
    // The server adds the client in its own thread; from then on it gets every frame (a
    // burst of older ones may come first, or not: frame_emulator_sink.hpp).
    BOOST_REQUIRE_MESSAGE(sink->wait_for_client(kWait, 2),
                          "the server never added the late client");
    const std::int64_t first_after_join_ms = at_ms;
    std::optional<Frame> first;
    for (int attempt = 0; attempt < 25 && !first; ++attempt) {
        push_next();
        if (auto frame = late->next(milliseconds(200)))
            first = std::move(*frame);
    }
    BOOST_REQUIRE_MESSAGE(first, "the late client never got a frame");
    BOOST_TEST(first->pts_ms <= first_after_join_ms,
               "the late client lost frames sent after it was "
               "added: its first is "
                   << first->pts_ms);
    BOOST_REQUIRE(index_at.count(first->pts_ms));
    const cv::Scalar expected = cv::mean(coloured_frame(320, 240, index_at[first->pts_ms]));
    BOOST_TEST(close_to(cv::mean(first->bgr), expected, 3.0), "first frame not decoded whole");
    // From there on it misses none; the early client has every frame.
    for (int i = 0; i < 3; ++i)
        push_next();
    const std::int64_t last_ms = at_ms - 100;
    for (std::int64_t want = first->pts_ms + 100; want <= last_ms; want += 100) {
        auto frame = late->next(kWait);
        BOOST_REQUIRE_MESSAGE(frame, frame.error().message);
        BOOST_REQUIRE_EQUAL(frame->pts_ms, want);
    }
    for (std::int64_t want = 1000; want <= last_ms; want += 100) {
        auto frame = early->next(kWait);
        BOOST_REQUIRE_MESSAGE(frame, frame.error().message);
        BOOST_REQUIRE_EQUAL(frame->pts_ms, want);
    }
}

BOOST_AUTO_TEST_CASE(cost_of_a_frame_from_push_to_decoded) {
    for (const cv::Size size : {cv::Size(1280, 720), cv::Size(1920, 1080)}) {
        auto sink = start_sink(size.width, size.height);
        auto source = open_source(media_client_pipeline("127.0.0.1", sink->port()));
        cv::Mat noisy(size, CV_8UC3);
        cv::randu(noisy, 0, 255);
        cv::GaussianBlur(noisy, noisy, cv::Size(0, 0), 3.0); // texture JPEG has to work for
        constexpr int kFrames = 10;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kFrames; ++i) {
            BOOST_REQUIRE(sink->push(noisy, i * 40));
            BOOST_REQUIRE(source->next(kWait));
        }
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count();
        BOOST_TEST_MESSAGE(size.width << "x" << size.height << ": " << ms / kFrames
                                      << " ms per frame push → JPEG → Matroska → TCP → decoded");
    }
}

BOOST_AUTO_TEST_SUITE_END()
