// Blink pattern classification (see pattern_classifier.hpp).
#include "bench/vision/pattern_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <nlohmann/json.hpp>
#include <numbers>
#include <sstream>

namespace bwc::vision {
namespace {

// A lit frame below this (with its brightness measured) was caught part-way.
constexpr double kFullIntensity = 0.85;
// A pulsing light spends about half its time part-way; a flashing one none. Sampled at the
// minimum 3 frames per phase, a pulsing light still shows at least one such frame per period.
constexpr double kPulsingFraction = 0.1;
constexpr int kPulsingFrames = 2;

Rejection too_few(std::string message) {
    return {RejectionCode::TooFewFrames, std::move(message)};
}

double power_at(const std::vector<double>& t, const std::vector<double>& x, double f) {
    std::complex<double> sum{0, 0};
    for (std::size_t k = 0; k < t.size(); ++k)
        sum += x[k] * std::polar(1.0, -2 * std::numbers::pi * f * t[k]);
    return std::norm(sum);
}

/// The period (ms) whose fundamental best explains the mean-free series x(t): a periodogram on
/// a grid ten times finer than its resolution, then a golden-section refinement of the peak.
double dominant_period(const std::vector<double>& t, std::vector<double> x, double shortest,
                       double longest) {
    double mean = 0;
    for (double v : x)
        mean += v;
    mean /= static_cast<double>(x.size());
    for (double& v : x)
        v -= mean;
    const double span = t.back() - t.front();
    const double f_lo = 1.0 / longest, f_hi = 1.0 / shortest;
    const double df = 1.0 / (10.0 * span);
    double best_f = f_lo, best_p = -1;
    for (double f = f_lo; f <= f_hi; f += df)
        if (const double p = power_at(t, x, f); p > best_p) {
            best_p = p;
            best_f = f;
        }
    double a = std::max(f_lo, best_f - df), b = std::min(f_hi, best_f + df);
    const double g = (std::sqrt(5.0) - 1) / 2;
    for (int it = 0; it < 40; ++it) {
        const double c = b - g * (b - a), d = a + g * (b - a);
        if (power_at(t, x, c) > power_at(t, x, d))
            b = d;
        else
            a = c;
    }
    return 2.0 / (a + b);
}

std::string ms(double v) {
    std::ostringstream s;
    s.precision(0);
    s << std::fixed << v << " ms";
    return s.str();
}

} // namespace

PatternLimits pattern_limits(fw::Model model) {
    const fw::IndicatorTiming& t = fw::model_spec(model).indicator_timing;
    return {std::min(t.flash_period, t.pulse_period) / 2, std::max(t.flash_period, t.pulse_period)};
}

Reading<PatternReading> classify_pattern(std::span<const TimedLed> frames,
                                         const PatternLimits& limits) {
    std::vector<const TimedLed*> seq;
    for (const TimedLed& f : frames)
        seq.push_back(&f);
    std::sort(seq.begin(), seq.end(), [](auto* a, auto* b) { return a->at < b->at; });
    if (seq.size() < 2)
        return too_few("a pattern needs a sequence of frames; got " + std::to_string(seq.size()));

    std::vector<double> t;
    double max_gap = 0;
    for (std::size_t k = 0; k < seq.size(); ++k) {
        t.push_back(static_cast<double>(seq[k]->at.count()));
        if (k > 0)
            max_gap = std::max(max_gap, t[k] - t[k - 1]);
    }
    const double span = t.back() - t.front();
    const double phase = static_cast<double>(limits.shortest_phase.count());
    const double longest = static_cast<double>(limits.longest_period.count());
    if (max_gap <= 0)
        return too_few("the frames all have the same timestamp");
    if (max_gap * limits.frames_per_phase > phase)
        return too_few("frames up to " + ms(max_gap) + " apart give fewer than " +
                       std::to_string(limits.frames_per_phase) + " frames per " + ms(phase) +
                       " phase; need a frame at least every " +
                       ms(phase / limits.frames_per_phase));
    if (span < limits.periods * longest)
        return too_few("the frames span " + ms(span) + "; " + std::to_string(limits.periods) +
                       " periods of the slowest pattern (" + ms(longest) + ") need " +
                       ms(limits.periods * longest));

    PatternReading out;
    out.frames = static_cast<int>(seq.size());
    out.frames_per_phase = phase / max_gap;
    std::map<fw::Colour, double> votes;
    std::vector<double> level;
    for (const TimedLed* f : seq) {
        const LedReading& r = f->reading;
        const bool lit = r.colour != fw::Colour::Off;
        out.lit_frames += lit ? 1 : 0;
        const bool partway = lit && r.intensity_determined && r.intensity < kFullIntensity;
        out.intermediate_frames += partway ? 1 : 0;
        if (lit)
            votes[r.colour] += r.intensity_determined ? r.intensity : 1.0;
        level.push_back(!lit ? 0.0 : r.intensity_determined ? r.intensity : 1.0);
    }
    if (out.lit_frames == 0)
        return out; // off
    out.colour = std::max_element(votes.begin(), votes.end(), [](auto& a, auto& b) {
                     return a.second < b.second;
                 })->first;
    if (out.lit_frames == out.frames) {
        out.pattern = fw::Pattern::Steady;
        return out;
    }
    const bool pulsing = out.intermediate_frames >= kPulsingFrames &&
                         out.intermediate_frames >= kPulsingFraction * out.frames;
    out.pattern = pulsing ? fw::Pattern::Pulsing : fw::Pattern::Flashing;
    if (!pulsing) // a flashing light is on or off: its edges carry the period
        for (double& v : level)
            v = v > 0 ? 1.0 : 0.0;
    const double period =
        dominant_period(t, level, std::max(2.0 * phase, 2.0 * max_gap), span / limits.periods);
    out.period = fw::Millis{static_cast<std::int64_t>(std::lround(period))};
    out.frames_per_phase = period / 2 / max_gap;
    if (out.frames_per_phase < limits.frames_per_phase)
        return too_few("the light " + std::string(fw::to_string(out.pattern)) + " with a " +
                       ms(period) + " period: frames up to " + ms(max_gap) + " apart give " +
                       "fewer than " + std::to_string(limits.frames_per_phase) +
                       " frames per phase");
    return out;
}

void to_json(nlohmann::json& j, const PatternReading& r) {
    j = nlohmann::json{{"pattern", fw::to_string(r.pattern)},
                       {"colour", fw::to_string(r.colour)},
                       {"frames", r.frames},
                       {"lit_frames", r.lit_frames},
                       {"intermediate_frames", r.intermediate_frames},
                       {"frames_per_phase", std::round(r.frames_per_phase * 10) / 10}};
    j["period_ms"] = r.period ? nlohmann::json(r.period->count()) : nlohmann::json(nullptr);
}

} // namespace bwc::vision
