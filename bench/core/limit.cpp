// Limit evaluation and description (see limit.hpp).
#include "bench/core/limit.hpp"

#include <array>
#include <utility>

namespace bwc::bench {
namespace {

constexpr std::array<std::pair<Outcome, std::string_view>, 6> kOutcomeNames{{
    {Outcome::Pass, "pass"},
    {Outcome::Marginal, "marginal"},
    {Outcome::Fail, "fail"},
    {Outcome::Error, "error"},
    {Outcome::Skipped, "skipped"},
    {Outcome::Aborted, "aborted"},
}};

Outcome judge_range(const Limit& l, double x) {
    if ((l.low && x < *l.low) || (l.high && x > *l.high))
        return Outcome::Fail;
    if ((l.marginal_low && x < *l.marginal_low) || (l.marginal_high && x > *l.marginal_high))
        return Outcome::Marginal;
    return Outcome::Pass;
}

} // namespace

std::string_view to_string(Outcome o) {
    for (const auto& [value, name] : kOutcomeNames)
        if (value == o)
            return name;
    return "?";
}

std::optional<Outcome> parse_outcome(std::string_view text) {
    for (const auto& [value, name] : kOutcomeNames)
        if (name == text)
            return value;
    return std::nullopt;
}

std::optional<std::string> Limit::compile() {
    if (kind != Kind::Regex)
        return std::nullopt;
    try {
        regex_ = std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        regex_.reset();
        return std::string("invalid regex '") + pattern + "': " + e.what();
    }
    return std::nullopt;
}

std::string Limit::describe() const {
    switch (kind) {
    case Kind::None:
        return "";
    case Kind::Range: {
        std::string s;
        if (low)
            s += to_text(*low) + " <= ";
        s += "x";
        if (high)
            s += " <= " + to_text(*high);
        return s;
    }
    case Kind::Equals:
        return "== " + to_text(equals);
    case Kind::Regex:
        return "~ " + pattern;
    case Kind::OneOf: {
        std::string s = "in {";
        for (std::size_t i = 0; i < one_of.size(); ++i)
            s += (i ? ", " : "") + to_text(one_of[i]);
        return s + "}";
    }
    }
    return "";
}

Limit Limit::range(std::optional<double> low, std::optional<double> high) {
    Limit l;
    l.kind = Kind::Range;
    l.low = low;
    l.high = high;
    return l;
}

Limit Limit::equal_to(Value v) {
    Limit l;
    l.kind = Kind::Equals;
    l.equals = std::move(v);
    return l;
}

Outcome evaluate(const Limit& limit, const Value& value) {
    switch (limit.kind) {
    case Limit::Kind::None:
        return Outcome::Pass;
    case Limit::Kind::Range:
        if (const double* x = std::get_if<double>(&value))
            return judge_range(limit, *x);
        return Outcome::Fail;
    case Limit::Kind::Equals:
        return same_value(limit.equals, value) ? Outcome::Pass : Outcome::Fail;
    case Limit::Kind::Regex: {
        if (!limit.regex_)
            return Outcome::Fail;
        const std::string text = to_text(value);
        return std::regex_search(text, *limit.regex_) ? Outcome::Pass : Outcome::Fail;
    }
    case Limit::Kind::OneOf:
        for (const Value& v : limit.one_of)
            if (same_value(v, value))
                return Outcome::Pass;
        return Outcome::Fail;
    }
    return Outcome::Fail;
}

} // namespace bwc::bench
