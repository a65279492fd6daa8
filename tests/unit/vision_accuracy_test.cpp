// Accuracy of the bench's machine vision (bench/vision/) on frames rendered by the emulator's
// face renderer with random indicator states and random camera conditions drawn uniformly over
// the documented ranges (exposure ±1 EV, white balance 3,000–7,500 K, noise σ 0–8, blur 0–2 px,
// tilt 0–5° about a random axis, LED bloom 0–40 px, a fresh noise seed per frame), compared with
// the renderer's ground truth: the snapshot it drew and pattern_intensity() at the frame's time.
// Every frame goes the whole way: marker registration, the frame's own colour reference, LEDs,
// the W120 display.
//
// Frames are 1280 × 720: the nest is 7.5 px/mm there (a 6 mm LED is 45 px, an icon slot 56 px),
// and a frame costs ~10 ms to render and read, so the four suites (2,700 frames) take about 30 s
// of test time and run in parallel under ctest -j.
//
// Scoring: an LED is expected off when it is dark (pattern off, or caught in the dark half of a
// flash) and its colour when at least 0.3 bright; a pulsing LED caught between (dimmer than 0.3,
// not dark) is not scored, and counted. Icons are steady or flashing (on or off), so every slot
// is scored: shown or not, and its colour. Blink patterns are read from sequences of ≥ 3 frames
// per phase over 2 periods of the slowest pattern.
#include "bench/vision/face_reader.hpp"
#include "bench/vision/pattern_classifier.hpp"
#include "firmware/emu/face/face_renderer.hpp"

#include <boost/test/unit_test.hpp>
#include <map>
#include <random>
#include <sstream>

namespace {

namespace fw = bwc::fw;
namespace emu = bwc::emu;
namespace vision = bwc::vision;

constexpr std::array kColours{fw::Colour::Red, fw::Colour::Green, fw::Colour::Amber,
                              fw::Colour::Blue, fw::Colour::White};
constexpr std::array kNames{"J. Smith",     "J. Smyth", "Ann Lee",
                            "Officer 1234", "B. Wu",    "Mary-Kate O'Neil"};
const cv::Size kFrame{1280, 720};

struct Rng {
    std::mt19937_64 gen;
    double uniform(double lo, double hi) { return std::uniform_real_distribution(lo, hi)(gen); }
    int index(int n) { return std::uniform_int_distribution(0, n - 1)(gen); }
    bool chance(double p) { return uniform(0, 1) < p; }
};

emu::RenderConditions random_conditions(Rng& rng) {
    emu::RenderConditions c;
    c.exposure_ev = rng.uniform(-emu::kMaxExposureEv, emu::kMaxExposureEv);
    c.white_balance_k = rng.uniform(emu::kMinWhiteBalanceK, emu::kMaxWhiteBalanceK);
    c.noise_sigma = rng.uniform(0, emu::kMaxNoiseSigma);
    c.blur_px = rng.uniform(0, emu::kMaxBlurPx);
    c.tilt_deg = rng.uniform(0, emu::kMaxTiltDeg);
    c.tilt_axis_deg = rng.uniform(0, 360);
    c.led_bloom_px = rng.uniform(0, emu::kMaxBloomPx);
    c.size = kFrame;
    c.seed = rng.gen();
    return c;
}

fw::LightState random_light(Rng& rng, fw::Model model, bool blinking) {
    const fw::IndicatorTiming& t = fw::model_spec(model).indicator_timing;
    const fw::Colour colour = kColours[static_cast<std::size_t>(rng.index(kColours.size()))];
    const int kind = rng.index(blinking ? 4 : 2);
    switch (kind) {
    case 0:
        return {};
    case 1:
        return {colour, fw::Pattern::Steady, fw::Millis{0}};
    case 2:
        return {colour, fw::Pattern::Flashing, t.flash_period};
    default:
        return {colour, fw::Pattern::Pulsing, t.pulse_period};
    }
}

fw::Snapshot random_snapshot(Rng& rng, fw::Model model) {
    fw::Snapshot s;
    s.model = model;
    s.power = fw::PowerState::On;
    for (fw::Indicator ind : fw::model_spec(model).indicators)
        if (ind != fw::Indicator::Display)
            s.lights.push_back({ind, random_light(rng, model, true)});
    if (!fw::model_spec(model).caps.display)
        return s;
    s.display.on = true;
    for (int i = 0; i <= static_cast<int>(fw::Icon::Recording); ++i)
        if (rng.chance(0.5)) {
            fw::IconState icon{static_cast<fw::Icon>(i),
                               kColours[static_cast<std::size_t>(rng.index(kColours.size()))]};
            if (rng.chance(0.2)) {
                icon.pattern = fw::Pattern::Flashing;
                icon.period = fw::model_spec(model).indicator_timing.flash_period;
            }
            if (icon.icon == fw::Icon::Battery || icon.icon == fw::Icon::Mobile ||
                icon.icon == fw::Icon::Wifi)
                icon.level = rng.index(6) - 1;
            s.display.icons.push_back(icon);
        }
    for (fw::Icon activity :
         {fw::Icon::Charging, fw::Icon::FirmwareUpgrade, fw::Icon::DataTransfer})
        if (rng.chance(0.7))
            s.display.bars.push_back({activity, rng.index(101)});
    s.display.text = {kNames[static_cast<std::size_t>(rng.index(kNames.size()))]};
    return s;
}

/// Counts right / wrong with a confusion table (truth → read) for the failure message.
struct Tally {
    int right = 0, wrong = 0, unscored = 0;
    std::map<std::pair<std::string, std::string>, int> confusion;
    std::vector<std::string> examples;

