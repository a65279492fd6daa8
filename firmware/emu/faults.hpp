// Fault injection: the catalogue of faults an emulated camera can carry,
// named `component.part.kind[=value]` (issue "Camera and dock emulators"),
// with the SPEC row each models; parsing and validating `--fault` options;
// and the parsed set an emulated camera applies to its firmware, its
// physical models and its face.
#pragma once

#include "firmware/core/indicators.hpp"
#include "firmware/core/model.hpp"
#include "firmware/core/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::emu {

/// What a fault's value must be.
enum class FaultValue {
    None,
    Milliseconds,
    Percent,
    Colour,
    Range,
    Band,
    Digits,
    Decibels,
    Metres,
    Milliohm,
    Millivolt,
    MbitPerSecond
};

struct FaultSpec {
    std::string_view pattern; // e.g. "button.<button>.threshold_ms"
    FaultValue value;
    std::string_view models;   // "W100 W120", "W120", "W700 W701"
    std::string_view spec_row; // which SPEC.md row or section it models
    std::string_view description;
};

std::span<const FaultSpec> fault_catalogue();

/// A catalogue pattern with its placeholders filled in for one model.
struct ConcreteFault {
    std::string name; // "button.record.threshold_ms", "dock.pin.vbus.resistance_mohm"
    const FaultSpec* spec = nullptr;
};
/// Every fault that applies to `model` ("W100", "W120", "W700", "W701"), each
/// placeholder expanded to that model's buttons, LEDs or pins; nullopt for an
/// unknown model. For `bwc-emu --list-faults --model M` and fault coverage.
std::optional<std::vector<ConcreteFault>> concrete_faults(std::string_view model);
/// "=<ms>", "=<2.4|5>", "" for a fault without a value.
std::string_view value_placeholder(FaultValue v);
/// Text for `bwc-emu --list-faults`.
std::string describe_fault_catalogue();

/// One parsed fault.
struct Fault {
    std::string name; // the concrete name, e.g. "led.status_led.dead"
    const FaultSpec* spec = nullptr;
    std::vector<std::string> parts;     // the name split at dots
    std::optional<std::int64_t> number; // Millis, Percent, Decibels, Metres, …
    std::optional<std::pair<int, int>> range;
    std::optional<fw::Colour> colour;
    std::string text; // Band or Digits
};

/// Parse one `--fault` value for a camera of `model`. The error names the
/// fault, what was wrong, and what would be accepted.
fw::Result<Fault> parse_fault(std::string_view text, fw::Model model);

/// Everything injected into one camera, looked up by the parts that apply it.
class FaultSet {
public:
    void add(Fault f) { faults_.push_back(std::move(f)); }
    const std::vector<Fault>& all() const { return faults_; }
    bool empty() const { return faults_.empty(); }
    /// The fault with exactly this name (value not included), if injected.
    const Fault* find(std::string_view name) const;
    std::string names() const; // space-separated, with values

private:
    std::vector<Fault> faults_;
};

} // namespace bwc::emu
