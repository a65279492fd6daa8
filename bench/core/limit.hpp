// Limits a measurement is judged against and the outcomes of judging:
// low/high (either may be open), equals, regex, one-of, plus an optional
// marginal band inside low/high. Evaluation is a pure function so the step
// base class, `bench check` and the tests all judge the same way.
#pragma once

#include "bench/core/value.hpp"

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace bwc::bench {

enum class Outcome {
    Pass,     // inside the limits
    Marginal, // inside the limits, outside the marginal band: passes, flagged
    Fail,     // outside the limits
    Error,    // could not be measured (device error, timeout, bad reply)
    Skipped,  // run_if was false
    Aborted,  // the run was cancelled before or during it
};
std::string_view to_string(Outcome o);
/// Parses the names to_string gives; nullopt otherwise.
std::optional<Outcome> parse_outcome(std::string_view text);
/// Pass and Marginal count as passed.
inline bool passed(Outcome o) {
    return o == Outcome::Pass || o == Outcome::Marginal || o == Outcome::Skipped;
}

struct Limit {
    enum class Kind { None, Range, Equals, Regex, OneOf };
    Kind kind = Kind::None;                            // None: recorded, never judged
    std::optional<double> low, high;                   // Range, inclusive
    std::optional<double> marginal_low, marginal_high; // Range: the inner band
    Value equals;                                      // Equals
    std::string pattern;       // Regex (ECMAScript, found anywhere; anchor with ^ $)
    std::vector<Value> one_of; // OneOf

    /// Compiles `pattern`; an error text when it is not a valid regex.
    std::optional<std::string> compile();
    /// "2850 <= x <= 3150", "== W120", "~ ^2\.4\.", "in {a, b}", "" for None.
    std::string describe() const;

    static Limit range(std::optional<double> low, std::optional<double> high);
    static Limit equal_to(Value v);

private:
    std::shared_ptr<const std::regex> regex_; // compiled by compile()
    friend Outcome evaluate(const Limit&, const Value&);
};

/// Judges `value`: Pass / Marginal / Fail. A value of the wrong type for the
/// limit (text against low/high) fails. A Regex limit not compiled fails.
Outcome evaluate(const Limit& limit, const Value& value);

} // namespace bwc::bench