    void add(const std::string& truth, const std::string& read, const std::string& context) {
        if (truth == read) {
            ++right;
            return;
        }
        ++wrong;
        ++confusion[{truth, read}];
        if (examples.size() < 8)
            examples.push_back(truth + " read as " + read + " (" + context + ")");
    }
    double accuracy() const { return right + wrong ? double(right) / (right + wrong) : 1.0; }
    std::string report(const std::string& what) const {
        std::ostringstream s;
        s << what << ": " << right << " of " << right + wrong << " right (" << accuracy() * 100
          << " %), " << unscored << " not scored";
        for (const auto& [k, n] : confusion)
            s << "\n  " << k.first << " -> " << k.second << ": " << n;
        for (const std::string& e : examples)
            s << "\n  e.g. " << e;
        return s.str();
    }
};

std::string describe(const emu::RenderConditions& c, fw::Millis at) {
    std::ostringstream s;
    s.precision(2);
    s << "at " << at.count() << " ms, ev " << c.exposure_ev << ", wb " << c.white_balance_k
      << " K, noise " << c.noise_sigma << ", blur " << c.blur_px << ", tilt " << c.tilt_deg
      << ", bloom " << c.led_bloom_px << ", seed " << c.seed;
    return s.str();
}

struct Scores {
    Tally leds, icons, text;
    int frames = 0, bars = 0, bars_within_3 = 0;
    double bar_error_sum = 0;
};

void score_frame(Rng& rng, fw::Model model, Scores& scores) {
    const fw::Snapshot snap = random_snapshot(rng, model);
    const fw::Millis at{rng.index(10'000)};
    const emu::RenderConditions cond = random_conditions(rng);
    const emu::RenderedFace face = emu::render_face(snap, at, cond);
    vision::ReadOptions options;
    options.expected_model = model;
    const bool same_name = rng.chance(0.5);
    const std::string expected = same_name || snap.display.text.empty()
                                     ? (snap.display.text.empty() ? "" : snap.display.text[0])
                                     : kNames[static_cast<std::size_t>(rng.index(kNames.size()))];
    if (!snap.display.text.empty())
        options.display.expected_text[0] = expected;
    const auto reading = vision::read_face(face.image, options);
    BOOST_REQUIRE_MESSAGE(reading, "frame rejected: " << reading.error().message << " — "
                                                      << describe(cond, at));
    ++scores.frames;
    const std::string ctx = describe(cond, at);
    for (const fw::IndicatorReading& l : snap.lights) {
        const double i = emu::pattern_intensity(l.light.pattern, l.light.period, at);
        const vision::LedReading* led = reading->led(fw::to_string(l.indicator));
        BOOST_REQUIRE(led);
        const bool dark = l.light.colour == fw::Colour::Off || i <= 0.0;
        if (!dark && i < 0.3) {
            ++scores.leds.unscored;
            continue;
        }
        scores.leds.add(std::string(fw::to_string(dark ? fw::Colour::Off : l.light.colour)),
                        std::string(fw::to_string(led->colour)), led->name + ", " + ctx);
    }
    if (!reading->display)
        return;
    for (const vision::IconReading& r : reading->display->icons) {
        const fw::IconState* truth = snap.display.find(r.icon);
        const bool shown = truth && truth->colour != fw::Colour::Off &&
                           emu::pattern_intensity(truth->pattern, truth->period, at) > 0;
        scores.icons.add(shown ? std::string(fw::to_string(truth->colour)) : "not shown",
                         r.shown ? std::string(fw::to_string(r.colour)) : "not shown",
                         std::string(fw::to_string(r.icon)) + ", " + ctx);
    }
    for (const fw::ProgressBar& bar : snap.display.bars) {
        const vision::BarReading* r = reading->display->bar(bar.icon);
        BOOST_REQUIRE(r);
        // A bar blinks with its activity icon: caught dark, its fill is not drawn.
        if (const fw::IconState* icon = snap.display.find(bar.icon);
            icon && emu::pattern_intensity(icon->pattern, icon->period, at) <= 0)
            continue;
        const double err = std::abs(r->percent - bar.percent);
        ++scores.bars;
        scores.bars_within_3 += err <= 3.0 ? 1 : 0;
        scores.bar_error_sum += err;
    }
    if (!reading->display->text.empty())
        scores.text.add(expected == snap.display.text[0] ? "match" : "mismatch",
                        reading->display->text[0].matches ? "match" : "mismatch",
                        "'" + snap.display.text[0] + "' vs '" + expected + "', " + ctx);
}

void run_frames(fw::Model model, int frames, std::uint64_t seed) {
    Rng rng{std::mt19937_64(seed)};
    Scores s;
    for (int n = 0; n < frames; ++n)
        score_frame(rng, model, s);
    BOOST_TEST_MESSAGE(s.leds.report("LED colours"));
    BOOST_CHECK_MESSAGE(s.leds.accuracy() >= 0.995, s.leds.report("LED colours"));
    if (s.bars > 0) {
        BOOST_TEST_MESSAGE(s.icons.report("display icons"));
        BOOST_TEST_MESSAGE(s.text.report("text line verdicts"));
        BOOST_TEST_MESSAGE("bars: mean error " << s.bar_error_sum / s.bars << " %, "
                                               << s.bars_within_3 << " of " << s.bars
                                               << " within 3 %");
        BOOST_CHECK_MESSAGE(s.icons.accuracy() >= 0.99, s.icons.report("display icons"));
        BOOST_CHECK_MESSAGE(s.text.accuracy() >= 0.98, s.text.report("text line verdicts"));
        BOOST_CHECK_MESSAGE(s.bars_within_3 >= 0.99 * s.bars,
                            s.bars_within_3 << " of " << s.bars << " bars within 3 %");
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(vision_accuracy_w100)

BOOST_AUTO_TEST_CASE(led_colours_over_random_states_and_conditions) {
    run_frames(fw::Model::W100, 700, 100);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(vision_accuracy_w120)

BOOST_AUTO_TEST_CASE(leds_and_display_over_random_states_and_conditions) {
    run_frames(fw::Model::W120, 600, 120);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(vision_accuracy_w120_more)

BOOST_AUTO_TEST_CASE(leds_and_display_over_more_states_and_conditions) {
    run_frames(fw::Model::W120, 600, 121);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(vision_accuracy_patterns)

// Per sequence: one random state and camera, frames every 120–160 ms (≥ 3 per 500 ms phase)
// over 4.2 s (2 periods of the 2 s pulse), each frame with its own noise seed.
BOOST_AUTO_TEST_CASE(blink_patterns_over_random_sequences) {
    Rng rng{std::mt19937_64(7)};
    Tally patterns;
    int periods_checked = 0, periods_within_10 = 0;
    for (int seq = 0; seq < 28; ++seq) {
        const fw::Model model = seq % 2 ? fw::Model::W100 : fw::Model::W120;
        const fw::Snapshot snap = random_snapshot(rng, model);
        emu::RenderConditions cond = random_conditions(rng);
        std::map<std::string, std::vector<vision::TimedLed>> series;
        const fw::Millis start{rng.index(5'000)};
        for (fw::Millis at = start; at < start + fw::Millis{4'200};
             at += fw::Millis{120 + rng.index(41)}) {
            cond.seed = rng.gen();
            const emu::RenderedFace face = emu::render_face(snap, at, cond);
            const auto reading = vision::read_face(face.image);
            BOOST_REQUIRE_MESSAGE(reading, reading.error().message << " — " << describe(cond, at));
            for (const vision::LedReading& led : reading->leds)
                series[led.name].push_back({at, led});
        }
        for (const fw::IndicatorReading& l : snap.lights) {
            const std::string name(fw::to_string(l.indicator));
            const auto p = vision::classify_pattern(series[name], vision::pattern_limits(model));
            BOOST_REQUIRE_MESSAGE(p, p.error().message);
            const fw::Colour colour =
                l.light.pattern == fw::Pattern::Off ? fw::Colour::Off : l.light.colour;
            patterns.add(std::string(fw::to_string(l.light.pattern)) + " " +
                             std::string(fw::to_string(colour)),
                         std::string(fw::to_string(p->pattern)) + " " +
                             std::string(fw::to_string(p->colour)),
                         name + ", " + describe(cond, start));
            if (p->period && p->pattern == l.light.pattern) {
                ++periods_checked;
                const double rel = std::abs(static_cast<double>(p->period->count()) /
                                                static_cast<double>(l.light.period.count()) -
                                            1);
                periods_within_10 += rel <= 0.10 ? 1 : 0;
            }
        }
    }
    BOOST_TEST_MESSAGE(patterns.report("blink patterns"));
    BOOST_CHECK_MESSAGE(patterns.accuracy() >= 0.99, patterns.report("blink patterns"));
    BOOST_CHECK_MESSAGE(periods_within_10 == periods_checked,
                        periods_within_10 << " of " << periods_checked << " periods within 10 %");
}

BOOST_AUTO_TEST_SUITE_END()
