// Colour fitting (see colour_fit.hpp). Per candidate colour a coarse-to-fine search over the
// intensity (21 steps, then 0.01 around the best): a handful of evaluations of three channels,
// microseconds per region.
#include "bench/vision/colour_fit.hpp"

#include "firmware/emu/face/face_renderer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace bwc::vision {
namespace {

constexpr std::array kLitColours{fw::Colour::Red, fw::Colour::Green, fw::Colour::Amber,
                                 fw::Colour::Blue, fw::Colour::White};
// Error model of a region mean: a floor (noise averaged over the region, rounding) and a
// relative part (gain estimate, non-uniform lighting).
constexpr double kFloorLevels = 1.5;
constexpr double kRelativeError = 0.02;
constexpr double kSaturatedLevel = 250.0;
// chi² within this of the best counts as "fits as well" when bounding the intensity.
constexpr double kFlatChi2 = 4.0;
constexpr double kUndeterminedWidth = 0.15;

double chi2(const cv::Vec3d& observed, const cv::Vec3d& predicted) {
    double sum = 0;
    for (int c = 0; c < 3; ++c) {
        const double rel = kRelativeError * predicted[c];
        const double sd = std::sqrt(kFloorLevels * kFloorLevels + rel * rel);
        const double d = (observed[c] - predicted[c]) / sd;
        sum += d * d;
    }
    return sum;
}

struct Candidate {
    double intensity = 0;
    double chi2 = 1e300;
};

/// Minimises chi²(prediction(i)) over i in [0, max_i]; also the lowest i that fits as well.
template <class Predict>
Candidate best_intensity(const Predict& predict, const cv::Vec3d& observed, double max_i,
                         double& lowest_as_good) {
    Candidate best;
    constexpr int kCoarse = 20;
    std::array<double, kCoarse + 1> coarse{};
    for (int k = 0; k <= kCoarse; ++k) {
        const double i = max_i * k / kCoarse;
        coarse[static_cast<std::size_t>(k)] = chi2(observed, predict(i));
        if (coarse[static_cast<std::size_t>(k)] < best.chi2)
            best = {i, coarse[static_cast<std::size_t>(k)]};
    }
    const double step = max_i / kCoarse;
    for (double i = std::max(0.0, best.intensity - step);
         i <= std::min(max_i, best.intensity + step); i += step / 10) {
        const double e = chi2(observed, predict(i));
        if (e < best.chi2)
            best = {i, e};
    }
    // The lowest intensity that explains the observation as well (clipping makes a plateau).
    lowest_as_good = best.intensity;
    for (int k = 0; k <= kCoarse; ++k) {
        const double i = max_i * k / kCoarse;
        if (coarse[static_cast<std::size_t>(k)] <= best.chi2 + kFlatChi2 / 4) {
            // Refine between the previous step and this one.
            double lo = std::max(0.0, i - step);
            while (lo < i && chi2(observed, predict(lo)) > best.chi2 + kFlatChi2 / 4)
                lo += step / 10;
            lowest_as_good = std::min(best.intensity, lo);
            break;
        }
    }
    return best;
}

template <class Predict>
bool flat_around(const Predict& predict, const cv::Vec3d& observed, double i, double chi2_best,
                 double max_i) {
    // Undetermined when moving the intensity by ±width/2 (within range) hardly changes the fit.
    const double lo = std::max(0.0, i - kUndeterminedWidth / 2);
    const double hi = std::min(max_i, i + kUndeterminedWidth / 2);
    const double e_lo = lo < i ? chi2(observed, predict(lo)) : 1e300;
    const double e_hi = hi > i ? chi2(observed, predict(hi)) : 1e300;
    return std::min(e_lo, e_hi) <= chi2_best + kFlatChi2 && (hi - lo) > kUndeterminedWidth / 2;
}

template <class Predict>
ColourFit fit(const cv::Vec3d& observed, double max_i, double lit_threshold,
              const Predict& predict) {
    ColourFit out;
    for (int c = 0; c < 3; ++c)
        out.saturated = out.saturated || observed[c] >= kSaturatedLevel;
    double best_chi2 = 1e300, second_chi2 = 1e300, lowest = 0;
    fw::Colour best_colour = fw::Colour::Off;
    double best_i = 0;
    for (fw::Colour colour : kLitColours) {
        double lowest_c = 0;
        const auto p = [&](double i) { return predict(colour, i); };
        const Candidate c = best_intensity(p, observed, max_i, lowest_c);
        if (c.chi2 < best_chi2) {
            second_chi2 = best_chi2;
            best_chi2 = c.chi2;
            best_colour = colour;
            best_i = c.intensity;
            lowest = lowest_c;
        } else if (c.chi2 < second_chi2) {
            second_chi2 = c.chi2;
        }
    }
    out.misfit = std::sqrt(best_chi2 / 3.0);
    out.margin = second_chi2 - best_chi2;
    const auto p = [&](double i) { return predict(best_colour, i); };
    out.intensity_determined = !flat_around(p, observed, best_i, best_chi2, max_i);
    out.intensity = out.intensity_determined ? best_i : lowest;
    out.colour = out.intensity >= lit_threshold ? best_colour : fw::Colour::Off;
    if (out.colour == fw::Colour::Off)
        out.intensity_determined = true;
    return out;
}

/// Φ and φ of the standard normal.
double cdf(double z) {
    return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}
double pdf(double z) {
    return std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi);
}

} // namespace

double sensor_mean(double v, double sigma) {
    if (sigma <= 0.05)
        return std::clamp(v, 0.0, 255.0);
    double m = v;
    if (v > 255.0 - 4 * sigma) { // E[min(X, 255)]
        const double z = (255.0 - v) / sigma;
        m = v * cdf(z) + 255.0 * (1 - cdf(z)) - sigma * pdf(z);
    }
    if (v < 4 * sigma) { // E[max(X, 0)], applied to the (far) other end
        const double z = v / sigma;
        m = m * cdf(z) + sigma * pdf(z);
    }
    return std::clamp(m, 0.0, 255.0);
}

cv::Vec3d emitted(fw::Colour c) {
    const cv::Scalar s = emu::emitted_bgr(c);
    return {s[0], s[1], s[2]};
}

ColourFit fit_emitter(const cv::Vec3d& observed, const cv::Vec3d& unlit,
                      const ColourReference& ref) {
    return fit(observed, 1.0, kLitIntensity, [&](fw::Colour colour, double i) {
        const cv::Vec3d e = emitted(colour);
        cv::Vec3d p;
        for (int c = 0; c < 3; ++c)
            p[c] = sensor_mean(ref.gain[c] * (unlit[c] + i * (e[c] - unlit[c])), ref.noise_sigma);
        return p;
    });
}

ColourFit fit_on_background(const cv::Vec3d& observed, const cv::Vec3d& background, double coverage,
                            const ColourReference& ref, double shown_strength) {
    // What each colour reads at full strength does not depend on the strength: once.
    std::array<cv::Vec3d, 6> lit;
    for (fw::Colour colour : kLitColours) {
        const cv::Vec3d e = emitted(colour);
        for (int c = 0; c < 3; ++c)
            lit[static_cast<std::size_t>(colour)][c] =
                sensor_mean(ref.gain[c] * e[c], ref.noise_sigma);
    }
    // Strength may exceed 1 a little: the reference glyph's coverage is an estimate.
    return fit(observed, 1.25, shown_strength, [&](fw::Colour colour, double a) {
        const cv::Vec3d& l = lit[static_cast<std::size_t>(colour)];
        return background + a * coverage * (l - background);
    });
}

} // namespace bwc::vision
