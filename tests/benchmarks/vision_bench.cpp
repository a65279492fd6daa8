// Machine vision's cost per 1080p frame (bench/vision/), against a baseline measured in the same
// run: one cv::cvtColor of the frame to grey (the cheapest whole-frame operation there is).
//
//   BM_ReadSteadyState/<model>  read_face with a stored registration (verified per frame) and
//                               the frame's own colour reference: the per-frame path
//   BM_ReadLockedExposure/<model>  … with a stored colour reference too
//   BM_Register/<model>         marker detection + homography (once per calibration)
//   BM_CvtColorBaseline         the baseline
//
// Counters: frame_fraction = time per frame / 33.3 ms (a 30 fps frame interval; target ≤ 0.05),
// vs_cvtColor = time per frame / the baseline's, measured at the start of each benchmark.
#include "bench/vision/face_reader.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <benchmark/benchmark.h>
#include <chrono>
#include <opencv2/imgproc.hpp>

namespace {

namespace fw = bwc::fw;
namespace vision = bwc::vision;

constexpr double kFrameIntervalMs = 1000.0 / 30.0;

/// A busy face: every LED lit, the W120 display with icons, bars and a name; realistic camera.
cv::Mat busy_frame(fw::Model model) {
    fw::Snapshot s;
    s.model = model;
    s.power = fw::PowerState::On;
    for (fw::Indicator ind : fw::model_spec(model).indicators)
        s.lights.push_back({ind, {fw::Colour::Green, fw::Pattern::Steady, fw::Millis{0}}});
    s.display.on = true;
    for (fw::Icon icon : {fw::Icon::Battery, fw::Icon::Recording, fw::Icon::Gps, fw::Icon::Wifi,
                          fw::Icon::Charging, fw::Icon::UserAssigned})
        s.display.icons.push_back({icon, fw::Colour::White, fw::Pattern::Steady, fw::Millis{0}});
    s.display.bars = {{fw::Icon::Charging, 64}};
    s.display.text = {"J. Smith"};
    bwc::emu::RenderConditions c;
    c.noise_sigma = 4;
    c.blur_px = 1;
    c.tilt_deg = 2;
    c.exposure_ev = 0.3;
    c.white_balance_k = 5000;
    return bwc::emu::render_face(s, fw::Millis{0}, c).image;
}

double baseline_ms(const cv::Mat& frame) {
    cv::Mat grey;
    cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY); // warm up
    constexpr int kRuns = 50;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kRuns; ++i) {
        cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        benchmark::DoNotOptimize(grey.data);
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
               .count() /
           kRuns;
}

template <class F>
void timed_loop(benchmark::State& state, const cv::Mat& frame, F&& body) {
    const double base = baseline_ms(frame);
    double total_ms = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        body();
        total_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                        .count();
    }
    const double per_frame = total_ms / static_cast<double>(state.iterations());
    state.counters["frame_fraction"] = per_frame / kFrameIntervalMs;
    state.counters["vs_cvtColor"] = per_frame / base;
    state.counters["cvtColor_ms"] = base;
}

fw::Model model_arg(const benchmark::State& state) {
    return state.range(0) == 100 ? fw::Model::W100 : fw::Model::W120;
}

void BM_ReadSteadyState(benchmark::State& state) {
    const cv::Mat frame = busy_frame(model_arg(state));
    vision::ReadOptions options;
    options.registration = vision::register_frame(frame).value();
    (void)vision::read_face(frame, options); // builds the display templates once
    timed_loop(state, frame, [&] {
        auto r = vision::read_face(frame, options);
        if (!r)
            state.SkipWithError(r.error().message.c_str());
        benchmark::DoNotOptimize(r);
    });
}
BENCHMARK(BM_ReadSteadyState)->Arg(100)->Arg(120)->Unit(benchmark::kMicrosecond);

void BM_ReadLockedExposure(benchmark::State& state) {
    const cv::Mat frame = busy_frame(model_arg(state));
    vision::ReadOptions options;
    options.registration = vision::register_frame(frame).value();
    options.colour_reference =
        vision::measure_colour_reference(frame, *options.registration).value();
    (void)vision::read_face(frame, options);
    timed_loop(state, frame, [&] {
        auto r = vision::read_face(frame, options);
        benchmark::DoNotOptimize(r);
    });
}
BENCHMARK(BM_ReadLockedExposure)->Arg(100)->Arg(120)->Unit(benchmark::kMicrosecond);

void BM_Register(benchmark::State& state) {
    const cv::Mat frame = busy_frame(model_arg(state));
    timed_loop(state, frame, [&] {
        auto r = vision::register_frame(frame);
        benchmark::DoNotOptimize(r);
    });
}
BENCHMARK(BM_Register)->Arg(100)->Arg(120)->Unit(benchmark::kMillisecond);

void BM_CvtColorBaseline(benchmark::State& state) {
    const cv::Mat frame = busy_frame(fw::Model::W120);
    cv::Mat grey;
    timed_loop(state, frame, [&] {
        cv::cvtColor(frame, grey, cv::COLOR_BGR2GRAY);
        benchmark::DoNotOptimize(grey.data);
    });
}
BENCHMARK(BM_CvtColorBaseline)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
